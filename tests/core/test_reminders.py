"""Deadline reminders: each window on a controlled clock, one digest a day, never twice."""

import smtplib
import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from core import outbox, reminders, tasks, workdays
from core.models import EmailStatus, OutboxEmail, ReminderLog
from engagements.enums import EngagementStatus, EntryStatus, RequestStatus
from events.enums import RegistrationStatus
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import StaffFactory, UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    MilestoneFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
    TimeEntryFactory,
)
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

DUE = date(2027, 3, 15)  # a Monday


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run a sweep on a given day, with its digests sent as they would be after commit."""

    def run(today: date) -> list:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.sweep(today)
        return mail.outbox[before:]

    return run


@pytest.fixture
def eschweiler():
    return MunicipalityFactory(name="Eschweiler", federal_state="NW")


@pytest.fixture
def engagement(eschweiler):
    return EngagementFactory(
        municipality=eschweiler, status=EngagementStatus.ACTIVE, title="Einsatz Eschweiler"
    )


@pytest.fixture
def advisor(engagement):
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org", name="Mamadou Beispiel"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
    return advisor


@pytest.fixture
def officer(eschweiler):
    return MunicipalOfficerFactory(
        municipality=eschweiler,
        user=UserFactory(email="officer@eschweiler.example.org"),
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def milestone(engagement, advisor, officer):
    return MilestoneFactory(engagement=engagement, title="Abschlussbericht", due_on=DUE)


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


# --- the windows --------------------------------------------------------------------------


def test_fourteen_days_ahead_advisor_and_confirmed_officer_hear_once(sweep, milestone):
    MunicipalOfficerFactory(municipality=milestone.engagement.municipality, confirmed_at=None)
    assert sweep(DUE - timedelta(days=15)) == []
    sent = sweep(DUE - timedelta(days=14))
    assert recipients(sent) == ["advisor@example.org", "officer@eschweiler.example.org"]
    assert "Abschlussbericht" in sent[0].body and "15. März 2027" in sent[0].body
    # The next days of the same window send nothing.
    for days_left in range(13, 3, -1):
        assert sweep(DUE - timedelta(days=days_left)) == []


def test_three_days_ahead_and_on_the_day(sweep, milestone):
    sweep(DUE - timedelta(days=14))
    three = sweep(DUE - timedelta(days=3))
    assert len(three) == 2 and "in 3 Tagen fällig" in three[0].body
    assert sweep(DUE - timedelta(days=2)) == []
    today = sweep(DUE)
    assert len(today) == 2 and "heute fällig" in today[0].body
    assert sweep(DUE) == []


def test_a_missed_day_is_caught_up_without_doubles(sweep, milestone):
    # Beat was down on day -14: day -12 still announces the 14-day window, once.
    assert len(sweep(DUE - timedelta(days=12))) == 2
    assert sweep(DUE - timedelta(days=11)) == []


def test_overdue_milestones_are_recalled_weekly_until_done(sweep, milestone):
    sweep(DUE)
    first = sweep(DUE + timedelta(days=1))
    assert len(first) == 2 and "überfällig" in first[0].body
    for day in range(2, 8):
        assert sweep(DUE + timedelta(days=day)) == []
    assert len(sweep(DUE + timedelta(days=8))) == 2
    milestone.done_on = DUE + timedelta(days=9)
    milestone.save()
    assert sweep(DUE + timedelta(days=15)) == []


def test_finished_engagements_and_done_milestones_are_quiet(sweep, milestone, engagement):
    engagement.status = EngagementStatus.COMPLETED
    engagement.save()
    assert sweep(DUE) == []


def test_one_digest_per_person_in_their_language_with_links(sweep, milestone, engagement):
    MilestoneFactory(engagement=engagement, title="Vernetzungstreffen", due_on=DUE)
    english = milestone.engagement.assignments.get().advisor.user
    english.language = "en"
    english.save()
    sent = sweep(DUE)
    by_address = {message.to[0]: message for message in sent}
    assert len(sent) == 2
    advisor_mail = by_address["advisor@example.org"]
    assert "Abschlussbericht" in advisor_mail.body and "Vernetzungstreffen" in advisor_mail.body
    assert advisor_mail.subject.endswith("2 reminders")
    assert "due today" in advisor_mail.body
    assert f"/advisor/engagements/{engagement.pk}/" in advisor_mail.body
    html = advisor_mail.alternatives[0][0]
    assert f'href="http://testserver/advisor/engagements/{engagement.pk}/"' in html or (
        f"/advisor/engagements/{engagement.pk}/" in html
    )
    officer_mail = by_address["officer@eschweiler.example.org"]
    assert officer_mail.subject.endswith("2 Erinnerungen")


# --- requests, drafts, events -------------------------------------------------------------


def submitted_on(day: date, municipality):
    moment = timezone.make_aware(datetime.combine(day, time(10)))
    return ConsultationRequestFactory(
        municipality=municipality, status=RequestStatus.SUBMITTED, submitted_at=moment
    )


def test_requests_unreviewed_for_five_working_days_go_to_skew_staff(sweep, eschweiler):
    StaffFactory(email="skew@example.org")
    UserFactory(email="not-staff@example.org")
    submitted_on(date(2027, 3, 1), eschweiler)  # Monday: due the next Monday
    assert sweep(date(2027, 3, 5)) == []
    sent = sweep(date(2027, 3, 8))
    assert recipients(sent) == ["skew@example.org"]
    assert "Eschweiler" in sent[0].body
    assert sweep(date(2027, 3, 9)) == []


def test_working_days_skip_the_states_public_holidays(sweep, eschweiler):
    StaffFactory(email="skew@example.org")
    # Submitted Wednesday 23 Dec 2026: 24 Dec counts, 25/26 are holidays, then the weekend.
    submitted_on(date(2026, 12, 23), eschweiler)
    assert workdays.add_working_days(date(2026, 12, 23), 5, state="NW") == date(2026, 12, 31)
    assert sweep(date(2026, 12, 30)) == []
    assert recipients(sweep(date(2026, 12, 31))) == ["skew@example.org"]


def test_advisors_with_drafts_hear_on_the_months_last_working_day(sweep, engagement, advisor):
    TimeEntryFactory(
        engagement=engagement, advisor=advisor, date=date(2027, 4, 20), status=EntryStatus.DRAFT
    )
    assert workdays.last_working_day_of_month(date(2027, 4, 3)) == date(2027, 4, 30)
    assert sweep(date(2027, 4, 29)) == []
    sent = sweep(date(2027, 4, 30))
    assert recipients(sent) == ["advisor@example.org"]
    assert "Entwürfe zum Monatsende" in sent[0].body
    assert sweep(date(2027, 4, 30)) == []


def test_registrants_hear_the_day_before_an_event(sweep, eschweiler):
    start = timezone.make_aware(datetime(2027, 5, 7, 15))
    event = EventFactory(
        municipality=eschweiler, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    RegistrationFactory(event=event, email="kommt@example.org", status=RegistrationStatus.CONFIRMED)
    RegistrationFactory(
        event=event, email="wartet@example.org", status=RegistrationStatus.WAITLISTED
    )
    assert sweep(date(2027, 5, 5)) == []
    sent = sweep(date(2027, 5, 6))
    assert recipients(sent) == ["kommt@example.org"]
    assert event.title in sent[0].body and "/events/cancel/" in sent[0].body


# --- never twice --------------------------------------------------------------------------


def test_every_sent_reminder_is_logged_once(sweep, milestone):
    sweep(DUE)
    sweep(DUE)
    logs = ReminderLog.objects.select_related("email")
    assert logs.count() == 2
    assert all(log.email.status == EmailStatus.SENT for log in logs)


def test_a_sweep_that_failed_halfway_claims_nothing_and_the_retry_sends_all(
    sweep, milestone, monkeypatch
):
    enqueue_many = reminders.enqueue_many

    def database_gone(messages):
        raise ConnectionError("database went away")

    monkeypatch.setattr(reminders, "enqueue_many", database_gone)
    with pytest.raises(ConnectionError):
        sweep(DUE)
    # Claims and digests are one transaction: nothing claimed without its email.
    assert ReminderLog.objects.count() == 0
    assert mail.outbox == []
    monkeypatch.setattr(reminders, "enqueue_many", enqueue_many)
    retried = sweep(DUE)  # the retry
    assert recipients(retried) == ["advisor@example.org", "officer@eschweiler.example.org"]
    assert sweep(DUE) == []  # and never again


class FlakySMTP(EmailBackend):
    """A mail server that refuses the next `failures` messages."""

    failures = 0

    def send_messages(self, messages):
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)


def test_an_smtp_failure_is_retried_later_and_the_digest_sent_once(
    milestone, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.failures = 1
    with django_capture_on_commit_callbacks() as queued:
        tasks.sweep(DUE)
    assert len(queued) == 2  # one digest per person, written, not yet sent
    digest = OutboxEmail.objects.get(to=["advisor@example.org"])
    assert digest.status == EmailStatus.QUEUED
    assert ReminderLog.objects.filter(email=digest).count() == 1

    with pytest.raises(outbox.ServerDown):  # the mail server hung up
        outbox.deliver(digest.pk)
    digest.refresh_from_db()
    assert digest.status == EmailStatus.QUEUED and digest.attempts == 1
    assert "SMTPServerDisconnected" in digest.last_error
    assert not mail.outbox
    # The officer's goes out; the advisor's waits for its pause, then goes out once,
    # however often the outbox is flushed.
    assert outbox.flush(now=timezone.now()) == 1
    assert recipients(mail.outbox) == ["officer@eschweiler.example.org"]
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.flush(now=later) == 1
    assert outbox.flush(now=later) == 0
    assert recipients(mail.outbox) == ["advisor@example.org", "officer@eschweiler.example.org"]
    digest.refresh_from_db()
    assert digest.status == EmailStatus.SENT and digest.attempts == 2


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_the_same_moment_send_each_reminder_once(postgres_only, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    town = MunicipalityFactory(federal_state="NW")
    people = []
    for i in range(4):
        engagement = EngagementFactory(municipality=town, status=EngagementStatus.ACTIVE)
        advisor = AdvisorFactory(user=UserFactory(email=f"berater{i}@example.org"))
        EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
        MilestoneFactory(engagement=engagement, due_on=DUE)
        MilestoneFactory(engagement=engagement, due_on=DUE + timedelta(days=2))
        people.append(advisor.user.email)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            tasks.sweep(DUE)  # outside a test transaction: on_commit sends at once
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(recipients(mail.outbox)) == sorted(people)  # one digest each
    assert ReminderLog.objects.count() == 8
    assert ReminderLog.objects.exclude(email__status=EmailStatus.SENT).count() == 0


# --- scale --------------------------------------------------------------------------------


def test_a_sweep_costs_the_same_queries_however_many_reminders_and_people(milestone, count_queries):
    day = DUE - timedelta(days=14)
    few = count_queries(lambda: reminders.sweep(today=day))
    assert OutboxEmail.objects.count() == 2  # the advisor and the officer

    for n in range(6):
        town = MunicipalityFactory(name=f"Stadt {n}", federal_state="NW")
        engagement = EngagementFactory(municipality=town, status=EngagementStatus.ACTIVE)
        EngagementAdvisorFactory(engagement=engagement, advisor=AdvisorFactory(), slot=1)
        MunicipalOfficerFactory(municipality=town, confirmed_at=timezone.now())
        for title in ("Zwischenbericht", "Abschlussbericht"):
            MilestoneFactory(engagement=engagement, title=title, due_on=DUE)
    many = count_queries(lambda: reminders.sweep(today=day))

    assert OutboxEmail.objects.count() == 2 + 12  # one digest each for 12 more people
    assert ReminderLog.objects.count() == 2 + 24
    assert ReminderLog.objects.filter(email__isnull=True).count() == 0
    assert many == few
