"""The advisor's workspace in a real browser, on the demo data, with axe-core on every page.

The demo advisor opens the dashboard and the running Witten engagement, records an
organisation that already exists under a differently written name (the
duplicate finder offers it and the advisor links it instead of creating a
second one), records a brand-new organisation, enters time as a draft and
submits it, and files an expense: a disguised executable is refused, a real
PNG receipt is stored and served back only to the logged-in advisor. A second
test checks the dashboard and the engagement page on a 390 px phone.
"""

import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actors.models import Organisation, ResearchFinding
from advisors.models import Advisor
from engagements.enums import EntryStatus
from engagements.models import Engagement, Expense, TimeEntry
from miglobe.demo import ADVISOR_EMAIL
from tests.e2e.conftest import assert_accessible, login

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "miglobe-demo"
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


@pytest.fixture
def witten():
    """The demo's engagement that runs now (dated from the day the demo was loaded)."""
    return Engagement.objects.select_related("municipality").get(
        municipality__name="Witten", advisors__user__email=ADVISOR_EMAIL
    )


def tiny_png() -> bytes:
    """A valid 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def written_differently(name: str) -> str:
    """The same name as an advisor might type it: lower case, umlauts spelled out, no "e. V."."""
    variant = re.sub(r"\s*e\.\s*V\.$", "", name).lower()
    for umlaut, spelled in UMLAUTS.items():
        variant = variant.replace(umlaut, spelled)
    assert variant != name
    return variant


def organisation_without_finding(engagement) -> Organisation:
    """An organisation of the town not yet found in this engagement, with an umlaut and "e. V.".

    If the demo has none free, one finding is removed; the walk then records it
    again through the duplicate finder.
    """
    candidates = [
        o
        for o in Organisation.objects.filter(municipality=engagement.municipality).order_by("name")
        if re.search("[äöü]", o.name) and o.name.endswith("e. V.")
    ]
    assert candidates, "the demo has no organisation in the town with an umlaut"
    found = set(engagement.findings.values_list("organisation_id", flat=True))
    free = [o for o in candidates if o.pk not in found]
    if free:
        return free[0]
    ResearchFinding.objects.filter(engagement=engagement, organisation=candidates[0]).delete()
    return candidates[0]


def test_advisor_records_findings_time_and_expenses(page, live_server, demo, witten):
    existing = organisation_without_finding(witten)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    organisations_before = Organisation.objects.count()

    # 1. The dashboard: the current engagement, next milestones, open entries.
    login(page, ADVISOR_EMAIL, PASSWORD)
    page.goto(page.base_url + "/advisor/")
    main = page.locator("main")
    current = main.locator("section", has=page.get_by_role("heading", name="Laufende Einsätze"))
    expect(current).to_contain_text("Witten")
    expect(current).not_to_contain_text("Eschweiler")  # completed in 2020
    past = main.locator("section", has=page.get_by_role("heading", name="Frühere Einsätze"))
    expect(past).to_contain_text("Eschweiler")
    milestones = main.locator(
        "section", has=page.get_by_role("heading", name="Nächste Meilensteine")
    )
    expect(milestones).to_contain_text("Recherche der Akteure")  # due in two weeks
    # The talk with the integration council was due some days ago.
    overdue = milestones.locator("li.milestone--overdue")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("Gespräch mit dem Integrationsrat")
    expect(overdue.locator(".badge")).to_have_text("überfällig")
    open_entries = main.locator("section", has=page.get_by_role("heading", name="Offene Einträge"))
    expect(open_entries).to_contain_text("Auswertung der Gespräche")  # a time draft
    expect(open_entries).to_contain_text("Vorbereitung der Ausschusssitzung")  # submitted
    expect(open_entries).to_contain_text("36,90 €")  # the printing draft
    assert_accessible(page)

    # 2. The engagement page.
    current.get_by_role("link", name="Witten").click()
    page.wait_for_url(re.compile(rf"/advisor/engagements/{witten.pk}/$"))
    engagement_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Witten")
    expect(page.get_by_role("heading", name="Rechercheergebnisse")).to_be_visible()
    assert_accessible(page)

    # 3. An organisation that exists already, written differently.
    variant = written_differently(existing.name)
    page.get_by_role("link", name="Organisation erfassen").click()
    page.wait_for_url(re.compile(r"/findings/new/$"))
    assert_accessible(page)
    page.get_by_label("Name der Organisation").fill(variant)
    page.get_by_label("Quelle").select_option("web")
    page.get_by_label("Notizen", exact=False).fill("Auf der Website der Stadt gefunden.")
    page.get_by_role("button", name="Speichern", exact=True).click()
    duplicates = page.locator("fieldset.duplicates")
    duplicates.wait_for()
    expect(duplicates.get_by_text("Gibt es diese Organisation schon?")).to_be_visible()
    expect(duplicates).to_contain_text(existing.name)
    # What was typed is kept.
    expect(page.get_by_label("Name der Organisation")).to_have_value(variant)
    expect(page.get_by_label("Quelle")).to_have_value("web")
    expect(page.get_by_label("Notizen", exact=False)).to_have_value(
        "Auf der Website der Stadt gefunden."
    )
    assert Organisation.objects.count() == organisations_before
    assert_accessible(page)

    duplicates.get_by_label(existing.name, exact=False).check()
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_url(re.compile(rf"/advisor/engagements/{witten.pk}/"))
    expect(page.get_by_role("status")).to_contain_text("ist als Rechercheergebnis erfasst")
    finding = ResearchFinding.objects.get(engagement=witten, organisation=existing)
    assert finding.source == "web"
    assert finding.advisor.user.email == ADVISOR_EMAIL
    assert Organisation.objects.count() == organisations_before
    assert not Organisation.objects.filter(name=variant).exists()
    assert_accessible(page)

    # The same organisation once more: it is already recorded in this engagement.
    page.get_by_role("link", name="Organisation erfassen").click()
    page.get_by_label("Name der Organisation").fill(variant)
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.locator("fieldset.duplicates").get_by_label(existing.name, exact=False).check()
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.locator(".form-errors").wait_for()
    expect(page.locator(".form-errors")).to_contain_text("bereits erfasst")
    assert ResearchFinding.objects.filter(engagement=witten, organisation=existing).count() == 1

    # A brand-new organisation is created without a detour.
    new_name = "Eritreische Gemeinde Witten-Herbede e. V."
    page.goto(engagement_url)
    page.get_by_role("link", name="Organisation erfassen").click()
    page.get_by_label("Name der Organisation").fill(new_name)
    page.get_by_label("Quelle").select_option("conversation")
    page.get_by_label(re.compile("^Kontaktperson")).fill("Semhar Tesfay")
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_url(re.compile(rf"/advisor/engagements/{witten.pk}/"))
    expect(page.get_by_role("status")).to_contain_text(
        f"{new_name} ist als Rechercheergebnis erfasst"
    )
    created = Organisation.objects.get(name=new_name)
    assert created.municipality_id == witten.municipality_id
    assert ResearchFinding.objects.filter(engagement=witten, organisation=created).exists()
    assert Organisation.objects.count() == organisations_before + 1
    findings = page.locator("section", has=page.locator("h2#ergebnisse"))
    expect(findings).to_contain_text(new_name)
    expect(findings).to_contain_text(existing.name)

    # 4. Time: a draft, then submitted from the engagement page.
    costs = page.locator("section", has=page.locator("h2#kosten"))
    costs.get_by_role("link", name="Zeit erfassen").click()
    page.wait_for_url(re.compile(r"/advisor/time/new/"))
    expect(page.get_by_label("Beratungseinsatz")).to_have_value(str(witten.pk))
    assert_accessible(page)
    page.get_by_label("Datum").fill(yesterday)
    page.get_by_label("Stunden").fill("3.5")
    page.get_by_label("Tätigkeit").fill("Gespräch mit dem Integrationsrat")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    page.wait_for_url(re.compile(rf"/advisor/engagements/{witten.pk}/"))
    expect(page.get_by_role("status")).to_contain_text("Als Entwurf gespeichert")
    entry = TimeEntry.objects.get(activity="Gespräch mit dem Integrationsrat")
    assert entry.status == EntryStatus.DRAFT
    assert str(entry.hours) == "3.50"
    assert entry.date.isoformat() == yesterday
    row = page.locator("tr", has_text="Gespräch mit dem Integrationsrat")
    expect(row).to_contain_text("Entwurf")
    row.get_by_role("button", name=re.compile("^Einreichen")).click()
    page.get_by_text("Eingereicht: Die SKEW prüft den Eintrag.").wait_for()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.submitted_at is not None
    assert_accessible(page)

    # 5. An expense: a disguised executable is refused, a PNG receipt is accepted.
    costs = page.locator("section", has=page.locator("h2#kosten"))
    costs.get_by_role("link", name="Ausgabe erfassen").click()
    page.wait_for_url(re.compile(r"/advisor/expense/new/"))
    page.get_by_label("Datum").fill(yesterday)
    page.get_by_label("Kategorie").select_option("travel")
    page.get_by_label("Betrag in Euro").fill("23.40")
    page.get_by_label("Beschreibung", exact=False).fill("Fahrkarte Aachen–Witten, Ausschuss")
    receipt = page.get_by_label("Beleg", exact=False)
    receipt.set_input_files(
        {"name": "beleg.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\0" * 60}
    )
    page.get_by_role("button", name="Speichern und einreichen").click()
    error = page.locator("#id_receipt_error")
    error.wait_for()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(error).to_contain_text("kein PDF, JPEG oder PNG")
    receipt = page.get_by_label("Beleg", exact=False)
    expect(receipt).to_have_attribute("aria-describedby", re.compile("id_receipt_error"))
    expect(receipt).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Datum")).to_have_value(yesterday)
    expect(page.get_by_label("Kategorie")).to_have_value("travel")
    expect(page.get_by_label("Betrag in Euro")).to_have_value("23.40")
    expect(page.get_by_label("Beschreibung", exact=False)).to_have_value(
        "Fahrkarte Aachen–Witten, Ausschuss"
    )
    assert not Expense.objects.filter(amount="23.40").exists()
    assert_accessible(page)

    png = tiny_png()
    receipt.set_input_files({"name": "beleg.png", "mimeType": "image/png", "buffer": png})
    page.get_by_role("button", name="Speichern und einreichen").click()
    page.wait_for_url(re.compile(rf"/advisor/engagements/{witten.pk}/"))
    expect(page.get_by_role("status")).to_contain_text("Eingereicht")
    expense = Expense.objects.get(amount="23.40")
    assert expense.status == EntryStatus.SUBMITTED
    assert expense.category == "travel"
    assert expense.receipt
    assert_accessible(page)

    # The receipt opens for the advisor who filed it, as what its content is.
    row = page.locator("tr", has_text="23,40 €")
    link = row.get_by_role("link", name=re.compile("^Beleg"))
    href = link.get_attribute("href")
    assert href == f"/advisor/expense/{expense.pk}/receipt/"
    response = page.request.get(page.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert response.body() == png
    # …and not for anyone who is not logged in.
    anonymous = page.context.browser.new_context()
    try:
        other = anonymous.request.get(page.base_url + href, max_redirects=0)
        assert other.status in (302, 403, 404)
    finally:
        anonymous.close()


def test_workspace_fits_a_phone(phone_page, demo, witten):
    page = phone_page
    login(page, ADVISOR_EMAIL, PASSWORD)
    for path in ("/advisor/", f"/advisor/engagements/{witten.pk}/"):
        page.goto(page.base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways: {width} px"
        main = page.locator("main")
        for name in ("Zeit erfassen", "Ausgabe erfassen"):
            button = main.get_by_role("link", name=name).first
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
        assert_accessible(page)
    organise = page.locator("main").get_by_role("link", name="Organisation erfassen")
    expect(organise).to_be_visible()


def test_advisor_keeps_their_details_up_to_date_on_a_phone(phone_page, demo):
    page = phone_page
    login(page, ADVISOR_EMAIL, PASSWORD)
    page.goto(page.base_url + "/advisor/")
    page.locator("main").get_by_role("link", name="Meine Angaben").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_label("Verfügbarkeit").select_option("limited")
    page.get_by_label("weitere Expertise").fill("Schulpartnerschaften mit Ghana")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()

    expect(page.get_by_role("status")).to_contain_text("Ihre Angaben sind gespeichert.")
    advisor = Advisor.objects.get(user__email=ADVISOR_EMAIL)
    assert advisor.availability == "limited"
    assert advisor.expertise_notes == "Schulpartnerschaften mit Ghana"
