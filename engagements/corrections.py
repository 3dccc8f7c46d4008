"""Corrections of costs SKEW has reimbursed: what may be corrected, and by how much.

A correction never takes back more than was paid: not more than its entry's
reimbursed amount (less earlier corrections of that entry), and not more than
the engagement's reimbursed costs (less its other corrections).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import euro, fee, money

from .enums import HOURS_FEE, EntryStatus
from .models import CostCorrection, Engagement, Expense, TimeEntry
from .selectors import fee_rate_subquery, reimbursed_to_date


def entry_reimbursed_amount(entry: TimeEntry | Expense) -> Decimal:
    """What a report paid for an entry: its fee at the rate of its date, or its amount."""
    if isinstance(entry, TimeEntry):
        rate = (
            TimeEntry.objects.filter(pk=entry.pk)
            .annotate(rate=fee_rate_subquery())
            .values_list("rate", flat=True)
            .get()
        )
        return fee(entry.hours, rate or Decimal(0))
    return money(entry.amount)


def _other_corrections(correction: CostCorrection, **filters: object) -> Decimal:
    total = (
        CostCorrection.objects.filter(**filters)
        .exclude(pk=correction.pk)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0.00")


def _entry_errors(correction: CostCorrection) -> dict[str, str]:
    entry, field = correction.corrected_entry, correction.corrected_field
    if correction.engagement_id and entry.engagement_id != correction.engagement_id:
        return {field: _("Dieser Eintrag gehört zu einem anderen Beratungseinsatz.")}
    if entry.status != EntryStatus.REIMBURSED:
        return {
            field: _(
                "Korrigiert werden nur erstattete Einträge. Einen noch nicht erstatteten "
                "Eintrag ändern Sie selbst oder geben ihn zur Überarbeitung zurück."
            )
        }
    if field == "corrects_time_entry" and correction.category != HOURS_FEE:
        return {"category": _("Ein Zeiteintrag wird als „Honorar (Stunden)“ korrigiert.")}
    if field == "corrects_expense" and correction.category == HOURS_FEE:
        return {"category": _("Eine Ausgabe wird in einer Ausgabenkategorie korrigiert.")}
    return {}


def correction_errors(correction: CostCorrection) -> dict[str, str]:
    """What is wrong with a correction, by field; empty when it may be saved."""
    if correction.corrects_time_entry_id and correction.corrects_expense_id:
        return {"corrects_expense": _("Eine Korrektur betrifft höchstens einen Eintrag.")}
    if correction.date and correction.date > timezone.localdate():
        return {"date": _("Eine Korrektur kann nicht in der Zukunft liegen.")}
    errors = _entry_errors(correction) if correction.corrected_entry else {}
    amount = correction.amount
    if errors or amount is None or not correction.engagement_id:
        return errors
    if amount == 0:
        return {"amount": _("Eine Korrektur um 0,00 € ändert nichts.")}
    if amount > 0:
        return {}
    _lock_engagement(correction.engagement_id)
    # What was paid for the engagement limits every claim; an entry's own payment
    # limits a claim on that entry as well.
    engagement = correction.engagement_id
    limits = [
        (
            reimbursed_to_date([engagement], with_corrections=False)[engagement]
            + _other_corrections(correction, engagement_id=engagement),
            _(
                "Für diesen Beratungseinsatz wurden bisher %(paid)s € erstattet (Korrekturen "
                "eingerechnet); mehr kann nicht zurückgefordert werden."
            ),
        )
    ]
    entry = correction.corrected_entry
    if entry is not None:
        limits.insert(
            0,
            (
                entry_reimbursed_amount(entry)
                + _other_corrections(correction, **{correction.corrected_field: entry}),
                _(
                    "Für diesen Eintrag wurden %(paid)s € erstattet (frühere Korrekturen "
                    "eingerechnet); mehr kann nicht zurückgefordert werden."
                ),
            ),
        )
    for paid, too_much in limits:
        if paid + amount < 0:
            return {"amount": too_much % {"paid": euro(paid)}}
    return {}


def _lock_engagement(engagement_id: int) -> None:
    """Inside a transaction (the admin's save), two claims on one engagement take turns.

    The second waits until the first is saved, so it counts the first; otherwise
    both could pass the limit together.
    """
    if transaction.get_connection().in_atomic_block:
        list(Engagement.objects.select_for_update().filter(pk=engagement_id).values("pk"))
