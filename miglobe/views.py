from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import check_broker, check_database


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 with the state of each service when all answer, 503 naming the one that does not."""
    checks = {"database": check_database(), "broker": check_broker()}
    body = {
        "status": "ok" if not any(checks.values()) else "error",
        "database": "ok" if checks["database"] is None else f"down: {checks['database']}",
        "broker": (
            ("ok" if settings.REDIS_URL else "eager (no broker configured)")
            if checks["broker"] is None
            else f"down: {checks['broker']}"
        ),
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
