"""The consultation-request journey in a real browser, on the demo data, with axe-core.

An officer signs up, confirms their email and drafts a request; SKEW confirms
the officer in the admin; the officer submits; SKEW takes the request into
review, sees the ranked advisors and accepts with one; the officer sees the
accepted request.
"""

import re

import pytest
from playwright.sync_api import expect

from engagements.enums import RequestStatus
from engagements.models import ConsultationRequest, Engagement
from tests.e2e.conftest import assert_accessible, emailed, login

# serialized_rollback restores the reference data of the migrations after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "miglobe-demo"


def fill_request(page, goals: str) -> None:
    page.get_by_label("Was möchte Ihre Kommune erreichen?").fill(goals)
    page.get_by_label("Wobei brauchen Sie Beratung?").fill(
        "Recherche migrantischer Akteure und ein Vernetzungstreffen im Rathaus."
    )
    page.get_by_label("Fairer Handel", exact=False).first.check()
    page.get_by_label("Integrationsrat vorhanden").check()
    page.get_by_label("gewünschter Beginn").fill("2027-03-01")
    page.get_by_label("gewünschtes Ende").fill("2027-09-30")
    page.get_by_label("Wir beantragen die Erstattung", exact=False).check()


def staff_page(browser, live_server):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "skew@example.org", PASSWORD)
    return page


def test_new_officer_signs_up_and_gets_an_accepted_request(page, browser, live_server, demo):
    # Sign up as officer of Eschweiler.
    page.goto(page.base_url + "/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Ihr Name").fill("Jana Neumann")
    page.get_by_label("E-Mail-Adresse").fill("jana.neumann@eschweiler.example.org")
    page.get_by_label("Ihre Kommune", exact=False).first.select_option(label="Eschweiler")
    page.get_by_label("Ihre Funktion in der Verwaltung").fill("Integrationsbeauftragte")
    page.get_by_label("Passwort", exact=True).fill("ein-langes-passwort-2027")
    page.get_by_label("Passwort (Wiederholung)").fill("ein-langes-passwort-2027")
    page.get_by_role("button", name="Registrieren").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    assert_accessible(page)

    _message, link = emailed(
        "jana.neumann@eschweiler.example.org", r"https?://\S+/accounts/confirm-email/\S+/"
    )
    page.goto(page.base_url + link[link.index("/accounts/") :])
    assert_accessible(page)
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_load_state()

    # Draft a request: submitting waits for SKEW's confirmation.
    page.goto(page.base_url + "/requests/new/")
    expect(page.get_by_role("note")).to_contain_text("noch nicht einreichen")
    assert_accessible(page)
    fill_request(page, "Eschweilers Eine-Welt-Arbeit für Migrantenorganisationen öffnen.")
    page.get_by_role("button", name="Als Entwurf speichern").click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    expect(page.locator("main p").filter(has_text="Status:")).to_contain_text("Entwurf")
    assert_accessible(page)
    request_url = page.url

    # SKEW's first page in the admin says that an officer waits, and leads to them.
    skew = staff_page(browser, live_server)
    skew.goto(skew.base_url + "/admin/")
    todo = skew.locator("#skew-todo")
    todo.get_by_role("link", name="Ansprechpersonen der Kommunen, noch nicht bestätigt").click()
    skew.wait_for_load_state()
    expect(skew.locator("#result_list")).to_contain_text("Jana Neumann")
    skew.goto(skew.base_url + "/admin/")
    assert_accessible(skew)

    # SKEW confirms the officer in the admin.
    skew.goto(skew.base_url + "/admin/engagements/municipalofficer/?q=jana.neumann")
    skew.locator("input[name=_selected_action]").first.check()
    skew.locator("select[name=action]").select_option("confirm")
    skew.get_by_role("button", name=re.compile("Ausführen|Go")).click()
    skew.wait_for_load_state()
    expect(skew.locator(".messagelist")).to_contain_text("Ansprechperson bestätigt")
    assert_accessible(skew)

    # The officer submits.
    page.goto(request_url)
    page.get_by_role("button", name="Anfrage einreichen").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Ihre Anfrage ist eingereicht")
    assert_accessible(page)
    request_obj = ConsultationRequest.objects.get(
        created_by__email="jana.neumann@eschweiler.example.org"
    )
    assert request_obj.status == RequestStatus.SUBMITTED

    # SKEW reviews, sees the ranked pool and accepts with one advisor.
    skew.goto(skew.base_url + f"/admin/engagements/consultationrequest/{request_obj.pk}/change/")
    assert_accessible(skew)
    skew.get_by_role("button", name="In Prüfung nehmen").click()
    skew.wait_for_url(re.compile(r"/match/$"))
    rows = skew.locator("tr.match-row")
    assert rows.count() >= 10  # the active NRW pool
    expect(rows.first).to_contain_text("km von")
    assert_accessible(skew)
    rows.first.locator("input[type=checkbox]").check()
    skew.get_by_role("button", name="Anfrage annehmen und Einsatz einrichten").click()
    skew.wait_for_url(re.compile(r"/admin/engagements/engagement/\d+/change/"))
    assert_accessible(skew)
    engagement = Engagement.objects.get(consultation_request=request_obj)
    assert engagement.milestones.count() == 4
    skew.context.close()

    # The officer sees the accepted state, and follows the engagement from here.
    chosen = engagement.advisors.get()
    page.goto(request_url)
    expect(page.get_by_role("note")).to_contain_text("angenommen")
    section = page.get_by_role("region", name="Ihr Beratungseinsatz")
    expect(section).to_contain_text(str(chosen))
    expect(section.locator("tbody tr")).to_have_count(4)  # the standard milestones
    assert_accessible(page)


def test_demo_officer_submits_and_skew_sees_ranked_advisors(page, browser, live_server, demo):
    login(page, "officer@eschweiler.example.org", PASSWORD)
    page.goto(page.base_url + "/requests/new/")
    fill_request(page, "Zweiter Einsatz: Partnerschaften mit Kommunen im Globalen Süden.")
    page.get_by_role("button", name="Anfrage einreichen").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Ihre Anfrage ist eingereicht")
    page.goto(page.base_url + "/requests/")
    assert_accessible(page)
    request_obj = ConsultationRequest.objects.filter(status=RequestStatus.SUBMITTED).get()

    skew = staff_page(browser, live_server)
    skew.goto(
        skew.base_url
        + f"/admin/engagements/consultationrequest/?status__exact={RequestStatus.SUBMITTED}"
    )
    expect(skew.locator("#result_list")).to_contain_text("Eschweiler")
    skew.goto(skew.base_url + f"/admin/engagements/consultationrequest/{request_obj.pk}/change/")
    skew.get_by_role("button", name="In Prüfung nehmen").click()
    skew.wait_for_url(re.compile(r"/match/$"))
    scores = [float(s.replace(",", ".")) for s in skew.locator("td.match-score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    skew.context.close()
