"""The public pages of the foundation in a real browser, with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.actors.factories import OrganisationFactory, PublicationConsentFactory
from tests.e2e.conftest import assert_accessible
from tests.engagements.factories import MunicipalityFactory

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_home_page_is_german_accessible_and_switches_to_english(page):
    page.goto(page.base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/organisations/gibt-es-nicht/",  # the portal's 404 page
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
    ],
)
def test_account_error_and_legal_pages_are_accessible(page, path):
    page.goto(page.base_url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_home_page_on_a_phone(phone_page):
    phone_page.goto(phone_page.base_url + "/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert_accessible(phone_page)


def test_intercultural_calendar_is_accessible_and_filters_by_town(page):
    duisburg = MunicipalityFactory(name="Duisburg", federal_state="NW")
    PublicationConsentFactory(
        organisation=OrganisationFactory(municipality=duisburg, countries_of_origin=["MA"])
    )

    page.goto(page.base_url + "/calendar/?months=12")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    holidays = page.locator("table td li strong")
    expect(holidays.filter(has_text="Throne Day")).to_be_visible()  # Morocco, 30 July
    expect(page.get_by_text("Allerheiligen")).to_have_count(0)  # not nationwide
    assert_accessible(page)

    page.get_by_label("Kommune").select_option(label="Duisburg")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_load_state()
    expect(holidays.filter(has_text="Allerheiligen")).to_be_visible()  # a holiday in NRW
    assert_accessible(page)
