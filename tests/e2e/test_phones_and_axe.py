"""Every role's pages on a phone and on a desktop, in German and in English, with axe-core.

The pages are the role matrix's (tests/miglobe/test_role_matrix.py): for an anonymous
visitor, the municipality's officer, the engagement's advisor and SKEW-Team (whose
pages are mostly the admin's), the addresses where that role gets 200 (and a few pages
in a state the matrix does not visit, MORE_PAGES), on the matrix's own world of one
object of everything, signed in as the matrix signs its roles in.
Each page is loaded once per language and looked at 390 px wide (a phone) and 1280 px
wide; it fails on

- an answer other than 200, or a redirect to another page (a lost sign-in),
- an axe-core violation of impact serious or critical (the rules of
  `assert_accessible`),
- a document wider than the window: the whole page scrolls sideways,
- on the phone, a header taller than a quarter of the screen.

One test per role, so that a failure names the role; it lists every page that went
wrong and how, and leaves a screenshot of each in test-results/.

What keeps it to a few minutes:
- one world, one browser window and one sign-in per role, each page loaded once per
  language (the second width by resizing the window), axe sent to the browser once;
- a page that anonymous visitors get is checked once, as they see it (the home page
  aside): a signed-in role sees the same page under its own header, which is checked
  on the role's own pages;
- axe checks the parts that are the same on every page (the header, the footer, the
  admin's navigation) once per language and width, on the first page that has them;
- the admin's model pages are five templates of Django's, filled in per model: the
  test checks every page of the engagement and the consultation request, and the
  change form of one model of each other app, chosen for its widgets (ADMIN_FORMS),
  besides the admin's own pages. With PHONES_ALL_PAGES=1 in the environment it
  checks every page of the matrix instead: a run by hand, which takes much longer
  (SKEW-Team's pages about seven minutes; give pytest --timeout=0).
"""

import datetime
import os
import re

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from django.conf import settings
from playwright.sync_api import expect

from engagements.enums import MilestoneKind
from engagements.models import Department, Engagement, Milestone
from tests.e2e.conftest import SCREENSHOTS, assert_accessible, axe_violations
from tests.miglobe.test_role_matrix import MATRIX, ROLES, _signed_in, build_world

BROWSER_ROLES = ("anonymous", "officer", "advisor", "team")
LANGUAGES = ("de", "en")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HEADER_SHARE = 0.25  # of the phone's screen height, at most

# Answers that are files or data, not pages.
NOT_PAGES = re.compile(
    r"\.(ics|csv|xlsx|pdf|xml|json)$|/receipt/$|/download/|^/health/$"
    r"|^/admin/(autocomplete|jsi18n)/"
)

# The same on every page of a role: axe checks each once per language and width.
CHROME = (".site-header", ".site-footer", "#header", "#nav-sidebar")

# The admin's model pages that are checked: all of these models' ...
ADMIN_IN_FULL = ("engagements/engagement", "engagements/consultationrequest")
# ... and the change forms of these (a filter_horizontal, inlines to type into, versions,
# an editable list's model, dates and times, a change form of our own, read-only fields).
ADMIN_FORMS = (
    "advisors/advisor",
    "advisors/pool",
    "actors/organisation",
    "actors/fieldofaction",
    "events/event",
    "recruitment/application",
    "council/councilpaper",
    "surveys/survey",
    "outcomes/finalreport",
    "core/outboxemail",
)
ADMIN_MODEL_PAGE = re.compile(r"^/admin/(?P<model>[a-z_]+/[a-z_]+)/(?P<page>.*)$")

# Pages the matrix reaches only in another state: an accepted request's page shows its
# engagement, with the milestones' table (the matrix asks for a submitted request only).
MORE_PAGES = {
    "officer": ("/requests/{accepted_request}/",),
    "team": ("/requests/{accepted_request}/",),
}

MEASURE = """(chrome) => {
  const header = document.querySelector(".site-header, #header");
  return {
    lang: document.documentElement.lang,
    width: document.documentElement.scrollWidth,
    window: window.innerWidth,
    header: header ? Math.round(header.getBoundingClientRect().height) : 0,
    chrome: chrome.filter((selector) => document.querySelector(selector)),
  };
}"""


def _pages(role: str) -> list[str]:
    """The matrix's addresses (with placeholders) that answer `role` with 200, in order."""
    column = ROLES.index(role)
    paths = {
        probe.path: None
        for probes in MATRIX.values()
        for probe in probes
        if probe.method == "GET" and probe.answers[column] == 200
    }
    return [path for path in paths if not NOT_PAGES.search(path)]


def _in_sample(path: str) -> bool:
    found = ADMIN_MODEL_PAGE.match(path)
    if not found or found["model"] in ADMIN_IN_FULL:
        return True
    return found["model"] in ADMIN_FORMS and found["page"].endswith("}/change/")


def pages_to_check(role: str) -> list[str]:
    pages = _pages(role)
    if role != "anonymous":
        everyones = set(_pages("anonymous")) - {"/"}
        pages = [path for path in pages if path not in everyones]
    pages += [path for path in MORE_PAGES.get(role, ()) if path not in pages]
    if os.environ.get("PHONES_ALL_PAGES"):
        return pages
    return [path for path in pages if _in_sample(path)]


def test_the_sample_of_pages_is_still_in_the_matrix():
    """A model renamed in the matrix must be renamed here too, or its pages go unchecked."""
    models = {found["model"] for p in _pages("team") if (found := ADMIN_MODEL_PAGE.match(p))}
    assert set(ADMIN_IN_FULL + ADMIN_FORMS) <= models


# serialized_rollback restores the reference data of the migrations after each flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", BROWSER_ROLES)
def test_every_page_fits_a_phone_and_passes_axe(browser, live_server, role):
    world = build_world()
    # A department chosen: the admin's select2 box then shows its remove-all cross,
    # which once broke the list it sits in.
    engagement = Engagement.objects.get(pk=world.ids["engagement"])
    engagement.departments.set(Department.objects.filter(municipality=engagement.municipality))
    # A milestone done, as most engagements have: its badge ("erledigt am 12.03.2020")
    # once made the milestones' table on the request's page wider than a phone.
    Milestone.objects.create(
        engagement=engagement,
        kind=MilestoneKind.NETWORK_MEETING,
        title=MilestoneKind.NETWORK_MEETING.label,
        due_on=datetime.date(2020, 3, 31),
        done_on=datetime.date(2020, 3, 12),
    )
    paths = [path.format_map(world.ids) for path in pages_to_check(role)]
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    context.add_init_script(path=AXE_FILE_PATH)  # into every page, sent to the browser once
    if world.users[role] is not None:
        session = _signed_in(world.users[role])
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    page = context.new_page()
    problems: list[str] = []
    try:
        for language in LANGUAGES:
            cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}
            context.add_cookies([{**cookie, "url": live_server.url}])
            checked: set[tuple[str, int]] = set()  # (a part of CHROME, a width)
            for path in paths:
                problems += check_page(page, live_server.url, path, language, checked)
    finally:
        context.close()
    assert not problems, f"{len(problems)} pages of {role} went wrong:\n" + "\n".join(problems)


def check_page(page, origin: str, path: str, language: str, checked: set) -> list[str]:
    """What is wrong with one page at both widths, a line for each width that has faults."""
    response = page.goto(origin + path)
    if response is None or response.status != 200:
        return [f"{path} ({language}): answered {response and response.status}"]
    if not response.headers.get("content-type", "").startswith("text/html"):
        return [f"{path}: not a page (add it to NOT_PAGES)"]
    # goto() follows redirects: a lost sign-in would check the login page instead.
    if (arrived := page.url.removeprefix(origin)) != path:
        return [f"{path} ({language}): ended up at {arrived}"]
    problems = []
    # Start at the width the window was left at: one resize per page instead of two.
    for viewport in [PHONE, DESKTOP] if page.viewport_size == PHONE else [DESKTOP, PHONE]:
        if page.viewport_size != viewport:
            page.set_viewport_size(viewport)
        found = page.evaluate(MEASURE, list(CHROME))
        width = viewport["width"]
        wrong = []
        if found["lang"] != language:
            wrong.append(f"the page is in {found['lang']!r}")
        if found["width"] > found["window"] + 1:
            wrong.append(f"scrolls sideways: the page is {found['width']} px wide")
        if viewport is PHONE and found["header"] > HEADER_SHARE * PHONE["height"]:
            wrong.append(f"the header is {found['header']} px high")
        wrong += axe_violations(
            page, exclude=tuple(part for part in found["chrome"] if (part, width) in checked)
        )
        checked.update((part, width) for part in found["chrome"])
        if wrong:
            problems.append(f"{path} ({language}, {width} px):\n    " + "\n    ".join(wrong))
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w-]+", "_", f"{language}-{width}-{path}")
            page.screenshot(path=str(SCREENSHOTS / f"phones-{name}.png"))
    return problems


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_phone_menu_opens_the_navigation_and_needs_no_javascript(browser, phone_page):
    page = phone_page
    page.goto(page.base_url + "/")
    menu = page.get_by_role("button", name="Menü")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Beratung anfragen")).to_be_visible()
    expect(page.get_by_label("Sprache")).to_be_visible()
    # axe sees the navigation and the account links only here: elsewhere on a phone
    # they are folded away.
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(navigation).to_be_hidden()
    expect(menu).to_be_focused()

    # Without JavaScript there is no button, and everything is shown.
    context = browser.new_context(viewport=PHONE, locale="de-DE", java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(page.base_url + "/")
        expect(plain.get_by_role("button", name="Menü")).to_be_hidden()
        plain_navigation = plain.get_by_role("navigation", name="Hauptnavigation")
        expect(plain_navigation.get_by_role("link", name="Beratung anfragen")).to_be_visible()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_open_select2_list_in_the_admin_passes_axe(browser, live_server):
    """The crawl sees pages as loaded; a choice list opened by the keyboard must pass too."""
    world = build_world()
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    context.set_default_timeout(15_000)
    session = _signed_in(world.users["team"])
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(
            f"{live_server.url}/admin/engagements/engagement/{world.ids['engagement']}/change/"
        )
        box = page.locator(".field-municipality .select2-selection[role=combobox]")
        box.focus()
        page.keyboard.press("Enter")
        results = page.locator(".select2-results__options[role=listbox]")
        expect(results).to_be_visible()
        expect(box).to_have_attribute("aria-controls", re.compile(r"^select2-"))
        page.keyboard.press("ArrowDown")
        expect(page.locator(".select2-results__option--highlighted")).to_have_count(1)
        problems = axe_violations(page)
        assert not problems, "\n".join(problems)
        page.keyboard.press("Escape")
        expect(results).to_have_count(0)
        expect(box).not_to_have_attribute("aria-controls", re.compile(".+"))
    finally:
        context.close()
