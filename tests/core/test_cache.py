"""The cache fails open: without Redis, pages go on and rate limits stop counting."""

import logging
import socket

import pytest
from django.core.cache import caches

from core import cache as fail_open


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_redis_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "dead": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    yield caches["dead"]
    fail_open._down_until.clear()


def test_without_redis_the_cache_answers_as_an_empty_one_and_logs_once(dead_redis_cache, caplog):
    cache = dead_redis_cache
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("rate:login", "nothing") == "nothing"
        cache.set("rate:login", 5)  # stored nowhere, and no error
        assert cache.add("token", 1) is True  # a double-submit token does not block
        assert cache.incr("rate:login") == 1  # a count starts again: nobody is locked out
        assert cache.get_many(["a", "b"]) == {}
        assert cache.delete("rate:login") is False

    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1
    assert "pages go on without it" in warnings[0].getMessage()


def test_after_a_failure_a_dead_redis_is_not_asked_again_for_a_while(dead_redis_cache, monkeypatch):
    dead_redis_cache.get("first")  # fails, and marks the server down
    asked = []
    monkeypatch.setattr(type(dead_redis_cache).__mro__[1], "get", lambda *args: asked.append(args))

    assert dead_redis_cache.get("second", "default") == "default"
    assert asked == []  # answered from the mark, without a connection attempt


def test_another_redis_that_answers_is_not_affected(dead_redis_cache, settings):
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("needs the real Redis: set REDIS_URL")
    dead_redis_cache.get("x")
    live = caches["default"]
    live.set("fail-open-probe", "here", 30)
    assert live.get("fail-open-probe") == "here"
