"""`manage.py load_demo`: the demo world looks like the source texts and loads only once.

The world is loaded once for the module (inside a transaction that is rolled back at
the end); every test runs in its own savepoint on top of it.
"""

import hashlib
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models, transaction
from django.test import override_settings
from django.utils import timezone

from actors.models import ContactPerson, Organisation, PublicationConsent
from advisors.models import Advisor, Pool, Training
from advisors.selectors import pool_statistics
from core.models import OutboxEmail, User
from core.permissions import Capability, may
from council.models import Lead, WatchKeyword
from engagements.enums import EngagementStatus, EntryStatus, RequestStatus
from engagements.models import Engagement
from events.enums import RegistrationStatus
from events.holidays import holiday_conflicts
from events.models import Event, EventSession, Registration
from miglobe.demo import NRW_CITIES, NRW_ORIGINS, PLANNING_MEETING_TITLE, REAL_NAMES
from outcomes.figures import programme_figures
from outcomes.follow_up import months_later
from outcomes.models import ActionOptionComment
from recruitment.composition import composition
from recruitment.models import Call, Review
from surveys.models import Survey
from surveys.services import results as survey_results

pytestmark = pytest.mark.django_db

DEMO_APPS = [
    "core", "advisors", "engagements", "actors", "events", "outcomes", "recruitment", "surveys",
    "council", "auth", "account",
]  # fmt: skip
LOGINS = [
    "skew@example.org",
    "officer@eschweiler.example.org",
    "officer@witten.example.org",
    "advisor@example.org",
]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """Where the demo's files (the final report, the reimbursement report) are stored."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module", autouse=True)
def demo_world(django_db_setup, django_db_blocker, demo_media):
    with django_db_blocker.unblock(), transaction.atomic():
        # pytest-django turns DEBUG off for tests; the command wants it on.
        with override_settings(DEBUG=True, MEDIA_ROOT=demo_media):
            call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in DEMO_APPS
        for model in apps.get_app_config(label).get_models()
    }


def nrw_advisors():
    return Advisor.objects.filter(pools__federal_state="NW").select_related(
        "user", "home_municipality"
    )


def test_second_run_changes_nothing(settings):
    settings.DEBUG = True
    before = row_counts()
    emails = sorted(Registration.objects.values_list("email", flat=True))
    upcoming = sorted(Event.objects.values_list("title", "starts_at"))

    out = load_demo()

    assert row_counts() == before
    assert sorted(Registration.objects.values_list("email", flat=True)) == emails
    assert sorted(Event.objects.values_list("title", "starts_at")) == upcoming
    assert "nichts geändert" in out


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    before = row_counts()

    with pytest.raises(CommandError, match="--force"):
        load_demo()
    load_demo("--force")

    assert row_counts() == before


def test_nrw_pool_matches_the_pool_presentation():
    advisors = list(nrw_advisors())
    genders = [a.gender for a in advisors]
    this_year = timezone.localdate().year
    origins = {str(c) for a in advisors for c in a.countries_of_origin}

    assert Pool.objects.get(federal_state="NW").name == "MiGlobe NRW"
    assert len(advisors) == 20
    assert (genders.count("female"), genders.count("male")) == (8, 12)
    assert all(25 <= this_year - a.birth_year <= 65 for a in advisors)
    assert {a.home_municipality.name for a in advisors} == set(NRW_CITIES)
    assert len(NRW_CITIES) == 12
    assert origins == NRW_ORIGINS
    assert len(origins) == 16
    assert all(1 <= len(a.countries_of_origin) <= 2 for a in advisors)
    assert all(a.languages.filter(code="de").exists() for a in advisors)
    # "In NRW hat MiGlobe insgesamt 13 BeraterInnen" (2020): seven have left since.
    active = nrw_advisors().filter(memberships__left_on__isnull=True)
    assert active.count() == 13
    joined_years = {m.joined_on.year for a in advisors for m in a.memberships.all()}
    assert joined_years <= {2013, 2014, 2015}


def test_bw_pool_completed_all_six_trainings():
    pool = Pool.objects.get(federal_state="BW")
    advisors = Advisor.objects.filter(pools=pool)
    trainings = Training.objects.filter(pool=pool)

    assert advisors.count() == 18
    assert trainings.count() == 6
    assert {t.starts_on.year for t in trainings} == {2017}
    assert all(t.starts_on.weekday() == 5 for t in trainings)  # weekends
    assert "Kommunales Wissen" in {t.title for t in trainings}
    for advisor in advisors:
        assert advisor.training_completions.count() == 6
        assert advisor.memberships.get(pool=pool).joined_on.year == 2017


def test_eschweiler_engagement_follows_vorlage_065_20():
    engagement = Engagement.objects.get(municipality__name="Eschweiler")
    milestones = {m.kind: m for m in engagement.milestones.all()}
    advisors = {a.advisor.user.email: a.slot for a in engagement.assignments.all()}

    assert engagement.starts_on == date(2019, 10, 1)
    assert engagement.council_submission == "Vorlage 065/20"
    assert engagement.pool.federal_state == "NW"
    assert sorted(engagement.departments.values_list("number", flat=True)) == ["231", "501"]
    assert engagement.municipality.ags == "05334012"
    assert milestones["research"].due_on == date(2020, 6, 30)
    assert milestones["council_presentation"].due_on == date(2020, 3, 12)
    assert milestones["council_presentation"].done_on == date(2020, 3, 12)
    assert milestones["network_meeting"].due_on.year == 2020
    assert len(advisors) == 2
    assert advisors["advisor@example.org"] == 1
    assert engagement.consultation_request.status == RequestStatus.ACCEPTED
    council = engagement.events.get(kind="council_presentation")
    assert council.starts_at.date() == date(2020, 3, 12)
    assert engagement.findings.count() >= 3


def test_eschweiler_is_completed_with_its_results_and_follow_ups(settings, demo_media):
    settings.MEDIA_ROOT = demo_media
    engagement = Engagement.objects.get(municipality__name="Eschweiler")
    options = list(engagement.action_options.order_by("created_at"))
    report = engagement.final_reports.get()
    follow_ups = {f.months: f for f in engagement.follow_ups.all()}

    assert engagement.status == EngagementStatus.COMPLETED
    assert date(2020, 12, 1) <= engagement.completed_on <= date(2020, 12, 31)
    assert not engagement.milestones.filter(done_on=None).exists()
    assert {o.decision for o in options} == {"adopted", "planned", "not_pursued"}
    assert all(o.decision_reason for o in options if o.decision == "not_pursued")
    assert all(o.decided_by.email == "officer@eschweiler.example.org" for o in options)
    assert ActionOptionComment.objects.filter(option__engagement=engagement).count() >= 2
    # The report: made before completion, confirmed by both sides, its file matches its sum.
    assert report.created_at.date() <= engagement.completed_on
    assert report.officer_confirmed_at and report.skew_confirmed_at
    with report.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
    assert sorted(follow_ups) == [6, 12]
    for months, follow_up in follow_ups.items():
        assert follow_up.sent_at.date() == months_later(engagement.completed_on, months)
        assert follow_up.answered_at is not None
        assert follow_up.answers.count() == len([o for o in options if o.decision != "not_pursued"])
    assert follow_ups[12].reminded_at is not None  # answered only after the reminder
    # The online network meeting, with who came, is in the report's course.
    meeting = engagement.events.get(kind="network_meeting")
    assert meeting.registrations.filter(attended=True).count() >= 10
    # All the costs were approved and reimbursed in the report of January 2021.
    assert {e.status for e in engagement.time_entries.all()} == {EntryStatus.REIMBURSED}
    assert {e.status for e in engagement.expenses.all()} == {EntryStatus.REIMBURSED}


def test_the_request_and_the_engagement_keep_their_real_history():
    engagement = Engagement.objects.get(municipality__name="Eschweiler")
    steps = list(engagement.consultation_request.status_changes.all())
    history = list(engagement.history.order_by("history_date", "history_id"))

    assert [(s.from_status, s.to_status) for s in steps] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "accepted"),
    ]
    assert [s.changed_at.date() for s in steps] == sorted(s.changed_at.date() for s in steps)
    assert steps[1].changed_at.date() == date(2019, 6, 17)
    assert steps[1].changed_by.email == "officer@eschweiler.example.org"
    assert steps[3].changed_by.email == "skew@example.org"
    assert engagement.consultation_request.messages.count() == 2
    reasons = [h.history_change_reason or "" for h in history]
    assert history[0].history_user.email == "skew@example.org"
    assert any("geplant → laufend" in r for r in reasons)
    assert any("verschoben" in r and "Vorlage 065/20" in r for r in reasons)
    assert "laufend → abgeschlossen" in reasons[-1]
    assert history[-1].history_date.date() == engagement.completed_on


def test_witten_runs_now_dated_from_the_day_of_loading():
    today = timezone.localdate()
    engagement = Engagement.objects.get(municipality__name="Witten")
    open_milestones = engagement.milestones.filter(done_on=None)
    advisors = {a.advisor.user.email for a in engagement.assignments.all()}

    assert engagement.status == EngagementStatus.ACTIVE
    assert today - timedelta(days=170) <= engagement.starts_on <= today - timedelta(days=100)
    assert engagement.ends_on > today
    assert "advisor@example.org" in advisors and len(advisors) == 2
    # One milestone is overdue and one is due within weeks: the dashboard has both.
    assert open_milestones.filter(due_on__lt=today).count() == 1
    assert open_milestones.filter(due_on__gte=today, due_on__lte=today + timedelta(days=30))
    assert engagement.milestones.filter(done_on__lte=today).exists()
    for entries in (engagement.time_entries.all(), engagement.expenses.all()):
        assert {e.status for e in entries} == {"draft", "submitted", "approved"}
        assert all(e.date <= today for e in entries)
    assert engagement.action_options.undecided().count() == 2
    assert ActionOptionComment.objects.filter(option__engagement=engagement).exists()
    officer = User.objects.get(email="officer@witten.example.org").officer
    assert officer.is_confirmed and officer.municipality == engagement.municipality
    assert engagement.consultation_request.status_changes.last().to_status == "accepted"


def test_the_past_sends_no_mail():
    assert not OutboxEmail.objects.exists()


def test_the_programme_figures_show_the_demo():
    rows = {(row.state, row.year): row.values for row in programme_figures()}

    assert rows[("NW", 2019)]["requests"] == 1
    assert rows[("NW", 2019)]["started"] == 1
    assert rows[("NW", 2020)]["completed"] == 1
    assert rows[("NW", 2020)]["adopted"] == 2
    assert rows[("NW", 2020)]["participants"] >= 10
    assert rows[("NW", 2020)]["costs"] > 0
    assert rows[("NW", 2021)]["implemented"] == 2
    assert rows[("NW", timezone.localdate().year)]["requests"] >= 1


def test_the_bw_pool_came_from_the_call_of_2017():
    pool = Pool.objects.get(federal_state="BW")
    call = pool.calls.get(deadline__year=2017)
    applications = call.applications.all()
    accepted = applications.filter(status="accepted")

    assert applications.count() == 30
    assert accepted.count() == call.places == 18
    assert {a.advisor_id for a in accepted} == set(
        Advisor.objects.filter(pools=pool).values_list("pk", flat=True)
    )
    assert all(a.advisor.memberships.get(pool=pool).joined_on == call.starts_on for a in accepted)
    # Those not accepted kept only their status: the retention time ran out long ago.
    others = applications.exclude(status="accepted")
    assert all(a.anonymised_at and not (a.name or a.email) for a in others)
    # The six weekends are mandatory and everyone attended them: the pool is qualified.
    assert pool_statistics(pool).qualified == 18
    assert Training.objects.filter(pool=pool, mandatory=True).count() == 6


def test_an_nrw_call_is_open_now_with_a_shortlist():
    call = Call.objects.open().get(pool__federal_state="NW")
    statuses = set(call.applications.values_list("status", flat=True))

    assert call.deadline > timezone.now()
    assert {"received", "shortlisted", "invited", "unconfirmed"} <= statuses
    assert call.criteria.count() >= 3
    assert Review.objects.filter(application__call=call).exists()
    view = composition(call)
    assert view.pool.people == 13  # the NRW pool as it stands
    assert view.shortlist.people == 3


def test_the_duisburg_survey_reproduces_the_source_texts_figures():
    survey = Survey.objects.get(municipality__name="Duisburg", opens_on__year=2017)
    found = survey_results(survey)

    assert (found.invited, found.answered) == (42, 42)
    assert 20 <= found.stats.international.percent <= 30
    assert abs(found.stats.local.percent - 30) <= 3
    assert abs(found.stats.with_field.percent - 75) <= 3


def test_witten_asks_its_organisations_now():
    survey = Survey.objects.get(engagement__municipality__name="Witten")

    assert survey.is_open()
    assert survey.invitations.count() >= 5
    answered = survey.responses.get(status="submitted")
    assert answered.suggestion.status == "pending"  # waits in the moderation queue
    assert answered.suggestion.channel == "survey"


def test_eschweiler_paper_065_20_is_there_as_if_imported():
    engagement = Engagement.objects.get(municipality__name="Eschweiler")
    paper = engagement.council_papers.get(reference="065/20")
    [consultation] = paper.consultations.all()

    assert paper.source == "oparl" and paper.paper_type == "Kenntnisgabe öffentlich"
    assert (consultation.body, consultation.date) == ("Integrationsrat", date(2020, 3, 12))
    assert paper.files.exists()
    assert Lead.objects.filter(paper__municipality=engagement.municipality).exists()
    assert WatchKeyword.objects.filter(word="MiGlobe").exists()


def test_the_demo_directory_finds_parts_of_german_compounds():
    from actors.search import search
    from actors.selectors import organisations_published

    climate = search(organisations_published(), "Klima")
    africa = search(organisations_published(), "Afrika")

    assert climate.count() >= 5
    assert all(o.fields_of_action.filter(slug="klima-umwelt").exists() or "klima" in
               o.search_document for o in climate)  # fmt: skip
    # Both published African associations, not only the one with "Afrika" as a word.
    assert africa.filter(name__startswith="Afrikanischer").exists()
    assert africa.filter(name__startswith="Afrika-Brücke").exists()


def test_duisburg_network_meeting_of_2_february_2018():
    event = Event.objects.get(kind="network_meeting", starts_at__date=date(2018, 2, 2))
    registrations = event.registrations.all()
    organisations = " | ".join(
        r.organisation.name if r.organisation else r.organisation_name for r in registrations
    )

    assert event.starts_at.astimezone(timezone.get_current_timezone()).hour >= 12
    assert "Burgplatz 19" in event.venue_address
    assert event.is_public
    assert event.sessions.filter(kind="workshop").count() == 4
    assert 45 <= registrations.count() <= 55
    for body in ["Volkshochschule", "Stadtbibliothek", "Umweltamt", "Bildungsbüro",
                 "Diakonie", "IHK|Industrie- und Handelskammer"]:  # fmt: skip
        assert re.search(body, organisations), body
    assert registrations.filter(attended=True).count() > registrations.count() * 0.8
    assert {r.status for r in registrations} == {RegistrationStatus.CONFIRMED}
    assert all(r.sessions.filter(kind="workshop").count() == 1 for r in registrations)
    assert {r.category for r in registrations} >= {"migrant_org", "municipal", "institution"}
    assert all(re.search(r"@([\w.-]+\.)?example\.(org|com)$", r.email) for r in registrations)


def test_duisburg_organisations_reproduce_the_2017_survey():
    orgs = Organisation.objects.filter(municipality__name="Duisburg")
    total = orgs.count()
    with_field = orgs.filter(fields_of_action__isnull=False).distinct().count()
    consenting = (
        PublicationConsent.objects.active()
        .filter(organisation__in=orgs, contact_person__isnull=True)
        .values("organisation")
        .distinct()
        .count()
    )

    assert total == 42
    assert 0.2 <= orgs.filter(scope="international").count() / total <= 0.3
    assert abs(orgs.filter(scope="local").count() / total - 0.30) <= 0.03
    assert abs(with_field / total - 0.75) <= 0.03
    assert total / 2 < consenting < total
    assert orgs.filter(kind="migrant_org").count() > total / 2


def test_published_duisburg_organisations_show_the_survey_shares_too():
    from actors.selectors import organisations_published

    public = organisations_published().filter(municipality__name="Duisburg")
    total = public.count()
    with_field = public.filter(fields_of_action__isnull=False).distinct().count()
    assert total == 36
    assert 0.2 <= public.filter(scope="international").count() / total <= 0.3
    assert abs(public.filter(scope="local").count() / total - 0.30) <= 0.03
    assert abs(with_field / total - 0.75) <= 0.03


def test_upcoming_meetings_for_registration():
    today = timezone.localdate()
    meeting = Event.objects.get(kind="network_meeting", starts_at__date__gt=today, is_public=True)
    workshops = meeting.sessions.filter(kind="workshop")

    assert meeting.capacity == 40
    assert today < meeting.registration_deadline.date() < meeting.starts_at.date()
    assert [w.capacity for w in workshops] == [20, 20]
    assert Event.objects.filter(
        kind="information_meeting", municipality__name="Stuttgart", starts_at__date__gt=today
    ).exists()


def test_planning_meeting_falls_on_eid_al_fitr_so_the_admin_warns():
    meeting = Event.objects.get(title=PLANNING_MEETING_TITLE)
    day = timezone.localtime(meeting.starts_at).date()
    conflicts = holiday_conflicts(day=day, municipality=meeting.municipality)

    assert not meeting.is_public
    assert meeting.municipality.name == "Duisburg"
    assert day >= timezone.localdate() + timedelta(weeks=4)
    assert any(c.country == "MA" and "Eid al-Fitr" in c.holiday for c in conflicts)


def test_demo_logins_work():
    for email in LOGINS:
        assert authenticate(email=email, password="miglobe-demo") is not None, email
        address = EmailAddress.objects.get(email=email)
        assert address.verified and address.primary

    skew = User.objects.get(email="skew@example.org")
    assert skew.is_staff and not skew.is_superuser
    assert sorted(skew.groups.values_list("name", flat=True)) == [
        "SKEW-Administration",
        "SKEW-Finanzen",
        "SKEW-Team",
    ]
    # Every capability of the staff side (the demo asks for no second factor).
    assert all(may(skew, capability) for capability in Capability)
    officer = User.objects.get(email="officer@eschweiler.example.org").officer
    assert officer.municipality.name == "Eschweiler"
    assert officer.is_confirmed and officer.confirmed_by == skew
    assert User.objects.get(email="advisor@example.org").advisor.pools.get().federal_state == "NW"


def test_demo_logins_command_prints_roles():
    out = StringIO()
    call_command("demo_logins", stdout=out)

    for email in LOGINS:
        assert email in out.getvalue()
    assert "miglobe-demo" in out.getvalue()
    assert "SKEW" in out.getvalue()


def test_no_real_person_of_the_source_texts_appears():
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, REAL_NAMES)) + r")\b", re.IGNORECASE)
    # The places the brief names explicitly, then every text of the demo apps.
    texts = [
        *User.objects.values_list("name", flat=True),
        *ContactPerson.objects.values_list("name", flat=True),
        *Registration.objects.values_list("name", flat=True),
        *EventSession.objects.values_list("speakers", flat=True),
    ]
    for label in DEMO_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
            ]
            for row in model._default_manager.values_list(*fields):
                texts += [str(value) for value in row if value]

    assert len(texts) > 1000
    offenders = [t for t in texts if pattern.search(t)]
    assert offenders == []
