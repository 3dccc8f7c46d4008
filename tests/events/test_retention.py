"""Personal data goes when its retention period ends; the figures stay."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.enums import SuggestionStatus
from actors.models import OrganisationSuggestion
from core.models import ReminderLog
from core.retention import forget_old_personal_data
from core.tasks import forget_old_personal_data as forget_task
from engagements.enums import RequestStatus
from events.models import Registration
from tests.actors.factories import OrganisationSuggestionFactory
from tests.core.factories import ReminderLogFactory
from tests.events.factories import EventFactory, EventSessionFactory
from tests.events.test_organisers import attended, confirmed

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 30, 4, 0))


@pytest.fixture(autouse=True)
def _one_year(settings):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = 365


def event_ended(days_ago: int, **kwargs):
    ends_at = NOW - datetime.timedelta(days=days_ago)
    return EventFactory(starts_at=ends_at - datetime.timedelta(hours=4), ends_at=ends_at, **kwargs)


def attendance_csv(client, event) -> list[list[str]]:
    response = client.get(reverse("events:attendance_csv", args=[event.pk]))
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_registrations_of_old_events_are_anonymised_and_the_figures_stay(
    client, advisor, engagement
):
    old = event_ended(400, engagement=engagement, municipality=engagement.municipality)
    workshop = EventSessionFactory(event=old, title="Fairer Handel")
    attended(
        old,
        name="Amara Diallo",
        email="amara@example.org",
        needs="Rollstuhl",
        organisation_name="Ghana Union",
    ).sessions.add(workshop)
    confirmed(old, name="Kofi Muster", email="kofi@example.org", listed=True)
    recent = event_ended(300)
    keep = confirmed(recent, name="Lina Beispiel", email="lina@example.org")
    client.force_login(advisor.user)
    figures = attendance_csv(client, old)

    counts = forget_old_personal_data(now=NOW)

    assert counts["registrations"] == 2
    for registration in Registration.objects.filter(event=old):
        assert registration.name == "" and registration.needs == ""
        assert registration.email.endswith("@example.invalid")
        assert not registration.listed and registration.anonymised_at == NOW
    keep.refresh_from_db()
    assert (keep.name, keep.email, keep.anonymised_at) == (
        "Lina Beispiel",
        "lina@example.org",
        None,
    )
    assert attendance_csv(client, old) == figures  # by category, organisation and workshop
    page = client.get(reverse("events:participants", args=[old.pk])).content.decode()
    assert "anonymisiert" in page
    assert "Amara Diallo" not in page and "amara@example.org" not in page


def test_a_second_run_changes_nothing(engagement):
    old = event_ended(400)
    confirmed(old, name="Amara Diallo")
    forget_old_personal_data(now=NOW)
    first = list(Registration.objects.values_list("email", "anonymised_at"))

    assert forget_old_personal_data(now=NOW + datetime.timedelta(days=1))["registrations"] == 0
    assert list(Registration.objects.values_list("email", "anonymised_at")) == first


def test_old_reminders_and_rejected_suggestions_go_pending_ones_stay():
    today = timezone.localdate(NOW)
    ReminderLogFactory(recipient="alt@example.org", due_on=today - datetime.timedelta(days=400))
    recent = ReminderLogFactory(recipient="neu@example.org", due_on=today)
    decided = NOW - datetime.timedelta(days=400)
    OrganisationSuggestionFactory(status=SuggestionStatus.REJECTED, decided_at=decided)
    waiting = OrganisationSuggestionFactory(status=SuggestionStatus.PENDING)
    approved = OrganisationSuggestionFactory(status=SuggestionStatus.APPROVED, decided_at=decided)

    counts = forget_old_personal_data(now=NOW)

    assert (counts["reminders"], counts["suggestions"]) == (1, 1)
    assert list(ReminderLog.objects.all()) == [recent]
    assert set(OrganisationSuggestion.objects.all()) == {waiting, approved}


def test_the_daily_task_uses_the_configured_period(settings):
    settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS = 30
    event = event_ended(40)
    confirmed(event, name="Amara Diallo")
    event.ends_at = timezone.now() - datetime.timedelta(days=40)
    event.save()

    assert forget_task.delay().get()["registrations"] == 1
    assert Registration.objects.get().name == ""


def test_anonymised_registrations_leave_no_trace_in_exports_lists_or_the_admin_log(
    client, advisor, engagement, staff
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from pypdf import PdfReader

    old = event_ended(400, engagement=engagement, municipality=engagement.municipality)
    person = confirmed(
        old,
        name="Amara Diallo",
        email="amara@example.org",
        category="private",
        organisation_name="Amara Diallo",
    )
    association = confirmed(
        old, name="Kofi Muster", email="kofi@example.org", organisation_name="Ghana Union"
    )
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Registration),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
    )

    forget_old_personal_data(now=NOW)

    person.refresh_from_db()
    association.refresh_from_db()
    assert person.organisation_name == ""  # a private person's "organisation" may be them
    assert association.organisation_name == "Ghana Union"  # an organisation is no person
    assert LogEntry.objects.get().object_repr == "anonymisierte Anmeldung"
    client.force_login(advisor.user)
    exported = client.get(reverse("events:participants_csv", args=[old.pk])).content.decode()
    pdf = client.get(reverse("events:signin_pdf", args=[old.pk])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    checkin = client.get(reverse("events:checkin", args=[old.pk])).content.decode()
    for shown in (exported, text, checkin):
        assert "Amara" not in shown and "Kofi" not in shown
        assert "amara@example.org" not in shown and "example.invalid" not in shown
        assert "anonymisiert" in shown
    client.force_login(staff)
    change = reverse("admin:events_registration_change", args=[person.pk])
    assert client.post(change, {"name": "Wieder da"}).status_code == 403


def test_a_request_still_waiting_is_not_reminded_again_after_a_year(
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from core.tasks import sweep
    from tests.core.factories import StaffFactory
    from tests.engagements.factories import ConsultationRequestFactory

    StaffFactory(email="skew@example.org")
    ConsultationRequestFactory(
        status=RequestStatus.SUBMITTED, submitted_at=NOW - datetime.timedelta(days=420)
    )
    today = timezone.localdate(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(today)
    sent = len(mail.outbox)
    assert sent == 1

    forget_old_personal_data(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(today + datetime.timedelta(days=1))

    assert len(mail.outbox) == sent  # its reminder was sent once, and stays sent


def test_a_deactivated_advisor_loses_the_calendar(client, advisor):
    from workspace.calendar import feed_token

    url = reverse("workspace:calendar_feed", args=[feed_token(advisor)])
    assert client.get(url).status_code == 200
    advisor.user.is_active = False
    advisor.user.save()
    assert client.get(url).status_code == 404


def test_an_anonymised_attendance_stays_as_it_was(client, advisor, engagement):
    old = event_ended(400, engagement=engagement, municipality=engagement.municipality)
    person = attended(old, name="Amara Diallo")
    forget_old_personal_data(now=NOW)
    client.force_login(advisor.user)

    response = client.post(reverse("events:undo_check_in", args=[old.pk, person.pk]), follow=True)

    assert "ist anonymisiert" in response.content.decode()
    person.refresh_from_db()
    assert person.attended
