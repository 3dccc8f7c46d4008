"""Money: euros and cents, one rounding rule, one way to write an amount.

A time entry's fee is hours × the hourly rate in force, rounded to the cent on
its own (half a cent up); totals are sums of those rounded fees. Reports,
corrections, the advisor's workspace and the admin all compute it here: in
Python with `fee()`, in the database with `fee_cents()`. Both work in whole
cents (hours and rates have two decimals, so hours·100 × rate·100 is an exact
integer of 1/10,000 €), so SQLite's floating point cannot move a half cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Expression, F, Value
from django.db.models.functions import Cast, Round
from django.utils import formats

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str | None) -> Decimal:
    """An amount in euros, rounded to the cent (half a cent up); None counts as 0."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def fee(hours: Decimal, rate: Decimal | None) -> Decimal:
    """One time entry's fee: hours × rate, rounded to the cent on its own."""
    return money(hours * (rate or 0))


def _hundredths(value: Expression | F) -> Cast:
    return Cast(Round(value * Value(100)), output_field=BigIntegerField())


def fee_cents(hours: Expression | F, rate: Expression | F) -> Expression:
    """The database's `fee()`, in whole cents: an integer expression to Sum().

    Hours and rate (two decimals each) become whole hundredths, their product an
    exact integer of 1/10,000 €; adding 50 and dividing by 100 in integers rounds
    half a cent up, as `fee()` does (fees are never negative).
    """
    product = _hundredths(hours) * _hundredths(rate)
    return (product + Value(50)) / Value(100)


def from_cents(cents: int | None) -> Decimal:
    """Whole cents from the database as euros."""
    return (Decimal(cents or 0) / 100).quantize(CENT)


def euro(value: Decimal | None) -> str:
    """1234.5 → "1.234,50" in German, "1,234.50" in English (the active language)."""
    return "" if value is None else formats.number_format(value, 2, force_grouping=True)
