"""Checks of the services the portal depends on, for /health/ and monitoring."""

from datetime import timedelta

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone


def check_database() -> str | None:
    """Return None when the database answers, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure at all means "down"
        return exc.__class__.__name__
    return None


def _ping(url: str) -> str | None:
    timeout = settings.MIGLOBE_HEALTH_TIMEOUT
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # any failure at all means "down"
        return exc.__class__.__name__
    return None


def check_broker() -> str | None:
    """Return None when the Celery broker (Redis) answers a PING, else a short reason.

    Without REDIS_URL tasks run eagerly in the web process, so there is no
    broker to be down.
    """
    if not settings.REDIS_URL:
        return None
    return _ping(settings.REDIS_URL)


def check_cache() -> str | None:
    """Return None when the cache answers (or lives in the process), else a short reason.

    A cache that is down does not stop the pages (core/cache.py): rate limits
    just do not count until it is back.
    """
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        return None
    return _ping(cache["LOCATION"])


def outbox_state() -> dict[str, int]:
    """What waits in the email outbox: queued, failed, and left in "sending" by a dead worker."""
    # The outbox imports the models, which need the app registry: not at import time.
    from .models import EmailStatus, OutboxEmail
    from .outbox import stuck_after

    now = timezone.now()
    return {
        "queued": OutboxEmail.objects.filter(status=EmailStatus.QUEUED).count(),
        "waiting_over_10_min": OutboxEmail.objects.filter(
            status=EmailStatus.QUEUED, created_at__lt=now - timedelta(minutes=10)
        ).count(),
        "failed": OutboxEmail.objects.filter(status=EmailStatus.FAILED).count(),
        "stuck": OutboxEmail.objects.stuck(now - stuck_after()).count(),
    }
