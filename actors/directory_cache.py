"""Figures of the public directory, cached under the directory's version.

The counts behind the directory's filters, its pages' rows, the map's towns and the
statistics read many organisations; at 100,000 of them, reading them for every visitor
would take longer than the page may. They are kept in the cache (Redis) under the
token of `DirectoryVersion`, which database triggers change at the commit of every
change the directory shows (migration actors 0009). So a withdrawn consent, a new
organisation or a renamed field of action is on every page at once, in every process,
and nothing has to remember to clear anything, `.update()` and raw SQL included.

A transaction that has itself changed the directory reads it uncached: its change is not
committed, so the token has not moved for it yet. Without Redis the figures are computed
for every visitor, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")

TIMEOUT = 24 * 60 * 60  # tokens move on; old entries just expire


def directory_token() -> str | None:
    """The directory's current token, or None where the figures must be computed afresh
    (no token yet, or this transaction changed the directory)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT (SELECT token FROM actors_directoryversion WHERE id = 1), "
                "current_setting('miglobe.directory_changed', true)"
            )
        else:
            cursor.execute("SELECT (SELECT token FROM actors_directoryversion WHERE id = 1), ''")
        token, changed_here = cursor.fetchone()
    return None if not token or changed_here else token


def cached(name: str, parts: Iterable[tuple[str, str]], compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave before for the same `parts` at the same version."""
    token = directory_token()
    if token is None:
        return compute()
    digest = hashlib.sha256(repr(sorted(parts)).encode()).hexdigest()[:32]
    key = f"directory:{token}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def cached_html(
    request: HttpRequest,
    name: str,
    params: Iterable[str],
    template: str,
    context: Callable[[], dict],
) -> SafeString:
    """A page's content rendered from `template`, cached for these query parameters (only
    `params` count) and the visitor's language. For content that shows the same to every
    visitor: nothing of the session, the user or a form token."""
    names = set(params)
    parts = [(key, str(value)) for key, value in request.GET.items() if key in names and value]
    parts.append(("language", get_language()))
    html = cached(name, parts, lambda: render_to_string(template, context(), request=request))
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there
