"""The directory on a map: towns and how many listed organisations each has.

Organisations are placed at their town, never at an address. The page is a
table of towns that works without JavaScript; the map itself (Leaflet from our
own static files) and its tiles load only when the visitor presses the button,
so no request leaves the browser for the tile server before that visitor asks
(German data-protection practice). The tile server is the setting
MIGLOBE_MAP_TILES, and only this page's Content-Security-Policy allows it.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from actors.directory_cache import cached, cached_html
from actors.filters import OrganisationFilter
from actors.models import Organisation
from actors.search import typo_mode
from actors.selectors import organisations_published


def tile_origin(template: str) -> str:
    """The origin a tile URL template loads from, for the Content-Security-Policy."""
    parts = urlsplit(template.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


def tile_host(template: str) -> str:
    """The tile server's name as the privacy notice names it ("tile.openstreetmap.org")."""
    return urlsplit(template.replace("{s}.", "").replace("{s}", "a")).hostname or ""


def _town_rows(params) -> list[dict]:
    published = organisations_published()
    filterset = OrganisationFilter(
        params, queryset=published, forgive_typos=typo_mode(params.get("q", ""), published)
    )
    return list(
        Organisation.objects.filter(pk__in=filterset.qs.values("pk"))
        .values(
            "municipality_id",
            "municipality__name",
            "municipality__latitude",
            "municipality__longitude",
        )
        .annotate(count=Count("pk"))
        .order_by("municipality__name")
    )


def towns(request: HttpRequest) -> tuple[OrganisationFilter, list[dict]]:
    """The list's filters, and the towns of the organisations they give, with counts."""
    filterset = OrganisationFilter(request.GET, queryset=organisations_published())
    parts = [(k, v) for k, v in request.GET.items() if k in filterset.form.fields and v]
    rows = cached("towns", parts, lambda: _town_rows(request.GET))
    params = {
        key: value
        for key, value in request.GET.items()
        if key in filterset.form.fields and key not in ("municipality", "sort") and value
    }
    list_url = reverse("actors:organisation_list")
    result = []
    for row in rows:
        latitude, longitude = row["municipality__latitude"], row["municipality__longitude"]
        query = urlencode({**params, "municipality": row["municipality_id"]})
        result.append(
            {
                "name": row["municipality__name"],
                "count": row["count"],
                "url": f"{list_url}?{query}",
                "lat": float(latitude) if latitude is not None else None,
                "lon": float(longitude) if longitude is not None else None,
            }
        )
    return filterset, result


MAP_PARAMS = {"q", "municipality", "field", "scope", "kind", "country", "sort"}


def _map_context(request: HttpRequest) -> dict:
    filterset, places = towns(request)
    tiles = settings.MIGLOBE_MAP_TILES
    params = QueryDict(mutable=True)
    for key in request.GET:
        if key in MAP_PARAMS:
            params.setlist(key, request.GET.getlist(key))
    return {
        "filter": filterset,
        "towns": places,
        "total": sum(place["count"] for place in places),
        "on_map": [place for place in places if place["lat"] is not None],
        "query_string": params.urlencode(),
        "tiles": tiles,
        "tile_host": tile_host(tiles) if tiles else "",
        "attribution": settings.MIGLOBE_MAP_ATTRIBUTION,
        "attribution_url": settings.MIGLOBE_MAP_ATTRIBUTION_URL,
    }


def organisation_map(request: HttpRequest) -> HttpResponse:
    content = cached_html(
        request, "map-html", MAP_PARAMS, "actors/_organisation_map.html",
        lambda: _map_context(request),
    )  # fmt: skip
    response = render(request, "actors/organisation_map.html", {"content": content})
    tiles = settings.MIGLOBE_MAP_TILES
    if tiles:
        # Tiles are images from the tile server: allowed on this page and nowhere else.
        response._csp_update = {"img-src": [tile_origin(tiles)]}
    return response
