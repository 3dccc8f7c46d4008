import os
import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.db import connection

IN_CI = bool(os.environ.get("CI"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI every test runs against the real services: a skip is a failure."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped under CI, where every service must be present: {reason}"


@pytest.fixture
def postgres_only(db):
    """For tests of PostgreSQL behaviour (full-text search, concurrency)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture
def count_queries():
    """How many queries something runs on the default database.

    ``count_queries(call)`` runs ``call()`` and returns the number of queries it ran;
    ``count_queries.get(client, url, data=None)`` counts one GET through a test client,
    asserts that it answered 200 and reads a streamed answer to its end (a streamed
    answer runs its queries while it is read). Tests that need the SQL text itself use
    ``CaptureQueriesContext`` directly.
    """
    from django.test.utils import CaptureQueriesContext

    def count(call) -> int:
        with CaptureQueriesContext(connection) as context:
            call()
        return len(context.captured_queries)

    def get(client, url, data=None) -> int:
        def fetch():
            response = client.get(url, data)
            if response.streaming:
                b"".join(response.streaming_content)
            assert response.status_code == 200, f"GET {url}: {response.status_code}"

        return count(fetch)

    count.get = get
    return count


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Rate-limit counters and cached lookups live in the cache, which is Redis in
    # CI and shared by the whole run: each test starts with an empty one. A new key
    # prefix (Django rebuilds its cache connections when CACHES changes) leaves the
    # keys of other tests and other processes alone, where clearing would not.
    import copy
    import uuid

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"miglobe-test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded receipts go to a temporary folder, never into the work tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _german_by_default():
    # A test (or a request handled in this thread) may leave another language
    # active; every test starts in the portal's default language.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def log_in():
    """Log a client in as allauth's login would: with the moment of the login recorded.

    `client.force_login` records none, so every sensitive action would first ask for the
    password again (core.permissions.require_recent_login).
    """

    def log_in(client, user, *, seconds_ago: float = 0):
        client.force_login(user)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time() - seconds_ago, "email": user.email}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        return client

    return log_in
