"""Reimbursement reports in the worker: make them, send them, and ask for them monthly."""

import datetime
from typing import TypedDict

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from advisors.models import Pool
from core.mail import SMTP_RETRY
from core.models import User

from .enums import ReportStatus
from .models import ReimbursementReport
from .reports import report_generate, report_mark_failed, report_pending, report_send


class ReportTaskArgs(TypedDict):
    """The keyword arguments of `generate_report`, as they travel to the worker."""

    pool_id: int
    period_start: str
    period_end: str
    requested_by_id: int | None


@transaction.atomic
def report_request(
    *,
    pool: Pool,
    period_start: datetime.date,
    period_end: datetime.date,
    requested_by: User | None = None,
) -> ReimbursementReport:
    """Ask for a report: its row now (pending), the work in the worker once this commits.

    A report already sent stays as it is; one that failed is tried again.
    """
    report = report_pending(
        pool=pool, period_start=period_start, period_end=period_end, requested_by=requested_by
    )
    if report.status != ReportStatus.SENT:
        # A generated report that is not sent yet is sent by the same task.
        kwargs: ReportTaskArgs = {
            "pool_id": pool.pk,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "requested_by_id": requested_by.pk if requested_by else None,
        }
        # robust: a broker that is down leaves the report pending instead of failing the page.
        transaction.on_commit(lambda: generate_report.delay(**kwargs), robust=True)
    return report


@shared_task
def generate_report(
    *, pool_id: int, period_start: str, period_end: str, requested_by_id: int | None = None
) -> int | None:
    """Make the report of a pool and period (ISO dates), then send it once this commits.

    Run twice, the second run finds the report made and sends nothing new. A failure
    is noted on the report, where the admin shows it, and raised for the worker's log.
    """
    pool = Pool.objects.filter(pk=pool_id).first()
    if pool is None:
        return None
    start = datetime.date.fromisoformat(period_start)
    end = datetime.date.fromisoformat(period_end)
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    try:
        report = report_generate(
            pool=pool, period_start=start, period_end=end, requested_by=requested_by
        )
    except Exception as error:
        report_mark_failed(pool=pool, period_start=start, period_end=end, error=str(error))
        raise
    if report.sent_at is None:
        transaction.on_commit(lambda: send_report.delay(report_id=report.pk))
    return report.pk


@shared_task(**SMTP_RETRY)
def send_report(*, report_id: int) -> bool:
    """Email a generated report; an SMTP failure is retried, a sent report is not sent again."""
    report = ReimbursementReport.objects.filter(pk=report_id).first()
    if report is None:
        return False
    return report_send(report=report)


@shared_task
def monthly_reports() -> int:
    """On the 1st (see miglobe/schedules.py): last month's report of every pool at work."""
    period_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    period_start = period_end.replace(day=1)
    # Pools without any engagement have nothing to reimburse; they get no empty reports.
    pools = Pool.objects.filter(engagements__isnull=False).distinct()
    count = 0
    for pool in pools:
        report_request(pool=pool, period_start=period_start, period_end=period_end)
        count += 1
    return count
