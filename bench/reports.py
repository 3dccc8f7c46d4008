"""Benchmark of a reimbursement report at scale (timings live here, never in tests).

Usage, against a PostgreSQL database of your own (everything it adds is rolled back):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/miglobe_bench \\
        .venv/bin/python bench/reports.py --engagements 40 --entries 100

It migrates, creates one pool with the given number of engagements, each with
that many approved time entries and as many expenses in one month, then times
report_generate (selecting and locking the entries, the sums, PDF, XLSX and CSV)
and prints the query count, the totals and the files' sizes. Files go to a
temporary folder; the data is rolled back at the end.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miglobe.settings.base")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from advisors.models import Advisor, Pool  # noqa: E402
from engagements.models import (  # noqa: E402
    Engagement,
    EngagementAdvisor,
    Expense,
    FeeRate,
    Municipality,
    TimeEntry,
)
from engagements.reports import report_generate  # noqa: E402

MONTH = (datetime.date(2031, 3, 1), datetime.date(2031, 3, 31))


class Rollback(Exception):
    pass


def fill(engagements: int, entries: int) -> Pool:
    pool = Pool.objects.create(name="Bench-Pool", federal_state="SL")
    FeeRate.objects.create(pool=pool, valid_from=datetime.date(2030, 1, 1), hourly_rate=47)
    user = get_user_model().objects.create_user(email="bench@example.org", name="Bench Beraterin")
    advisor = Advisor.objects.create(user=user)
    town = Municipality.objects.create(name="Benchhausen", federal_state="SL")
    now = timezone.now()
    times, expenses = [], []
    for e in range(engagements):
        engagement = Engagement.objects.create(
            title=f"Einsatz {e}", municipality=town, pool=pool, starts_on=MONTH[0]
        )
        EngagementAdvisor.objects.create(engagement=engagement, advisor=advisor, slot=1)
        for i in range(entries):
            day = MONTH[0] + datetime.timedelta(days=i % 31)
            common = {
                "engagement": engagement,
                "advisor": advisor,
                "date": day,
                "status": "approved",
                "approved_at": now,
            }
            times.append(TimeEntry(hours=Decimal("1.33"), activity=f"Gespräch {i}", **common))
            expenses.append(Expense(category="travel", amount=Decimal("12.34"), **common))
    TimeEntry.objects.bulk_create(times, batch_size=2000)
    Expense.objects.bulk_create(expenses, batch_size=2000)
    return pool


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engagements", type=int, default=40)
    parser.add_argument("--entries", type=int, default=100)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="miglobe-bench-")
    try:
        with transaction.atomic():
            pool = fill(args.engagements, args.entries)
            count = args.engagements * args.entries
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                report = report_generate(pool=pool, period_start=MONTH[0], period_end=MONTH[1])
            took = time.perf_counter() - start
            print(f"{count} time entries and {count} expenses in {args.engagements} engagements")
            print(f"report_generate: {took:.2f} s, {len(queries.captured_queries)} queries")
            print(f"totals: fees {report.total_fees} €, expenses {report.total_expenses} €")
            for kind, stored, _checksum in report.files:
                print(f"{kind}: {stored.size / 1024:.0f} KiB")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
