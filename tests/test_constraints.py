"""Rules that must never break are enforced by the database itself.

Each test writes the bad row with .save()/.create(), past any form validation,
and expects the database to refuse it.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from engagements.enums import EntryStatus, RequestStatus
from engagements.models import EngagementAdvisor
from tests.actors.factories import (
    ContactPersonFactory,
    OrganisationFactory,
    PublicationConsentFactory,
)
from tests.advisors.factories import AdvisorFactory, PoolMembershipFactory
from tests.engagements.factories import (
    DepartmentFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    MunicipalityFactory,
    ReimbursementReportFactory,
    TimeEntryFactory,
)
from tests.events.factories import EventFactory, EventSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def rejected(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_engagement_takes_at_most_two_advisors():
    engagement = EngagementFactory()
    EngagementAdvisorFactory(engagement=engagement, slot=1)
    EngagementAdvisorFactory(engagement=engagement, slot=2)
    rejected(lambda: EngagementAdvisorFactory(engagement=engagement, slot=3))
    rejected(lambda: EngagementAdvisorFactory(engagement=engagement, slot=1))
    assert EngagementAdvisor.objects.filter(engagement=engagement).count() == 2


def test_same_advisor_cannot_be_on_an_engagement_twice():
    assignment = EngagementAdvisorFactory(slot=1)
    rejected(
        lambda: EngagementAdvisorFactory(
            engagement=assignment.engagement, advisor=assignment.advisor, slot=2
        )
    )


def test_engagement_end_not_before_start():
    rejected(
        lambda: EngagementFactory(
            starts_on=datetime.date(2020, 1, 10), ends_on=datetime.date(2020, 1, 9)
        )
    )
    EngagementFactory(starts_on=datetime.date(2020, 1, 10), ends_on=datetime.date(2020, 1, 10))


def test_event_and_session_end_not_before_start():
    event = EventFactory()
    rejected(lambda: EventFactory(ends_at=event.starts_at - datetime.timedelta(minutes=1)))
    rejected(
        lambda: EventSessionFactory(
            event=event, ends_at=event.starts_at - datetime.timedelta(minutes=1)
        )
    )


def test_membership_and_report_periods_are_ordered():
    rejected(
        lambda: PoolMembershipFactory(
            joined_on=datetime.date(2015, 1, 1), left_on=datetime.date(2014, 12, 31)
        )
    )
    rejected(
        lambda: ReimbursementReportFactory(
            period_start=datetime.date(2020, 2, 1), period_end=datetime.date(2020, 1, 31)
        )
    )


def test_department_number_unique_within_municipality():
    municipality = MunicipalityFactory()
    DepartmentFactory(municipality=municipality, number="231")
    rejected(lambda: DepartmentFactory(municipality=municipality, number="231"))
    # The same number in another municipality is another department.
    DepartmentFactory(number="231")


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1.5"), Decimal("24.25")])
def test_time_entry_hours_positive_and_at_most_a_day(hours):
    rejected(lambda: TimeEntryFactory(hours=hours))


def test_time_entry_of_a_full_day_is_accepted():
    assert TimeEntryFactory(hours=Decimal("24")).pk


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-0.01")])
def test_expense_amount_positive(amount):
    rejected(lambda: ExpenseFactory(amount=amount))


def test_fee_rate_positive_and_budget_not_negative():
    rejected(lambda: FeeRateFactory(hourly_rate=Decimal("0")))
    rejected(lambda: EngagementFactory(budget=Decimal("-1")))


def test_one_registration_per_person_and_event():
    registration = RegistrationFactory(email="ada@example.org")
    rejected(lambda: RegistrationFactory(event=registration.event, email="ADA@example.org"))
    RegistrationFactory(email="ada@example.org")  # another event


def test_capacities_positive():
    rejected(lambda: EventFactory(capacity=0))
    rejected(lambda: EventSessionFactory(capacity=0))


def test_reimbursed_entries_need_a_report():
    rejected(lambda: TimeEntryFactory(status=EntryStatus.REIMBURSED))
    rejected(lambda: ExpenseFactory(status=EntryStatus.REIMBURSED))


def test_one_active_publication_consent_per_organisation_and_contact():
    organisation = OrganisationFactory()
    PublicationConsentFactory(organisation=organisation)
    rejected(lambda: PublicationConsentFactory(organisation=organisation))
    contact = ContactPersonFactory(organisation=organisation)
    PublicationConsentFactory(organisation=organisation, contact_person=contact)
    rejected(lambda: PublicationConsentFactory(organisation=organisation, contact_person=contact))


def test_withdrawn_consent_allows_a_new_one():
    from django.utils import timezone

    consent = PublicationConsentFactory()
    consent.withdrawn_at = timezone.now()
    consent.save()
    PublicationConsentFactory(organisation=consent.organisation)


def test_one_open_membership_per_pool():
    membership = PoolMembershipFactory()
    rejected(lambda: PoolMembershipFactory(advisor=membership.advisor, pool=membership.pool))


def test_declined_request_needs_reason():
    from tests.engagements.factories import ConsultationRequestFactory

    rejected(lambda: ConsultationRequestFactory(status=RequestStatus.DECLINED, decline_reason=""))
    ConsultationRequestFactory(
        status=RequestStatus.DECLINED, decline_reason="Kein Pool im Bundesland"
    )


def test_advisor_birth_year_plausible():
    rejected(lambda: AdvisorFactory(birth_year=1850))
