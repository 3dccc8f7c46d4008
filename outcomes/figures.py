"""The programme's figures, per federal state and year, as SKEW reports them to the ministry.

Each figure is one grouped query (by federal state and year), so the page costs
the same number of queries whatever the number of years, states or rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from actors.models import ResearchFinding
from actors.selectors import organisations_published
from advisors.enums import FederalState
from core.money import from_cents
from engagements.enums import EngagementStatus, EntryStatus, RequestStatus
from engagements.models import (
    ConsultationRequest,
    Engagement,
    Expense,
    RequestStatusChange,
    TimeEntry,
)
from engagements.selectors import entry_fee_cents
from events.models import Registration

from .enums import Decision, Implementation
from .models import ActionOption, FollowUpAnswer

# (key, label): the columns of the table and the spreadsheet, in order.
FIGURES = [
    ("requests", _("Anfragen eingegangen")),
    ("accepted", _("Anfragen angenommen")),
    ("declined", _("Anfragen abgelehnt")),
    ("started", _("Einsätze begonnen")),
    ("completed", _("Einsätze abgeschlossen")),
    ("municipalities", _("Kommunen erreicht")),
    ("organisations", _("Organisationen gefunden")),
    ("listed", _("davon im Verzeichnis")),
    ("participants", _("Teilnehmende an Veranstaltungen")),
    ("adopted", _("Handlungsoptionen beschlossen")),
    ("implemented", _("nach 12 Monaten umgesetzt")),
    ("costs", _("erstattete Kosten (EUR)")),
    ("budget", _("bewilligtes Budget der begonnenen Einsätze (EUR)")),
]


@dataclass
class Row:
    state: str
    year: int
    values: dict[str, int | Decimal] = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return (
            str(FederalState(self.state).label) if self.state in FederalState.values else self.state
        )

    def cells(self) -> list[int | Decimal]:
        return [self.values.get(key, 0) for key, _label in FIGURES]


def _grouped(qs: QuerySet, state: str, year_of: str, value) -> Iterable[tuple[str, int, object]]:
    rows = (
        qs.annotate(_state=F(state), _year=ExtractYear(year_of))
        .exclude(_year=None)
        .values("_state", "_year")
        .annotate(_value=value)
        .order_by()
    )
    return ((row["_state"], row["_year"], row["_value"]) for row in rows)


def programme_figures() -> list[Row]:
    """Every figure per federal state and year, newest year first (13 queries)."""
    table: dict[tuple[str, int], Row] = {}

    def put(key: str, triples: Iterable[tuple[str, int, object]]) -> None:
        for state, year, value in triples:
            row = table.setdefault((state, year), Row(state, year))
            row.values[key] = value or 0

    state = "municipality__federal_state"
    put(
        "requests",
        _grouped(
            ConsultationRequest.objects.exclude(submitted_at=None),
            state,
            "submitted_at",
            Count("pk"),
        ),
    )
    changes = RequestStatusChange.objects.all()
    request_state = "consultation_request__municipality__federal_state"
    for key, status in (("accepted", RequestStatus.ACCEPTED), ("declined", RequestStatus.DECLINED)):
        put(
            key,
            _grouped(
                changes.filter(to_status=status),
                request_state,
                "changed_at",
                Count("consultation_request", distinct=True),
            ),
        )
    put("started", _grouped(Engagement.objects.all(), state, "starts_on", Count("pk")))
    put(
        "completed",
        _grouped(
            Engagement.objects.filter(status=EngagementStatus.COMPLETED), state, "completed_on",
            Count("pk"),
        ),
    )  # fmt: skip
    put(
        "municipalities",
        _grouped(
            Engagement.objects.all(), state, "starts_on", Count("municipality", distinct=True)
        ),
    )
    findings = ResearchFinding.objects.all()
    finding_state = "engagement__municipality__federal_state"
    put(
        "organisations",
        _grouped(findings, finding_state, "found_on", Count("organisation", distinct=True)),
    )
    put(
        "listed",
        _grouped(
            findings.filter(organisation__in=organisations_published().values("pk")),
            finding_state,
            "found_on",
            Count("organisation", distinct=True),
        ),
    )
    put(
        "participants",
        _grouped(
            Registration.objects.filter(attended=True, event__engagement__isnull=False),
            "event__engagement__municipality__federal_state",
            "event__starts_at",
            Count("pk"),
        ),
    )
    put(
        "adopted",
        _grouped(
            ActionOption.objects.filter(decision=Decision.ADOPTED),
            finding_state,
            "decided_at",
            Count("pk"),
        ),
    )
    put(
        "implemented",
        _grouped(
            FollowUpAnswer.objects.filter(
                follow_up__months=12, implementation=Implementation.IMPLEMENTED
            ),
            "follow_up__engagement__municipality__federal_state",
            "follow_up__sent_at",
            Count("pk"),
        ),
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    # Each fee rounded to the cent first, as the reimbursement report does.
    fees = (
        (s, y, from_cents(cents))
        for s, y, cents in _grouped(
            TimeEntry.objects.filter(status=EntryStatus.REIMBURSED),
            finding_state,
            "date",
            Sum(entry_fee_cents()),
        )
    )
    expenses = _grouped(
        Expense.objects.filter(status=EntryStatus.REIMBURSED),
        finding_state,
        "date",
        Sum("amount"),
    )
    costs: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for state_code, year, value in [*fees, *expenses]:
        costs[(state_code, year)] += Decimal(value or 0)
    put("costs", ((s, y, v.quantize(Decimal("0.01"))) for (s, y), v in costs.items()))
    put(
        "budget",
        _grouped(
            Engagement.objects.all(),
            state,
            "starts_on",
            Coalesce(Sum("budget"), Decimal("0"), output_field=money),
        ),
    )
    return sorted(table.values(), key=lambda row: (-row.year, row.state_label))


def totals_by_year(rows: list[Row]) -> list[Row]:
    """The sums over all federal states, per year."""
    by_year: dict[int, Row] = {}
    for row in rows:
        total = by_year.setdefault(row.year, Row("", row.year))
        for key, value in row.values.items():
            total.values[key] = total.values.get(key, 0) + value
    return sorted(by_year.values(), key=lambda row: -row.year)
