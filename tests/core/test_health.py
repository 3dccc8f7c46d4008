"""/health/ reports the database and the Celery broker, and answers 503 when one is down."""

import os
import socket
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A port on 127.0.0.1 on which nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_is_ok_when_database_and_real_redis_answer(client, settings):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs the real Redis: set REDIS_URL")
    settings.REDIS_URL = redis_url

    response = client.get(reverse("health"))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"], body["cache"]) == (
        "ok",
        "ok",
        "ok",
        "ok",
    )
    assert body["email_outbox"] == {"queued": 0, "waiting_over_10_min": 0, "failed": 0, "stuck": 0}


def test_health_is_503_naming_the_broker_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.MIGLOBE_HEALTH_TIMEOUT = 1.0

    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("down")
    assert body["database"] == "ok"


def test_health_reports_eager_mode_without_redis(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("health"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"].startswith("eager")


def test_health_is_503_naming_the_database_when_it_does_not_answer(client, settings):
    settings.REDIS_URL = ""
    # A real outage cannot be produced inside the test transaction; the cursor
    # raises what the database driver raises when the server is gone.
    with mock.patch("core.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("server closed the connection")
        response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"].startswith("down")
    assert "OperationalError" in body["database"]
    assert body["broker"].startswith("eager")


def test_health_is_not_cached(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("health"))

    assert "no-cache" in response["Cache-Control"]


def test_a_cache_that_is_down_is_named_but_the_pages_go_on(client, settings):
    settings.REDIS_URL = ""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    settings.MIGLOBE_HEALTH_TIMEOUT = 1.0

    response = client.get(reverse("health"))

    assert response.status_code == 200  # the cache fails open: nothing stops for it
    body = response.json()
    assert body["cache"].startswith("down")
    assert (body["status"], body["database"]) == ("ok", "ok")
