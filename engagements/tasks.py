"""Reimbursement reports in the worker: make them, send them, and ask for them monthly."""

import datetime
import logging
from typing import TypedDict

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from advisors.models import Pool
from core.models import User

from .enums import ReportStatus
from .models import ReimbursementReport
from .reports import (
    ReportError,
    report_generate,
    report_mark_failed,
    report_pending,
    report_send,
)

logger = logging.getLogger(__name__)


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
    if report.status not in (ReportStatus.SENT, ReportStatus.EMPTY):
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
    """Make the report of a pool and period (ISO dates) and put it into the outbox.

    Run twice, the second run finds the report made and sent and does nothing new. A
    failure is noted on the report, where the admin shows it and offers to try again,
    and raised for the worker's log.
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
        if report.status == ReportStatus.GENERATED:
            report_send(report=report)
    except Exception as error:
        report_mark_failed(pool=pool, period_start=start, period_end=end, error=str(error))
        raise
    return report.pk


@shared_task
def resume_reports() -> int:
    """Hourly: reports still pending after a quarter of an hour lost their worker; go on."""
    since = timezone.now() - datetime.timedelta(minutes=15)
    count = 0
    for report in ReimbursementReport.objects.filter(
        status=ReportStatus.PENDING, created_at__lt=since
    ).select_related("pool", "requested_by"):
        report_request(
            pool=report.pool,
            period_start=report.period_start,
            period_end=report.period_end,
            requested_by=report.requested_by,
        )
        count += 1
    return count


@shared_task
def monthly_reports() -> int:
    """On the 1st (see miglobe/schedules.py): last month's report of every pool at work."""
    period_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    period_start = period_end.replace(day=1)
    # Pools without any engagement have nothing to reimburse; they get no empty reports.
    pools = Pool.objects.filter(engagements__isnull=False).distinct()
    count = 0
    for pool in pools:
        try:
            report_request(pool=pool, period_start=period_start, period_end=period_end)
        except ReportError as error:  # a report by hand already covers part of the month
            logger.warning("No monthly report for %s: %s", pool, error)
            continue
        count += 1
    return count
