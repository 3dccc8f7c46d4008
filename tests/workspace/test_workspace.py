"""The advisor's workspace: who sees what, bad input, receipts, exports and speed."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actors.models import Organisation, ResearchFinding
from engagements.enums import EngagementStatus, EntryStatus
from engagements.models import Expense, TimeEntry
from tests.actors.factories import (
    ContactPersonFactory,
    OrganisationFactory,
    PublicationConsentFactory,
    ResearchFindingFactory,
)
from tests.engagements.factories import ExpenseFactory, MilestoneFactory, TimeEntryFactory
from tests.workspace.conftest import exe_bytes, jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workspace:dashboard")


def engagement_url(engagement):
    return reverse("workspace:engagement", args=[engagement.pk])


def entry_data(engagement, **overrides):
    data = {
        "engagement": engagement.pk,
        "date": "2020-05-04",
        "hours": "3.5",
        "activity": "Gespräch mit dem Integrationsrat",
        "description": "",
        "action": "draft",
    }
    data.update(overrides)
    return data


def expense_data(engagement, receipt=None, **overrides):
    data = {
        "engagement": engagement.pk,
        "date": "2020-05-04",
        "category": "travel",
        "amount": "23.40",
        "description": "Bahnfahrt Aachen–Eschweiler",
        "action": "draft",
    }
    if receipt is not None:
        data["receipt"] = receipt
    data.update(overrides)
    return data


# --- the permission cast ----------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, engagement):
    for url in (
        DASHBOARD,
        engagement_url(engagement),
        reverse("workspace:entry_create", args=["time"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_advisor_sees_own_engagement(client, advisor, engagement):
    client.force_login(advisor.user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Eschweiler" in response.text
    assert client.get(engagement_url(engagement)).status_code == 200


def test_co_advisor_sees_the_engagement_and_its_findings(client, co_advisor, advisor, engagement):
    finding = ResearchFindingFactory(
        engagement=engagement, advisor=advisor, organisation__municipality=engagement.municipality
    )
    client.force_login(co_advisor.user)
    response = client.get(engagement_url(engagement))
    assert response.status_code == 200
    assert finding.organisation.name in response.text


def test_advisor_on_another_engagement_gets_404(client, other_advisor, advisor, engagement):
    expense = ExpenseFactory(
        engagement=engagement, advisor=advisor, receipt=SimpleUploadedFile("b.png", png_bytes())
    )
    entry = TimeEntryFactory(engagement=engagement, advisor=advisor)
    client.force_login(other_advisor.user)
    assert client.get(engagement_url(engagement)).status_code == 404
    assert client.get(reverse("workspace:finding_create", args=[engagement.pk])).status_code == 404
    assert (
        client.get(reverse("workspace:findings_export", args=[engagement.pk, "csv"])).status_code
        == 404
    )
    assert client.get(reverse("workspace:expense_receipt", args=[expense.pk])).status_code == 404
    assert client.get(reverse("workspace:entry_edit", args=["time", entry.pk])).status_code == 404
    response = client.post(reverse("workspace:entry_action", args=["time", entry.pk, "delete"]))
    assert response.status_code == 404
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    # Nor can they book time on it.
    response = client.post(reverse("workspace:entry_create", args=["time"]), entry_data(engagement))
    assert response.status_code == 200
    assert not TimeEntry.objects.filter(advisor=other_advisor).exists()


def test_officer_and_staff_are_not_advisors(client, officer, staff, engagement):
    for user in (officer, staff):
        client.force_login(user)
        assert client.get(DASHBOARD).status_code == 404
        assert client.get(engagement_url(engagement)).status_code == 404


def test_receipt_is_served_only_to_its_advisor_and_staff(
    client, advisor, co_advisor, officer, staff, engagement
):
    expense = ExpenseFactory(
        engagement=engagement, advisor=advisor, receipt=SimpleUploadedFile("beleg.png", png_bytes())
    )
    url = reverse("workspace:expense_receipt", args=[expense.pk])
    assert client.get(url).status_code == 302
    for user, status in ((advisor.user, 200), (staff, 200), (co_advisor.user, 404), (officer, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "image/png"
            assert b"".join(response.streaming_content) == png_bytes()
    # There is no public media URL that would bypass the check.
    assert client.get("/media/" + expense.receipt.name).status_code == 404


# --- time entries ------------------------------------------------------------------------


def test_advisor_logs_time_and_submits(client, advisor, engagement):
    client.force_login(advisor.user)
    response = client.post(reverse("workspace:entry_create", args=["time"]), entry_data(engagement))
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.advisor, entry.status, entry.hours) == (
        advisor,
        EntryStatus.DRAFT,
        Decimal("3.5"),
    )
    client.post(reverse("workspace:entry_action", args=["time", entry.pk, "submit"]))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.submitted_at is not None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours": "25"}, "hours", "höchstens 24 Stunden"),
        ({"hours": "-2"}, "hours", "mehr als 0 Stunden"),
        ({"hours": "0"}, "hours", "mehr als 0 Stunden"),
        ({"date": "2019-09-30"}, "date", "außerhalb des Einsatzes"),
        ({"date": "2021-01-01"}, "date", "außerhalb des Einsatzes"),
        ({"hours": "abc"}, "hours", "Zahl"),
    ],
)
def test_bad_time_entries_are_refused_next_to_the_field(
    client, advisor, engagement, overrides, field, message
):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:entry_create", args=["time"]), entry_data(engagement, **overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    assert "Gespräch mit dem Integrationsrat" in response.text  # what was typed stays
    assert not TimeEntry.objects.exists()


def test_more_than_24_hours_on_one_day_is_refused(client, advisor, engagement):
    TimeEntryFactory(
        engagement=engagement, advisor=advisor, date=datetime.date(2020, 5, 4), hours=Decimal("22")
    )
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:entry_create", args=["time"]), entry_data(engagement, hours="3")
    )
    assert response.status_code == 200
    assert "mehr als 24 Stunden" in response.text
    assert TimeEntry.objects.count() == 1


@pytest.mark.parametrize("status", [EntryStatus.APPROVED, EntryStatus.REIMBURSED])
def test_approved_and_reimbursed_entries_cannot_be_changed(client, advisor, engagement, status):
    from tests.engagements.factories import ReimbursementReportFactory

    report = (
        ReimbursementReportFactory(pool=engagement.pool)
        if status == EntryStatus.REIMBURSED
        else None
    )
    entry = TimeEntryFactory(engagement=engagement, advisor=advisor, status=status, report=report)
    client.force_login(advisor.user)
    client.post(
        reverse("workspace:entry_edit", args=["time", entry.pk]), entry_data(engagement, hours="9")
    )
    for action in ("submit", "withdraw", "delete"):
        client.post(reverse("workspace:entry_action", args=["time", entry.pk, action]))
    entry.refresh_from_db()
    assert entry.status == status
    assert entry.hours == Decimal("3.50")


# --- expenses and receipts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("beleg.png", png_bytes(), "image/png"),
        ("beleg.jpg", jpeg_bytes(), "image/jpeg"),
        ("beleg.pdf", pdf_bytes(), "application/pdf"),
    ],
)
def test_receipts_of_each_kind_are_accepted(
    client, advisor, engagement, name, content, content_type
):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:entry_create", args=["expense"]),
        expense_data(engagement, SimpleUploadedFile(name, content, content_type), action="submit"),
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.status == EntryStatus.SUBMITTED
    assert expense.receipt.read() == content


def test_renamed_executable_is_refused_and_the_form_is_kept(client, advisor, engagement):
    client.force_login(advisor.user)
    fake = SimpleUploadedFile("beleg.pdf", exe_bytes(), "application/pdf")
    response = client.post(
        reverse("workspace:entry_create", args=["expense"]), expense_data(engagement, fake)
    )
    assert response.status_code == 200
    assert "kein PDF, JPEG oder PNG" in response.text
    assert 'id="id_receipt_error"' in response.text
    assert "Bahnfahrt Aachen–Eschweiler" in response.text
    assert 'value="23.40"' in response.text
    assert not Expense.objects.exists()


def test_oversized_receipt_is_refused(client, advisor, engagement, settings):
    settings.MIGLOBE_RECEIPT_MAX_BYTES = 1024
    client.force_login(advisor.user)
    big = SimpleUploadedFile("beleg.png", png_bytes() + b"\x00" * 2048, "image/png")
    response = client.post(
        reverse("workspace:entry_create", args=["expense"]), expense_data(engagement, big)
    )
    assert response.status_code == 200
    assert "höchstens 1,0" in response.text
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "größer als 0"), ("-5", "größer als 0"), ("99999", "vorher mit der SKEW")],
)
def test_absurd_amounts_are_refused(client, advisor, engagement, amount, message):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:entry_create", args=["expense"]), expense_data(engagement, amount=amount)
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'id="id_amount_error"' in response.text
    assert not Expense.objects.exists()


# --- milestones and findings -----------------------------------------------------------------


def test_a_milestone_done_in_year_one_is_refused_next_to_the_date(
    client, advisor, engagement, milestone
):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:milestone_done", args=[engagement.pk, milestone.pk]),
        {"done_on": "0001-01-01", "note": "Liste übergeben"},
    )
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert response.status_code == 400
    page = response.content.decode()
    field_errors = rf'<ul class="errorlist" id="done-on-{milestone.pk}-errors">(.*?)</ul>'
    errors = re.search(field_errors, page)
    assert errors and "Bitte ein Datum zwischen" in errors.group(1)
    assert "Liste übergeben</textarea>" in page  # what was typed stays


def test_advisor_marks_a_milestone_done(client, advisor, engagement, milestone):
    client.force_login(advisor.user)
    client.post(
        reverse("workspace:milestone_done", args=[engagement.pk, milestone.pk]),
        {"done_on": "2020-06-15", "note": "Liste mit 23 Akteuren übergeben"},
    )
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2020, 6, 15)
    assert milestone.note == "Liste mit 23 Akteuren übergeben"


def test_advisor_moves_a_milestone_and_the_officer_hears_why(
    client, advisor, engagement, milestone, officer, django_capture_on_commit_callbacks
):
    client.force_login(advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:milestone_move", args=[engagement.pk, milestone.pk]),
            {"due_on": "2020-09-30", "reason": "Der Ausschuss tagt erst im September."},
        )
    milestone.refresh_from_db()
    assert response.status_code == 302
    assert milestone.due_on == datetime.date(2020, 9, 30)
    told = {message.to[0]: message.body for message in mail.outbox}
    assert "30.06.2020 → 30.09.2020" in told[officer.email]
    assert "Der Ausschuss tagt erst im September." in told[officer.email]
    assert advisor.user.email not in told  # who moved it knows
    history = engagement.history.order_by("-history_id").first()
    assert history.history_user == advisor.user
    assert "Ausschuss" in history.history_change_reason


def test_a_move_without_a_reason_is_refused_next_to_the_reason(
    client, advisor, engagement, milestone
):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:milestone_move", args=[engagement.pk, milestone.pk]),
        {"due_on": "2020-09-30", "reason": "  "},
    )
    milestone.refresh_from_db()
    assert response.status_code == 400
    assert milestone.due_on == datetime.date(2020, 6, 30)
    page = response.content.decode()
    errors = re.search(rf'<ul class="errorlist" id="reason-{milestone.pk}-errors">(.*?)</ul>', page)
    assert errors and "Bitte geben Sie einen Grund an." in errors.group(1)
    assert "<details open>\n  <summary>Termin verschieben" in page
    assert 'value="2020-09-30"' in page  # what was typed stays


def test_a_completed_engagement_keeps_its_milestones(client, advisor, engagement, milestone):
    engagement.status = EngagementStatus.COMPLETED
    engagement.save()
    client.force_login(advisor.user)

    page = client.get(reverse("workspace:engagement", args=[engagement.pk])).content.decode()
    # A tab opened before the engagement was completed still sends the form.
    response = client.post(
        reverse("workspace:milestone_move", args=[engagement.pk, milestone.pk]),
        {"due_on": "2020-09-30", "reason": "Nachträglich"},
        follow=True,
    )
    milestone.refresh_from_db()
    assert "Termin verschieben" not in page and "Als erledigt vermerken" not in page
    said = [str(message) for message in response.context["messages"]]
    assert said == ["Der Einsatz ist abgeschlossen; seine Meilensteine stehen fest."]
    assert milestone.due_on == datetime.date(2020, 6, 30)


def test_milestone_of_another_engagement_answers_404(client, advisor, engagement):
    foreign = MilestoneFactory()
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:milestone_done", args=[engagement.pk, foreign.pk]),
        {"done_on": "2020-06-15"},
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_on is None


def finding_data(**overrides):
    data = {
        "name": "Ghanaische Union Eschweiler e. V.",
        "kind": "migrant_org",
        "scope": "local",
        "source": "conversation",
        "found_on": "2020-02-01",
        "contact_name": "Ama Beispiel",
        "notes": "Treffen jeden ersten Sonntag",
    }
    data.update(overrides)
    return data


def test_new_organisation_is_created_with_its_finding(client, advisor, engagement):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:finding_create", args=[engagement.pk]), finding_data()
    )
    assert response.status_code == 302
    finding = ResearchFinding.objects.get()
    assert finding.organisation.name == "Ghanaische Union Eschweiler e. V."
    assert finding.organisation.municipality == engagement.municipality
    assert finding.organisation.contacts.get().name == "Ama Beispiel"
    # A finding never publishes anything by itself.
    assert not finding.organisation.consents.exists()


def test_likely_duplicate_is_shown_and_can_be_linked(client, advisor, engagement):
    existing = OrganisationFactory(
        name="Ghanaische Union Eschweiler e. V.", municipality=engagement.municipality
    )
    client.force_login(advisor.user)
    url = reverse("workspace:finding_create", args=[engagement.pk])
    response = client.post(url, finding_data(name="ghanaische union eschweiler"))
    assert response.status_code == 200
    assert "Gibt es diese Organisation schon?" in response.text
    assert existing.name in response.text
    assert 'value="ghanaische union eschweiler"' in response.text
    assert Organisation.objects.count() == 1
    client.post(url, finding_data(name="ghanaische union eschweiler", organisation=existing.pk))
    assert Organisation.objects.count() == 1
    assert ResearchFinding.objects.get().organisation == existing


def test_advisor_may_create_a_different_organisation_despite_a_similar_name(
    client, advisor, engagement
):
    OrganisationFactory(
        name="Ghanaische Union Eschweiler e. V.", municipality=engagement.municipality
    )
    client.force_login(advisor.user)
    client.post(
        reverse("workspace:finding_create", args=[engagement.pk]),
        finding_data(name="Ghanaische Union Eschweiler", create_new="on"),
    )
    assert Organisation.objects.count() == 2


# --- export ------------------------------------------------------------------------------------


@pytest.fixture
def findings_with_consent(engagement, advisor):
    public = OrganisationFactory(
        name="Afrika Forum Eschweiler",
        municipality=engagement.municipality,
        website="https://afrika-forum.example.org",
    )
    PublicationConsentFactory(organisation=public)
    agreed = ContactPersonFactory(
        organisation=public, name="Kofi Beispiel", email="kofi@example.org"
    )
    PublicationConsentFactory(organisation=public, contact_person=agreed)
    ContactPersonFactory(organisation=public, name="Zora Ohnezustimmung", email="zora@example.org")
    private = OrganisationFactory(
        name="Verein ohne Einwilligung", municipality=engagement.municipality
    )
    for organisation in (public, private):
        ResearchFindingFactory(engagement=engagement, advisor=advisor, organisation=organisation)
    return public, private


def test_csv_export_has_the_columns_and_only_what_was_agreed(
    client, advisor, engagement, findings_with_consent
):
    client.force_login(advisor.user)
    response = client.get(reverse("workspace:findings_export", args=[engagement.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Organisation", "Art", "Wirkungsradius", "Handlungsfelder", "Herkunftsländer",
        "Tätigkeitsländer", "Website", "Beschreibung", "Kontaktperson", "Funktion",
        "E-Mail", "Telefon", "gefunden am",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Afrika Forum Eschweiler"]
    assert rows[1][8] == "Kofi Beispiel"
    assert "Zora" not in response.content.decode("utf-8-sig")
    assert "Verein ohne Einwilligung" not in response.content.decode("utf-8-sig")


def test_xlsx_export_matches_the_csv(client, advisor, engagement, findings_with_consent):
    client.force_login(advisor.user)
    response = client.get(reverse("workspace:findings_export", args=[engagement.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Organisation"
    assert [row[0] for row in values[1:]] == ["Afrika Forum Eschweiler"]
    assert values[1][6] == "https://afrika-forum.example.org"


# --- costs and speed ---------------------------------------------------------------


def test_costs_use_the_fee_rate_in_force(client, advisor, co_advisor, engagement):
    TimeEntryFactory(
        engagement=engagement,
        advisor=advisor,
        date=datetime.date(2019, 12, 1),
        hours=Decimal("2"),
        status=EntryStatus.APPROVED,
    )
    TimeEntryFactory(
        engagement=engagement,
        advisor=co_advisor,
        date=datetime.date(2020, 2, 1),
        hours=Decimal("4"),
        status=EntryStatus.SUBMITTED,
    )
    TimeEntryFactory(
        engagement=engagement,
        advisor=advisor,
        date=datetime.date(2020, 2, 2),
        hours=Decimal("1"),
        status=EntryStatus.DRAFT,
    )
    ExpenseFactory(
        engagement=engagement, advisor=advisor, amount=Decimal("30.00"), status=EntryStatus.APPROVED
    )
    from engagements.selectors import engagement_costs

    costs = engagement_costs(engagement)
    assert costs.fees == {
        EntryStatus.APPROVED: Decimal("90.00"),
        EntryStatus.SUBMITTED: Decimal("200.00"),
        EntryStatus.DRAFT: Decimal("50.00"),
    }
    assert costs.committed == Decimal("320.00")  # drafts are not claimed yet
    assert costs.remaining == Decimal("680.00")
    assert costs.share_of_budget == 32
    client.force_login(advisor.user)
    assert "320,00 €" in client.get(engagement_url(engagement)).text


def fill(engagement, advisor, co_advisor, n):
    for i in range(n):
        TimeEntryFactory(
            engagement=engagement,
            advisor=advisor,
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
        )
        ExpenseFactory(
            engagement=engagement, advisor=advisor, receipt=SimpleUploadedFile("b.png", png_bytes())
        )
        MilestoneFactory(engagement=engagement)
        ResearchFindingFactory(
            engagement=engagement,
            advisor=co_advisor,
            organisation__municipality=engagement.municipality,
        )


def test_dashboard_and_engagement_page_queries_do_not_grow(
    client, advisor, co_advisor, engagement, count_queries
):
    client.force_login(advisor.user)
    fill(engagement, advisor, co_advisor, 1)
    dashboard_one, page_one = (
        count_queries.get(client, DASHBOARD),
        count_queries.get(client, engagement_url(engagement)),
    )
    fill(engagement, advisor, co_advisor, 19)
    assert count_queries.get(client, DASHBOARD) == dashboard_one
    assert count_queries.get(client, engagement_url(engagement)) == page_one


def test_finding_date_after_the_engagement_is_refused(client, advisor, engagement):
    client.force_login(advisor.user)
    response = client.post(
        reverse("workspace:finding_create", args=[engagement.pk]),
        finding_data(found_on="2021-03-01"),
    )
    assert response.status_code == 200
    assert "außerhalb des Einsatzes" in response.text
    assert not ResearchFinding.objects.exists()


def test_dashboard_lists_open_milestones_of_running_engagements_only(client, advisor, engagement):
    MilestoneFactory(engagement=engagement, title="Vernetzungstreffen vorbereiten")
    from tests.engagements.factories import EngagementAdvisorFactory

    finished = EngagementAdvisorFactory(
        advisor=advisor, slot=1, engagement__status=EngagementStatus.COMPLETED
    )
    MilestoneFactory(engagement=finished.engagement, title="Alter offener Meilenstein")
    client.force_login(advisor.user)
    response = client.get(DASHBOARD)
    assert "Vernetzungstreffen vorbereiten" in response.text
    assert "Alter offener Meilenstein" not in response.text
