"""The public side of events: list, programme, registration, confirmation, waiting list, feeds."""

import re
import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.enums import RegistrationStatus
from events.models import Registration
from events.services import (
    RegistrationData,
    registration_confirm,
    registration_create,
)
from tests.engagements.factories import MunicipalityFactory
from tests.events.factories import EventFactory, EventSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.MIGLOBE_REGISTRATION_RATE = "1000/h"


@pytest.fixture
def emails(django_capture_on_commit_callbacks, client):
    """The outbox, with each request's on-commit callbacks (the email tasks) run after it."""
    generic = client.generic

    def request_then_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return generic(*args, **kwargs)

    client.generic = request_then_commit
    return mail.outbox


def soon(days=14, hour=15):
    start = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start + timedelta(days=days)


@pytest.fixture
def duisburg():
    return MunicipalityFactory(name="Duisburg", federal_state="NW")


@pytest.fixture
def meeting(duisburg):
    return EventFactory(
        title="Vernetzungstreffen Duisburg",
        municipality=duisburg,
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=3),
        capacity=2,
        venue="Rathaus Duisburg",
        accessibility="Stufenloser Zugang über den Seiteneingang.",
    )


def form(**overrides):
    data = {
        "name": "Aminata Beispiel",
        "email": "aminata@example.org",
        "category": "migrant_org",
        "organisation_name": "Senegalesischer Kulturkreis",
        "needs": "",
    }
    data.update(overrides)
    return data


def link(message, kind: str) -> str:
    return re.search(rf"https?://[^/\s]+(/events/{kind}/[^/\s]+/)", message.body).group(1)


def register_and_confirm(client, event, emails, **overrides) -> Registration:
    client.post(f"/events/{event.pk}/register/", form(**overrides))
    client.post(link(emails[-1], "confirm"))
    return Registration.objects.get(event=event, email=form(**overrides)["email"])


# --- list and programme ------------------------------------------------------------------


def test_list_shows_upcoming_public_events_and_past_ones_on_a_second_tab(client, meeting):
    EventFactory(title="Internes Planungstreffen", is_public=False, starts_at=soon(3))
    EventFactory(title="Auftakt 2018")  # the factory's default date lies in the past
    upcoming = client.get("/events/").content.decode()
    assert "Vernetzungstreffen Duisburg" in upcoming
    assert "Auftakt 2018" not in upcoming
    assert "Internes Planungstreffen" not in upcoming
    past = client.get("/events/?when=past").content.decode()
    assert "Auftakt 2018" in past and "Vernetzungstreffen Duisburg" not in past


def test_list_filters_by_municipality_and_kind(client, meeting):
    hamm = MunicipalityFactory(name="Hamm")
    EventFactory(
        title="Info Hamm", municipality=hamm, kind="information_meeting", starts_at=soon(5)
    )
    by_town = client.get(f"/events/?municipality={hamm.pk}").content.decode()
    assert "Info Hamm" in by_town and "Vernetzungstreffen Duisburg" not in by_town
    by_kind = client.get("/events/?kind=network_meeting").content.decode()
    assert "Vernetzungstreffen Duisburg" in by_kind and "Info Hamm" not in by_kind
    assert client.get("/events/?kind=galactic&municipality=abc").status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_list_runs_the_same_queries_for_1_and_20_events(client, count, duisburg):
    for i in range(count):
        event = EventFactory(municipality=duisburg, starts_at=soon(i + 1), capacity=10)
        RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/events/").status_code == 200
    assert len(queries) <= 4, [q["sql"] for q in queries]


def test_detail_shows_programme_venue_accessibility_and_places_left(client, meeting):
    EventSessionFactory(event=meeting, title="Workshop Fairer Handel", speakers="Dr. Kofi Muster")
    RegistrationFactory(event=meeting, status=RegistrationStatus.CONFIRMED)
    RegistrationFactory(event=meeting, status=RegistrationStatus.PENDING)
    page = client.get(f"/events/{meeting.pk}/").content.decode()
    assert "Workshop Fairer Handel" in page and "Dr. Kofi Muster" in page
    assert "Stufenloser Zugang" in page
    assert "2 Plätze, noch 1 frei" in page


@pytest.mark.parametrize("language, word", [("de", " Uhr"), ("en", "")])
def test_times_of_day_are_written_as_the_language_writes_them(client, meeting, language, word):
    # German writes "16:00 – 19:00 Uhr"; English has no word after the time.
    start = f"{timezone.localtime(meeting.starts_at):%H:%M}"
    end = f"{timezone.localtime(meeting.ends_at):%H:%M}"
    client.cookies["django_language"] = language

    page = client.get(f"/events/{meeting.pk}/").content.decode()
    listed = client.get("/events/").content.decode()

    shown = re.sub(r"<[^>]+>", "", re.search(r"<dd><time.*?</dd>", page).group(0))
    assert shown.endswith(f", {start} – {end}{word}"), shown
    assert f", {start}{word}</time>" in listed
    assert ("Uhr" in page + listed) == (language == "de")


def test_a_non_public_event_answers_404(client):
    hidden = EventFactory(is_public=False, starts_at=soon())
    assert client.get(f"/events/{hidden.pk}/").status_code == 404
    assert client.get(f"/events/{hidden.pk}/register/").status_code == 404


# --- registering -------------------------------------------------------------------------


def test_registration_waits_for_the_email_link_before_taking_a_place(client, meeting, emails):
    response = client.post(f"/events/{meeting.pk}/register/", form())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.organisation_name == "Senegalesischer Kulturkreis"
    assert len(emails) == 1 and emails[0].to == ["aminata@example.org"]
    assert "/events/confirm/" in emails[0].body and "/events/cancel/" in emails[0].body
    assert "2 Plätze, noch 2 frei" in client.get(f"/events/{meeting.pk}/").content.decode()


def test_confirming_takes_a_place_and_mails_an_ics(client, meeting, emails):
    client.post(f"/events/{meeting.pk}/register/", form())
    confirm_url = link(emails[0], "confirm")
    # Opening the link changes nothing (mail scanners open links); the button does.
    assert "Ja, ich nehme teil" in client.get(confirm_url).content.decode()
    assert Registration.objects.get().status == RegistrationStatus.PENDING
    page = client.post(confirm_url).content.decode()
    assert "Ihre Anmeldung ist bestätigt" in page
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.confirmed_at
    message = emails[-1]
    assert "bestätigt" in message.subject
    assert "/events/cancel/" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Vernetzungstreffen Duisburg"
    assert vevent.decoded("dtstart") == meeting.starts_at


def test_a_confirmation_link_works_once(client, meeting, emails):
    client.post(f"/events/{meeting.pk}/register/", form())
    confirm_url = link(emails[0], "confirm")
    client.post(confirm_url)
    sent = len(emails)
    client.post(confirm_url)
    assert len(emails) == sent  # nothing sent twice
    # Cancelled, the old link cannot bring the registration back.
    client.post(link(emails[-1], "cancel"))
    client.post(confirm_url)
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED


def test_a_confirmation_link_expires(client, meeting, emails, monkeypatch):
    client.post(f"/events/{meeting.pk}/register/", form())
    registration = Registration.objects.get()
    old = int(timezone.now().timestamp()) - 49 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    from events.services import confirm_token

    token = confirm_token(registration)
    monkeypatch.undo()
    response = client.post(f"/events/confirm/{token}/")
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.PENDING


def test_forged_links_answer_404(client, meeting):
    assert client.get("/events/confirm/nonsense/").status_code == 404
    assert client.get("/events/cancel/nonsense/").status_code == 404


def test_a_double_submit_creates_one_registration(client, meeting, emails):
    client.post(f"/events/{meeting.pk}/register/", form())
    client.post(f"/events/{meeting.pk}/register/", form(email="AMINATA@example.org", name="A. B."))
    registration = Registration.objects.get()
    assert registration.name == "A. B."  # the later form corrects the pending one
    # Once confirmed, registering again changes nothing and says so by email.
    client.post(link(emails[-1], "confirm"))
    client.post(f"/events/{meeting.pk}/register/", form(name="Jemand anderes"))
    assert Registration.objects.get().name == "A. B."
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert "bereits angemeldet" in emails[-1].subject


@pytest.mark.parametrize("address", ["aminata", "aminata@", "a@b", "aminata@example", "a b@c.de"])
def test_a_bad_email_address_is_refused_at_the_form(client, meeting, address):
    response = client.post(f"/events/{meeting.pk}/register/", form(email=address))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in page
    assert 'value="Aminata Beispiel"' in page  # nothing typed is lost
    assert not Registration.objects.exists()


def test_missing_fields_get_messages_next_to_them(client, meeting):
    page = client.post(f"/events/{meeting.pk}/register/", {}).content.decode()
    assert "Bitte geben Sie Ihren Namen an." in page
    assert "Bitte wählen Sie aus, als was Sie teilnehmen." in page
    assert not Registration.objects.exists()


def test_after_the_deadline_the_form_is_closed(client, meeting, emails):
    meeting.registration_deadline = timezone.now() - timedelta(minutes=1)
    meeting.save()
    response = client.get(f"/events/{meeting.pk}/register/")
    assert response.status_code == 410
    assert "ist jetzt geschlossen" in response.content.decode()
    assert client.post(f"/events/{meeting.pk}/register/", form()).status_code == 410
    assert not Registration.objects.exists() and not emails
    assert "Die Anmeldung ist geschlossen." in client.get(f"/events/{meeting.pk}/").content.decode()


def test_the_honeypot_stores_nothing(client, meeting, emails):
    response = client.post(f"/events/{meeting.pk}/register/", form(fax="spam"))
    assert response.status_code == 302
    assert not Registration.objects.exists() and not emails


def test_registration_posts_are_rate_limited(client, meeting, settings):
    settings.MIGLOBE_REGISTRATION_RATE = "3/h"
    address = "10.9.8." + str(timezone.now().microsecond % 250 + 1)
    for i in range(3):
        client.post(
            f"/events/{meeting.pk}/register/", form(email=f"p{i}@example.org"), REMOTE_ADDR=address
        )
    response = client.post(
        f"/events/{meeting.pk}/register/", form(email="p9@example.org"), REMOTE_ADDR=address
    )
    assert response.status_code == 429
    assert Registration.objects.count() == 3


# --- waiting list and cancellation ------------------------------------------------------


def test_past_capacity_people_wait_and_a_cancellation_promotes_the_first(client, meeting, emails):
    first = register_and_confirm(client, meeting, emails, email="eins@example.org")
    register_and_confirm(client, meeting, emails, email="zwei@example.org")
    third = register_and_confirm(client, meeting, emails, email="drei@example.org")
    fourth = register_and_confirm(client, meeting, emails, email="vier@example.org")
    assert (third.status, fourth.status) == (
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    )
    assert "Warteliste" in emails[-1].subject
    page = client.get(f"/events/{meeting.pk}/").content.decode()
    assert "noch 0 frei" in page and "Auf die Warteliste setzen" in page

    cancel_url = link(next(m for m in emails if m.to == ["eins@example.org"]), "cancel")
    assert "stornieren?" in client.get(cancel_url).content.decode()
    client.post(cancel_url)
    first.refresh_from_db(), third.refresh_from_db(), fourth.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert third.status == RegistrationStatus.CONFIRMED  # the first on the list, not the last
    assert fourth.status == RegistrationStatus.WAITLISTED
    promoted = [m for m in emails if m.to == ["drei@example.org"]][-1]
    assert "Platz ist frei geworden" in promoted.subject
    assert promoted.attachments and promoted.attachments[0][0].endswith(".ics")


def test_cancelling_from_the_waiting_list_promotes_nobody(client, meeting, emails):
    meeting.capacity = 1
    meeting.save()
    register_and_confirm(client, meeting, emails, email="eins@example.org")
    waiting = register_and_confirm(client, meeting, emails, email="zwei@example.org")
    later = register_and_confirm(client, meeting, emails, email="drei@example.org")
    client.post(link([m for m in emails if m.to == ["zwei@example.org"]][-1], "cancel"))
    waiting.refresh_from_db(), later.refresh_from_db()
    assert (
        waiting.status == RegistrationStatus.CANCELLED
        and later.status == RegistrationStatus.WAITLISTED
    )


# --- workshops ---------------------------------------------------------------------------


def test_a_full_workshop_cannot_be_chosen(client, meeting, emails):
    meeting.capacity = 10
    meeting.save()
    small = EventSessionFactory(event=meeting, title="Kleiner Workshop", capacity=1)
    other = EventSessionFactory(
        event=meeting,
        title="Anderer Workshop",
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.starts_at + timedelta(hours=3),
    )
    register_and_confirm(client, meeting, emails, email="eins@example.org", sessions=[small.pk])
    page = client.get(f"/events/{meeting.pk}/register/").content.decode()
    assert "Kleiner Workshop (ausgebucht)" in page
    response = client.post(
        f"/events/{meeting.pk}/register/",
        form(email="zwei@example.org", sessions=[small.pk, other.pk]),
    )
    assert "Ausgebucht: Kleiner Workshop" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_workshop_filled_before_confirmation_is_dropped_and_said(
    meeting, django_capture_on_commit_callbacks
):
    meeting.capacity = 10
    meeting.save()
    small = EventSessionFactory(event=meeting, title="Kleiner Workshop", capacity=1)
    early, late = (
        registration_create(
            event=meeting,
            data=RegistrationData(
                name=name, email=f"{name}@example.org", category="private", sessions=(small,)
            ),
        )
        for name in ["frueh", "spaet"]
    )
    registration_confirm(registration=early)
    with django_capture_on_commit_callbacks(execute=True):
        registration_confirm(registration=late)
    late.refresh_from_db()
    assert late.status == RegistrationStatus.CONFIRMED
    assert list(late.sessions.all()) == []
    assert "Kleiner Workshop" in mail.outbox[-1].body and "ausgebucht" in mail.outbox[-1].body


def test_overlapping_workshops_cannot_both_be_chosen(client, meeting):
    a = EventSessionFactory(event=meeting, title="Workshop A")
    b = EventSessionFactory(event=meeting, title="Workshop B")
    response = client.post(f"/events/{meeting.pk}/register/", form(sessions=[a.pk, b.pk]))
    assert "finden gleichzeitig statt" in response.content.decode()


# --- the race for the last place ---------------------------------------------------------


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_cannot_both_get_the_last_place(postgres_only, duisburg):
    meeting = EventFactory(municipality=duisburg, starts_at=soon(), capacity=1)
    contenders = [
        RegistrationFactory(
            event=meeting, email=f"p{i}@example.org", status=RegistrationStatus.PENDING
        )
        for i in range(6)
    ]
    barrier = threading.Barrier(len(contenders))
    errors = []

    def confirm(registration):
        try:
            barrier.wait()
            registration_confirm(registration=registration)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == [RegistrationStatus.CONFIRMED] + [RegistrationStatus.WAITLISTED] * 5


# As production runs it: no test transaction around the request, so the row lock taken for
# an address that is registered already must have a transaction of its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registering_again_gives_the_same_page_and_tells_the_owner(client, duisburg):
    meeting = EventFactory(municipality=duisburg, starts_at=soon(), capacity=5)
    RegistrationFactory(
        event=meeting, email="aminata@example.org", status=RegistrationStatus.CONFIRMED
    )
    mail.outbox.clear()
    first_time = client.post(
        f"/events/{meeting.pk}/register/", form(email="someone-new@example.org")
    )

    again = client.post(f"/events/{meeting.pk}/register/", form(name="Jemand anderes"))

    assert again.status_code == first_time.status_code == 302
    assert again["Location"] == first_time["Location"]
    owner = [m for m in mail.outbox if m.to == ["aminata@example.org"]]
    assert len(owner) == 1 and "schon eine Anmeldung" in owner[0].body
    registration = Registration.objects.get(event=meeting, email="aminata@example.org")
    assert registration.name != "Jemand anderes"  # nothing changed behind the owner's back


# --- calendar feeds ----------------------------------------------------------------------


def test_feeds_are_valid_icalendar_with_public_events_only(client, meeting):
    hamm = MunicipalityFactory(name="Hamm")
    EventFactory(title="Info Hamm", municipality=hamm, starts_at=soon(5))
    EventFactory(title="Intern", is_public=False, municipality=hamm, starts_at=soon(6))
    response = client.get("/events/feed.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Vernetzungstreffen Duisburg", "Info Hamm"}
    for vevent in events.values():
        assert vevent["uid"] and vevent["dtstamp"] and vevent["dtstart"]
    assert calendar.walk("VTIMEZONE")  # local times carry their zone

    town = icalendar.Calendar.from_ical(client.get(f"/events/feed/{hamm.pk}.ics").content)
    assert [str(e["summary"]) for e in town.walk("VEVENT")] == ["Info Hamm"]
    assert client.get("/events/feed/999999.ics").status_code == 404


def test_an_events_uid_stays_the_same_across_feeds(client, meeting):
    uid = lambda url: str(  # noqa: E731
        icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]["uid"]
    )
    assert uid(f"/events/{meeting.pk}/event.ics") == uid("/events/feed.ics")


def test_unconfirmed_registrations_are_forgotten_after_the_link_expires(meeting):
    from events.tasks import purge_unconfirmed_registrations

    stale = RegistrationFactory(event=meeting, status=RegistrationStatus.PENDING)
    Registration.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=49))
    fresh = RegistrationFactory(event=meeting, status=RegistrationStatus.PENDING)
    old_but_confirmed = RegistrationFactory(event=meeting, status=RegistrationStatus.CONFIRMED)
    Registration.objects.filter(pk=old_but_confirmed.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    assert purge_unconfirmed_registrations.delay().get() == 1
    assert set(Registration.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        old_but_confirmed.pk,
    }


def test_raising_the_capacity_moves_the_waiting_list_up(
    client, meeting, emails, django_capture_on_commit_callbacks
):
    from events.services import places_added

    meeting.capacity = 1
    meeting.save()
    register_and_confirm(client, meeting, emails, email="eins@example.org")
    second = register_and_confirm(client, meeting, emails, email="zwei@example.org")
    third = register_and_confirm(client, meeting, emails, email="drei@example.org")
    meeting.capacity = 2
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = places_added(event=meeting)
    assert [r.email for r in promoted] == ["zwei@example.org"]
    second.refresh_from_db(), third.refresh_from_db()
    assert (second.status, third.status) == (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    )
    assert emails[-1].to == ["zwei@example.org"] and "Platz ist frei" in emails[-1].subject
