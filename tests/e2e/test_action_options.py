"""Action options in a real browser, on the demo data, with axe-core on every page.

The demo advisor drafts an action option for Witten (the engagement running now)
from the engagement's page; Witten's officer finds it from the request's page,
comments on it, tries to record "not pursued" without a reason (the message
stands next to the field), then with one; the decision shows on the option.
Eschweiler's officer finds the completed engagement's decisions and downloads
its final report from the request's page.
"""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from engagements.models import Engagement
from miglobe.demo import ADVISOR_EMAIL, OFFICER_EMAIL, WITTEN_OFFICER_EMAIL
from outcomes.models import ActionOption
from tests.e2e.conftest import assert_accessible, desktop_page, emailed, login

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "miglobe-demo"
TITLE = "Migrantische Vereine im Integrationsrat hören"


def test_advisor_drafts_an_option_and_the_officer_comments_and_decides(
    page, browser, live_server, demo
):
    engagement = Engagement.objects.get(
        municipality__name="Witten", advisors__user__email=ADVISOR_EMAIL
    )

    advisor = page
    login(advisor, ADVISOR_EMAIL, PASSWORD)
    advisor.goto(f"{live_server.url}/advisor/engagements/{engagement.pk}/")
    advisor.get_by_role("link", name="Handlungsoption entwerfen").click()
    assert_accessible(advisor)
    advisor.get_by_label("Titel").fill(TITLE)
    advisor.get_by_label("Beschreibung").fill(
        "Der Integrationsrat lädt die migrantischen Vereine zweimal im Jahr ein."
    )
    advisor.get_by_label("Aufwand").select_option("low")
    advisor.get_by_role("button", name="Speichern").click()
    expect(advisor.get_by_role("heading", name=TITLE)).to_be_visible()
    assert_accessible(advisor)
    option = ActionOption.objects.get(title=TITLE)
    emailed(WITTEN_OFFICER_EMAIL, re.escape(f"#option-{option.pk}"))

    officer = desktop_page(browser, live_server)
    login(officer, WITTEN_OFFICER_EMAIL, PASSWORD)
    officer.goto(f"{live_server.url}{engagement.consultation_request.get_absolute_url()}")
    officer.get_by_role(
        "link", name="Handlungsoptionen ansehen, kommentieren und entscheiden"
    ).click()
    assert_accessible(officer)
    article = officer.locator(f"#option-{option.pk}")
    article.get_by_label("Ihr Kommentar").fill("Passt zu unserem Haushalt 2027.")
    article.get_by_role("button", name=re.compile("^Kommentieren")).click()
    expect(officer.locator(f"#option-{option.pk}-comments")).to_contain_text("Haushalt 2027")

    article = officer.locator(f"#option-{option.pk}")
    article.get_by_label("nicht weiterverfolgt").check()
    article.get_by_role("button", name=re.compile("^Entscheidung speichern")).click()
    reason_error = officer.locator(f"#id_d{option.pk}-reason_error")
    expect(reason_error).to_contain_text("warum die Option nicht weiterverfolgt wird")
    assert_accessible(officer)

    article = officer.locator(f"#option-{option.pk}")
    article.get_by_label("nicht weiterverfolgt").check()
    article.get_by_label("Begründung").fill("Dafür fehlt 2027 das Personal.")
    article.get_by_role("button", name=re.compile("^Entscheidung speichern")).click()
    expect(officer.locator(f"#option-{option.pk}-decision")).to_have_text(
        "nicht weiterverfolgt: Dafür fehlt 2027 das Personal."
    )
    assert_accessible(officer)
    officer.context.close()


def test_officer_finds_the_decisions_and_the_final_report_of_a_completed_engagement(page, demo):
    engagement = Engagement.objects.get(municipality__name="Eschweiler")
    report = engagement.final_reports.get()
    not_pursued = engagement.action_options.get(decision="not_pursued")

    login(page, OFFICER_EMAIL, PASSWORD)
    page.goto(page.base_url + engagement.consultation_request.get_absolute_url())
    link = page.locator("#final-report-link")
    expect(link).to_contain_text("von der Kommune und der SKEW bestätigt")
    with page.expect_download() as download:
        link.get_by_role("link", name="Abschlussbericht, Version 1 (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
    assert_accessible(page)

    page.get_by_role("link", name="Handlungsoptionen und Entscheidungen ansehen").click()
    expect(page.locator(f"#option-{not_pursued.pk}-decision")).to_have_text(
        f"nicht weiterverfolgt: {not_pursued.decision_reason}"
    )
    # Decided and completed: nothing to comment on or decide any more.
    expect(page.get_by_role("button", name=re.compile("^Entscheidung speichern"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Kommentieren"))).to_have_count(0)
    assert_accessible(page)
