from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Round

from .models import ConsultationRequest, MunicipalOfficer


def officer_for(user) -> MunicipalOfficer | None:
    """The user's officer record, or None for anyone who does not act for a municipality."""
    if not user.is_authenticated:
        return None
    try:
        return user.officer
    except MunicipalOfficer.DoesNotExist:
        return None


def requests_for_user(user) -> QuerySet[ConsultationRequest]:
    """The requests a user may see: SKEW staff all, an officer their municipality's, others none.

    An officer whom SKEW has not confirmed yet sees only the requests they wrote.
    """
    qs = ConsultationRequest.objects.select_related("municipality", "created_by")
    if user.is_authenticated and user.is_staff:
        return qs
    officer = officer_for(user)
    if officer is None:
        return qs.none()
    qs = qs.filter(municipality_id=officer.municipality_id)
    if not officer.is_confirmed:
        # Until SKEW confirms that they speak for the municipality, only their own drafts.
        qs = qs.filter(created_by=user)
    return qs


def advisor_for(user):
    """The user's advisor record, or None."""
    from advisors.models import Advisor

    if not user.is_authenticated:
        return None
    try:
        return user.advisor
    except Advisor.DoesNotExist:
        return None


def engagements_for_advisor(advisor) -> QuerySet:
    """The engagements an advisor is assigned to: the only ones they may see or change."""
    from .models import Engagement

    if advisor is None:
        return Engagement.objects.none()
    return Engagement.objects.filter(assignments__advisor=advisor).select_related(
        "municipality", "pool"
    )


def fee_rate_subquery(pool_ref: str = "engagement__pool", date_ref: str = "date"):
    """The hourly rate in force for an entry's pool on the entry's date."""
    from django.db.models import OuterRef, Subquery

    from .models import FeeRate

    return Subquery(
        FeeRate.objects.filter(pool=OuterRef(pool_ref), valid_from__lte=OuterRef(date_ref))
        .order_by("-valid_from")
        .values("hourly_rate")[:1]
    )


@dataclass
class Costs:
    """An engagement's costs: fees (hours × rate in force) and expenses, by entry state.

    `corrections` is the sum of SKEW's corrections of reimbursed costs (negative
    when money was claimed back).
    """

    fees: dict = field(default_factory=dict)
    expenses: dict = field(default_factory=dict)
    hours: dict = field(default_factory=dict)
    budget: Decimal | None = None
    corrections: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        entries = sum(self.fees.values(), Decimal(0)) + sum(self.expenses.values(), Decimal(0))
        return entries + self.corrections

    @property
    def committed(self) -> Decimal:
        """Everything but drafts, corrections included: what has been claimed from SKEW."""
        return sum(
            (v for k, v in [*self.fees.items(), *self.expenses.items()] if k != "draft"),
            self.corrections,
        )

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def share_of_budget(self) -> int | None:
        if not self.budget:
            return None
        return round(self.committed / self.budget * 100)


def engagement_costs(engagement) -> Costs:
    """Fees and expenses of an engagement by state, and its corrections, in three queries."""
    from .models import CostCorrection, Expense, TimeEntry

    costs = Costs(budget=engagement.budget)
    # Each entry's fee is rounded to the cent before summing, as the reimbursement report does.
    fee = Round(
        ExpressionWrapper(
            F("hours") * Coalesce(fee_rate_subquery(), Value(Decimal(0))),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        2,
    )
    rows = (
        TimeEntry.objects.filter(engagement=engagement)
        .values("status")
        .annotate(total_hours=Sum("hours"), total_fees=Sum(fee))
        .order_by()
    )
    for row in rows:
        costs.hours[row["status"]] = row["total_hours"] or Decimal(0)
        costs.fees[row["status"]] = (row["total_fees"] or Decimal(0)).quantize(Decimal("0.01"))
    for row in (
        Expense.objects.filter(engagement=engagement)
        .values("status")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        costs.expenses[row["status"]] = (row["total"] or Decimal(0)).quantize(Decimal("0.01"))
    corrections = CostCorrection.objects.filter(engagement=engagement).aggregate(
        total=Sum("amount")
    )["total"]
    costs.corrections = (corrections or Decimal(0)).quantize(Decimal("0.01"))
    return costs
