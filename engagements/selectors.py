from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import (
    Count,
    Expression,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from advisors.models import Advisor
from core.money import ZERO, fee_cents, from_cents, money
from core.permissions import Capability, may

from .enums import EngagementStatus, EntryStatus, RequestStatus
from .models import (
    ConsultationRequest,
    CostCorrection,
    Engagement,
    EngagementAdvisor,
    Expense,
    FeeRate,
    MunicipalOfficer,
    TimeEntry,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import WithAnnotations

    from core.models import User


class Load(TypedDict):
    """What `with_load` annotates on each advisor."""

    active_engagements: int


def officer_for(user: "User | AnonymousUser") -> MunicipalOfficer | None:
    """The user's officer record, or None for anyone who does not act for a municipality."""
    if not user.is_authenticated:
        return None
    try:
        return user.officer
    except MunicipalOfficer.DoesNotExist:
        return None


def requests_for_user(user: "User | AnonymousUser") -> QuerySet[ConsultationRequest]:
    """The requests a user may see: SKEW's reviewers all, an officer their municipality's.

    An officer whom SKEW has not confirmed yet sees only the requests they wrote, and
    their confirmed colleagues do not see those (anyone may claim to be from a town).
    Everyone else sees none.
    """
    qs = ConsultationRequest.objects.select_related("municipality", "created_by")
    if may(user, Capability.REVIEW_REQUESTS):
        return qs
    officer = officer_for(user)
    if officer is None:
        return qs.none()
    qs = qs.filter(municipality_id=officer.municipality_id)
    if not officer.is_confirmed:
        # Until SKEW confirms that they speak for the municipality, only their own drafts.
        # An officer was found, so `user` is logged in (a User); mypy cannot tell.
        return qs.filter(created_by=cast("User", user))
    return qs.exclude(created_by__officer__confirmed_at__isnull=True)


def engagement_of(consultation_request: ConsultationRequest) -> Engagement | None:
    """The engagement an accepted request became, with what its municipality may follow."""
    if consultation_request.status != RequestStatus.ACCEPTED:
        return None
    return (
        Engagement.objects.filter(consultation_request=consultation_request)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=EngagementAdvisor.objects.current()
                .select_related("advisor__user")
                .order_by("slot"),
            ),
            "milestones",
            "events",  # the events app's relation; the page shows them by date
        )
        .first()
    )


def with_load(advisors: QuerySet[Advisor]) -> "QuerySet[WithAnnotations[Advisor, Load]]":
    """Annotate each advisor's number of running engagements as `active_engagements`."""
    return advisors.annotate(
        active_engagements=Count(
            "assignments",
            filter=Q(
                assignments__engagement__status__in=EngagementStatus.running(),
                assignments__left_on__isnull=True,
            ),
            distinct=True,
        )
    )


def advisors_with_load() -> QuerySet[Advisor]:
    """Every advisor with their load of running engagements (`active_engagements`)."""
    return with_load(Advisor.objects.select_related("user", "home_municipality"))


def engagements_for_advisor(advisor: Advisor | None) -> QuerySet[Engagement]:
    """The engagements an advisor is on now: the only ones they may see or change.

    An advisor who left an engagement no longer reaches its pages (404).
    """
    if advisor is None:
        return Engagement.objects.none()
    return Engagement.objects.filter(
        assignments__advisor=advisor, assignments__left_on__isnull=True
    ).select_related("municipality", "pool")


def fee_rate_subquery(pool_ref: str = "engagement__pool", date_ref: str = "date") -> Subquery:
    """The hourly rate in force for an entry's pool on the entry's date."""
    return Subquery(
        FeeRate.objects.filter(pool=OuterRef(pool_ref), valid_from__lte=OuterRef(date_ref))
        .order_by("-valid_from")
        .values("hourly_rate")[:1]
    )


@dataclass
class Costs:
    """An engagement's costs: fees (hours × rate in force) and expenses, by entry state.

    `corrections` is the sum of SKEW's corrections of reimbursed costs (negative
    when money was claimed back), `reported_corrections` the part of it that
    reports have taken.
    """

    fees: dict = field(default_factory=dict)
    expenses: dict = field(default_factory=dict)
    hours: dict = field(default_factory=dict)
    budget: Decimal | None = None
    corrections: Decimal = ZERO
    reported_corrections: Decimal = ZERO

    @property
    def committed(self) -> Decimal:
        """Everything but drafts, corrections included: what has been claimed from SKEW."""
        return sum(
            (
                amount
                for status, amount in [*self.fees.items(), *self.expenses.items()]
                if status in EntryStatus.claimed()
            ),
            self.corrections,
        )

    @property
    def reimbursed(self) -> Decimal:
        """What reports have paid so far, the corrections they took included."""
        paid = self.fees.get(EntryStatus.REIMBURSED, ZERO)
        return paid + self.expenses.get(EntryStatus.REIMBURSED, ZERO) + self.reported_corrections

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def share_of_budget(self) -> int | None:
        if not self.budget:
            return None
        return round(self.committed / self.budget * 100)


def entry_fee_cents() -> Expression:
    """A time entry's fee in whole cents, at the rate in force on its date (core.money)."""
    return fee_cents(F("hours"), Coalesce(fee_rate_subquery(), Value(Decimal(0))))


def engagement_costs(engagement: Engagement) -> Costs:
    """Fees and expenses of an engagement by state, and its corrections, in three queries."""
    costs = Costs(budget=engagement.budget)
    # Each entry's fee is rounded to the cent before summing, as the reimbursement report does.
    rows = (
        TimeEntry.objects.filter(engagement=engagement)
        .values("status")
        .annotate(total_hours=Sum("hours"), total_cents=Sum(entry_fee_cents()))
        .order_by()
    )
    for row in rows:
        costs.hours[row["status"]] = row["total_hours"] or Decimal(0)
        costs.fees[row["status"]] = from_cents(row["total_cents"])
    for row in (
        Expense.objects.filter(engagement=engagement)
        .values("status")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        costs.expenses[row["status"]] = money(row["total"])
    corrections = CostCorrection.objects.filter(engagement=engagement).aggregate(
        total=Sum("amount"), reported=Sum("amount", filter=Q(report__isnull=False))
    )
    costs.corrections = money(corrections["total"])
    costs.reported_corrections = money(corrections["reported"])
    return costs


def reimbursed_to_date(
    engagement_ids: list[int], *, with_corrections: bool = True
) -> dict[int, Decimal]:
    """What reports have paid so far for each engagement (Costs.reimbursed, for many).

    With the corrections that reports have taken, unless `with_corrections` is False.
    """
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    reimbursed = {"engagement_id__in": engagement_ids, "status": EntryStatus.REIMBURSED}
    for row in (
        TimeEntry.objects.filter(**reimbursed)
        .values("engagement_id")
        .annotate(cents=Sum(entry_fee_cents()))
        .order_by()
    ):
        totals[row["engagement_id"]] += from_cents(row["cents"])
    for row in (
        Expense.objects.filter(**reimbursed)
        .values("engagement_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        totals[row["engagement_id"]] += money(row["total"])
    if with_corrections:
        for row in (
            CostCorrection.objects.filter(engagement_id__in=engagement_ids, report__isnull=False)
            .values("engagement_id")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            totals[row["engagement_id"]] += money(row["total"])
    return totals
