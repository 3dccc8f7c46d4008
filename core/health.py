"""Checks of the services the portal depends on, for /health/ and monitoring."""

import redis
from django.conf import settings
from django.db import connection


def check_database() -> str | None:
    """Return None when the database answers, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
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
    timeout = settings.MIGLOBE_HEALTH_TIMEOUT
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # any failure at all means "down"
        return exc.__class__.__name__
    return None
