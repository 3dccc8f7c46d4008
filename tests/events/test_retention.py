"""Personal data goes when its retention period ends; the figures stay."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import OrganisationSuggestion
from events.models import Registration
from miglobe.models import ReminderLog
from miglobe.retention import forget_old_personal_data
from miglobe.tasks import forget_old_personal_data as forget_task
from tests.actors.factories import OrganisationSuggestionFactory
from tests.events.factories import EventFactory, EventSessionFactory
from tests.events.test_organisers import attended, confirmed
from tests.miglobe.factories import ReminderLogFactory

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
    OrganisationSuggestionFactory(status="rejected", decided_at=decided)
    waiting = OrganisationSuggestionFactory(status="pending")
    approved = OrganisationSuggestionFactory(status="approved", decided_at=decided)

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
