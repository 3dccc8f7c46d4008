"""The public directory of organisations in a real browser, on the demo data, with axe-core.

An anonymous visitor filters the list by field of action and scope, searches
with umlauts spelled out, sorts by town and pages on; opens an entry and its
JSON-LD; reads the statistics for Duisburg; proposes a new organisation (once
with a gap, then complete). The list and an entry also fit a phone.
"""

import base64
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from actors.enums import Scope
from actors.models import FieldOfAction, OrganisationSuggestion
from actors.selectors import organisations_published
from tests.e2e.conftest import assert_accessible

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_SIZE = 25


def result_count(page) -> int:
    heading = page.locator("#results-title").inner_text()
    return int(re.match(r"\s*(\d+) Organisation", heading).group(1))


def listed_names(page) -> list[str]:
    return [name.strip() for name in page.locator(".organisation-list h3 a").all_inner_texts()]


def submit_filter(page) -> None:
    form = page.get_by_role("search", name="Organisationen filtern")
    with page.expect_navigation():
        form.get_by_role("button", name="Anzeigen").click()


def test_visitor_filters_searches_sorts_and_pages(page, demo):
    published = organisations_published()
    total = published.count()
    assert total >= 36

    page.goto(page.base_url + "/organisations/")
    assert result_count(page) == total
    assert_accessible(page)

    # Every choice of every filter shows how many organisations it gives.
    for name in ("municipality", "field", "scope", "kind", "country"):
        texts = page.locator(f"select#id_{name} option").all_inner_texts()
        assert texts[0].strip() == "alle"
        assert len(texts) > 1, f"the filter {name} has no choices"
        for text in texts[1:]:
            assert re.search(r"\(\d+\)$", text.strip()), f"{name}: {text!r} shows no count"

    fair_trade = next(f for f in FieldOfAction.objects.all() if str(f).startswith("Fairer Handel"))
    field_option = page.locator("select#id_field option", has_text="Fairer Handel")
    page.locator("select#id_field").select_option(field_option.get_attribute("value"))
    scope_option = page.locator("select#id_scope option", has_text=re.compile(r"^international"))
    page.locator("select#id_scope").select_option(scope_option.get_attribute("value"))
    submit_filter(page)

    # The filters are in the address, so the result can be shared.
    params = parse_qs(urlparse(page.url).query)
    assert params["field"] == [fair_trade.slug]
    assert params["scope"] == [Scope.INTERNATIONAL]
    expected = set(
        published.filter(fields_of_action=fair_trade, scope=Scope.INTERNATIONAL).values_list(
            "name", flat=True
        )
    )
    assert 0 < len(expected) < total
    assert result_count(page) == len(expected)
    assert set(listed_names(page)) == expected
    # The counts in the choices agree with the other filters applied.
    expect(page.locator("select#id_scope option:checked")).to_have_text(
        f"international ({len(expected)})"
    )
    shared = page.url
    page.goto(shared)
    assert set(listed_names(page)) == expected

    # A search with the umlaut spelled out finds the "Türkisch-…" organisation.
    page.goto(page.base_url + "/organisations/")
    page.get_by_role("searchbox", name="Suche").fill("tuerkisch")
    submit_filter(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["tuerkisch"]
    turkish = set(published.filter(name__startswith="Türkisch").values_list("name", flat=True))
    assert turkish
    # An exact hit, not the typo-forgiving fallback.
    expect(page.locator("main")).not_to_contain_text("Keine genauen Treffer")
    names = listed_names(page)
    assert turkish <= set(names), names
    assert all("Türkisch" in name for name in names), names
    assert_accessible(page)

    # Sorted by town, across the pages.
    page.goto(page.base_url + "/organisations/")
    page.locator("select#id_sort").select_option("town")
    submit_filter(page)
    assert parse_qs(urlparse(page.url).query)["sort"] == ["town"]
    by_town = list(
        published.order_by("municipality__name", "name").values_list("name", "municipality__name")
    )
    first_page = listed_names(page)
    assert first_page == [name for name, _town in by_town[:PAGE_SIZE]]
    assert total > PAGE_SIZE
    pagination = page.get_by_role("navigation", name="Seiten")
    expect(pagination).to_contain_text("Seite 1 von 2")
    with page.expect_navigation():
        pagination.get_by_role("link", name="nächste Seite").click()
    params = parse_qs(urlparse(page.url).query)
    assert params["page"] == ["2"] and params["sort"] == ["town"]
    assert listed_names(page) == [name for name, _town in by_town[PAGE_SIZE:]]
    assert result_count(page) == total
    assert_accessible(page)


def test_detail_page_has_organisation_json_ld(page, demo):
    page.goto(page.base_url + "/organisations/?q=tuerkisch")
    link = page.locator(".organisation-list h3 a").first
    name = link.inner_text().strip()
    with page.expect_navigation():
        link.click()
    assert re.search(r"/organisations/[\w-]+/$", page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert_accessible(page)

    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    data = json.loads(scripts.first.text_content())
    assert data["@type"] == "Organization"
    assert data["name"] == name
    assert data["url"] == page.url
    assert data["address"]["addressLocality"] == "Duisburg"


def test_statistics_for_duisburg(page, demo):
    page.goto(page.base_url + "/organisations/statistics/")
    assert_accessible(page)
    page.locator("main").get_by_label("Kommune").select_option(label="Duisburg")
    with page.expect_navigation():
        page.locator("form.stats-filter").get_by_role("button", name="Anzeigen").click()
    assert "municipality=" in page.url
    expect(page).to_have_title(re.compile("Duisburg"))  # the heading stays general

    duisburg = organisations_published().filter(municipality__name="Duisburg")
    total = duisburg.count()
    international = duisburg.filter(scope=Scope.INTERNATIONAL).count()

    scope_table = page.get_by_role("table", name="Organisationen nach Wirkungsradius")
    expect(scope_table).to_be_visible()
    row = scope_table.get_by_role("row", name=re.compile(r"^international"))
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip() == str(international)
    share = float(
        re.match(r"([\d,]+)\s*%", cells[1].replace("\xa0", " ")).group(1).replace(",", ".")
    )
    assert 20 <= share <= 30, cells
    assert re.fullmatch(r"\d+,\d\s*%", cells[1].replace("\xa0", " ").strip()), (
        "German decimal comma"
    )
    assert abs(share - 100 * international / total) < 0.06
    total_row = scope_table.get_by_role("row", name=re.compile("insgesamt"))
    expect(total_row.locator("td").first).to_have_text(str(total))

    summary = page.locator(".stats-summary").inner_text().replace("\xa0", " ")
    assert re.search(
        r"international tätig\s*" + re.escape(cells[1].replace("\xa0", " ").strip()), summary
    )
    for caption in (
        "Organisationen nach Handlungsfeld (Mehrfachnennung möglich)",
        "Organisationen nach Land (Mehrfachnennung möglich)",
    ):
        table = page.get_by_role("table", name=caption)
        counts = [int(c) for c in table.locator("tbody td:nth-child(2)").all_inner_texts()]
        assert counts and sum(counts) > 0
    assert_accessible(page)


def test_visitor_suggests_an_organisation(page, demo, settings):
    # A generous rate, so that repeated runs against the same Redis are not limited.
    settings.MIGLOBE_SUGGESTION_RATE = "1000/h"
    new_name = "Eritreische Jugend Duisburg-Süd e. V."
    # The demo's queue already holds a proposal (from the Witten survey).
    before = list(OrganisationSuggestion.objects.values_list("pk", flat=True))

    page.goto(page.base_url + "/organisations/suggest/")
    assert_accessible(page)
    main = page.locator("main")
    expect(main.locator(".consent-wording")).to_have_text(re.compile(r"\S"))
    main.get_by_label("Kommune").select_option(label="Duisburg")
    main.get_by_label("Wirkungsradius").select_option(Scope.INTERNATIONAL)
    main.get_by_label("Was macht die Organisation?").fill("Bildungsarbeit zu Eritrea.")
    main.get_by_label("Ihr Name").fill("Senait Tesfaye")
    main.get_by_label("Ihre E-Mail-Adresse").fill("senait@example.org")
    main.get_by_label("Ich bin berechtigt", exact=False).check()
    # (A form sent within MIGLOBE_FORM_MIN_SECONDS of loading is a bot's; 0 in tests.)

    # The name is missing: the form comes back, the error next to the field.
    with page.expect_navigation():
        main.get_by_role("button", name="Vorschlag absenden").click()
    assert page.url.endswith("/organisations/suggest/")
    expect(main.get_by_role("alert").first).to_be_visible()
    name_input = main.get_by_label("Name der Organisation")
    expect(name_input).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_name_error")
    expect(error).to_contain_text("Bitte nennen Sie den Namen der Organisation.")
    expect(name_input).to_have_attribute("aria-describedby", re.compile("id_name_error"))
    expect(main.get_by_label("Ihr Name")).to_have_value("Senait Tesfaye")
    expect(main.get_by_label("Ihre E-Mail-Adresse")).to_have_value("senait@example.org")
    expect(main.get_by_label("Kommune").locator("option:checked")).to_have_text("Duisburg")
    expect(main.get_by_label("Was macht die Organisation?")).to_have_value(
        "Bildungsarbeit zu Eritrea."
    )
    assert not OrganisationSuggestion.objects.exclude(pk__in=before).exists()
    assert_accessible(page)

    # Completed, it goes to SKEW.
    name_input.fill(new_name)
    if not main.get_by_label("Ich bin berechtigt", exact=False).is_checked():
        main.get_by_label("Ich bin berechtigt", exact=False).check()
    with page.expect_navigation():
        main.get_by_role("button", name="Vorschlag absenden").click()
    assert page.url.endswith("/organisations/suggest/thanks/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    assert_accessible(page)

    suggestion = OrganisationSuggestion.objects.exclude(pk__in=before).get()
    assert suggestion.name == new_name
    assert suggestion.municipality.name == "Duisburg"
    assert suggestion.scope == Scope.INTERNATIONAL
    assert suggestion.submitter_email == "senait@example.org"

    # Not in the directory before SKEW approves it.
    page.goto(page.base_url + "/organisations/?q=Eritreische+Jugend")
    assert new_name not in listed_names(page)
    page.goto(page.base_url + "/organisations/")
    assert new_name not in page.content()
    assert not organisations_published().filter(name=new_name).exists()


def test_list_and_detail_fit_a_phone(phone_page, demo):
    phone_page.goto(phone_page.base_url + "/organisations/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list scrolls sideways on a phone ({width}px)"
    assert_accessible(phone_page)

    with phone_page.expect_navigation():
        phone_page.locator(".organisation-list h3 a").first.click()
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the entry scrolls sideways on a phone ({width}px)"
    assert_accessible(phone_page)


# A 1×1 PNG, served for every tile so the test needs no network.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_the_map_loads_nothing_from_the_tile_server_before_the_visitor_asks(page, demo, settings):
    settings.MIGLOBE_MAP_TILES = "https://tiles.example.test/{z}/{x}/{y}.png"
    towns = (
        organisations_published()
        .filter(municipality__latitude__isnull=False)
        .values("municipality")
        .distinct()
        .count()
    )
    assert towns >= 2
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if request.url.startswith("http") and not request.url.startswith(page.base_url)
            else None
        ),
    )
    page.route(
        "https://tiles.example.test/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG),
    )

    page.goto(page.base_url + "/organisations/?scope=local")
    with page.expect_navigation():
        page.get_by_role("link", name="Auf der Karte zeigen").click()
    page.goto(page.base_url + "/organisations/map/")
    # The notice names the server.
    expect(page.locator("#map-consent").get_by_text("tiles.example.test")).to_be_visible()
    assert_accessible(page)
    assert elsewhere == []
    assert page.evaluate("typeof window.L") == "undefined"  # not even Leaflet is loaded

    page.get_by_role("button", name="Karte laden").click()

    markers = page.locator("#map path.leaflet-interactive")
    expect(markers).to_have_count(towns)
    # A locator, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("#map img.leaflet-tile-loaded").first).to_be_attached()
    assert elsewhere and all(url.startswith("https://tiles.example.test/") for url in elsewhere)
    expect(page.locator("#map-status")).to_have_text("Die Karte ist geladen.")
    assert_accessible(page)

    # A town's circle leads to the list of its organisations.
    duisburg = page.locator("#map path.leaflet-interactive").nth(0)
    duisburg.click(force=True)
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text(re.compile(r"Organisationen in (.+): (\d+)"))
    town, count = re.match(r"Organisationen in (.+): (\d+)", link.inner_text()).groups()
    with page.expect_navigation():
        link.click()
    assert result_count(page) == int(count)
    expect(page.locator(".organisation-list")).to_contain_text(f"· {town} ·", use_inner_text=True)
