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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

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


def towns(request: HttpRequest) -> tuple[OrganisationFilter, list[dict]]:
    """The list's filters, and the towns of the organisations they give, with counts."""
    published = organisations_published()
    filterset = OrganisationFilter(
        request.GET,
        queryset=published,
        forgive_typos=typo_mode(request.GET.get("q", ""), published),
    )
    rows = (
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


def organisation_map(request: HttpRequest) -> HttpResponse:
    filterset, places = towns(request)
    tiles = settings.MIGLOBE_MAP_TILES
    params = request.GET.copy()
    params.pop("page", None)
    response = render(
        request,
        "actors/organisation_map.html",
        {
            "filter": filterset,
            "towns": places,
            "total": sum(place["count"] for place in places),
            "on_map": [place for place in places if place["lat"] is not None],
            "query_string": params.urlencode(),
            "tiles": tiles,
            "tile_host": tile_host(tiles) if tiles else "",
            "attribution": settings.MIGLOBE_MAP_ATTRIBUTION,
            "attribution_url": settings.MIGLOBE_MAP_ATTRIBUTION_URL,
        },
    )
    if tiles:
        # Tiles are images from the tile server: allowed on this page and nowhere else.
        response._csp_update = {"img-src": [tile_origin(tiles)]}
    return response
