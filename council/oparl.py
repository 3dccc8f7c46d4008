"""A small OParl 1.0/1.1 client that survives real servers.

OParl is JSON over HTTP: System → Body → lists of Paper, Meeting, Organization, each list
paged by `links.next`, filtered by `modified_since`. Real servers deviate: lists without
pagination links, relative URLs, dates with or without time, numbers where strings belong,
fields missing. This client reads with timeouts and retries (requests with urllib3's
Retry: backoff, only GET, only on errors worth repeating), follows at most `max_pages` per
list, never follows the same page twice, and turns every failure into `OParlError` with a
sentence for the admin.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import requests
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

USER_AGENT = "MiGlobe-Portal (SKEW; OParl client)"


class OParlError(Exception):
    """What went wrong with a server, for the admin to read."""


def _session(retries: int, backoff: float) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json"
    return session


def _timed_out(error: BaseException) -> bool:
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, TimeoutError | ReadTimeoutError | ConnectTimeoutError)


class Client:
    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        max_pages: int = 20,
        session: requests.Session | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_pages = max_pages
        self.session = session or _session(retries, backoff)
        self.requests = 0
        self.stopped_at = ""

    def get(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """One object (or one list page) as a dict."""
        self.requests += 1
        try:
            answer = self.session.get(url, params=params, timeout=self.timeout)
        except requests.Timeout as error:
            raise OParlError(f"Zeitüberschreitung bei {url}") from error
        except requests.RequestException as error:
            if _timed_out(error):  # after its retries urllib3 reports a timeout as this
                raise OParlError(f"Zeitüberschreitung bei {url}") from error
            raise OParlError(f"Keine Verbindung zu {url}: {type(error).__name__}") from error
        if answer.status_code >= 400:
            raise OParlError(f"{url} antwortet mit HTTP {answer.status_code}")
        try:
            data = answer.json()
        except ValueError as error:
            raise OParlError(f"{url} liefert kein gültiges JSON") from error
        if not isinstance(data, dict):
            raise OParlError(f"{url} liefert kein JSON-Objekt")
        return data

    def items(
        self, url: str, *, modified_since: datetime.datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every object of a list, page by page (at most `max_pages`, never a page twice)."""
        params = {"modified_since": modified_since.isoformat()} if modified_since else None
        seen: set[str] = set()
        pages = 0
        next_url: str | None = url
        self.stopped_at = ""  # the next page when the limit ended the reading early
        while next_url and next_url not in seen:
            if pages >= self.max_pages:
                self.stopped_at = next_url
                return
            seen.add(next_url)
            page = self.get(next_url, params=params if next_url == url else None)
            pages += 1
            data = page.get("data")
            if not isinstance(data, list):
                raise OParlError(f"{next_url} ist keine OParl-Liste (kein „data“)")
            for item in data:
                if isinstance(item, dict):
                    yield item
            links = page.get("links") if isinstance(page.get("links"), dict) else {}
            following = links.get("next") if links else None
            next_url = urljoin(next_url, following) if isinstance(following, str) else None

    def body(self, system_url: str, body_url: str = "") -> dict[str, Any]:
        """The Body to read: the one named, or the system's only one."""
        if body_url:
            return self.get(body_url)
        system = self.get(system_url)
        bodies_url = system.get("body")
        if not isinstance(bodies_url, str):
            raise OParlError(f"{system_url} nennt keine Körperschaften („body“)")
        bodies = list(self.items(urljoin(system_url, bodies_url)))
        if len(bodies) != 1:
            names = ", ".join(text(b.get("name")) or text(b.get("id")) for b in bodies[:5])
            raise OParlError(
                f"{system_url} hat {len(bodies)} Körperschaften ({names}); bitte eine wählen"
            )
        return bodies[0]


# --- Tolerant readers ---------------------------------------------------------------------


def text(value: object) -> str:
    """A string from whatever a server sends (numbers, None, nested objects)."""
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())


def url_of(value: object, base: str) -> str:
    """An object's URL: a string (possibly relative) or an embedded object's `id`."""
    if isinstance(value, dict):
        value = value.get("id")
    return urljoin(base, value) if isinstance(value, str) and value else ""


GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})")


def date_of(value: object) -> datetime.date | None:
    """2020-03-12, 2020-03-12T17:00:00+01:00, 12.03.2020: the day, or None."""
    value = text(value)
    if not value:
        return None
    match = GERMAN_DATE.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def moment_of(value: object) -> datetime.datetime | None:
    value = text(value)
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        day = date_of(value)
        if day is None:
            return None
        moment = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
