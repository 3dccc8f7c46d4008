"""The organisers' side of an event: check-in, participant list, attendance figures, exports."""

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from events.enums import ParticipantCategory, RegistrationStatus
from events.services import CheckInError, registration_check_in, registration_undo_check_in
from tests.actors.factories import OrganisationFactory, PublicationConsentFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, EventSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

MIGRANT = ParticipantCategory.MIGRANT_ORGANISATION
MUNICIPAL = ParticipantCategory.MUNICIPAL_BODY


# --- The cast ---------------------------------------------------------------------------


@pytest.fixture
def event(engagement):
    return EventFactory(
        title="Vernetzungstreffen Eschweiler",
        engagement=engagement,
        municipality=engagement.municipality,
        venue="Rathaus Eschweiler",
        venue_address="Johannes-Rau-Platz 1, 52249 Eschweiler",
    )


@pytest.fixture
def organiser(advisor):
    """A colleague with rights: the advisor of the event's engagement."""
    return advisor.user


@pytest.fixture
def outsider(other_advisor):
    """An advisor on another engagement."""
    return other_advisor.user


@pytest.fixture
def plain_user(db):
    return UserFactory(email="someone@example.org")


def assert_queries_do_not_grow(client, url, add, count_queries, django_assert_num_queries):
    """The page costs as many queries with 20 registrations as with 1."""
    add(1)
    one = count_queries.get(client, url)
    add(19)
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def confirmed(event, **kwargs):
    kwargs.setdefault("confirmed_at", timezone.now())
    return RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED, **kwargs)


def attended(event, **kwargs):
    return confirmed(event, attended=True, checked_in_at=timezone.now(), **kwargs)


ORGANISER_URLS = [
    "checkin",
    "participants",
    "participants_csv",
    "participants_xlsx",
    "signin_pdf",
    "attendance_csv",
]


@pytest.mark.parametrize("name", ORGANISER_URLS)
@pytest.mark.parametrize("who", ["staff", "organiser"])
def test_organisers_may_open_the_organiser_pages(client, request, event, name, who):
    confirmed(event, name="Aminata Beispiel")
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 200


@pytest.mark.parametrize("name", ORGANISER_URLS)
@pytest.mark.parametrize("who", ["outsider", "officer", "plain_user"])
def test_outsiders_get_404_for_the_organiser_pages(client, request, event, name, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404


@pytest.mark.parametrize("name", ORGANISER_URLS)
def test_anonymous_visitors_are_sent_to_login(client, event, name):
    url = reverse(f"events:{name}", args=[event.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_staff_without_the_registration_permission_get_404(client, event):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("events:participants", args=[event.pk])).status_code == 404


def test_staff_with_the_registration_permission_may_open_the_participants(client, event):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_registration"))
    client.force_login(user)
    assert client.get(reverse("events:participants", args=[event.pk])).status_code == 200


@pytest.mark.parametrize("name", ["check_in", "undo_check_in"])
@pytest.mark.parametrize("who", ["outsider", "officer"])
def test_outsiders_cannot_check_anyone_in(client, request, event, name, who):
    registration = confirmed(event)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse(f"events:{name}", args=[event.pk, registration.pk]))
    assert response.status_code == 404


def test_anonymous_visitors_cannot_check_anyone_in(client, event):
    registration = confirmed(event)
    response = client.post(reverse("events:check_in", args=[event.pk, registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert not registration.attended


def test_a_registration_of_another_event_is_not_found(client, organiser, event):
    elsewhere = confirmed(EventFactory())
    client.force_login(organiser)
    response = client.post(reverse("events:check_in", args=[event.pk, elsewhere.pk]))
    assert response.status_code == 404


def test_check_in_only_takes_post(client, organiser, event):
    registration = confirmed(event)
    client.force_login(organiser)
    response = client.get(reverse("events:check_in", args=[event.pk, registration.pk]))
    assert response.status_code == 405


# --- Check-in ---------------------------------------------------------------------------


def test_check_in_marks_attended_with_time_and_person(client, organiser, event):
    registration = confirmed(event, name="Aminata Beispiel")
    client.force_login(organiser)
    before = timezone.now()

    response = client.post(
        reverse("events:check_in", args=[event.pk, registration.pk]), {"q": "Amin"}, follow=True
    )

    registration.refresh_from_db()
    assert registration.attended
    assert registration.checked_in_by == organiser
    assert registration.checked_in_at >= before
    assert response.redirect_chain[-1][0] == (
        reverse("events:checkin", args=[event.pk]) + f"?q=Amin#r{registration.pk}"
    )
    page = response.content.decode()
    assert "Aminata Beispiel ist eingecheckt." in page
    assert 'value="Amin"' in page  # the search is kept
    assert "Rückgängig" in page  # a second tap offers undo


def test_checking_in_twice_does_one_thing(client, organiser, staff, event):
    registration = confirmed(event, name="Aminata Beispiel")
    assert registration_check_in(registration=registration, by=organiser) is True
    first = registration.checked_in_at

    client.force_login(staff)
    response = client.post(
        reverse("events:check_in", args=[event.pk, registration.pk]), follow=True
    )

    registration.refresh_from_db()
    assert registration.attended
    assert registration.checked_in_at == first
    assert registration.checked_in_by == organiser
    assert "Aminata Beispiel war schon eingecheckt." in response.content.decode()


def test_undo_takes_the_check_in_back(client, organiser, event):
    registration = confirmed(event, name="Aminata Beispiel")
    registration_check_in(registration=registration, by=organiser)
    client.force_login(organiser)

    response = client.post(
        reverse("events:undo_check_in", args=[event.pk, registration.pk]), follow=True
    )

    registration.refresh_from_db()
    assert not registration.attended
    assert registration.checked_in_at is None
    assert registration.checked_in_by is None
    assert "Check-in von Aminata Beispiel zurückgenommen." in response.content.decode()
    assert registration_undo_check_in(registration=registration, by=organiser) is False


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING, RegistrationStatus.CANCELLED],
)
def test_only_confirmed_registrations_can_be_checked_in(organiser, event, status):
    registration = RegistrationFactory(event=event, status=status, name="Kofi Wartend")
    with pytest.raises(CheckInError, match="Nur bestätigte Anmeldungen"):
        registration_check_in(registration=registration, by=organiser)
    registration.refresh_from_db()
    assert not registration.attended
    assert registration.checked_in_at is None


def test_checking_in_a_waitlisted_person_shows_why_not(client, organiser, event):
    registration = RegistrationFactory(
        event=event, status=RegistrationStatus.WAITLISTED, name="Kofi Wartend"
    )
    client.force_login(organiser)
    response = client.post(
        reverse("events:check_in", args=[event.pk, registration.pk]), follow=True
    )
    assert "Kofi Wartend kann nicht eingecheckt werden" in response.content.decode()
    registration.refresh_from_db()
    assert not registration.attended


def test_checkin_page_lists_confirmed_people_with_counter(client, organiser, event):
    workshop = EventSessionFactory(event=event, title="Fairer Handel")
    aminata = attended(event, name="Aminata Beispiel", organisation_name="Kulturkreis e. V.")
    aminata.sessions.add(workshop)
    confirmed(event, name="Bernd Beispiel", category=MUNICIPAL)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED, name="Kofi Wartend")
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED, name="Lea Storniert")
    client.force_login(organiser)

    page = client.get(reverse("events:checkin", args=[event.pk])).content.decode()

    assert "<strong>1</strong> von 2 eingecheckt" in page
    assert "Aminata Beispiel" in page
    assert "Kulturkreis e. V." in page
    assert "Fairer Handel" in page
    assert "Bernd Beispiel" in page
    assert "kommunale Einrichtung" in page
    assert "Kofi Wartend" not in page
    assert "Lea Storniert" not in page
    assert "style=" not in page  # the Content-Security-Policy forbids inline styles


def test_checkin_search_finds_by_name(client, organiser, event):
    confirmed(event, name="Aminata Beispiel")
    confirmed(event, name="Bernd Muster")
    client.force_login(organiser)

    page = client.get(reverse("events:checkin", args=[event.pk]), {"q": "amin"}).content.decode()

    assert "Aminata Beispiel" in page
    assert "Bernd Muster" not in page
    assert "<strong>0</strong> von 2 eingecheckt" in page  # the counter counts everyone


def test_checkin_page_queries_do_not_grow_with_registrations(
    client, organiser, event, count_queries, django_assert_num_queries
):
    workshops = EventSessionFactory.create_batch(2, event=event)
    organisation = OrganisationFactory(municipality=event.municipality)

    def add(count):
        for _ in range(count):
            registration = attended(event, organisation=organisation)
            registration.sessions.set(workshops)

    client.force_login(organiser)
    url = reverse("events:checkin", args=[event.pk])
    assert_queries_do_not_grow(client, url, add, count_queries, django_assert_num_queries)


# --- Participants and attendance ---------------------------------------------------------


def test_participants_page_shows_confirmed_waitlist_in_order_and_counts(client, organiser, event):
    now = timezone.now()
    confirmed(event, name="Aminata Beispiel", needs="Gebärdensprache", listed=True)
    RegistrationFactory(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        name="Zweite Wartende",
        confirmed_at=now - datetime.timedelta(hours=1),
    )
    RegistrationFactory(
        event=event,
        status=RegistrationStatus.WAITLISTED,
        name="Erste Wartende",
        confirmed_at=now - datetime.timedelta(hours=2),
    )
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED, name="Lea Storniert")
    client.force_login(organiser)

    response = client.get(reverse("events:participants", args=[event.pk]))

    page = response.content.decode()
    assert "Aminata Beispiel" in page
    assert "Gebärdensprache" in page
    assert page.index("Erste Wartende") < page.index("Zweite Wartende")
    assert "Lea Storniert" not in page
    people = response.context["people"]
    assert [r.name for r in people.waitlist] == ["Erste Wartende", "Zweite Wartende"]
    assert people.cancelled_count == 1
    for name in ORGANISER_URLS[:1] + ORGANISER_URLS[2:]:
        assert reverse(f"events:{name}", args=[event.pk]) in page


def test_attendance_figures_by_category_organisation_and_workshop(client, organiser, event):
    workshop = EventSessionFactory(event=event, title="Klima und Umwelt")
    # Three migrant organisations registered, two came.
    a = attended(event, category=MIGRANT, organisation_name="Ghana Union e. V.")
    b = attended(event, category=MIGRANT, organisation_name="Kamerunischer Verein")
    c = confirmed(event, category=MIGRANT, organisation_name="Vietnam Forum")
    confirmed(event, category=MUNICIPAL, organisation_name="VHS Eschweiler")
    for registration in (a, b, c):
        registration.sessions.add(workshop)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED, category=MIGRANT)
    client.force_login(organiser)

    response = client.get(reverse("events:participants", args=[event.pk]))

    figures = response.context["figures"]
    assert (figures.total.registered, figures.total.attended, figures.total.share) == (4, 2, 50)
    by_category = {t.label: (t.registered, t.attended, t.share) for t in figures.by_category}
    assert by_category == {"Migrantenorganisation": (3, 2, 67), "kommunale Einrichtung": (1, 0, 0)}
    by_organisation = {t.label: (t.registered, t.attended) for t in figures.by_organisation}
    assert by_organisation["Ghana Union e. V."] == (1, 1)
    assert by_organisation["Vietnam Forum"] == (1, 0)
    assert [(t.label, t.registered, t.attended) for t in figures.by_session] == [
        ("Klima und Umwelt", 3, 2)
    ]
    page = response.content.decode()
    assert "Migrantenorganisation" in page
    assert "67 %" in page


def test_typed_organisation_names_that_are_the_same_count_once(client, organiser, event):
    attended(event, organisation_name="Ghana Union e. V.")
    confirmed(event, organisation_name="ghana union eV")
    client.force_login(organiser)

    figures = client.get(reverse("events:participants", args=[event.pk])).context["figures"]

    assert [(t.label, t.registered, t.attended) for t in figures.by_organisation] == [
        ("Ghana Union e. V.", 2, 1)
    ]


def test_attended_organisations_link_to_their_directory_entry(client, organiser, event):
    published = OrganisationFactory(name="Ghana Union Eschweiler", municipality=event.municipality)
    PublicationConsentFactory(organisation=published)
    hidden = OrganisationFactory(name="Stiller Verein", municipality=event.municipality)
    attended(event, organisation=published)
    attended(event, organisation=hidden)
    client.force_login(organiser)

    page = client.get(reverse("events:participants", args=[event.pk])).content.decode()

    assert f'href="{published.get_absolute_url()}"' in page
    assert hidden.get_absolute_url() not in page
    assert "Stiller Verein" in page


def test_staff_see_which_organisation_a_typed_name_probably_is(client, staff, organiser, event):
    known = OrganisationFactory(
        name="Afrikanischer Kulturverein Eschweiler e. V.", municipality=event.municipality
    )
    OrganisationFactory(name="Ganz anderer Verein", municipality=event.municipality)
    attended(event, organisation_name="afrikanischer kulturverein")
    admin_url = reverse("admin:actors_organisation_change", args=[known.pk])

    client.force_login(staff)
    page = client.get(reverse("events:participants", args=[event.pk])).content.decode()
    assert "vermutlich:" in page
    assert f'href="{admin_url}"' in page
    assert "Ganz anderer Verein" not in page

    # Advisors have no admin: no link into it.
    client.force_login(organiser)
    page = client.get(reverse("events:participants", args=[event.pk])).content.decode()
    assert admin_url not in page


def test_participants_page_queries_do_not_grow_with_registrations(
    client, staff, event, count_queries, django_assert_num_queries
):
    workshops = EventSessionFactory.create_batch(2, event=event)
    organisation = OrganisationFactory(municipality=event.municipality)
    PublicationConsentFactory(organisation=organisation)

    def add(count):
        for n in range(count):
            registration = attended(event, organisation=organisation)
            registration.sessions.set(workshops)
            confirmed(event, organisation_name=f"Verein {n}")
            RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    client.force_login(staff)
    url = reverse("events:participants", args=[event.pk])
    assert_queries_do_not_grow(client, url, add, count_queries, django_assert_num_queries)


# --- Exports ----------------------------------------------------------------------------

COLUMNS = [
    "Name",
    "E-Mail",
    "Organisation",
    "Kategorie",
    "Workshops",
    "Status",
    "Bedürfnisse",
    "Teilnehmendenliste-Einwilligung",
    "Eingecheckt",
]


@pytest.fixture
def registrations(event):
    workshop = EventSessionFactory(event=event, title="Fairer Handel")
    organisation = OrganisationFactory(name="Ghana Union e. V.", municipality=event.municipality)
    aminata = attended(
        event,
        name="Aminata Beispiel",
        email="aminata@example.org",
        organisation=organisation,
        needs="Gebärdensprache",
        listed=True,
    )
    aminata.sessions.add(workshop)
    confirmed(
        event,
        name="Çağrı Öztürk",
        email="cagri@example.org",
        organisation_name="=Türkischer Elternverein",
        category=MUNICIPAL,
    )
    RegistrationFactory(
        event=event,
        name="Kofi Wartend",
        email="kofi@example.org",
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=timezone.now(),
    )
    RegistrationFactory(event=event, name="Lea Storniert", status=RegistrationStatus.CANCELLED)


EXPECTED_ROWS = [
    [
        "Aminata Beispiel",
        "aminata@example.org",
        "Ghana Union e. V.",
        "Migrantenorganisation",
        "Fairer Handel",
        "bestätigt",
        "Gebärdensprache",
        "ja",
        "ja",
    ],
    [
        "Çağrı Öztürk",
        "cagri@example.org",
        "'=Türkischer Elternverein",  # no formula in a spreadsheet
        "kommunale Einrichtung",
        "",
        "bestätigt",
        "",
        "nein",
        "nein",
    ],
    [
        "Kofi Wartend",
        "kofi@example.org",
        "",
        "Migrantenorganisation",
        "",
        "Warteliste",
        "",
        "nein",
        "nein",
    ],
]


@pytest.mark.usefixtures("registrations")
def test_participants_csv_has_the_columns_and_rows(client, organiser, event):
    client.force_login(organiser)
    response = client.get(reverse("events:participants_csv", args=[event.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [COLUMNS, *EXPECTED_ROWS]


@pytest.mark.usefixtures("registrations")
def test_participants_xlsx_matches_the_csv(client, organiser, event):
    client.force_login(organiser)
    response = client.get(reverse("events:participants_xlsx", args=[event.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [COLUMNS, *EXPECTED_ROWS]


@pytest.mark.usefixtures("registrations")
def test_signin_sheet_lists_confirmed_people_with_the_event(client, organiser, event):
    client.force_login(organiser)
    response = client.get(reverse("events:signin_pdf", args=[event.pk]))

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Vernetzungstreffen Eschweiler" in text
    assert "Rathaus Eschweiler" in text
    assert "02.02.2018" in text or "2. Februar 2018" in text
    assert "Unterschrift" in text
    assert "Seite 1" in text
    assert text.index("Aminata Beispiel") < text.index("Çağrı Öztürk")
    assert "Kofi Wartend" not in text
    assert "Lea Storniert" not in text


def test_signin_sheet_has_page_numbers_on_every_page(client, organiser, event):
    for n in range(60):
        confirmed(event, name=f"Person {n:02d}")
    client.force_login(organiser)
    response = client.get(reverse("events:signin_pdf", args=[event.pk]))

    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) > 1
    assert f"Seite {len(pages)}" in pages[-1].extract_text()


def test_attendance_csv_has_the_figures(client, organiser, event):
    workshop = EventSessionFactory(event=event, title="Klima und Umwelt")
    for name in ("Ghana Union", "Kamerunischer Verein"):
        attended(event, organisation_name=name).sessions.add(workshop)
    confirmed(event, organisation_name="Vietnam Forum").sessions.add(workshop)
    client.force_login(organiser)

    response = client.get(reverse("events:attendance_csv", args=[event.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Auswertung", "Eintrag", "angemeldet", "teilgenommen", "Anteil (%)"]
    assert ["Gesamt", "bestätigte Anmeldungen", "3", "2", "67"] in rows
    assert ["Kategorie", "Migrantenorganisation", "3", "2", "67"] in rows
    assert ["Organisation", "Vietnam Forum", "1", "0", "0"] in rows
    assert ["Workshop", "Klima und Umwelt", "3", "2", "67"] in rows


# --- Admin ------------------------------------------------------------------------------


def test_admin_links_to_the_organiser_pages(client, staff, event):
    client.force_login(staff)

    listing = client.get(reverse("admin:events_event_changelist")).content.decode()
    change = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    assert reverse("events:participants", args=[event.pk]) in listing
    assert reverse("events:checkin", args=[event.pk]) in listing
    for name in ("participants", "checkin", "signin_pdf", "attendance_csv"):
        assert reverse(f"events:{name}", args=[event.pk]) in change


def test_participants_page_says_who_attended_also_without_a_check_in_time(client, organiser, event):
    """Attendance marked in the admin (no check-in at the door) still shows as such."""
    at_door = confirmed(event, name="Tür Eingang")
    at_door.attended, at_door.checked_in_at = True, timezone.now().replace(hour=9, minute=5)
    at_door.save()
    by_list = confirmed(event, name="Liste Nachtrag")
    by_list.attended = True
    by_list.save()
    confirmed(event, name="Nicht Gekommen")
    client.force_login(organiser)

    page = client.get(reverse("events:participants", args=[event.pk])).content.decode()

    def cell(name):
        row = page[page.index(name) :]
        return re.search(r'data-label="eingecheckt">([^<]*)</td>', row).group(1)

    assert cell("Tür Eingang") == timezone.localtime(at_door.checked_in_at).strftime("%H:%M")
    assert cell("Liste Nachtrag") == "ja"
    assert cell("Nicht Gekommen") == "–"
