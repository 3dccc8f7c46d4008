from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actors.views.maps import tile_host
from core.health import check_broker, check_cache, check_database, outbox_state


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


# The legal pages every German public portal has: legal notice, privacy, accessibility,
# and what the portal offers explained in Leichte Sprache (BITV 2.0, § 4). That one is
# written for each language rather than translated: Leichte Sprache in German, plain
# English for every other language.
LEGAL_PAGES: dict[str, str | dict[str, str]] = {
    "imprint": "pages/imprint.html",
    "privacy": "pages/privacy.html",
    "accessibility": "pages/accessibility.html",
    "easy_read": {"de": "pages/easy_read_de.html", "en": "pages/easy_read_en.html"},
}


def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    template = LEGAL_PAGES[page]
    if isinstance(template, dict):
        template = template.get(get_language(), template["en"])
    tiles = settings.MIGLOBE_MAP_TILES
    return render(
        request,
        template,
        {
            "contact_email": settings.SKEW_TEAM_EMAIL,
            "retention_days": settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS,
            "application_months": settings.MIGLOBE_APPLICATION_RETENTION_MONTHS,
            "tile_host": tile_host(tiles) if tiles else "",
        },
    )


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """The state of each service: 200 when database and broker answer, 503 naming what does not.

    The cache may be down without stopping the pages (it fails open), so it is named
    but does not turn the answer into 503; the outbox's counts say whether email waits.
    """
    checks = {"database": check_database(), "broker": check_broker(), "cache": check_cache()}
    body: dict[str, object] = {
        "status": "ok" if not (checks["database"] or checks["broker"]) else "error",
        "database": "ok" if checks["database"] is None else f"down: {checks['database']}",
        "broker": (
            ("ok" if settings.REDIS_URL else "eager (no broker configured)")
            if checks["broker"] is None
            else f"down: {checks['broker']}"
        ),
        "cache": "ok" if checks["cache"] is None else f"down: {checks['cache']}",
    }
    if checks["database"] is None:
        body["email_outbox"] = outbox_state()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
