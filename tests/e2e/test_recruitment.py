"""Building a pool in a real browser, on the demo data, with axe-core on every page.

A visitor finds the open NRW call from the pools page, applies on a phone (a CV that
is not a PDF is refused next to its field, then a real PDF goes through), confirms the
address from the email and sees the application. SKEW reviews it with scores, sees
the pool in view beside the list, shortlists and accepts it; the new advisor sets a
password from the welcome email and logs in to their own area. SKEW records seminar
attendance on a phone.
"""

import re

import pytest
from playwright.sync_api import expect

from advisors.models import Advisor, Training
from miglobe.demo import SKEW_EMAIL
from recruitment.models import Application, Call
from tests.e2e.conftest import assert_accessible, desktop_page, emailed, login
from tests.workspace.conftest import exe_bytes, pdf_bytes

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "miglobe-demo"
EMAIL = "sefa.oduya@example.com"


def test_a_visitor_applies_and_skew_takes_them_into_the_pool(
    phone_page, browser, live_server, demo, settings
):
    settings.MIGLOBE_REGISTRATION_RATE = "1000/m"
    call = Call.objects.open().get(pool__federal_state="NW")
    page = phone_page

    # 1. The pools, the call, the form (on a phone).
    page.goto(page.base_url + "/pools/")
    assert_accessible(page)
    page.locator("#pools").get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Sefa Oduya")
    page.get_by_label("E-Mail", exact=True).fill(EMAIL)
    page.get_by_label("Wohnort").fill("Bochum")
    page.get_by_label(re.compile("^Herkunftsländer")).select_option("NG")
    page.get_by_label("Erfahrung in der Entwicklungspolitik").fill(
        "Projekte mit einer Partnerschule in Lagos; Vorstand im Afrika-Forum Bochum."
    )
    page.get_by_label("Warum möchten Sie Berater*in werden?").fill(
        "Weil Kommunen die Diaspora als Partnerin entdecken sollten."
    )
    page.get_by_label("Verfügbarkeit").fill("Zwei Wochenenden im Monat.")
    page.get_by_label("weiblich").check()
    page.get_by_label("Ich willige ein.").check()
    cv = page.get_by_label("Lebenslauf (PDF)")
    cv.set_input_files({"name": "cv.pdf", "mimeType": "application/pdf", "buffer": exe_bytes()})
    page.get_by_role("button", name="Bewerbung absenden").click()
    error = page.locator("#id_cv_error")
    expect(error).to_contain_text("kein PDF")
    expect(page.get_by_label("Wohnort")).to_have_value("Bochum")  # what was typed stays
    assert not Application.objects.filter(email=EMAIL).exists()
    assert_accessible(page)
    page.get_by_label("Lebenslauf (PDF)").set_input_files(
        {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_label("Ich willige ein.").check()
    page.get_by_role("button", name="Bewerbung absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    )
    assert_accessible(page)

    # 2. The address, confirmed from the email.
    _message, confirm = emailed(EMAIL, r"/applications/confirm/[^\s]+/")
    page.goto(page.base_url + confirm)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Adresse bestätigen")).click()
    expect(page.locator("#application-status")).to_have_text("eingegangen")
    assert_accessible(page)

    # 3. SKEW: the pool in view, a review, the shortlist, acceptance.
    skew = desktop_page(browser, live_server)
    login(skew, SKEW_EMAIL, PASSWORD)
    skew.goto(f"{live_server.url}/admin/recruitment/application/?call__id__exact={call.pk}")
    panel = skew.locator("#pool-in-view")
    expect(panel).to_contain_text("13 Berater*innen im Pool, 3 in der engeren Wahl")
    assert_accessible(skew)
    application = Application.objects.get(email=EMAIL)
    skew.goto(f"{live_server.url}/admin/recruitment/application/{application.pk}/review/")
    for fieldset in skew.locator("fieldset.review__criterion").all():
        fieldset.get_by_label("4").check()
    skew.get_by_label("Kommentar").fill("Starke Verbindungen in die nigerianische Community.")
    skew.get_by_role("button", name="Bewertung speichern").click()
    expect(skew.locator("#reviews")).to_contain_text("Starke Verbindungen")
    assert_accessible(skew)
    skew.goto(f"{live_server.url}/admin/recruitment/application/{application.pk}/decide/")
    skew.get_by_role("button", name="In die engere Wahl").click()
    expect(skew.locator("#application-status")).to_have_text("in der engeren Wahl")
    skew.goto(f"{live_server.url}/admin/recruitment/application/?call__id__exact={call.pk}")
    expect(skew.locator("#pool-in-view")).to_contain_text(
        "13 Berater*innen im Pool, 4 in der engeren Wahl"
    )
    skew.goto(f"{live_server.url}/admin/recruitment/application/{application.pk}/decide/")
    skew.get_by_role("button", name="Aufnehmen").click()
    expect(skew.locator("#application-status")).to_have_text("aufgenommen")
    assert_accessible(skew)
    advisor = Advisor.objects.get(user__email=EMAIL)
    assert advisor.memberships.get().pool == call.pool

    # 4. The new advisor sets a password and logs in.
    _welcome, reset = emailed(EMAIL, r"/accounts/password/reset/key/[^\s]+/")
    page.goto(page.base_url + reset)
    page.get_by_label("Neues Passwort", exact=True).fill("Ein-neues-Passwort-2027")
    page.get_by_label(re.compile("Neues Passwort \\(Wiederholung\\)")).fill(
        "Ein-neues-Passwort-2027"
    )
    page.get_by_role("button", name=re.compile("Passwort ändern|Passwort festlegen")).click()
    login(page, EMAIL, "Ein-neues-Passwort-2027")
    page.goto(page.base_url + "/advisor/profile/")
    expect(page.locator("#qualification")).to_be_visible()
    assert_accessible(page)
    skew.context.close()


def test_skew_records_seminar_attendance_on_a_phone(phone_page, demo):
    training = Training.objects.filter(pool__federal_state="BW").order_by("starts_on").first()
    done = training.completions.count()
    page = phone_page
    login(page, SKEW_EMAIL, PASSWORD)
    page.goto(f"{page.base_url}/staff/trainings/{training.pk}/attendance/")
    expect(page.locator(".checkin-counter")).to_contain_text(f"{done} von 18 dabei")
    first = page.locator(".checkin-item").first
    first.get_by_role("button", name=re.compile("^Rückgängig")).click()
    expect(page.locator(".checkin-counter")).to_contain_text(f"{done - 1} von 18 dabei")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
