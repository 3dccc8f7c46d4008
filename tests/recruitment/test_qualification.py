"""The six seminars: attendance, waivers, who is qualified, and matching that reads it."""

import datetime
import re

import pytest
from django.urls import reverse

from advisors.qualification import missing_trainings, training_waive
from advisors.selectors import pool_statistics
from engagements.matching import rank_advisors
from tests.advisors.factories import (
    AdvisorFactory,
    PoolFactory,
    PoolMembershipFactory,
    TrainingCompletionFactory,
    TrainingFactory,
)
from tests.core.factories import StaffMemberFactory, UserFactory
from tests.engagements.factories import ConsultationRequestFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminars(db):
    pool = PoolFactory(federal_state="BW", name="MiGlobe Baden-Württemberg")
    first = TrainingFactory(pool=pool, title="Kommunale Entwicklungspolitik")
    second = TrainingFactory(pool=pool, title="Kommunales Wissen",
                             starts_on=datetime.date(2017, 6, 10),
                             ends_on=datetime.date(2017, 6, 11))  # fmt: skip
    optional = TrainingFactory(pool=pool, title="Fundraising", mandatory=False)
    return pool, first, second, optional


def member(pool, **kwargs):
    advisor = AdvisorFactory(**kwargs)
    PoolMembershipFactory(advisor=advisor, pool=pool, joined_on=datetime.date(2017, 3, 1))
    return advisor


def test_qualified_means_every_mandatory_seminar_attended_or_waived(seminars):
    pool, first, second, _optional = seminars
    both = member(pool)
    one = member(pool)
    waived = member(pool)
    for training in (first, second):
        TrainingCompletionFactory(advisor=both, training=training)
    TrainingCompletionFactory(advisor=one, training=first)
    TrainingCompletionFactory(advisor=waived, training=first)
    training_waive(training=second, advisor=waived, reason="Studium Kommunalverwaltung",
                   by=UserFactory())  # fmt: skip

    missing = missing_trainings([both, one, waived])

    assert missing[both.pk] == [] and missing[waived.pk] == []
    assert [t.title for t in missing[one.pk]] == ["Kommunales Wissen"]  # the optional one not
    stats = pool_statistics(pool)
    assert (stats.qualified, stats.members) == (2, 3)
    assert stats.not_qualified == [(str(one), ["Kommunales Wissen"])]


def test_matching_ranks_only_the_qualified_and_says_what_the_others_miss(seminars):
    pool, first, second, _optional = seminars
    stuttgart = MunicipalityFactory(name="Stuttgart", federal_state="BW", latitude="48.7758",
                                    longitude="9.1829", community_countries=["TR"])  # fmt: skip
    # The unqualified one would score higher: Turkish roots, like the town's communities.
    close_match = member(pool, countries_of_origin=["TR"], home_municipality=stuttgart)
    TrainingCompletionFactory(advisor=close_match, training=first)
    qualified = member(pool, countries_of_origin=["PE"])
    for training in (first, second):
        TrainingCompletionFactory(advisor=qualified, training=training)

    matches = rank_advisors(ConsultationRequestFactory(municipality=stuttgart))

    assert [m.advisor for m in matches] == [qualified, close_match]
    assert matches[0].qualified and not matches[1].qualified
    assert matches[1].missing == ["Kommunales Wissen"]


def test_skew_records_attendance_on_a_phone_sized_page(client, log_in, seminars):
    pool, first, _second, _optional = seminars
    advisor = member(pool, user=UserFactory(name="Leyla Aydın"))
    team = StaffMemberFactory(email="team@skew.example.org", groups=["SKEW-Team"])
    log_in(client, team)
    url = reverse("recruitment:attendance", args=[first.pk])

    set_url = reverse("recruitment:attendance_set", args=[first.pk, advisor.pk])
    client.post(set_url, {"attended": "1"})
    client.post(set_url, {"attended": "1"})  # a second tap changes nothing
    page = client.get(url).content.decode()

    assert first.completions.filter(advisor=advisor).count() == 1
    item = re.search(rf'id="a{advisor.pk}">(.*?)</li>', page, re.S).group(1)
    assert "dabei" in item and "Rückgängig" in item
    assert "<strong>1</strong> von 1 dabei" in page
    client.post(set_url, {"attended": "0"})
    assert not first.completions.exists()


def test_attendance_is_for_skew_only(client, log_in, seminars):
    pool, first, _second, _optional = seminars
    advisor = member(pool)
    log_in(client, advisor.user)
    finance = StaffMemberFactory(email="finanzen@skew.example.org", groups=["SKEW-Finanzen"])

    assert client.get(reverse("recruitment:attendance", args=[first.pk])).status_code == 404
    client.post(reverse("recruitment:attendance_set", args=[first.pk, advisor.pk]),
                {"attended": "1"})  # fmt: skip
    log_in(client, finance)
    assert client.get(reverse("recruitment:attendance", args=[first.pk])).status_code == 404
    assert not first.completions.exists()


def test_the_advisor_sees_what_is_missing_on_their_profile(client, seminars):
    pool, first, _second, _optional = seminars
    advisor = member(pool)
    TrainingCompletionFactory(advisor=advisor, training=first)
    client.force_login(advisor.user)

    page = client.get(reverse("advisors:profile")).content.decode()

    section = re.search(r'id="qualification">(.*?)</section>', page, re.S).group(1)
    assert "Es fehlt noch:" in section and "Kommunales Wissen" in section
    assert "Kommunale Entwicklungspolitik" in section  # attended, listed
