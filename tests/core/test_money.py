"""Money: the database and Python round every fee the same way, on both engines.

A fee is hours × rate rounded to the cent on its own (half a cent up). The
workspace and the admin sum fees in SQL, reports add them up in Python; a
difference of a cent between them would show as a wrong "paid so far".
"""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import translation

from advisors.models import Advisor, Pool
from core.models import User
from core.money import euro, fee, from_cents, money
from engagements.enums import EntryStatus
from engagements.models import Engagement, FeeRate, Municipality, TimeEntry
from engagements.selectors import engagement_costs, entry_fee_cents, reimbursed_to_date
from tests.engagements.factories import ReimbursementReportFactory

# Hours and rates whose product ends on half a cent or just beside it, where binary
# floating point (SQLite keeps decimals as REAL) lands on the wrong side.
CASES = [
    ("1.25", "45.10"),  # 56.375 → 56.38
    ("0.50", "45.01"),  # 22.505 → 22.51
    ("2.50", "40.05"),  # 100.125 → 100.13
    ("0.10", "45.05"),  # 4.505 → 4.51
    ("7.75", "47.13"),  # 365.2575 → 365.26
    ("0.01", "0.50"),  # 0.005 → 0.01
    ("3.33", "33.33"),  # 110.9889 → 110.99
    ("23.99", "99999.99"),  # large: 2,399,999.7601 → 2,399,999.76
]


def _engagement_with_entries(alias: str, hours_and_rates) -> list[TimeEntry]:
    """One engagement per rate (a pool has one rate in force a day), with its entry."""
    user = User.objects.db_manager(alias).create_user("advisor@example.org")
    advisor = Advisor.objects.using(alias).create(user=user)
    town = Municipality.objects.using(alias).create(name="Eschweiler", federal_state="NW")
    entries = []
    for number, (hours, rate) in enumerate(hours_and_rates):
        pool = Pool.objects.using(alias).create(name=f"Pool {number}", federal_state=f"Z{number}")
        FeeRate.objects.using(alias).create(
            pool=pool, valid_from=datetime.date(2020, 1, 1), hourly_rate=Decimal(rate)
        )
        engagement = Engagement.objects.using(alias).create(
            title=f"Einsatz {number}", municipality=town, pool=pool, starts_on="2020-01-01"
        )
        entries.append(
            TimeEntry.objects.using(alias).create(
                engagement=engagement,
                advisor=advisor,
                date=datetime.date(2020, 2, 1),
                hours=Decimal(hours),
                activity="Gespräche",
            )
        )
    return entries


@pytest.mark.parametrize("alias", ["default", "sqlite"])
@pytest.mark.django_db(databases=["default", "sqlite"])
def test_sql_and_python_round_each_fee_alike(alias):
    entries = _engagement_with_entries(alias, CASES)

    in_sql = dict(
        TimeEntry.objects.using(alias).annotate(cents=entry_fee_cents()).values_list("pk", "cents")
    )

    for entry, (hours, rate) in zip(entries, CASES, strict=True):
        assert from_cents(in_sql[entry.pk]) == fee(Decimal(hours), Decimal(rate)), (hours, rate)
    assert fee(Decimal("1.25"), Decimal("45.10")) == Decimal("56.38")


@pytest.mark.parametrize("alias", ["default", "sqlite"])
@pytest.mark.django_db(databases=["default", "sqlite"])
def test_sums_of_rounded_fees_agree(alias):
    # Three entries of 56.375 € each: 169.14 € when each is rounded first, 169.13 € if
    # the sum were rounded instead.
    entries = _engagement_with_entries(alias, [("1.25", "45.10")])
    for _ in range(2):
        entries[0].pk = None
        entries[0].save(using=alias)

    total = TimeEntry.objects.using(alias).aggregate(cents=Sum(entry_fee_cents()))["cents"]

    assert from_cents(total) == Decimal("169.14") == 3 * fee(Decimal("1.25"), Decimal("45.10"))


@pytest.mark.django_db
def test_paid_so_far_is_one_figure_in_the_workspace_and_the_reports():
    (entry,) = _engagement_with_entries("default", [("1.25", "45.10")])
    report = ReimbursementReportFactory(pool=entry.engagement.pool)
    TimeEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.REIMBURSED, report=report)

    costs = engagement_costs(entry.engagement)

    assert costs.reimbursed == Decimal("56.38")
    assert reimbursed_to_date([entry.engagement_id])[entry.engagement_id] == costs.reimbursed


def test_amounts_round_half_a_cent_up_and_read_in_the_language():
    assert money("2.005") == Decimal("2.01")
    assert money(None) == Decimal("0.00")
    with translation.override("de"):
        assert euro(Decimal("1234.5")) == "1.234,50"
    with translation.override("en"):
        assert euro(Decimal("1234.5")) == "1,234.50"
    assert euro(None) == ""
