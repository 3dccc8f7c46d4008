"""Advisor matching on a hand-made pool: the ranking follows the criteria it names."""

import datetime
from decimal import Decimal

import pytest

from advisors.enums import Availability
from engagements.enums import EngagementStatus
from engagements.matching import distance_km, rank_advisors
from tests.advisors.factories import (
    LanguageFactory,
    PoolMembershipFactory,
    TrainingCompletionFactory,
)
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    MunicipalityFactory,
)

pytestmark = pytest.mark.django_db


def place(name, lat, lon, state="NW"):
    return MunicipalityFactory(
        name=name, federal_state=state, latitude=Decimal(lat), longitude=Decimal(lon)
    )


def test_distance_between_eschweiler_and_cologne_is_about_50_km():
    assert 45 < distance_km(50.8167, 6.2667, 50.9375, 6.9603) < 55


@pytest.fixture
def world(municipality, pool_member, fields_of_action):
    aachen = place("Aachen", "50.775346", "6.083887")
    muenster = place("Münster", "51.960665", "7.626135")
    arabic = LanguageFactory(code="ar", name_de="Arabisch", name_en="Arabic")
    request_obj = ConsultationRequestFactory(
        municipality=municipality, preferred_start=datetime.date(2027, 1, 1)
    )
    request_obj.topics.set([fields_of_action[0]])
    request_obj.community_languages.set([arabic])
    near = pool_member(home_municipality=aachen, countries_of_origin=["KE"])
    far = pool_member(home_municipality=muenster, countries_of_origin=["KE"])
    matching = pool_member(home_municipality=muenster, countries_of_origin=["MA"])
    matching.languages.set([arabic])
    matching.expertise.set([fields_of_action[0]])
    busy = pool_member(home_municipality=aachen, countries_of_origin=["KE"], max_engagements=1)
    EngagementAdvisorFactory(advisor=busy, engagement__status=EngagementStatus.ACTIVE)
    away = pool_member(
        home_municipality=aachen, countries_of_origin=["KE"], availability=Availability.UNAVAILABLE
    )
    return request_obj, {"near": near, "far": far, "matching": matching, "busy": busy, "away": away}


def test_ranking_follows_distance_match_load_and_availability(world):
    request_obj, people = world
    ranked = [m.advisor for m in rank_advisors(request_obj)]
    assert ranked.index(people["near"]) < ranked.index(people["far"])  # closer is better
    assert ranked[0] == people["matching"]  # origin, language and expertise outweigh distance
    assert ranked.index(people["busy"]) > ranked.index(people["far"])  # fully booked
    assert ranked[-1] == people["away"]  # unavailable comes last


def test_each_score_shows_its_reasons(world):
    request_obj, people = world
    by_advisor = {m.advisor: m for m in rank_advisors(request_obj)}
    reasons = " | ".join(r for r, _points in by_advisor[people["matching"]].reasons)
    assert "Marokko" in reasons
    assert "Arabisch" in reasons
    assert "Expertise: Fairer Handel" in reasons
    assert "km von Münster" in reasons
    busy = " | ".join(r for r, _points in by_advisor[people["busy"]].reasons)
    assert "ausgelastet" in busy
    total = sum(points for _reason, points in by_advisor[people["near"]].reasons)
    assert by_advisor[people["near"]].score == pytest.approx(total, abs=0.1)


def test_trainings_raise_the_score(world):
    request_obj, people = world
    before = {m.advisor: m.score for m in rank_advisors(request_obj)}[people["far"]]
    TrainingCompletionFactory.create_batch(3, advisor=people["far"])
    after = {m.advisor: m.score for m in rank_advisors(request_obj)}[people["far"]]
    assert after == pytest.approx(before + 6)


def test_only_current_members_of_the_states_pool_are_candidates(world, municipality):
    request_obj, people = world
    left = PoolMembershipFactory(
        pool=people["near"].memberships.get().pool,
        joined_on=datetime.date(2014, 1, 1),
        left_on=datetime.date(2019, 1, 1),
    ).advisor
    other_state = PoolMembershipFactory(pool__federal_state="BW").advisor
    candidates = {m.advisor for m in rank_advisors(request_obj)}
    assert left not in candidates
    assert other_state not in candidates
    assert set(people.values()) <= candidates


def test_ranking_queries_do_not_grow_with_the_pool(world, count_queries):
    request_obj, people = world
    small = count_queries(lambda: rank_advisors(request_obj))
    pool = people["near"].memberships.get().pool
    for _ in range(15):
        PoolMembershipFactory(pool=pool)
    assert count_queries(lambda: rank_advisors(request_obj)) == small
