"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the tests use the
system Chromium at /usr/bin/chromium (installed by .ci/run with apt-get).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from playwright.sync_api import expect

# expect() waits as long as the pages' own default timeout, not Playwright's 5 s: a
# loaded CI machine can take longer to show the outcome.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "test-results"))

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_itemcollected(item):
    item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def demo_media(tmp_path_factory) -> Path:
    """Where the demo's files are stored (its final report), for every test that uses it."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, demo_media) -> str:
    """The demo world, built once per browser-test session and kept as Django's
    serialized_rollback keeps the migrations' data.

    It is built on top of those data (a flush before may have emptied the
    database) in a transaction that is rolled back, so the database stays as
    it was; each test that asks for `demo` gets it back from the snapshot.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        with override_settings(MEDIA_ROOT=demo_media):
            call_command("load_demo", force=True, verbosity=0)
        snapshot = connection.creation.serialize_db_to_string()
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def demo(transactional_db, demo_snapshot, demo_media, settings) -> None:
    """The demo world (see miglobe/demo.py) for this test, restored from the snapshot."""
    connection.creation.deserialize_db_from_string(demo_snapshot)
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def desktop_page(browser, live_server):
    """A new browser window (its own cookies) on the live server, in German, desktop-sized."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


@pytest.fixture
def page(browser, live_server, request):
    page = desktop_page(browser, live_server)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    page.context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        locale="de-DE", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    # Only the violations come back: the passes would be thousands of nodes to send.
    "resultTypes": ["violations"],
}


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the current page, one
    line each; `exclude` leaves out parts (CSS selectors) checked on another page."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe !== 'undefined'"):  # once per loaded page
        page.evaluate(AXE_SCRIPT)
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    violations = page.evaluate(
        "async ([context, options]) => (await axe.run(context ?? document, options)).violations",
        [context, AXE_OPTIONS],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical WCAG 2.1 AA violation on the current page."""
    bad = axe_violations(page)
    assert not bad, f"axe on {page.url}:\n" + "\n".join(bad)


def login(page, email: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.locator("main").get_by_role("button", name=re.compile("^Anmeld")).click()
    page.wait_for_load_state()


def emailed(address: str, pattern: str, timeout: float = 10.0):
    """The newest email to `address` whose text matches `pattern`, and the match.

    The live server sends in its own thread, and a page can be shown before a
    second email (to SKEW, say) lands: look for the right one, not the last one.
    """
    import time

    from django.core import mail

    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(mail.outbox):
            found = re.search(pattern, message.body)
            if address in message.to and found:
                return message, found.group(0)
        if time.monotonic() > deadline:
            raise AssertionError(f"no email to {address} matching {pattern!r}")
        time.sleep(0.1)
