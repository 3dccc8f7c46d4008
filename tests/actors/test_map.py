"""The directory's map: towns with counts, the list's filters, tiles only where allowed."""

import re
from decimal import Decimal

import pytest

from tests.actors.conftest import published
from tests.actors.factories import FieldOfActionFactory
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TILES = "https://{s}.tiles.example.test/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _tiles(settings):
    settings.MIGLOBE_MAP_TILES = TILES


def rows(response) -> dict[str, tuple[int, str]]:
    """The table of towns: name → (count, link)."""
    found = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="numeric"><a href="([^"]+)">(\d+)</a>',
        response.content.decode(),
    )
    return {name: (int(count), link.replace("&amp;", "&")) for name, link, count in found}


def test_towns_count_only_published_organisations_and_link_to_the_list(client, world):
    response = client.get("/organisations/map/")

    assert response.status_code == 200
    # Duisburg also has an organisation without consent and one that withdrew it.
    assert rows(response) == {
        "Duisburg": (2, f"/organisations/?municipality={world['duisburg'].pk}"),
        "Hamm": (1, f"/organisations/?municipality={world['hamm'].pk}"),
    }
    listed = client.get(rows(response)["Duisburg"][1]).content.decode()
    assert "Ghanaische Union Duisburg e. V." in listed
    assert "Senegalesischer Kulturkreis" not in listed


def test_the_map_follows_the_lists_filters(client, world):
    response = client.get("/organisations/map/?scope=local&q=&sort=town")

    assert rows(response) == {
        "Duisburg": (1, f"/organisations/?scope=local&municipality={world['duisburg'].pk}"),
        "Hamm": (1, f"/organisations/?scope=local&municipality={world['hamm'].pk}"),
    }
    assert '<a href="/organisations/?scope=local&amp;q=&amp;sort=town">' in (
        response.content.decode()
    )
    # The list links to the map with its filters.
    page = client.get("/organisations/?scope=local").content.decode()
    assert 'href="/organisations/map/?scope=local"' in page


def test_the_map_data_holds_towns_with_coordinates_only(client, world):
    nowhere = MunicipalityFactory(name="Ohneort", latitude=None, longitude=None)
    published(name="Verein ohne Koordinaten", municipality=nowhere)
    world["duisburg"].latitude, world["duisburg"].longitude = Decimal("51.4344"), Decimal("6.7623")
    world["duisburg"].save()

    response = client.get("/organisations/map/")

    assert rows(response)["Ohneort"][0] == 1  # the table has every town
    data = response.context["on_map"]
    assert [town["name"] for town in data] == ["Duisburg", "Hamm"]
    assert (data[0]["lat"], data[0]["lon"], data[0]["count"]) == (51.4344, 6.7623, 2)
    assert '<script id="map-towns" type="application/json">' in response.content.decode()


def test_only_the_map_page_allows_the_tile_server(client, world):
    csp = client.get("/organisations/map/")["Content-Security-Policy"]
    img_src = next(d for d in csp.split(";") if d.strip().startswith("img-src"))
    assert "https://*.tiles.example.test" in img_src
    for url in ("/organisations/", "/organisations/statistics/", "/"):
        assert "tiles.example.test" not in client.get(url)["Content-Security-Policy"]


def test_nothing_on_the_page_loads_from_the_tile_server_by_itself(client, world):
    html = client.get("/organisations/map/").content.decode()

    # The tile server is named in the notice and handed to the script, never loaded.
    assert "<strong>a.tiles.example.test</strong>" not in html
    assert "tiles.example.test</strong>" in html
    for tag in re.findall(r"<(?:img|script|link|iframe)\b[^>]*>", html):
        assert "tiles.example.test" not in tag, tag
    assert 'data-tiles="https://{s}.tiles.example.test/{z}/{x}/{y}.png"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html  # ours, loaded on request


def test_without_a_tile_server_the_page_is_the_table(client, world, settings):
    settings.MIGLOBE_MAP_TILES = ""

    response = client.get("/organisations/map/")

    html = response.content.decode()
    assert 'id="map-load"' not in html
    assert "organisation-map.js" not in html
    assert rows(response)["Hamm"][0] == 1


@pytest.mark.parametrize(
    "query", ["?scope=galactic", "?country=XX", "?municipality=abc", "?q=" + "%27%22%25" * 500]
)
def test_odd_filters_give_an_empty_map_or_a_message_never_an_error(client, world, query):
    response = client.get("/organisations/map/" + query)
    assert response.status_code == 200


def test_english_map(client, world):
    client.cookies["django_language"] = "en"
    html = client.get("/organisations/map/").content.decode()
    assert "Organisations on the map" in html
    assert "Load map" in html


def test_query_count_does_not_grow_with_towns(client, world, count_queries):
    fair = FieldOfActionFactory(slug="bildung", name_de="Bildung")
    urls = ["/organisations/map/?field=bildung", "/organisations/map/"]
    count_queries.get(client, urls[0])  # warm caches that do not depend on rows
    small = [count_queries.get(client, url) for url in urls]
    for i in range(15):
        organisation = published(name=f"Verein {i}", municipality=MunicipalityFactory())
        organisation.fields_of_action.set([fair])
    assert [count_queries.get(client, url) for url in urls] == small
