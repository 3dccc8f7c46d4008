"""SKEW's cost-reimbursement reports: one per pool and period, filed as PDF, XLSX and CSV.

A report takes every approved cost of the pool dated up to the end of its
period that no report holds yet; periods of one pool never overlap, so
every day belongs to at most one report. Costs dated before the period are
corrections that came after an earlier report: they are adjustment lines of
this one, shown with their own date, and so are SKEW's corrections of costs
already reimbursed (engagements.corrections). Taking an entry into a report makes it
reimbursed in the same transaction, so no entry is ever in two reports, and a
report once generated is never written again: asking for the same pool and
period returns it as it is, and it is emailed at most once. A period without
any cost gives a report "ohne Posten": it says so and is not emailed.

Money is Decimal throughout: each time entry's fee (hours × the pool's rate on
its date) is rounded to the cent, and the totals are sums of those rounded
lines, so every file adds up to the same totals to the cent.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.emails import send_templated_email
from core.formats import short_date
from core.money import fee, money
from core.outbox import Attachment

from .enums import HOURS_FEE, EntryStatus, ExpenseCategory, ReportStatus
from .models import CostCorrection, Engagement, Expense, ReimbursementReport, TimeEntry
from .report_files import report_csv, report_pdf, report_xlsx
from .selectors import fee_rate_subquery, reimbursed_to_date

if TYPE_CHECKING:
    from advisors.models import Pool
    from core.models import User

DONE = ReportStatus.done()
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


class ReportError(Exception):
    """A report that cannot be made or sent, with the reason for a person to read."""


# --- What a report holds -----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One time entry, expense or correction as it stands in the report.

    A correction of fees is a time line without hours or rate; a correction of
    expenses is an expense line of its category.
    """

    kind: str  # "time" or "expense"
    entry_id: int  # the entry's, or the correction's
    date: datetime.date
    advisor: str
    category: str  # the expense category; "" for time
    text: str  # the activity, or the expense's description
    amount: Decimal
    adjustment: bool  # dated before the period: a correction after an earlier report
    hours: Decimal | None = None
    rate: Decimal | None = None
    correction: bool = False

    @property
    def category_label(self) -> str:
        return str(ExpenseCategory(self.category).label) if self.category else ""


class _Totals:
    """The sums of `time_lines` and `expense_lines`, for an engagement or the whole pool."""

    if TYPE_CHECKING:
        # Read-only here: a dataclass field in EngagementPart, a property in ReportContent.
        @property
        def time_lines(self) -> list[Line]: ...

        @property
        def expense_lines(self) -> list[Line]: ...

    @property
    def lines(self) -> list[Line]:
        return [*self.time_lines, *self.expense_lines]

    @property
    def hours(self) -> Decimal:
        return _sum(line.hours for line in self.time_lines if line.hours is not None)

    @property
    def fees(self) -> Decimal:
        return _sum(line.amount for line in self.time_lines)

    @property
    def expenses(self) -> Decimal:
        return _sum(line.amount for line in self.expense_lines)

    @property
    def total(self) -> Decimal:
        return self.fees + self.expenses

    @property
    def adjustments(self) -> Decimal:
        return _sum(line.amount for line in self.lines if line.adjustment)

    @property
    def by_category(self) -> dict[str, Decimal]:
        """Expenses by category, every category in its usual order (zero where there is none)."""
        totals = {category.value: Decimal("0.00") for category in ExpenseCategory}
        for line in self.expense_lines:
            totals[line.category] += line.amount
        return totals


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0.00"))


@dataclass
class EngagementPart(_Totals):
    """One engagement's lines in a report, its totals, and its budget against what was paid."""

    engagement: Engagement
    time_lines: list[Line] = field(default_factory=list)
    expense_lines: list[Line] = field(default_factory=list)
    # Every reimbursed cost of the engagement so far, this report's included.
    reimbursed_to_date: Decimal = Decimal("0.00")

    @property
    def budget(self) -> Decimal | None:
        return self.engagement.budget

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.reimbursed_to_date


@dataclass
class ReportContent(_Totals):
    report: ReimbursementReport
    parts: list[EngagementPart]

    @property
    def time_lines(self) -> list[Line]:
        return [line for part in self.parts for line in part.time_lines]

    @property
    def expense_lines(self) -> list[Line]:
        return [line for part in self.parts for line in part.expense_lines]

    @property
    def adjustment_lines(self) -> list[tuple[EngagementPart, Line]]:
        return [(part, line) for part in self.parts for line in part.lines if line.adjustment]


def _line(report: ReimbursementReport, entry: TimeEntry | Expense, **fields: Any) -> Line:
    # An entry dated before the period came after the report of its own period.
    return Line(
        entry_id=entry.pk,
        date=entry.date,
        advisor=str(entry.advisor),
        adjustment=entry.date < report.period_start,
        **fields,
    )


def _correction_line(correction: CostCorrection) -> Line:
    entry = correction.corrected_entry
    text = correction.reason
    if entry is not None:
        text += " " + _("(zu %(entry)s)") % {"entry": entry}
    hours_fee = correction.category == HOURS_FEE
    return Line(
        kind="time" if hours_fee else "expense",
        entry_id=correction.pk,
        date=correction.date,
        advisor=str(entry.advisor) if entry else "",
        category="" if hours_fee else correction.category,
        text=text,
        amount=money(correction.amount),
        adjustment=True,
        correction=True,
    )


def report_content(report: ReimbursementReport) -> ReportContent:
    """The lines of the entries and corrections a report holds, by engagement, in five queries."""
    related = ("engagement__municipality", "advisor__user")
    parts: dict[int, EngagementPart] = {}

    def part_of(entry: TimeEntry | Expense | CostCorrection) -> EngagementPart:
        # The entries' `engagement` comes from entry_links(), typed as a bare ForeignKey: for
        # that, django-stubs leaves the value's type an unsolved `_ST` (its _GT defaults to _ST).
        return parts.setdefault(entry.engagement_id, EngagementPart(engagement=entry.engagement))  # type: ignore[arg-type]

    entry: TimeEntry | Expense  # the loops below go through time entries, then expenses
    times = (
        TimeEntry.objects.filter(report=report)
        .select_related(*related)
        .annotate(rate=fee_rate_subquery())
        .order_by("date", "pk")
    )
    for entry in times:
        if entry.rate is None:
            raise ReportError(
                _("Für den Pool %(pool)s ist am %(date)s kein Honorarsatz hinterlegt.")
                % {"pool": report.pool, "date": short_date(entry.date)}
            )
        part_of(entry).time_lines.append(
            _line(
                report,
                entry,
                kind="time",
                category="",
                text=entry.activity,
                amount=fee(entry.hours, entry.rate),
                hours=entry.hours,
                rate=entry.rate,
            )
        )
    for entry in (
        Expense.objects.filter(report=report).select_related(*related).order_by("date", "pk")
    ):
        part_of(entry).expense_lines.append(
            _line(
                report,
                entry,
                kind="expense",
                category=entry.category,
                text=entry.description,
                amount=money(entry.amount),
            )
        )
    for correction in (
        CostCorrection.objects.filter(report=report)
        .select_related(
            "engagement__municipality",
            "corrects_time_entry__advisor__user",
            "corrects_expense__advisor__user",
        )
        .order_by("date", "pk")
    ):
        line = _correction_line(correction)
        part = part_of(correction)
        (part.time_lines if line.kind == "time" else part.expense_lines).append(line)
    to_date = reimbursed_to_date(list(parts))
    for engagement_id, part in parts.items():
        part.reimbursed_to_date = to_date[engagement_id]
        # Corrections stand among the entries by their date (entries first on a day).
        for lines in (part.time_lines, part.expense_lines):
            lines.sort(key=lambda line: (line.date, line.correction, line.entry_id))
    ordered = sorted(
        parts.values(),
        key=lambda p: (p.engagement.municipality.name, p.engagement.title, p.engagement.pk),
    )
    return ReportContent(report=report, parts=ordered)


# --- Writing and sending ------------------------------------------------------------------


def _check_period(period_start: datetime.date, period_end: datetime.date) -> None:
    if period_end < period_start:
        raise ReportError(_("Das Ende des Zeitraums liegt vor seinem Beginn."))


def _locked_report(
    pool: "Pool",
    period_start: datetime.date,
    period_end: datetime.date,
    requested_by: "User | None" = None,
) -> ReimbursementReport:
    """The report's row, locked; a new one only where no report of the pool overlaps.

    The pool's row is locked first, so two requests of overlapping periods take turns
    and the second sees the first.
    """
    type(pool).objects.select_for_update().filter(pk=pool.pk).first()
    report = (
        ReimbursementReport.objects.select_for_update()
        .filter(pool=pool, period_start=period_start, period_end=period_end)
        .first()
    )
    if report is not None:
        return report
    overlapping = (
        ReimbursementReport.objects.filter(
            pool=pool, period_start__lte=period_end, period_end__gte=period_start
        )
        .order_by("period_start")
        .first()
    )
    if overlapping is not None:
        raise ReportError(
            _(
                "Der Zeitraum überschneidet sich mit dem Bericht %(report)s. Jeder Tag gehört "
                "zu höchstens einem Bericht eines Pools: wählen Sie einen Zeitraum danach."
            )
            % {"report": overlapping}
        )
    return ReimbursementReport.objects.create(
        pool=pool, period_start=period_start, period_end=period_end, requested_by=requested_by
    )


@transaction.atomic
def report_pending(
    *,
    pool: "Pool",
    period_start: datetime.date,
    period_end: datetime.date,
    requested_by: "User | None" = None,
) -> ReimbursementReport:
    """The report's row, pending unless it was sent; one that failed is tried again.

    Callers ask for it through engagements.tasks.report_request, which also queues the
    work in the worker.
    """
    _check_period(period_start, period_end)
    report = _locked_report(pool, period_start, period_end, requested_by)
    if report.status == ReportStatus.FAILED:
        report.status = ReportStatus.PENDING
        report.error = ""
        report.requested_by = requested_by or report.requested_by
        report.save(update_fields=["status", "error", "requested_by"])
    return report


@transaction.atomic
def report_generate(
    *,
    pool: "Pool",
    period_start: datetime.date,
    period_end: datetime.date,
    requested_by: "User | None" = None,
) -> ReimbursementReport:
    """Make the report of a pool and period, or return the one made before, unchanged."""
    _check_period(period_start, period_end)
    report = _locked_report(pool, period_start, period_end, requested_by)
    if report.status in DONE:
        return report
    reason = _("Erstattungsbericht %(report)s") % {"report": report}
    unreported = {"engagement__pool": pool, "report__isnull": True, "date__lte": period_end}
    for model, filters, changes in (
        (TimeEntry, {"status": EntryStatus.APPROVED}, {"status": EntryStatus.REIMBURSED}),
        (Expense, {"status": EntryStatus.APPROVED}, {"status": EntryStatus.REIMBURSED}),
        (CostCorrection, {}, {}),
    ):
        # Only these rows are locked (of="self"), in one order, so two reports of
        # overlapping periods wait for each other instead of taking the same row.
        rows: list[TimeEntry | Expense | CostCorrection] = list(
            model.objects.select_for_update(of=("self",))
            .filter(**unreported, **filters)
            .order_by("pk")
        )
        if not rows:
            continue
        # Every row gets the same values: one UPDATE (not a CASE per row, as bulk_update
        # would write), then one history record per row, as bulk_update_with_history does.
        model.objects.filter(pk__in=[row.pk for row in rows]).update(report=report, **changes)
        for row in rows:
            row.report = report
            for name, value in changes.items():
                setattr(row, name, value)
        model.history.bulk_history_create(
            rows,
            update=True,
            default_user=requested_by,
            default_change_reason=reason,
        )
    content = report_content(report)
    report.total_fees = content.fees
    report.total_expenses = content.expenses
    report.total = content.total
    report.generated_at = timezone.now()
    report.error = ""
    if report.requested_by_id is None:
        report.requested_by = requested_by
    if not content.parts:
        # Nothing to reimburse: the report says so, and nobody gets an empty one by email.
        report.status = ReportStatus.EMPTY
        report.save()
        return report
    report.status = ReportStatus.GENERATED
    _store_files(report, content)
    return report


def _store_files(report: ReimbursementReport, content: ReportContent) -> None:
    """Write the three files with their checksums and save the report."""
    with translation.override(settings.LANGUAGE_CODE):
        data = {
            "pdf": report_pdf(content),
            "xlsx": report_xlsx(content),
            "csv": report_csv(content).encode("utf-8"),
        }
    period = f"{report.period_start:%Y-%m-%d}-{report.period_end:%Y-%m-%d}"
    name = f"erstattungsbericht-{slugify(report.pool.name)}-{period}"
    written = []
    try:
        for kind, payload in data.items():
            stored = getattr(report, kind)
            stored.save(f"{name}.{kind}", ContentFile(payload), save=False)
            written.append(stored)
            setattr(report, f"{kind}_sha256", hashlib.sha256(payload).hexdigest())
        report.save()
    except BaseException:
        # The transaction rolls back; files of a report that does not exist must go too.
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def regenerate_files(report: ReimbursementReport) -> None:
    """Make a filed report's files again from its entries as they are now, and delete the
    old files once that is committed.

    For an erasure (core.personal_data): the advisor's name is replaced by then, the
    entries and therefore every figure stay as they were.
    """
    if report.status not in ReportStatus.filed():
        return
    old = [stored.name for stored in (report.pdf, report.xlsx, report.csv) if stored]
    storage = report.pdf.storage
    _store_files(report, report_content(report))
    for name in old:
        transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def report_mark_failed(
    *, pool: "Pool", period_start: datetime.date, period_end: datetime.date, error: str
) -> None:
    """Note why a report could not be made, so the admin shows it; a made one stays."""
    if period_end < period_start:
        return  # no such report can exist
    try:
        report = _locked_report(pool, period_start, period_end)
    except ReportError:
        return  # overlapping: the request was refused, there is no report to mark
    if report.status in DONE:
        return
    report.status = ReportStatus.FAILED
    report.error = error[:4000]
    report.save(update_fields=["status", "error"])


@transaction.atomic
def report_send(*, report: ReimbursementReport) -> bool:
    """Put the report with its files into the outbox to SKEW_REPORT_EMAIL; False if done before.

    The email and the report's "sent" are one transaction under the report's row lock,
    so two calls write one email. The files are checked against their checksums here,
    and again by the outbox when it sends them.
    """
    report = (
        ReimbursementReport.objects.select_for_update().select_related("pool").get(pk=report.pk)
    )
    if report.sent_at is not None:
        return False
    if report.status != ReportStatus.GENERATED:
        raise ReportError(
            _("Der Bericht ist %(status)s und kann nicht versendet werden.")
            % {"status": report.get_status_display()}
        )
    attachments: list[Attachment] = []
    for kind, stored, checksum in report.files:
        name = PurePath(stored.name).name
        try:
            with stored.open("rb") as handle:
                payload = handle.read()
        except FileNotFoundError as error:
            raise ReportError(
                _("Die Datei %(name)s fehlt im Speicher.") % {"name": name}
            ) from error
        if hashlib.sha256(payload).hexdigest() != checksum:
            raise ReportError(
                _("Die Datei %(name)s stimmt nicht mehr mit ihrer Prüfsumme überein.")
                % {"name": name}
            )
        attachments.append(
            {"name": name, "path": stored.name, "sha256": checksum, "mimetype": CONTENT_TYPES[kind]}
        )
    checksums = [(attachment["name"], attachment["sha256"]) for attachment in attachments]
    context = {"report": report, "content": report_content(report), "files": checksums}
    report.email = send_templated_email(
        to=[settings.SKEW_REPORT_EMAIL],
        template="reimbursement_report",
        context=context,
        language=settings.LANGUAGE_CODE,
        attachments=attachments,
    )
    report.sent_at = timezone.now()
    report.status = ReportStatus.SENT
    report.save(update_fields=["sent_at", "status", "email"])
    return True
