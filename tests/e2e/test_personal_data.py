"""A person asks for their data and its deletion; SKEW answers (core.personal_data).

The demo's login advisor, who is in every part of the portal, downloads his data and
asks for deletion on a phone; SKEW finds him in the admin, reads what erasure will do,
and confirms. axe-core checks every page on the way.
"""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from miglobe.demo import ADVISOR_EMAIL, SKEW_EMAIL
from tests.e2e.conftest import assert_accessible, desktop_page, emailed, login

PASSWORD = "miglobe-demo"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_person_asks_for_deletion_and_skew_confirms_it(browser, live_server, demo, phone_page):
    # The advisor, on his phone: his account's menu has "Meine Daten".
    person = phone_page
    login(person, ADVISOR_EMAIL, PASSWORD)
    person.goto(person.base_url + "/accounts/email/")
    person.get_by_role("navigation", name="Konto").get_by_role("link", name="Meine Daten").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Meine Daten")
    preview = person.locator("#erasure-preview")
    expect(preview.get_by_role("rowheader", name="Ausgaben und Belege")).to_be_visible()
    assert_accessible(person)

    with person.expect_download() as download:
        person.get_by_role("button", name="Meine Daten herunterladen").click()
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        assert "LIESMICH.txt" in archive.namelist()
        assert "events.registrations.json" in archive.namelist()

    # Without ticking the box he is told what is missing, next to the box.
    person.get_by_role("button", name="Löschung beantragen").click()
    box = person.get_by_label("Ja, ich möchte mein Konto und meine Daten löschen lassen.")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(person.locator("#id_confirm_error")).to_contain_text("Bitte bestätigen Sie")
    assert_accessible(person)
    box.check()
    person.get_by_role("button", name="Löschung beantragen").click()
    expect(person.locator("#erasure-waiting")).to_be_visible()
    assert_accessible(person)

    # SKEW, at the desk: the request is in the admin.
    skew = desktop_page(browser, live_server)
    try:
        login(skew, SKEW_EMAIL, PASSWORD)
        skew.goto(skew.base_url + "/admin/")
        skew.get_by_role("link", name="Daten einer Person: Auskunft und Löschung").click()
        skew.get_by_label("E-Mail-Adresse oder Name").fill("Mamadou")
        skew.get_by_role("button", name="Suchen").click()
        expect(skew.locator(".personal-data__people tbody tr")).to_have_count(1)
        assert_accessible(skew)

        skew.goto(skew.base_url + "/admin/core/erasurerequest/")
        skew.get_by_role("link", name="Daten ansehen und Löschung bestätigen").click()
        expenses = skew.locator('#personal-data-preview tr[data-key="engagements.expenses"]')
        expect(expenses.locator("td").nth(1)).to_have_text("bleibt (ohne Namen)")
        assert_accessible(skew)
        skew.get_by_label("Ich habe geprüft, was gelöscht wird und was bleibt.").check()
        skew.get_by_role("button", name="Daten dieser Person löschen").click()
        expect(skew.locator(".messagelist")).to_contain_text("Die Daten sind gelöscht.")
        expect(skew.locator(".field-counts_table")).to_contain_text(
            "Anmeldungen zu Veranstaltungen: 1 (wird anonymisiert)"
        )
        assert_accessible(skew)
    finally:
        skew.context.close()

    # He is told what stays and why; his session is over.
    _message, found = emailed(ADVISOR_EMAIL, r"Ausgaben und Belege \(\d+\)")
    assert found
    person.goto(person.base_url + "/accounts/data/")
    expect(person).to_have_url(f"{person.base_url}/accounts/login/?next=/accounts/data/")
