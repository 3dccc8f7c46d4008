"""Events in a real browser, on the demo data, with axe-core on every page.

A visitor finds the upcoming Duisburg network meeting, registers (once with
gaps, then complete, choosing a workshop), confirms by the emailed link and
gets an .ics; SKEW staff check the visitor in on a phone and see the figures;
a planner sees the holiday warning on the planning meeting in the admin.
"""

import re

import icalendar
import pytest
from playwright.sync_api import expect

from events.enums import RegistrationStatus
from events.models import Event, Registration
from miglobe.demo import (
    DUISBURG_MEETING_TITLE,
    PLANNING_MEETING_TITLE,
    SKEW_EMAIL,
    UPCOMING_MEETING_TITLE,
)
from tests.e2e.conftest import assert_accessible, emailed, login

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "miglobe-demo"


@pytest.fixture
def demo(demo, settings):
    """The session's demo world, with registrations not rate-limited."""
    settings.MIGLOBE_REGISTRATION_RATE = "1000/h"


def test_visitor_registers_confirms_and_is_checked_in_on_a_phone(page, phone_page, demo):
    meeting = Event.objects.get(title=UPCOMING_MEETING_TITLE)

    page.goto(page.base_url + "/events/")
    assert_accessible(page)
    page.get_by_role("link", name=UPCOMING_MEETING_TITLE).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Programm")).to_be_visible()
    expect(page.locator("main dt:text-is('Plätze') + dd")).to_contain_text("noch 40 frei")
    assert_accessible(page)

    page.get_by_role("link", name="Jetzt anmelden").click()
    page.wait_for_load_state()
    assert_accessible(page)
    # With gaps first: the messages stand next to their fields, nothing typed is lost.
    page.get_by_label("Vor- und Nachname").fill("Fatou Beispiel")
    page.get_by_label("E-Mail-Adresse").fill("fatou@example")
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.wait_for_load_state()
    expect(page.locator("#id_email_error")).to_contain_text(
        "Bitte geben Sie eine gültige E-Mail-Adresse an"
    )
    expect(page.locator("#id_category_error")).to_contain_text(
        "Bitte wählen Sie aus, als was Sie teilnehmen."
    )
    expect(page.get_by_label("Vor- und Nachname")).to_have_value("Fatou Beispiel")
    assert_accessible(page)

    page.get_by_label("E-Mail-Adresse").fill("fatou@example.org")
    page.get_by_label("Migrantenorganisation").check()
    organisations = page.get_by_label("Organisation aus dem Verzeichnis")
    organisations.select_option(index=1)
    chosen = organisations.locator("option:checked").inner_text()
    page.get_by_role("checkbox", name=re.compile("Gemeinsame Projekte")).check()
    page.get_by_role("checkbox", name=re.compile("Mein Name und meine Organisation")).check()
    page.get_by_role("button", name="Anmeldung absenden").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Bitte bestätigen Sie Ihre Anmeldung")).to_be_visible()
    assert_accessible(page)

    registration = Registration.objects.get(event=meeting, email="fatou@example.org")
    assert (
        registration.status == RegistrationStatus.PENDING
        and registration.organisation.name == chosen
    )
    _message, confirm_link = emailed("fatou@example.org", r"https?://\S+/events/confirm/\S+/")
    page.goto(page.base_url + re.sub(r"^https?://[^/]+", "", confirm_link))
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ich nehme teil").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Ihre Anmeldung ist bestätigt")
    assert_accessible(page)
    confirmation, _subject = emailed("fatou@example.org", r"Ihre Anmeldung .* ist bestätigt")
    filename, content, _mimetype = confirmation.attachments[0]
    (vevent,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == UPCOMING_MEETING_TITLE and filename.endswith(".ics")

    # At the door: staff on a phone find Fatou and check her in with one tap.
    login(phone_page, SKEW_EMAIL, PASSWORD)
    phone_page.goto(phone_page.base_url + f"/events/{meeting.pk}/checkin/")
    assert_accessible(phone_page)
    phone_page.get_by_label("Name oder Organisation suchen").fill("Fatou")
    phone_page.get_by_role("button", name="Suchen").click()
    phone_page.wait_for_load_state()
    button = phone_page.get_by_role("button", name=re.compile(r"^Einchecken\s*:\s*Fatou Beispiel"))
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a target for a thumb
    button.click()
    phone_page.wait_for_load_state()
    expect(
        phone_page.get_by_role("button", name=re.compile(r"^Rückgängig\s*:\s*Fatou Beispiel"))
    ).to_be_visible()
    expect(phone_page.locator(".checkin-counter")).to_contain_text(
        re.compile(r"1\s+von\s+1 eingecheckt")
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page)
    registration.refresh_from_db()
    assert registration.attended and registration.checked_in_at

    # The figures: on the past Duisburg meeting of the demo data.
    past = Event.objects.get(title=DUISBURG_MEETING_TITLE)
    phone_page.goto(phone_page.base_url + f"/events/{past.pk}/participants/")
    expect(phone_page.get_by_role("heading", name="Teilnahme")).to_be_visible()
    expect(phone_page.get_by_role("table", name="Nach Kategorie")).to_contain_text(
        "Migrantenorganisation"
    )
    assert_accessible(phone_page)


def test_planner_sees_the_holiday_warning_in_the_admin(page, demo):
    planning = Event.objects.get(title=PLANNING_MEETING_TITLE)
    login(page, SKEW_EMAIL, PASSWORD)
    page.goto(page.base_url + f"/admin/events/event/{planning.pk}/change/")
    field = page.locator(".field-holidays_on_start_day")
    expect(field).to_contain_text("Marokko")
    assert_accessible(page)
    page.get_by_role("button", name="Sichern", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist .warning").filter(has_text="Marokko")).to_be_visible()
