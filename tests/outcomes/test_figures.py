"""The programme's figures per federal state and year: right, for staff only, and constant."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from engagements.enums import EngagementStatus, EntryStatus, RequestStatus
from engagements.models import RequestStatusChange
from engagements.reports import report_generate
from miglobe.staff_groups import FINANCE
from outcomes.enums import Decision, Implementation
from tests.actors.factories import (
    OrganisationFactory,
    PublicationConsentFactory,
    ResearchFindingFactory,
)
from tests.core.factories import StaffMemberFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    MunicipalityFactory,
    TimeEntryFactory,
)
from tests.events.factories import EventFactory, RegistrationFactory
from tests.outcomes.factories import (
    ActionOptionFactory,
    FollowUpAnswerFactory,
    FollowUpFactory,
)

pytestmark = pytest.mark.django_db


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def year_of_work(state: str, year: int) -> None:
    """One state's year: a request accepted, an engagement begun, found, met, decided, paid."""
    town = MunicipalityFactory(federal_state=state)
    request = ConsultationRequestFactory(
        municipality=town,
        status=RequestStatus.ACCEPTED,
        submitted_at=aware(datetime.date(year, 2, 1)),
    )
    change = RequestStatusChange.objects.create(
        consultation_request=request, from_status=RequestStatus.IN_REVIEW,
        to_status=RequestStatus.ACCEPTED,
    )  # fmt: skip
    RequestStatusChange.objects.filter(pk=change.pk).update(
        changed_at=aware(datetime.date(year, 3, 1))
    )
    engagement = EngagementFactory(
        municipality=town,
        consultation_request=request,
        status=EngagementStatus.COMPLETED,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year, 11, 30),
        completed_on=datetime.date(year, 12, 1),
        budget=Decimal("12000.00"),
    )
    engagement.pool.fee_rates.get_or_create(
        valid_from=datetime.date(2013, 1, 1), defaults={"hourly_rate": Decimal("45")}
    )
    assignment = EngagementAdvisorFactory(engagement=engagement)
    listed = OrganisationFactory(municipality=town)
    PublicationConsentFactory(organisation=listed)
    for organisation in (listed, OrganisationFactory(municipality=town)):
        ResearchFindingFactory(
            engagement=engagement, advisor=assignment.advisor, organisation=organisation,
            found_on=datetime.date(year, 5, 1),
        )  # fmt: skip
    event = EventFactory(
        engagement=engagement, municipality=town, starts_at=aware(datetime.date(year, 9, 1))
    )
    RegistrationFactory.create_batch(3, event=event, status="confirmed", attended=True)
    option = ActionOptionFactory(
        engagement=engagement,
        decision=Decision.ADOPTED,
        decided_at=aware(datetime.date(year, 11, 1)),
    )
    ActionOptionFactory(engagement=engagement, decision=Decision.PLANNED, decided_at=timezone.now())
    follow_up = FollowUpFactory(engagement=engagement, months=12)
    type(follow_up).objects.filter(pk=follow_up.pk).update(
        sent_at=aware(datetime.date(year + 1, 12, 1))
    )
    FollowUpAnswerFactory(
        follow_up=follow_up, option=option, implementation=Implementation.IMPLEMENTED
    )
    approved = {
        "engagement": engagement,
        "advisor": assignment.advisor,
        "status": EntryStatus.APPROVED,
    }
    TimeEntryFactory(date=datetime.date(year, 6, 1), hours=Decimal("2.00"), **approved)
    ExpenseFactory(date=datetime.date(year, 6, 2), amount=Decimal("10.50"), **approved)
    # The June report reimburses both.
    report_generate(
        pool=engagement.pool,
        period_start=datetime.date(year, 6, 1),
        period_end=datetime.date(year, 6, 30),
    )


def table(response, table_id: str) -> list[list[str]]:
    html = response.content.decode()
    body = re.search(rf'<table class="table" id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, html[:2000]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


def test_the_figures_per_state_and_year_and_their_totals(client):
    year_of_work("NW", 2026)
    year_of_work("BW", 2026)
    year_of_work("NW", 2027)
    client.force_login(StaffMemberFactory(groups=[FINANCE]))

    response = client.get(reverse("outcomes:figures"))

    assert response.status_code == 200
    rows = {(row[0], row[1]): row[2:] for row in table(response, "figures-states")}
    # requests, accepted, declined, started, completed, municipalities, organisations,
    # listed, participants, adopted, implemented (counted in the follow-up's year), costs,
    # budget. Costs: 2 h × 45.00 + 10.50.
    assert rows[("Nordrhein-Westfalen", "2026")] == [
        "1", "1", "0", "1", "1", "1", "2", "1", "3", "1", "0", "100,50", "12000,00",
    ]  # fmt: skip
    assert rows[("Nordrhein-Westfalen", "2027")][10] == "1"  # 2026's option, asked in 2027
    totals = {row[0]: row[1:] for row in table(response, "figures-totals")}
    assert totals["2026"][:3] == ["2", "2", "0"]
    assert totals["2026"][11] == "201,00"


def test_the_spreadsheet_holds_the_same_rows(client):
    year_of_work("NW", 2026)
    client.force_login(StaffMemberFactory(groups=[FINANCE]))
    response = client.get(reverse("outcomes:figures_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = (list(row) for row in sheet.iter_rows(values_only=True))
    assert header[:3] == ["Bundesland", "Jahr", "Anfragen eingegangen"]
    # Newest year first: 2027 holds only the 12-month follow-up of 2026's option.
    assert [row[:4] for row in rows if row[0] == "Nordrhein-Westfalen"] == [
        ["Nordrhein-Westfalen", 2027, 0, 0],
        ["Nordrhein-Westfalen", 2026, 1, 1],
    ]


def test_the_page_costs_the_same_queries_whatever_the_years(client, count_queries):
    client.force_login(StaffMemberFactory(groups=[FINANCE]))
    year_of_work("NW", 2026)
    few = count_queries.get(client, reverse("outcomes:figures"))
    for year in (2027, 2028, 2029):
        year_of_work("BW", year)
    assert count_queries.get(client, reverse("outcomes:figures")) == few


def test_only_skew_sees_the_figures(client, officer):
    client.force_login(officer.user)
    assert client.get(reverse("outcomes:figures")).status_code == 404
    client.force_login(StaffMemberFactory())  # staff without a group
    assert client.get(reverse("outcomes:figures_xlsx")).status_code == 404
