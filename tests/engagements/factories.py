import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from advisors.enums import FederalState
from engagements.enums import EngagementStatus, ExpenseCategory, RequestStatus
from engagements.models import (
    ConsultationRequest,
    CostCorrection,
    Department,
    Engagement,
    EngagementAdvisor,
    Expense,
    FeeRate,
    Milestone,
    Municipality,
    MunicipalOfficer,
    ReimbursementReport,
    RequestMessage,
    RequestStatusChange,
    TimeEntry,
)
from tests.advisors.factories import AdvisorFactory, PoolFactory
from tests.core.factories import UserFactory


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    federal_state = FederalState.NW
    latitude = Decimal("51.000000")
    longitude = Decimal("7.000000")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: str(100 + n))
    name = "Integration"


class MunicipalOfficerFactory(DjangoModelFactory):
    class Meta:
        model = MunicipalOfficer

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = "Integrationsbeauftragte"


class ConsultationRequestFactory(DjangoModelFactory):
    class Meta:
        model = ConsultationRequest

    municipality = factory.SubFactory(MunicipalityFactory)
    created_by = factory.SubFactory(UserFactory)
    goals = "Migrantische Akteure sichtbar machen"
    need = "Recherche und Vernetzung"
    contact_name = "Erika Muster"
    contact_email = "erika.muster@example.org"


class EngagementFactory(DjangoModelFactory):
    class Meta:
        model = Engagement

    title = factory.Sequence(lambda n: f"Beratungseinsatz {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    pool = factory.SubFactory(PoolFactory)
    status = EngagementStatus.ACTIVE
    starts_on = datetime.date(2019, 10, 1)
    ends_on = datetime.date(2020, 12, 31)
    budget = Decimal("12000.00")


class EngagementAdvisorFactory(DjangoModelFactory):
    class Meta:
        model = EngagementAdvisor

    engagement = factory.SubFactory(EngagementFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    slot = 1


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    engagement = factory.SubFactory(EngagementFactory)
    title = "Recherche der Akteure"
    due_on = datetime.date(2020, 6, 30)


class TimeEntryFactory(DjangoModelFactory):
    class Meta:
        model = TimeEntry

    engagement = factory.SubFactory(EngagementFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    date = datetime.date(2020, 2, 3)
    hours = Decimal("3.50")
    activity = "Gespräch mit Verein"


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = Expense

    engagement = factory.SubFactory(EngagementFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    date = datetime.date(2020, 2, 3)
    category = ExpenseCategory.TRAVEL
    amount = Decimal("23.40")


class FeeRateFactory(DjangoModelFactory):
    class Meta:
        model = FeeRate

    pool = factory.SubFactory(PoolFactory)
    valid_from = factory.Sequence(
        lambda n: datetime.date(2013, 1, 1) + datetime.timedelta(days=n % 28)
    )
    hourly_rate = Decimal("50.00")


class CostCorrectionFactory(DjangoModelFactory):
    class Meta:
        model = CostCorrection

    engagement = factory.SubFactory(EngagementFactory)
    date = datetime.date(2020, 3, 10)
    category = ExpenseCategory.TRAVEL
    amount = Decimal("-12.50")
    reason = "Bahnfahrt doppelt eingereicht"


class ReimbursementReportFactory(DjangoModelFactory):
    class Meta:
        model = ReimbursementReport

    pool = factory.SubFactory(PoolFactory)
    period_start = factory.Sequence(
        lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * n)
    )
    period_end = factory.LazyAttribute(lambda o: o.period_start + datetime.timedelta(days=27))


class RequestStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = RequestStatusChange

    consultation_request = factory.SubFactory(ConsultationRequestFactory)
    from_status = RequestStatus.DRAFT
    to_status = RequestStatus.SUBMITTED
    changed_by = factory.SelfAttribute("consultation_request.created_by")


class RequestMessageFactory(DjangoModelFactory):
    class Meta:
        model = RequestMessage

    consultation_request = factory.SubFactory(ConsultationRequestFactory)
    author = factory.SelfAttribute("consultation_request.created_by")
    body = "Wann können wir starten?"
