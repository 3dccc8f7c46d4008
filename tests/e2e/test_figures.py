"""The programme's figures in a real browser, on the demo data, with axe-core.

SKEW opens the figures page: the table shows the demo's completed Eschweiler
engagement in North Rhine-Westphalia in 2020 and the running Witten one in this
year, the charts beside it are drawn from the page itself, and the page passes
axe-core on a desktop and on a phone.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from miglobe.demo import SKEW_EMAIL
from outcomes.figures import FIGURES
from tests.e2e.conftest import assert_accessible, login

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "miglobe-demo"
COLUMN = {key: index for index, (key, _label) in enumerate(FIGURES)}


def cell(row, key):
    # The row header and the year come first, then one cell per figure.
    return row.locator("td").nth(1 + COLUMN[key])


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_skew_reads_the_programme_figures(browser, live_server, demo, viewport):
    context = browser.new_context(
        locale="de-DE", viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, SKEW_EMAIL, PASSWORD)
        page.goto(live_server.url + "/staff/figures/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Kennzahlen des Programms")
        states = page.locator("#figures-states tbody tr")
        nrw_2020 = states.filter(has_text="Nordrhein-Westfalen").filter(
            has=page.locator("td", has_text="2020")
        )
        expect(nrw_2020).to_have_count(1)
        expect(cell(nrw_2020, "completed")).to_have_text("1")
        expect(cell(nrw_2020, "adopted")).to_have_text("2")
        this_year = states.filter(has_text="Nordrhein-Westfalen").filter(
            has=page.locator("td", has_text=str(timezone.localdate().year))
        )
        expect(cell(this_year, "started")).to_have_text("1")
        # The charts come with the page (no CDN): inline SVG with a text alternative.
        expect(page.locator("svg.chart__svg").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= max(viewport[0], 390)
        assert_accessible(page)
    finally:
        context.close()
