"""A Redis cache that fails open: while Redis is down, pages answer without it.

The cache holds nothing that must not be lost: rate-limit counters, allauth's
"mail sent a minute ago" marks, double-submit tokens. Django's Redis cache
raises when Redis is gone, and every page that counts something answered 500.
This one answers as an empty cache that stores nothing (rate limits do not
count, a warning is logged), and after a failure leaves Redis alone for a few
seconds, so a page does not wait for a dead server on every call. The health
page (/health/) says Redis is down.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, Redis is not asked again for this many seconds.
PAUSE_SECONDS = 5.0


# Per process and server: every thread's connection to one Redis shares its fate.
# A server that failed maps to the moment it may be asked again.
_down_until: dict[str, float] = {}


class FailOpenRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._server_key = str(server)

    def _guarded(self, name: str, fallback: Any, *args: Any) -> Any:
        server = self._server_key
        if time.monotonic() < _down_until.get(server, 0.0):
            return fallback
        try:
            result = getattr(super(), name)(*args)
        except (RedisError, OSError) as error:
            if server not in _down_until:
                logger.warning("Cache (Redis) unavailable, pages go on without it: %s", error)
            _down_until[server] = time.monotonic() + PAUSE_SECONDS
            return fallback
        if _down_until.pop(server, None) is not None:
            logger.warning("Cache (Redis) answers again")
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._guarded("add", True, key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guarded("get", default, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._guarded("set", None, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._guarded("delete", False, key, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._guarded("has_key", False, key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        # An unknown count starts again: a rate limit never blocks for want of Redis.
        return self._guarded("incr", delta, key, delta, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._guarded("set_many", [], data, timeout, version)

    def delete_many(self, keys: Any, version: Any = None) -> Any:
        return self._guarded("delete_many", None, keys, version)

    def clear(self) -> Any:
        return self._guarded("clear", None)
