"""Answering a survey in a real browser, on a phone, on the demo data, with axe-core.

An organisation of Witten opens its invitation, saves half its answer and comes back,
agrees to be listed, sees what would be published, and sends; the advisor finds the
answer in the survey's figures.
"""

import re

import pytest
from playwright.sync_api import expect

from miglobe.demo import ADVISOR_EMAIL
from surveys.models import Response
from surveys.services import answer_token
from tests.e2e.conftest import assert_accessible, desktop_page, login

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_organisation_answers_on_a_phone_and_the_advisor_sees_it(
    phone_page, browser, live_server, demo
):
    response = Response.objects.get(
        survey__engagement__municipality__name="Witten", name__startswith="Eine-Welt-Forum"
    )
    page = phone_page
    page.goto(f"{page.base_url}/surveys/answer/{answer_token(response)}/")
    expect(page.locator("#survey-duration")).to_contain_text("etwa 10 Minuten")
    # What the directory knows is there to correct, not to retype.
    expect(page.get_by_label("Name der Organisation")).to_have_value(response.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_label("Zahl der Mitglieder").fill("24")
    page.get_by_role("button", name="Zwischenspeichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Gespeichert")
    page.reload()
    expect(page.get_by_label("Zahl der Mitglieder")).to_have_value("24")

    page.get_by_label("Ja, wir willigen in die Veröffentlichung ein.").check()
    page.get_by_label("Beschreibung der Aktivitäten").check()
    page.get_by_label("Ihr Name").fill("Jana Berger")
    page.get_by_label("Ihre E-Mail-Adresse").fill("jana@eine-welt-forum.example.org")
    page.get_by_role("button", name="Zwischenspeichern").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(response.name)
    expect(preview).not_to_contain_text("https://")  # the website was not agreed
    assert_accessible(page)
    page.get_by_role("button", name="Antwort absenden").click()
    expect(page.locator("#answer-state")).to_contain_text("Ihre Antwort ist angekommen")
    assert_accessible(page)

    advisor = desktop_page(browser, live_server)
    login(advisor, ADVISOR_EMAIL, "miglobe-demo")
    advisor.goto(f"{live_server.url}/surveys/{response.survey_id}/")
    expect(advisor.locator("#figure-answered")).to_have_text("2")
    expect(advisor.locator("#answers-caption")).to_be_visible()
    expect(advisor.get_by_role("row", name=re.compile("Eine-Welt-Forum"))).to_be_visible()
    assert_accessible(advisor)
    advisor.context.close()
