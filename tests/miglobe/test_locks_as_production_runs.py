"""Every row lock in app code, taken as production takes it: no test transaction around it.

A test in a transaction of its own hides a lock taken outside `transaction.atomic`: the
row is "locked" inside the test's transaction and nothing fails. Production has no such
transaction around a request or a task, and there Django refuses the SELECT … FOR UPDATE
(TransactionManagementError: a 500 for the person, a failed task). So each test
here is transactional (`transaction=True`) and goes the way a person or the worker does:
a page through the test client, an admin page or action, or a task function called as the
worker calls it. `rows_locked()` checks that the lock was really taken on the way, and each
step asserts what the person sees afterwards (status, state, emails sent once).
`serialized_rollback=True`: the flush after each test must not take the migrations' data
(groups, permissions, consent wordings) along.

Which test takes which lock (file:function → test; "elsewhere" names transactional tests
in other files that already cover it):

core/reminders.py
    send_digest (ReminderLog, skip_locked)        → elsewhere: tests/core/test_reminders.py
                                                    ::test_two_sweeps_at_the_same_moment_…,
                                                    tests/miglobe/test_celery_worker.py
engagements/services.py
    officer_confirm                               → test_a_request_goes_from_draft_to_an_engagement
    request_save_draft (existing draft)           → test_a_request_goes_from_draft_to_an_engagement
    request_submit (_transition)                  → test_a_request_goes_from_draft_to_an_engagement
    request_start_review: review button           → test_a_request_goes_from_draft_to_an_engagement
    request_start_review: list action             → test_requests_are_withdrawn_and_declined
    request_accept (+ _transition)                → test_a_request_goes_from_draft_to_an_engagement
    request_withdraw                              → test_requests_are_withdrawn_and_declined
    request_decline                               → test_requests_are_withdrawn_and_declined
    milestone_complete (lifecycle)                → test_work_is_recorded_approved_and_reported
    entry_save (existing entry, _locked_entry)    → test_work_is_recorded_approved_and_reported
    entry_delete / entry_submit / entry_withdraw  → test_work_is_recorded_approved_and_reported
    entry_approve / entry_return                  → test_work_is_recorded_approved_and_reported
engagements/reports.py
    report_pending (_locked_report)               → test_work_is_recorded_approved_and_reported,
                                                    test_a_failed_report_is_retried_and_…
    report_generate (_locked_report, entries)     → test_work_is_recorded_approved_and_reported,
                                                    test_a_failed_report_is_retried_and_…
    report_mark_failed (_locked_report)           → test_a_failed_report_is_retried_and_…
    report_send                                   → test_work_is_recorded_approved_and_reported
engagements/corrections.py
    _lock_engagement (correction_errors)          → test_a_failed_report_is_retried_and_…
engagements/admin/__init__.py (CostCorrectionAdmin)
    _unreported_or_403 via save_model             → test_a_failed_report_is_retried_and_…
    _unreported_or_403 via delete_model           → test_a_failed_report_is_retried_and_…
    delete_queryset                               → test_a_failed_report_is_retried_and_…
actors/services.py
    suggestion_approve (suggestion, organisation,
        active consent)                           → test_suggestions_are_moderated_and_…
    suggestion_reject                             → test_suggestions_are_moderated_and_…
    consent_withdraw (link and admin action)      → test_suggestions_are_moderated_and_…
events/services.py
    registration_create (address known)           → test_an_event_fills_up_moves_its_waiting_list_…
                                                    (and elsewhere: tests/events/
                                                    test_registration.py::test_registering_again…)
    registration_confirm                          → test_an_event_fills_up_moves_its_waiting_list_…
    registration_cancel + promote_from_waitlist   → test_an_event_fills_up_moves_its_waiting_list_…
    places_added (admin raises the capacity)      → test_an_event_fills_up_moves_its_waiting_list_…
    registration_check_in / _undo_check_in        → test_an_event_fills_up_moves_its_waiting_list_…
"""

import datetime
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actors.enums import SuggestionStatus
from actors.models import Organisation, PublicationConsent
from actors.selectors import organisations_published
from engagements.enums import EntryStatus, ReportStatus, RequestStatus
from engagements.models import (
    CostCorrection,
    Engagement,
    Expense,
    ReimbursementReport,
    TimeEntry,
)
from engagements.tasks import generate_report
from events.enums import RegistrationStatus
from events.models import Registration
from miglobe.staff_groups import FINANCE, TEAM
from tests.actors.factories import (
    ConsentWordingFactory,
    OrganisationFactory,
    OrganisationSuggestionFactory,
    PublicationConsentFactory,
)
from tests.advisors.factories import AdvisorFactory, PoolFactory, PoolMembershipFactory
from tests.core.factories import StaffFactory, StaffMemberFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    MilestoneFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
    TimeEntryFactory,
)
from tests.events.factories import EventFactory

# Every test here: no test transaction around it, and the migrations' data kept.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEAM_EMAIL = "team@skew.example.org"
REPORT_EMAIL = "finanzen@skew.example.org"


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.SKEW_TEAM_EMAIL = TEAM_EMAIL
    settings.SKEW_REPORT_EMAIL = REPORT_EMAIL
    settings.MIGLOBE_REGISTRATION_RATE = "1000/h"


# --- Helpers ------------------------------------------------------------------------------

LOCKING = re.compile(r'\bFROM\s+"(?P<table>\w+)".*\bFOR UPDATE\b', re.S)


@contextmanager
def rows_locked() -> Iterator[set[str]]:
    """The tables whose rows the queries run in the block locked (SELECT … FOR UPDATE).

    Filled when the block ends; requests through the test client and eagerly run tasks
    use this thread's connection, so their queries count.
    """
    tables: set[str] = set()
    with CaptureQueriesContext(connection) as context:
        yield tables
    for query in context.captured_queries:
        if match := LOCKING.search(query["sql"]):
            tables.add(match["table"])


def subjects_to(address: str) -> list[str]:
    """The subjects of the emails sent to `address`, in order, without the "[MiGlobe] " prefix."""
    return [
        message.subject.removeprefix("[MiGlobe] ")
        for message in mail.outbox
        if address in message.to
    ]


def action(client, changelist: str, name: str, *pks, **extra):
    """Run an admin list action on the rows `pks`, as the list's form sends it."""
    return client.post(
        reverse(changelist), {"action": name, "_selected_action": list(pks), **extra}
    )


def soon(days: int = 14) -> datetime.datetime:
    start = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
    return start + datetime.timedelta(days=days)


# --- Requests: officer, SKEW's review and acceptance --------------------------------------


def request_form(**overrides) -> dict:
    """What the officer's request form sends."""
    data = {
        "form_token": str(uuid.uuid4()),
        "goals": "Migrantische Akteure in die Eine-Welt-Arbeit einbinden.",
        "need": "Recherche der Akteure und ein Vernetzungstreffen.",
        "contact_name": "Petra Beispiel",
        "contact_email": "petra@eschweiler.example.org",
        "preferred_start": "2027-01-01",
        "preferred_end": "2027-06-30",
        "costs_confirmed": "on",
        "newdept-TOTAL_FORMS": "0",
        "newdept-INITIAL_FORMS": "0",
        "newdept-MIN_NUM_FORMS": "0",
        "newdept-MAX_NUM_FORMS": "10",
        "action": "draft",
    }
    data.update(overrides)
    return data


def test_a_request_goes_from_draft_to_an_engagement(postgres_only, client, log_in):
    eschweiler = MunicipalityFactory(name="Eschweiler", federal_state="NW", confirmed=False)
    pool = PoolFactory(federal_state="NW", name="MiGlobe NRW")
    advisor = AdvisorFactory(user=UserFactory(email="berater@example.org"))
    PoolMembershipFactory(advisor=advisor, pool=pool)
    officer = MunicipalOfficerFactory(
        user=UserFactory(email="petra@eschweiler.example.org", name="Petra Beispiel"),
        municipality=eschweiler,
    )
    draft = ConsultationRequestFactory(
        municipality=eschweiler, created_by=officer.user, costs_confirmed=True
    )
    skew = log_in(Client(), StaffMemberFactory(email="team@example.org", groups=[TEAM]))
    client.force_login(officer.user)

    # SKEW confirms that the officer speaks for Eschweiler (an admin list action).
    with rows_locked() as locked:
        response = action(
            skew, "admin:engagements_municipalofficer_changelist", "confirm", officer.pk
        )
    assert response.status_code == 302
    assert "engagements_municipalofficer" in locked
    officer.refresh_from_db()
    eschweiler.refresh_from_db()
    assert officer.is_confirmed and eschweiler.confirmed
    assert subjects_to(officer.user.email) == [
        "Sie sind als Ansprechperson für Eschweiler bestätigt"
    ]

    # The officer completes the draft and submits it from the form.
    with rows_locked() as locked:
        response = client.post(
            reverse("engagements:request_edit", args=[draft.pk]),
            request_form(action="submit", goals="Die Eine-Welt-Arbeit öffnen."),
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:request_detail", args=[draft.pk])
    assert "engagements_consultationrequest" in locked
    draft.refresh_from_db()
    assert (draft.status, draft.goals) == (RequestStatus.SUBMITTED, "Die Eine-Welt-Arbeit öffnen.")
    assert subjects_to(TEAM_EMAIL) == ["Neue Beratungsanfrage aus Eschweiler"]
    assert "Ihre Anfrage ist eingereicht" in client.get(response["Location"]).text

    # SKEW takes it into review with the button on its page, and lands on the matching.
    with rows_locked() as locked:
        response = skew.post(
            reverse("admin:engagements_consultationrequest_review", args=[draft.pk])
        )
    match = reverse("admin:engagements_consultationrequest_match", args=[draft.pk])
    assert (response.status_code, response["Location"]) == (302, match)
    assert "engagements_consultationrequest" in locked
    draft.refresh_from_db()
    assert draft.status == RequestStatus.IN_REVIEW
    assert skew.get(match).status_code == 200

    # SKEW accepts it with the advisor: the engagement is set up, both sides hear of it.
    with rows_locked() as locked:
        response = skew.post(
            match, {"advisors": [advisor.pk], "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
        )
    engagement = Engagement.objects.get(consultation_request=draft)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:engagements_engagement_change", args=[engagement.pk]
    )
    assert "engagements_consultationrequest" in locked
    draft.refresh_from_db()
    assert draft.status == RequestStatus.ACCEPTED
    assert list(engagement.advisors.all()) == [advisor]
    assert engagement.milestones.count() == 4
    assert subjects_to(officer.user.email)[1:] == ["Ihre Beratungsanfrage ist angenommen"]
    assert subjects_to("berater@example.org") == ["Neuer Beratungseinsatz in Eschweiler"]

    # A second click on "accept" changes nothing and tells nobody again.
    skew.post(match, {"advisors": [advisor.pk], "starts_on": "2027-01-01", "ends_on": "2027-06-30"})
    assert Engagement.objects.count() == 1
    assert len(subjects_to("berater@example.org")) == 1


def test_requests_are_withdrawn_and_declined(postgres_only, client, log_in):
    officer = MunicipalOfficerFactory(
        user=UserFactory(email="petra@hamm.example.org"),
        municipality=MunicipalityFactory(name="Hamm"),
        confirmed_at=timezone.now(),
    )

    def submitted():
        return ConsultationRequestFactory(
            municipality=officer.municipality,
            created_by=officer.user,
            status=RequestStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )

    withdrawn, declined = submitted(), submitted()
    skew = log_in(Client(), StaffMemberFactory(email="team@example.org", groups=[TEAM]))
    client.force_login(officer.user)

    # The officer withdraws one from its page, with a reason.
    with rows_locked() as locked:
        response = client.post(
            reverse("engagements:request_withdraw", args=[withdrawn.pk]),
            {"reason": "Der Rat hat anders entschieden."},
            follow=True,
        )
    assert response.status_code == 200
    assert "Die Anfrage ist zurückgezogen." in response.text
    assert "engagements_consultationrequest" in locked
    withdrawn.refresh_from_db()
    assert withdrawn.status == RequestStatus.WITHDRAWN
    assert subjects_to(TEAM_EMAIL) == ["Beratungsanfrage aus Hamm zurückgezogen"]

    # SKEW takes the other into review from the list, then declines it with a reason.
    with rows_locked() as locked:
        response = action(
            skew, "admin:engagements_consultationrequest_changelist", "start_review", declined.pk
        )
    assert response.status_code == 302
    assert "engagements_consultationrequest" in locked
    declined.refresh_from_db()
    assert declined.status == RequestStatus.IN_REVIEW

    with rows_locked() as locked:
        response = skew.post(
            reverse("admin:engagements_consultationrequest_decline", args=[declined.pk]),
            {"reason": "Für Hamm ist gerade kein Platz im Pool frei."},
        )
    assert response.status_code == 302
    assert "engagements_consultationrequest" in locked
    declined.refresh_from_db()
    assert declined.status == RequestStatus.DECLINED
    assert declined.decline_reason == "Für Hamm ist gerade kein Platz im Pool frei."
    [declined_mail] = [m for m in mail.outbox if m.to == ["petra@hamm.example.org"]]
    assert declined_mail.subject.endswith("Ihre Beratungsanfrage an MiGlobe")
    assert "kein Platz im Pool frei" in declined_mail.body
    assert len(subjects_to(TEAM_EMAIL)) == 1  # SKEW hears of the withdrawal only


# --- Advisors' work: milestones, time, expenses, approval and the report ---------------------


def engagement_with_advisor(pool, **kwargs):
    engagement = EngagementFactory(
        pool=pool,
        starts_on=datetime.date(2019, 10, 1),
        ends_on=datetime.date(2020, 12, 31),
        **kwargs,
    )
    advisor = AdvisorFactory(user=UserFactory(email=f"berater-{engagement.pk}@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    return engagement, advisor


def test_work_is_recorded_approved_and_reported(postgres_only, client, log_in):
    pool = PoolFactory(federal_state="NW", name="MiGlobe NRW")
    FeeRateFactory(pool=pool, valid_from=datetime.date(2013, 1, 1), hourly_rate=Decimal("45.00"))
    engagement, advisor = engagement_with_advisor(
        pool, municipality=MunicipalityFactory(name="Eschweiler")
    )
    milestone = MilestoneFactory(engagement=engagement, due_on=datetime.date(2020, 6, 30))
    finance = log_in(Client(), StaffMemberFactory(email="finanzen@example.org", groups=[FINANCE]))
    client.force_login(advisor.user)

    def time_entry(**overrides):
        return {
            "engagement": engagement.pk,
            "date": "2020-05-04",
            "hours": "3.5",
            "activity": "Gespräch mit dem Integrationsrat",
            "description": "",
            "action": "draft",
            **overrides,
        }

    def expense(**overrides):
        return {
            "engagement": engagement.pk,
            "date": "2020-05-04",
            "category": "travel",
            "amount": "23.40",
            "description": "Bahnfahrt Aachen–Eschweiler",
            "action": "submit",
            **overrides,
        }

    def entry_action(kind, entry, name):
        return client.post(reverse("workspace:entry_action", args=[kind, entry.pk, name]))

    # The advisor marks a milestone done.
    with rows_locked() as locked:
        response = client.post(
            reverse("workspace:milestone_done", args=[engagement.pk, milestone.pk]),
            {"done_on": "2020-06-15", "note": "Liste mit 23 Akteuren übergeben"},
        )
    assert response.status_code == 302
    assert "engagements_milestone" in locked
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2020, 6, 15)

    # Time: a draft, corrected, submitted, taken back, submitted again; a stray draft deleted.
    response = client.post(reverse("workspace:entry_create", args=["time"]), time_entry())
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    with rows_locked() as locked:
        response = client.post(
            reverse("workspace:entry_edit", args=["time", entry.pk]), time_entry(hours="4")
        )
    assert response.status_code == 302
    assert "engagements_timeentry" in locked
    entry.refresh_from_db()
    assert (entry.hours, entry.status) == (Decimal("4.00"), EntryStatus.DRAFT)

    for name, status in [
        ("submit", EntryStatus.SUBMITTED),
        ("withdraw", EntryStatus.DRAFT),
        ("submit", EntryStatus.SUBMITTED),
    ]:
        with rows_locked() as locked:
            response = entry_action("time", entry, name)
        assert response.status_code == 302, name
        assert "engagements_timeentry" in locked, name
        entry.refresh_from_db()
        assert entry.status == status, name

    client.post(reverse("workspace:entry_create", args=["time"]), time_entry(hours="1"))
    stray = TimeEntry.objects.get(hours=Decimal("1"))
    with rows_locked() as locked:
        assert entry_action("time", stray, "delete").status_code == 302
    assert "engagements_timeentry" in locked
    assert list(TimeEntry.objects.all()) == [entry]

    # Expenses: two saved and submitted at once; the second will go back.
    with rows_locked() as locked:
        response = client.post(reverse("workspace:entry_create", args=["expense"]), expense())
    assert response.status_code == 302
    assert "engagements_expense" in locked
    client.post(
        reverse("workspace:entry_create", args=["expense"]),
        expense(amount="99.00", description="Taxi ohne Beleg"),
    )
    travel = Expense.objects.get(amount=Decimal("23.40"))
    taxi = Expense.objects.get(amount=Decimal("99.00"))
    assert travel.status == taxi.status == EntryStatus.SUBMITTED

    # SKEW's finance sends the taxi back and approves the rest, with the list actions.
    with rows_locked() as locked:
        response = action(finance, "admin:engagements_expense_changelist", "send_back", taxi.pk)
    assert response.status_code == 302
    assert "engagements_expense" in locked
    with rows_locked() as locked:
        action(finance, "admin:engagements_timeentry_changelist", "approve", entry.pk)
        action(finance, "admin:engagements_expense_changelist", "approve", travel.pk)
    assert {"engagements_timeentry", "engagements_expense"} <= locked
    for item in (entry, travel, taxi):
        item.refresh_from_db()
    assert (entry.status, travel.status, taxi.status) == (
        EntryStatus.APPROVED,
        EntryStatus.APPROVED,
        EntryStatus.DRAFT,
    )
    assert entry.approved_by.email == "finanzen@example.org"

    # Finance asks for May's report: made in the worker once the request commits, and sent.
    add = reverse("admin:engagements_reimbursementreport_add")
    period = {"pool": pool.pk, "period_start": "2020-05-01", "period_end": "2020-05-31"}
    with rows_locked() as locked:
        response = finance.post(add, period)
    assert response.status_code == 302
    assert {
        "engagements_reimbursementreport",
        "engagements_timeentry",
        "engagements_expense",
    } <= locked
    report = ReimbursementReport.objects.get()
    assert report.status == ReportStatus.SENT
    assert report.requested_by.email == "finanzen@example.org"
    assert report.total == Decimal("180.00") + Decimal("23.40")  # 4 h × 45 € + the journey
    for item in (entry, travel, taxi):
        item.refresh_from_db()
    assert (entry.status, travel.status) == (EntryStatus.REIMBURSED, EntryStatus.REIMBURSED)
    assert entry.report == travel.report == report
    assert (taxi.status, taxi.report) == (EntryStatus.DRAFT, None)
    [sent] = [m for m in mail.outbox if m.to == [REPORT_EMAIL]]
    assert sent.subject.endswith("Erstattungsbericht MiGlobe NRW, 01.05.2020 – 31.05.2020")
    assert sorted(name.rsplit(".", 1)[1] for name, *_rest in sent.attachments) == [
        "csv",
        "pdf",
        "xlsx",
    ]
    listing = finance.get(response["Location"]).text
    assert "im Hintergrund erstellt" in listing

    # Asking again for the same period sends nothing and says so.
    response = finance.post(add, period, follow=True)
    assert "bereits am" in response.text
    assert len(subjects_to(REPORT_EMAIL)) == 1


# --- Reports that fail, and SKEW's corrections of what was reimbursed -----------------------


def correction_form(engagement, **fields) -> dict:
    return {
        "engagement": engagement.pk,
        "date": "2020-03-05",
        "category": "travel",
        "amount": "-10.00",
        "reason": "Bahnfahrt doppelt eingereicht",
        "corrects_time_entry": "",
        "corrects_expense": "",
        **fields,
    }


def test_a_failed_report_is_retried_and_corrections_are_made_in_the_admin(postgres_only, log_in):
    pool = PoolFactory(federal_state="NW", name="MiGlobe NRW")  # no fee rate yet
    hamm, advisor = engagement_with_advisor(pool, municipality=MunicipalityFactory(name="Hamm"))
    approved = {"advisor": advisor, "engagement": hamm, "status": EntryStatus.APPROVED}
    time = TimeEntryFactory(date=datetime.date(2020, 2, 10), hours=Decimal("2.00"), **approved)
    ExpenseFactory(date=datetime.date(2020, 2, 11), amount=Decimal("20.00"), **approved)
    finance = log_in(Client(), StaffMemberFactory(email="finanzen@example.org", groups=[FINANCE]))
    superuser = log_in(Client(), StaffFactory(email="chefin@example.org"))
    add_report = reverse("admin:engagements_reimbursementreport_add")
    february = {"pool": pool.pk, "period_start": "2020-02-01", "period_end": "2020-02-29"}

    # Without a fee rate the worker cannot make the report: it is marked failed, with why.
    with rows_locked() as locked:
        response = finance.post(add_report, february)
    assert response.status_code == 302
    assert "engagements_reimbursementreport" in locked
    report = ReimbursementReport.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "kein Honorarsatz" in report.error
    time.refresh_from_db()
    assert (time.status, time.report) == (EntryStatus.APPROVED, None)  # nothing half-done
    assert subjects_to(REPORT_EMAIL) == []

    # With the rate recorded, asking again makes and sends it.
    FeeRateFactory(pool=pool, valid_from=datetime.date(2013, 1, 1), hourly_rate=Decimal("45.00"))
    with rows_locked() as locked:
        finance.post(add_report, february)
    assert {"engagements_reimbursementreport", "engagements_timeentry"} <= locked
    report.refresh_from_db()
    assert (report.status, report.error, report.total) == (
        ReportStatus.SENT,
        "",
        Decimal("110.00"),
    )
    assert len(subjects_to(REPORT_EMAIL)) == 1

    # Finance claims money back: the engagement's row is locked while the limit is checked.
    add_correction = reverse("admin:engagements_costcorrection_add")
    with rows_locked() as locked:
        response = finance.post(add_correction, correction_form(hamm, amount="-30.00"))
    assert response.status_code == 302
    assert "engagements_engagement" in locked
    response = finance.post(add_correction, correction_form(hamm, amount="-100.00"))
    assert response.status_code == 200
    assert "80,00 € erstattet" in response.text  # 110.00 paid, 30.00 claimed already
    for amount in ("-5.00", "-6.00"):
        assert finance.post(add_correction, correction_form(hamm, amount=amount)).status_code == 302
    claim, second, third = CostCorrection.objects.order_by("pk")
    assert claim.created_by.email == "finanzen@example.org"

    # A superuser corrects the claim, deletes one on its page and one from the list.
    with rows_locked() as locked:
        response = superuser.post(
            reverse("admin:engagements_costcorrection_change", args=[claim.pk]),
            correction_form(hamm, amount="-25.00"),
        )
    assert response.status_code == 302
    assert "engagements_costcorrection" in locked
    claim.refresh_from_db()
    assert claim.amount == Decimal("-25.00")

    with rows_locked() as locked:
        response = superuser.post(
            reverse("admin:engagements_costcorrection_delete", args=[second.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert "engagements_costcorrection" in locked

    with rows_locked() as locked:
        response = action(
            superuser,
            "admin:engagements_costcorrection_changelist",
            "delete_selected",
            third.pk,
            post="yes",
        )
    assert response.status_code == 302
    assert "engagements_costcorrection" in locked
    assert list(CostCorrection.objects.all()) == [claim]

    # The next report takes the claim (the worker's task, called as the worker calls it).
    with rows_locked() as locked:
        march = generate_report(pool_id=pool.pk, period_start="2020-03-01", period_end="2020-03-31")
    assert {"engagements_reimbursementreport", "engagements_costcorrection"} <= locked
    claim.refresh_from_db()
    assert claim.report_id == march
    assert ReimbursementReport.objects.get(pk=march).total == Decimal("-25.00")
    assert len(subjects_to(REPORT_EMAIL)) == 2
    # Once reported, it stays as it was reported.
    response = superuser.post(
        reverse("admin:engagements_costcorrection_change", args=[claim.pk]),
        correction_form(hamm, amount="-1.00"),
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.amount == Decimal("-25.00")


# --- The directory: suggestions moderated, consent withdrawn ---------------------------------


def test_suggestions_are_moderated_and_consent_withdrawn(postgres_only, client, log_in):
    wording = ConsentWordingFactory()
    bonn = MunicipalityFactory(name="Bonn")
    new = OrganisationSuggestionFactory(
        name="Ghanaischer Kulturverein Bonn e. V.",
        municipality=bonn,
        wording=wording,
        submitter_email="ama@example.org",
        consent_given_at=timezone.now(),
    )
    known = OrganisationFactory(name="Senegalesischer Verein Köln", description="Alt.")
    known_consent = PublicationConsentFactory(organisation=known, wording=wording)
    correction = OrganisationSuggestionFactory(
        name="Senegalesischer Verein Köln",
        organisation=known,
        municipality=known.municipality,
        description="Neu: auch Fairer Handel.",
        wording=wording,
        submitter_email="moussa@example.org",
        consent_given_at=timezone.now(),
    )
    unfit = OrganisationSuggestionFactory(
        wording=wording, submitter_email="x@example.org", consent_given_at=timezone.now()
    )
    skew = log_in(Client(), StaffMemberFactory(email="team@example.org", groups=[TEAM]))
    changelist = "admin:actors_organisationsuggestion_changelist"

    # SKEW approves a new entry and a correction of a published one in one go.
    with rows_locked() as locked:
        response = action(skew, changelist, "approve", new.pk, correction.pk)
    assert response.status_code == 302
    assert {
        "actors_organisationsuggestion",
        "actors_organisation",
        "actors_publicationconsent",
    } <= locked
    published = Organisation.objects.get(name="Ghanaischer Kulturverein Bonn e. V.")
    known.refresh_from_db()
    assert set(organisations_published()) == {published, known}
    assert known.description == "Neu: auch Fairer Handel."
    assert list(known.consents.all()) == [known_consent]  # its own consent is kept
    new.refresh_from_db()
    assert (new.status, new.decided_by.email) == (SuggestionStatus.APPROVED, "team@example.org")
    assert subjects_to("ama@example.org") == [
        "„Ghanaischer Kulturverein Bonn e. V.“ ist jetzt im MiGlobe-Verzeichnis"
    ]
    assert len(subjects_to("moussa@example.org")) == 1

    # And rejects the third, with a reason the submitter reads.
    with rows_locked() as locked:
        response = action(
            skew, changelist, "reject", unfit.pk, confirm="yes", reason="Nicht im Themenfeld."
        )
    assert response.status_code == 302
    assert "actors_organisationsuggestion" in locked
    unfit.refresh_from_db()
    assert unfit.status == SuggestionStatus.REJECTED
    [rejected] = [m for m in mail.outbox if m.to == ["x@example.org"]]
    assert "Nicht im Themenfeld." in rejected.body

    # The new organisation withdraws its consent with the link from its email.
    [approved_mail] = [m for m in mail.outbox if m.to == ["ama@example.org"]]
    link = re.search(r"https?://[^/\s]+(/organisations/consent/\S+/withdraw/)", approved_mail.body)
    with rows_locked() as locked:
        response = client.post(link.group(1))
    assert response.status_code == 200
    assert "Ihre Einwilligung ist widerrufen" in response.text
    assert "actors_publicationconsent" in locked
    assert client.get(published.get_absolute_url()).status_code == 404
    assert subjects_to(TEAM_EMAIL) == [
        "Einwilligung widerrufen: Ghanaischer Kulturverein Bonn e. V."
    ]
    client.post(link.group(1))  # the link used twice: SKEW hears of it once
    assert len(subjects_to(TEAM_EMAIL)) == 1

    # SKEW withdraws the other organisation's consent for it, from the organisations' list.
    with rows_locked() as locked:
        response = action(
            skew, "admin:actors_organisation_changelist", "withdraw_organisation_consent", known.pk
        )
    assert response.status_code == 302
    assert "actors_publicationconsent" in locked
    assert PublicationConsent.objects.active().count() == 0
    assert not organisations_published().exists()
    assert len(subjects_to(TEAM_EMAIL)) == 1  # SKEW did it itself


# --- Events: registration, waiting list, more places, check-in -------------------------------


def test_an_event_fills_up_moves_its_waiting_list_and_checks_people_in(
    postgres_only, client, log_in
):
    duisburg = MunicipalityFactory(name="Duisburg")
    starts_at = soon()
    meeting = EventFactory(
        title="Vernetzungstreffen Duisburg",
        municipality=duisburg,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        capacity=1,
    )
    skew = log_in(Client(), StaffMemberFactory(email="team@example.org", groups=[TEAM]))

    def link(address: str, kind: str) -> str:
        body = [m for m in mail.outbox if m.to == [address]][-1].body
        return re.search(rf"https?://[^/\s]+(/events/{kind}/[^/\s]+/)", body).group(1)

    def register(address: str, **extra):
        return client.post(
            f"/events/{meeting.pk}/register/",
            {
                "name": address.split("@")[0].title(),
                "email": address,
                "category": "migrant_org",
                "organisation_name": "Senegalesischer Kulturkreis",
                "needs": "",
                **extra,
            },
        )

    def registration(address: str) -> Registration:
        return Registration.objects.get(event=meeting, email=address)

    # Three people register and confirm their address; one place, two on the waiting list.
    people = ["eins@example.org", "zwei@example.org", "drei@example.org"]
    for address in people:
        assert register(address).status_code == 302
        with rows_locked() as locked:
            response = client.post(link(address, "confirm"))
        assert response.status_code == 200
        assert {"events_event", "events_registration"} <= locked
    assert [registration(a).status for a in people] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    title = "„Vernetzungstreffen Duisburg“"
    assert subjects_to("eins@example.org") == [
        f"Bitte bestätigen: Ihre Anmeldung zu {title}",
        f"Ihre Anmeldung zu {title} ist bestätigt",
    ]
    assert subjects_to("zwei@example.org")[-1] == f"Warteliste: {title}"

    # Registering again with a known address changes nothing and says so by email.
    with rows_locked() as locked:
        response = register("eins@example.org", name="Jemand anderes")
    assert response.status_code == 302
    assert "events_registration" in locked
    assert registration("eins@example.org").name == "Eins"
    assert subjects_to("eins@example.org")[-1] == f"Sie sind bereits angemeldet: {title}"

    # The first cancels with the link: the first on the waiting list gets the place.
    with rows_locked() as locked:
        response = client.post(link("eins@example.org", "cancel"))
    assert response.status_code == 200
    assert {"events_event", "events_registration"} <= locked
    assert [registration(a).status for a in people] == [
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert subjects_to("eins@example.org")[-1] == f"Storniert: Ihre Anmeldung zu {title}"
    assert subjects_to("zwei@example.org")[-1] == f"Ein Platz ist frei geworden: {title}"
    assert len(subjects_to("zwei@example.org")) == 3  # confirm link, waiting list, place

    # SKEW raises the capacity in the admin: the next one moves up and is told.
    local_start = timezone.localtime(meeting.starts_at)
    local_end = timezone.localtime(meeting.ends_at)
    with rows_locked() as locked:
        response = skew.post(
            reverse("admin:events_event_change", args=[meeting.pk]),
            {
                "title": meeting.title,
                "kind": meeting.kind,
                "municipality": duisburg.pk,
                "venue": meeting.venue,
                "starts_at_0": local_start.date().isoformat(),
                "starts_at_1": local_start.strftime("%H:%M:%S"),
                "ends_at_0": local_end.date().isoformat(),
                "ends_at_1": local_end.strftime("%H:%M:%S"),
                "capacity": "2",
                "is_public": "on",
                "sessions-TOTAL_FORMS": "0",
                "sessions-INITIAL_FORMS": "0",
                "sessions-MIN_NUM_FORMS": "0",
                "sessions-MAX_NUM_FORMS": "1000",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert any("von der Warteliste nachgerückt" in str(m) for m in response.context["messages"])
    assert {"events_event", "events_registration"} <= locked
    assert registration("drei@example.org").status == RegistrationStatus.CONFIRMED
    assert subjects_to("drei@example.org")[-1] == f"Ein Platz ist frei geworden: {title}"
    assert len(subjects_to("drei@example.org")) == 3

    # At the door SKEW checks the second in, taps wrongly on undo, and checks in again.
    zwei = registration("zwei@example.org")
    check_in = reverse("events:check_in", args=[meeting.pk, zwei.pk])
    with rows_locked() as locked:
        response = skew.post(check_in, follow=True)
    assert "Zwei ist eingecheckt." in response.text
    assert "events_registration" in locked
    zwei.refresh_from_db()
    assert zwei.attended and zwei.checked_in_by.email == "team@example.org"
    with rows_locked() as locked:
        response = skew.post(
            reverse("events:undo_check_in", args=[meeting.pk, zwei.pk]), follow=True
        )
    assert "Check-in von Zwei zurückgenommen." in response.text
    assert "events_registration" in locked
    zwei.refresh_from_db()
    assert not zwei.attended and zwei.checked_in_at is None
    skew.post(check_in)
    zwei.refresh_from_db()
    assert zwei.attended
