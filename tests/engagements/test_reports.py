"""SKEW's reimbursement reports: the sums, the three files, once per period, once by email."""

import csv
import datetime
import hashlib
import html
import io
import re
import smtplib
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import EmailStatus, OutboxEmail
from core.money import fee
from core.outbox import flush
from engagements.admin.reports import previous_month
from engagements.enums import HOURS_FEE, EntryStatus, ExpenseCategory, ReportStatus
from engagements.forms import CostCorrectionForm
from engagements.models import CostCorrection, Expense, ReimbursementReport, TimeEntry
from engagements.reports import ReportError, report_generate, report_send
from engagements.selectors import fee_rate_subquery
from engagements.services import entry_approve
from engagements.tasks import generate_report, monthly_reports, report_request, resume_reports
from tests.advisors.factories import AdvisorFactory, PoolFactory
from tests.core.factories import StaffFactory, UserFactory
from tests.engagements.factories import (
    CostCorrectionFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    MunicipalityFactory,
    TimeEntryFactory,
)

FEB = (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
MAR = (datetime.date(2020, 3, 1), datetime.date(2020, 3, 31))


# --- The cast ---------------------------------------------------------------------------


@pytest.fixture
def pool(db):
    pool = PoolFactory(federal_state="NW", name="MiGlobe NRW")
    FeeRateFactory(pool=pool, valid_from=datetime.date(2013, 1, 1), hourly_rate=Decimal("45.00"))
    # The rate changes in the middle of February.
    FeeRateFactory(pool=pool, valid_from=datetime.date(2020, 2, 15), hourly_rate=Decimal("47.35"))
    return pool


@pytest.fixture
def advisor(db):
    return AdvisorFactory(user=UserFactory(email="advisor@example.org", name="Mamadou Beispiel"))


@pytest.fixture
def eschweiler(pool, advisor):
    engagement = EngagementFactory(
        title="Beratungseinsatz Eschweiler",
        municipality=MunicipalityFactory(name="Eschweiler"),
        pool=pool,
        budget=Decimal("5000.00"),
    )
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor)
    return engagement


@pytest.fixture
def hamm(pool, advisor):
    engagement = EngagementFactory(
        title="Beratungseinsatz Hamm",
        municipality=MunicipalityFactory(name="Hamm"),
        pool=pool,
        budget=None,
    )
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor)
    return engagement


def approved(factory, engagement, date, **kwargs):
    return factory(
        engagement=engagement,
        advisor=engagement.assignments.first().advisor,
        date=date,
        status=EntryStatus.APPROVED,
        approved_at=timezone.now(),
        **kwargs,
    )


@pytest.fixture
def february(eschweiler, hamm):
    """Approved costs of February in two engagements, and some that are not to be reported."""
    d = datetime.date
    return {
        "times": [
            approved(TimeEntryFactory, eschweiler, d(2020, 2, 10), hours=Decimal("3.50")),  # 45.00
            approved(TimeEntryFactory, eschweiler, d(2020, 2, 20), hours=Decimal("1.33")),  # 47.35
            approved(TimeEntryFactory, hamm, d(2020, 2, 21), hours=Decimal("1.33")),  # 47.35
        ],
        "expenses": [
            approved(
                ExpenseFactory, eschweiler, d(2020, 2, 11), category="venue", amount=Decimal("900")
            ),
            approved(
                ExpenseFactory,
                eschweiler,
                d(2020, 2, 12),
                category="travel",
                amount=Decimal("23.40"),
            ),
            approved(
                ExpenseFactory, hamm, d(2020, 2, 13), category="travel", amount=Decimal("12.10")
            ),
            approved(
                ExpenseFactory, hamm, d(2020, 2, 14), category="material", amount=Decimal("5.05")
            ),
        ],
        "not_reported": [
            TimeEntryFactory(
                engagement=eschweiler, date=d(2020, 2, 5), status=EntryStatus.SUBMITTED
            ),
            ExpenseFactory(engagement=eschweiler, date=d(2020, 2, 5), status=EntryStatus.DRAFT),
            approved(TimeEntryFactory, eschweiler, d(2020, 3, 2)),  # after the period
            # Another pool's engagement.
            TimeEntryFactory(
                engagement__pool=FeeRateFactory(pool=PoolFactory(federal_state="BW")).pool,
                date=d(2020, 2, 10),
                status=EntryStatus.APPROVED,
            ),
        ],
    }


def generate(pool, period, **kwargs):
    return report_generate(pool=pool, period_start=period[0], period_end=period[1], **kwargs)


def database_sums(report):
    """The report's sums straight from the database: fees rounded per entry, then added.

    Corrections count with the fees (of hours) or the expenses (of a category).
    """
    fees = sum(
        (
            fee(hours, rate)
            for hours, rate in TimeEntry.objects.filter(report=report)
            .annotate(rate=fee_rate_subquery())
            .values_list("hours", "rate")
        ),
        Decimal("0.00"),
    )
    expenses = Expense.objects.filter(report=report).aggregate(total=Sum("amount"))["total"]
    expenses = expenses or Decimal("0.00")
    for category, amount in CostCorrection.objects.filter(report=report).values_list(
        "category", "amount"
    ):
        if category == HOURS_FEE:
            fees += amount
        else:
            expenses += amount
    return fees, expenses, fees + expenses


def pdf_text(report) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    return "\n".join(page.extract_text() for page in reader.pages)


def csv_rows(report) -> list[dict]:
    with report.csv.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def decimal_de(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


# --- The sums ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_fees_use_the_rate_in_force_on_each_day_rounded_per_entry(pool, february):
    report = generate(pool, FEB)

    # 3.50 h × 45.00 = 157.50; 1.33 h × 47.35 = 62.9755 → 62.98, twice.
    assert report.total_fees == Decimal("283.46")
    assert report.total_expenses == Decimal("940.55")
    assert report.total == Decimal("1224.01")
    assert (report.total_fees, report.total_expenses, report.total) == database_sums(report)
    assert report.status == ReportStatus.GENERATED
    assert report.generated_at is not None


@pytest.mark.django_db
def test_expenses_by_category_and_per_engagement(pool, february):
    from engagements.reports import report_content

    report = generate(pool, FEB)
    content = report_content(report)

    assert [part.engagement.municipality.name for part in content.parts] == ["Eschweiler", "Hamm"]
    eschweiler, hamm = content.parts
    assert eschweiler.fees == Decimal("220.48")
    assert eschweiler.by_category[ExpenseCategory.VENUE] == Decimal("900.00")
    assert eschweiler.by_category[ExpenseCategory.TRAVEL] == Decimal("23.40")
    assert hamm.by_category[ExpenseCategory.MATERIAL] == Decimal("5.05")
    assert content.by_category[ExpenseCategory.TRAVEL] == Decimal("35.50")
    assert eschweiler.total + hamm.total == report.total
    # Budget against what has been reimbursed so far (this report included).
    assert eschweiler.reimbursed_to_date == eschweiler.total
    assert eschweiler.remaining == Decimal("5000.00") - eschweiler.total
    assert hamm.remaining is None  # no budget set


@pytest.mark.django_db
def test_entries_become_reimbursed_and_linked_and_the_rest_stays(pool, february):
    report = generate(pool, FEB)

    for entry in [*february["times"], *february["expenses"]]:
        entry.refresh_from_db()
        assert entry.status == EntryStatus.REIMBURSED
        assert entry.report == report
    for entry in february["not_reported"]:
        entry.refresh_from_db()
        assert entry.report is None
        assert entry.status != EntryStatus.REIMBURSED
    # The entry's history says which report reimbursed it.
    last = february["times"][0].history.first()
    assert last.status == EntryStatus.REIMBURSED
    assert str(report) in last.history_change_reason


@pytest.mark.django_db
def test_a_period_without_costs_gives_an_empty_report_that_is_not_mailed(
    pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_id = generate_report(
            pool_id=pool.pk, period_start="2020-02-01", period_end="2020-02-29"
        )

    report = ReimbursementReport.objects.get(pk=report_id)
    assert report.status == ReportStatus.EMPTY
    assert report.get_status_display() == "ohne Posten"
    assert report.total == Decimal("0.00") and report.generated_at is not None
    assert not report.files
    assert mail.outbox == [] and not OutboxEmail.objects.exists()
    with pytest.raises(ReportError):
        report_send(report=report)


# --- The files ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_shows_lines_and_totals_in_german_format(pool, february):
    report = generate(pool, FEB)
    text = pdf_text(report)

    assert "Erstattungsbericht" in text
    assert "MiGlobe NRW" in text
    assert "01.02.2020 – 29.02.2020" in text
    assert "Beratungseinsatz Eschweiler" in text
    assert "47,35" in text and "62,98" in text  # the rate after the change, and the fee
    assert "283,46" in text  # fees
    assert "940,55" in text  # expenses
    assert "1.224,01" in text  # the pool's total
    assert "Seite 1 von" in text
    assert "Nachträge und Korrekturen" in text


@pytest.mark.django_db
def test_files_are_stored_with_their_checksums(pool, february):
    report = generate(pool, FEB)

    assert [kind for kind, _file, _sum in report.files] == ["pdf", "xlsx", "csv"]
    for _kind, stored, checksum in report.files:
        with stored.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == checksum
        assert stored.name.startswith("reports/")
        assert "2020-02-01-2020-02-29" in stored.name


@pytest.mark.django_db
def test_xlsx_totals_equal_the_database_sums(pool, february):
    report = generate(pool, FEB)
    fees, expenses, total = database_sums(report)
    with report.xlsx.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))

    assert book.sheetnames == ["Übersicht", "Positionen"]
    summary = list(book["Übersicht"].iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(summary) if row[0] == "Beratungseinsatz")
    header = summary[header_at]
    pool_row = dict(zip(header, next(r for r in summary if r[0] == "Summe Pool"), strict=True))
    assert Decimal(str(pool_row["Honorare aus Stunden (EUR)"])) == fees
    assert Decimal(str(pool_row["Ausgaben (EUR)"])) == expenses
    assert Decimal(str(pool_row["Summe (EUR)"])) == total
    assert Decimal(str(pool_row["Ausgaben: Raummiete (EUR)"])) == Decimal("900.00")
    engagement_rows = summary[header_at + 1 : -1]
    assert (
        sum(Decimal(str(dict(zip(header, r, strict=True))["Summe (EUR)"])) for r in engagement_rows)
        == total
    )

    lines = list(book["Positionen"].iter_rows(values_only=True))
    columns = lines[0]
    positions = [dict(zip(columns, r, strict=True)) for r in lines[1:] if r[0] == "Position"]
    assert len(positions) == 7
    assert sum(Decimal(str(p["Betrag (EUR)"])) for p in positions) == total
    assert isinstance(positions[0]["Betrag (EUR)"], (int, float))  # numbers stay numbers
    assert isinstance(positions[0]["Datum"], datetime.datetime)


@pytest.mark.django_db
def test_csv_totals_equal_the_database_sums(pool, february):
    report = generate(pool, FEB)
    fees, expenses, total = database_sums(report)
    rows = csv_rows(report)

    positions = [r for r in rows if r["Zeile"] == "Position"]
    fee_rows = [r for r in positions if r["Art"] == "Honorar (Stunden)"]
    assert len(positions) == 7
    assert sum(decimal_de(r["Betrag (EUR)"]) for r in fee_rows) == fees
    assert sum(decimal_de(r["Betrag (EUR)"]) for r in positions) - fees == expenses
    assert [r["Zeile"] for r in rows].count("Summe Einsatz") == 2
    assert (
        sum(decimal_de(r["Betrag (EUR)"]) for r in rows if r["Zeile"] == "Summe Einsatz") == total
    )
    assert rows[-1]["Zeile"] == "Summe Pool"
    assert decimal_de(rows[-1]["Betrag (EUR)"]) == total
    assert "62,98" in [r["Betrag (EUR)"] for r in fee_rows]
    assert {r["Nachtrag/Korrektur"] for r in positions} == {"nein"}


# --- Once per period, once by email --------------------------------------------------------


@pytest.mark.django_db
def test_an_overlapping_period_is_refused_and_a_later_report_takes_no_reported_entry(
    pool, february
):
    first = generate(pool, FEB)
    reported = set(first.time_entries.values_list("pk", flat=True))

    with pytest.raises(ReportError, match="überschneidet sich"):
        generate(pool, (datetime.date(2020, 2, 15), datetime.date(2020, 3, 15)))
    with pytest.raises(ReportError, match="überschneidet sich"):
        report_request(pool=pool, period_start=datetime.date(2020, 1, 20), period_end=FEB[0])
    march = generate(pool, MAR)

    assert ReimbursementReport.objects.count() == 2  # nothing was left of the refused ones
    assert not march.time_entries.filter(pk__in=reported).exists()
    assert march.time_entries.count() == 1  # the March entry
    for entry in TimeEntry.objects.filter(report__isnull=False):
        assert ReimbursementReport.objects.filter(time_entries=entry).count() == 1


@pytest.mark.django_db
def test_regenerating_returns_the_same_report_and_sends_no_second_email(
    pool, february, settings, django_capture_on_commit_callbacks
):
    settings.SKEW_REPORT_EMAIL = "finanzen@skew.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        first_id = generate_report(
            pool_id=pool.pk, period_start="2020-02-01", period_end="2020-02-29"
        )
    first = ReimbursementReport.objects.get(pk=first_id)
    assert first.status == ReportStatus.SENT
    [email] = mail.outbox
    assert email.to == ["finanzen@skew.example.org"]
    assert "MiGlobe NRW" in email.subject
    assert "1.224,01" in email.body
    assert first.pdf_sha256 in email.body
    assert sorted(name.rsplit(".", 1)[1] for name, _c, _t in email.attachments) == [
        "csv",
        "pdf",
        "xlsx",
    ]
    pdf = next(content for name, content, _t in email.attachments if name.endswith(".pdf"))
    assert hashlib.sha256(pdf).hexdigest() == first.pdf_sha256

    # A cost approved later is not slipped into the report already made.
    late = approved(ExpenseFactory, february["times"][0].engagement, datetime.date(2020, 2, 25))
    with django_capture_on_commit_callbacks(execute=True):
        again_id = generate_report(
            pool_id=pool.pk, period_start="2020-02-01", period_end="2020-02-29"
        )
    again = ReimbursementReport.objects.get(pk=again_id)

    assert again_id == first_id
    assert ReimbursementReport.objects.count() == 1
    assert (again.total, again.pdf_sha256, again.sent_at) == (
        first.total,
        first.pdf_sha256,
        first.sent_at,
    )
    assert len(mail.outbox) == 1
    late.refresh_from_db()
    assert late.report is None


@pytest.mark.django_db
def test_a_cost_approved_after_its_report_is_an_adjustment_of_the_next(pool, eschweiler, february):
    staff = StaffFactory()
    late = TimeEntryFactory(
        engagement=eschweiler,
        advisor=eschweiler.assignments.first().advisor,
        date=datetime.date(2020, 2, 26),
        hours=Decimal("2.00"),
        activity="Nachbereitung Integrationsrat",
        status=EntryStatus.SUBMITTED,
    )
    february_report = generate(pool, FEB)
    entry_approve(entry=late, by=staff)

    march = generate(pool, MAR)

    late.refresh_from_db()
    assert late.report == march
    # 2 h × 47.35 (the rate of its own date) beside March's 3.5 h × 47.35 = 165.725 → 165.73.
    assert march.total_fees == Decimal("94.70") + Decimal("165.73")
    assert not february_report.time_entries.filter(pk=late.pk).exists()
    text = pdf_text(march)
    assert "Nachbereitung Integrationsrat" in text
    assert "26.02.2020" in text
    assert "Nachtrag" in text
    [row] = [r for r in csv_rows(march) if r["Nachtrag/Korrektur"] == "Nachtrag"]
    assert (row["Datum"], row["Beschreibung"]) == ("26.02.2020", "Nachbereitung Integrationsrat")


@pytest.mark.django_db
def test_report_send_twice_sends_one_email(pool, february, django_capture_on_commit_callbacks):
    report = generate(pool, FEB)

    with django_capture_on_commit_callbacks(execute=True):
        assert report_send(report=report) is True
        assert report_send(report=report) is False

    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().status == EmailStatus.SENT
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert report.sent_at is not None


@pytest.mark.django_db
def test_a_report_that_is_not_generated_is_not_sent(pool):
    report = ReimbursementReport.objects.create(pool=pool, period_start=FEB[0], period_end=FEB[1])
    with pytest.raises(ReportError):
        report_send(report=report)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_file_changed_after_generation_is_not_sent(pool, february):
    report = generate(pool, FEB)
    with open(report.csv.path, "ab") as handle:
        handle.write(b"Position;;;;;;;;;999,99;nein\r\n")

    with pytest.raises(ReportError, match="Prüfsumme"):
        report_send(report=report)
    assert mail.outbox == []


class FailsOnceBackend(EmailBackend):
    """A mail server that is down the first time it is asked."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_an_smtp_failure_keeps_the_report_in_the_outbox_until_a_retry_sends_it(
    pool, february, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnceBackend"
    FailsOnceBackend.calls = 0
    report = generate(pool, FEB)

    with django_capture_on_commit_callbacks(execute=True):
        assert report_send(report=report) is True
    report.refresh_from_db()
    assert report.email.status == EmailStatus.QUEUED
    assert "SMTPServerDisconnected" in report.email.last_error
    assert mail.outbox == []

    assert flush(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    report.email.refresh_from_db()
    assert report.email.status == EmailStatus.SENT
    [email] = mail.outbox
    pdf = next(content for name, content, _t in email.attachments if name.endswith(".pdf"))
    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256


@pytest.mark.django_db
def test_a_failed_generation_is_shown_on_the_report_and_can_be_repeated(
    eschweiler, django_capture_on_commit_callbacks
):
    pool = eschweiler.pool
    pool.fee_rates.all().delete()
    FeeRateFactory(pool=pool, valid_from=datetime.date(2020, 2, 15), hourly_rate=Decimal("50"))
    early = approved(TimeEntryFactory, eschweiler, datetime.date(2020, 2, 10))  # no rate yet

    with pytest.raises(ReportError), django_capture_on_commit_callbacks(execute=True):
        generate_report(pool_id=pool.pk, period_start="2020-02-01", period_end="2020-02-29")

    report = ReimbursementReport.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "10.02.2020" in report.error
    early.refresh_from_db()
    assert (early.status, early.report) == (EntryStatus.APPROVED, None)
    assert report.files == []
    assert mail.outbox == []

    FeeRateFactory(pool=pool, valid_from=datetime.date(2020, 1, 1), hourly_rate=Decimal("45"))
    with django_capture_on_commit_callbacks(execute=True):
        generate_report(pool_id=pool.pk, period_start="2020-02-01", period_end="2020-02-29")
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.SENT, "")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_monthly_reports_ask_for_last_month_of_every_pool_at_work(
    pool, february, monkeypatch, django_capture_on_commit_callbacks
):
    PoolFactory(federal_state="HB")  # no engagements: no report
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2020, 3, 1))

    with django_capture_on_commit_callbacks(execute=True):
        monthly_reports()
    with django_capture_on_commit_callbacks(execute=True):
        monthly_reports()  # run twice: nothing new

    reports = ReimbursementReport.objects.all()
    assert {(r.pool.federal_state, r.period_start, r.period_end, r.status) for r in reports} == {
        ("NW", *FEB, ReportStatus.SENT),
        ("BW", *FEB, ReportStatus.SENT),
    }
    assert len(mail.outbox) == 2


# --- The admin ----------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, db, log_in):
    return log_in(client, StaffFactory(email="skew@example.org"))


@pytest.mark.django_db
def test_staff_asks_for_a_report_in_the_admin_and_sees_its_state(
    staff_client, pool, february, django_capture_on_commit_callbacks
):
    add = reverse("admin:engagements_reimbursementreport_add")
    page = staff_client.get(add)
    assert page.status_code == 200
    assert 'name="period_start"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            add, {"pool": pool.pk, "period_start": "2020-02-01", "period_end": "2020-02-29"}
        )
    assert response.status_code == 302

    content = staff_client.get(response["Location"]).content.decode()
    assert "im Hintergrund erstellt" in content
    report = ReimbursementReport.objects.get()
    assert report.status == ReportStatus.SENT
    assert report.requested_by.email == "skew@example.org"
    assert "versendet" in content
    assert "1.224,01" in content or "1224,01" in content
    assert (
        reverse("admin:engagements_reimbursementreport_download", args=[report.pk, "pdf"])
        in content
    )
    assert report.pdf_sha256[:12] in content
    assert len(mail.outbox) == 1

    change = staff_client.get(
        reverse("admin:engagements_reimbursementreport_change", args=[report.pk])
    )
    assert change.status_code == 200
    assert report.csv_sha256 in change.content.decode()
    assert 'name="_save"' not in change.content.decode()  # read-only

    # Asking again for the same period sends nothing and says so.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            add,
            {"pool": pool.pk, "period_start": "2020-02-01", "period_end": "2020-02-29"},
            follow=True,
        )
    assert "bereits am" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_staff_send_a_generated_report_again_from_the_list(
    staff_client, pool, february, django_capture_on_commit_callbacks
):
    report = generate(pool, FEB)  # made, but the mail server never took it

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:engagements_reimbursementreport_changelist"),
            {"action": "send_again", "_selected_action": [report.pk]},
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_admin_form_checks_the_period(staff_client, pool):
    add = reverse("admin:engagements_reimbursementreport_add")
    start, end = previous_month(timezone.localdate())
    page = staff_client.get(add).content.decode()
    assert f'value="{start:%Y-%m-%d}"' in page and f'value="{end:%Y-%m-%d}"' in page

    response = staff_client.post(
        add, {"pool": pool.pk, "period_start": "2020-02-29", "period_end": "2020-02-01"}
    )
    assert response.status_code == 200
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = staff_client.post(
        add, {"pool": pool.pk, "period_start": "2020-02-01", "period_end": f"{tomorrow:%Y-%m-%d}"}
    )
    assert "noch nicht vorbei" in response.content.decode()
    assert not ReimbursementReport.objects.exists()


@pytest.mark.django_db
def test_a_sent_report_cannot_be_changed_or_deleted(staff_client, pool, february):
    report = generate(pool, FEB)
    report_send(report=report)
    change = reverse("admin:engagements_reimbursementreport_change", args=[report.pk])

    response = staff_client.post(change, {"pool": pool.pk, "period_start": "2019-01-01"})
    assert response.status_code == 403
    response = staff_client.post(
        reverse("admin:engagements_reimbursementreport_delete", args=[report.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ReimbursementReport.objects.filter(pk=report.pk, status=ReportStatus.SENT).exists()
    # Nor can the entries it holds be changed behind its back.
    entry = february["times"][0]
    response = staff_client.post(
        reverse("admin:engagements_timeentry_change", args=[entry.pk]), {"hours": "9"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.hours == Decimal("3.50")


@pytest.mark.django_db
def test_download_is_for_staff_only_and_serves_the_stored_file(client, pool, february):
    report = generate(pool, FEB)
    url = reverse("admin:engagements_reimbursementreport_download", args=[report.pk, "pdf"])

    response = client.get(url)  # anonymous
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory(email="officer@example.org"))  # not staff
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(StaffFactory(email="skew@example.org"))
    for kind in ("pdf", "xlsx", "csv"):
        response = client.get(
            reverse("admin:engagements_reimbursementreport_download", args=[report.pk, kind])
        )
        assert response.status_code == 200
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == getattr(
            report, f"{kind}_sha256"
        )
        assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert client.get(url.replace("/pdf/", "/exe/")).status_code == 404


# --- Two at once (PostgreSQL) ----------------------------------------------------------------


def _at_once(*calls):
    """Run the calls in threads that start together; return their results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # handed back to the test, which shows it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_calls_at_once_make_one_report_with_every_entry_once(postgres_only, pool, eschweiler):
    for day in range(1, 29):
        approved(TimeEntryFactory, eschweiler, datetime.date(2020, 2, day))
        approved(ExpenseFactory, eschweiler, datetime.date(2020, 2, day))

    first, second = _at_once(lambda: generate(pool, FEB), lambda: generate(pool, FEB))

    assert isinstance(first, ReimbursementReport), first
    assert isinstance(second, ReimbursementReport), second
    assert first.pk == second.pk
    report = ReimbursementReport.objects.get()
    assert report.time_entries.count() == 28
    assert report.expenses.count() == 28
    assert (report.total_fees, report.total_expenses, report.total) == database_sums(report)


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overlapping_reports_at_once_share_no_entry(postgres_only, pool, eschweiler):
    entries = [
        approved(TimeEntryFactory, eschweiler, datetime.date(2020, 2, day)) for day in range(1, 29)
    ]

    results = _at_once(
        lambda: generate(pool, FEB),
        lambda: generate(pool, (datetime.date(2020, 2, 10), datetime.date(2020, 3, 10))),
    )

    # The pool's lock makes them take turns: the second sees the first and is refused.
    assert sorted(type(r).__name__ for r in results) == ["ReimbursementReport", "ReportError"]
    [report] = ReimbursementReport.objects.all()
    assert report.time_entries.count() == len(entries)
    assert TimeEntry.objects.filter(report__isnull=True).count() == 0
    assert report.total == database_sums(report)[2]


def test_the_workspace_costs_and_the_report_agree_to_the_cent(eschweiler, advisor):
    from engagements.selectors import engagement_costs

    # 0.33 h × 47.35 € = 15.6255 €: rounded per entry, three of them make 46.89 €, not 46.88 €.
    for day in (16, 17, 18):
        TimeEntryFactory(
            engagement=eschweiler,
            advisor=advisor,
            date=datetime.date(2020, 2, day),
            hours=Decimal("0.33"),
            status=EntryStatus.APPROVED,
        )
    before = engagement_costs(eschweiler).fees[EntryStatus.APPROVED]
    report = report_generate(pool=eschweiler.pool, period_start=FEB[0], period_end=FEB[1])
    assert before == report.total_fees == Decimal("46.89")
    assert engagement_costs(eschweiler).fees[EntryStatus.REIMBURSED] == Decimal("46.89")


# --- Corrections of reimbursed costs --------------------------------------------------------


def correction_form(engagement, **fields) -> dict:
    """What staff type into the admin's correction form."""
    return {
        "engagement": engagement.pk,
        "date": "2020-03-05",
        "category": "travel",
        "amount": "-10.00",
        "reason": "Bahnfahrt doppelt eingereicht",
        "corrects_time_entry": "",
        "corrects_expense": "",
        **fields,
    }


def add_correction(staff_client, engagement, **fields):
    return staff_client.post(
        reverse("admin:engagements_costcorrection_add"), correction_form(engagement, **fields)
    )


@pytest.mark.django_db
def test_a_correction_claims_money_back_in_the_next_report(pool, eschweiler, february):
    february_report = generate(pool, FEB)
    venue = february["expenses"][0]  # 900 € room hire, reimbursed in February
    correction = CostCorrectionFactory(
        engagement=eschweiler,
        corrects_expense=venue,
        category="venue",
        amount=Decimal("-150.00"),
        reason="Rabatt auf die Saalmiete nachträglich gewährt",
        date=datetime.date(2020, 3, 5),
    )

    march = generate(pool, MAR)

    correction.refresh_from_db()
    assert correction.report == march
    # March: the entry of 2 March (3.5 h × 47.35 € = 165.73 €) and the correction.
    assert (march.total_fees, march.total_expenses) == (Decimal("165.73"), Decimal("-150.00"))
    assert (march.total_fees, march.total_expenses, march.total) == database_sums(march)
    february_report.refresh_from_db()
    assert february_report.total_expenses == Decimal("940.55")  # the filed report stays
    text = pdf_text(march)
    assert "Rabatt auf die Saalmiete nachträglich gewährt" in text
    assert "Korrektur" in text
    assert "-150,00" in text
    [row] = [r for r in csv_rows(march) if r["Nachtrag/Korrektur"] == "Korrektur"]
    assert row["Art"] == "Korrektur: Raummiete"
    assert row["Berater*in"] == "Mamadou Beispiel"
    assert decimal_de(row["Betrag (EUR)"]) == Decimal("-150.00")
    with march.xlsx.open("rb") as handle:
        summary = list(
            load_workbook(io.BytesIO(handle.read()))["Übersicht"].iter_rows(values_only=True)
        )
    header = next(row for row in summary if row[0] == "Beratungseinsatz")
    [eschweiler_row] = [
        dict(zip(header, row, strict=True)) for row in summary if row[0] == eschweiler.title
    ]
    # February's 1,143.88 € and March's 15.73 € for Eschweiler, against a budget of 5,000 €.
    assert Decimal(str(eschweiler_row["erstattet bis heute (EUR)"])) == Decimal("1159.61")
    assert Decimal(str(eschweiler_row["verbleibendes Budget (EUR)"])) == Decimal("3840.39")
    assert Decimal(str(eschweiler_row["davon Nachträge und Korrekturen (EUR)"])) == Decimal(
        "-150.00"
    )


@pytest.mark.django_db
def test_a_correction_of_fees_counts_with_the_fees_but_adds_no_hours(pool, eschweiler, february):
    generate(pool, FEB)
    CostCorrectionFactory(
        engagement=eschweiler,
        corrects_time_entry=february["times"][0],
        category=HOURS_FEE,
        amount=Decimal("-45.00"),
        reason="Eine Stunde doppelt erfasst",
    )

    march = generate(pool, MAR)

    assert march.total_fees == Decimal("165.73") - Decimal("45.00")
    rows = csv_rows(march)
    [row] = [r for r in rows if r["Nachtrag/Korrektur"] == "Korrektur"]
    assert (row["Art"], row["Stunden"], row["Stundensatz (EUR)"]) == (
        "Korrektur: Honorar (Stunden)",
        "",
        "",
    )
    assert decimal_de(rows[-1]["Stunden"]) == Decimal("3.50")  # the hours worked in March
    assert decimal_de(rows[-1]["Betrag (EUR)"]) == Decimal("120.73")


@pytest.mark.django_db
def test_a_correction_is_in_one_report_and_waits_for_the_period_of_its_date(
    pool, eschweiler, february
):
    generate(pool, FEB)
    later = CostCorrectionFactory(engagement=eschweiler, date=datetime.date(2020, 4, 2))
    march_correction = CostCorrectionFactory(engagement=eschweiler, date=datetime.date(2020, 3, 9))

    march = generate(pool, MAR)
    again = generate(pool, MAR)
    april = generate(pool, (datetime.date(2020, 4, 1), datetime.date(2020, 4, 30)))

    assert again.pk == march.pk
    assert list(march.corrections.all()) == [march_correction]
    assert list(april.corrections.all()) == [later]
    assert april.total_expenses == Decimal("-12.50")


@pytest.mark.django_db
def test_staff_record_a_correction_from_the_reimbursed_entry(staff_client, pool, february):
    generate(pool, FEB)
    venue = february["expenses"][0]
    page = staff_client.get(reverse("admin:engagements_expense_change", args=[venue.pk]))
    link = re.search(r'href="([^"]*costcorrection/add/\?[^"]*)"', page.content.decode())
    assert link, "a reimbursed expense offers a correction"
    form = staff_client.get(html.unescape(link.group(1)))
    assert form.status_code == 200
    assert f'<option value="{venue.pk}" selected>' in form.content.decode()
    assert '<option value="venue" selected>' in form.content.decode()

    response = add_correction(
        staff_client, venue.engagement, corrects_expense=venue.pk, category="venue", amount="-50"
    )

    assert response.status_code == 302
    correction = CostCorrection.objects.get()
    assert correction.created_by.email == "skew@example.org"
    assert (correction.corrects_expense, correction.amount) == (venue, Decimal("-50.00"))


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"amount": "0"}, "amount", "ändert nichts"),
        # Within the bounds of every date field (core.validators), but still tomorrow.
        (
            {"date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat()},
            "date",
            "nicht in der Zukunft",
        ),
        ({"reason": ""}, "reason", "Dieses Feld ist zwingend erforderlich."),
        ({"amount": "-950", "entry": "venue"}, "amount", "900,00 € erstattet"),
        ({"entry": "venue", "category": "hours"}, "category", "Ausgabenkategorie"),
        ({"entry": "draft"}, "corrects_expense", "nur erstattete Einträge"),
        ({"entry": "hamm"}, "corrects_expense", "anderen Beratungseinsatz"),
        # Hamm had 1.33 h × 47.35 € = 62.98 €, 12.10 € and 5.05 € reimbursed: 80.13 €.
        ({"amount": "-80.14", "engagement": "hamm"}, "amount", "80,13 € erstattet"),
    ],
)
@pytest.mark.django_db
def test_a_wrong_correction_is_refused_next_to_its_field(
    staff_client, pool, eschweiler, hamm, february, fields, field, message
):
    generate(pool, FEB)
    entries = {
        "venue": february["expenses"][0],
        "hamm": february["expenses"][2],
        "draft": february["not_reported"][1],
    }
    if "entry" in fields:
        fields["corrects_expense"] = entries[fields.pop("entry")].pk
        fields.setdefault("category", "venue")
    engagement = hamm if fields.pop("engagement", None) == "hamm" else eschweiler

    response = add_correction(staff_client, engagement, **fields)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    if "reason" not in fields:  # what was typed stays in the form
        assert "Bahnfahrt doppelt eingereicht</textarea>" in response.content.decode()
    assert not CostCorrection.objects.exists()


@pytest.mark.django_db
def test_claiming_back_all_that_was_paid_is_allowed_and_no_more(staff_client, pool, hamm, february):
    generate(pool, FEB)
    assert add_correction(staff_client, hamm, amount="-80.00").status_code == 302
    response = add_correction(staff_client, hamm, amount="-0.14")
    assert "0,13 € erstattet" in " ".join(response.context["adminform"].form.errors["amount"])
    assert add_correction(staff_client, hamm, amount="-0.13").status_code == 302
    assert CostCorrection.objects.count() == 2


@pytest.mark.django_db
def test_a_reported_correction_cannot_be_changed_or_deleted(staff_client, pool, eschweiler):
    correction = CostCorrectionFactory(
        engagement=eschweiler, amount=Decimal("40.00"), reason="Nachzahlung Fahrtkosten"
    )
    generate(pool, MAR)
    change = reverse("admin:engagements_costcorrection_change", args=[correction.pk])

    response = staff_client.post(change, correction_form(eschweiler, amount="400.00"))
    assert response.status_code == 403
    delete = reverse("admin:engagements_costcorrection_delete", args=[correction.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    correction.refresh_from_db()
    assert correction.amount == Decimal("40.00")


@pytest.mark.django_db
def test_the_entry_picker_offers_reimbursed_entries_only(staff_client, pool, february):
    generate(pool, FEB)
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "engagements",
            "model_name": "costcorrection",
            "field_name": "corrects_expense",
            "term": "",
        },
    )
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert offered == {expense.pk for expense in february["expenses"]}


@pytest.mark.django_db
def test_the_advisor_sees_corrections_in_the_engagements_costs(client, pool, eschweiler, february):
    from engagements.selectors import engagement_costs

    generate(pool, FEB)
    before = engagement_costs(eschweiler).committed
    CostCorrectionFactory(
        engagement=eschweiler, amount=Decimal("-100.00"), reason="Fahrt doppelt abgerechnet"
    )

    costs = engagement_costs(eschweiler)
    assert costs.corrections == Decimal("-100.00")
    assert costs.committed == before - Decimal("100.00")
    client.force_login(eschweiler.assignments.first().advisor.user)
    page = client.get(reverse("workspace:engagement", args=[eschweiler.pk])).content.decode()
    assert "Korrekturen durch SKEW" in page
    assert "-100,00 €" in page
    # The advisor reads why: each correction with its reason.
    assert re.search(
        r"<td[^>]*>Reisekosten</td>\s*<td[^>]*>-100,00</td>\s*<td[^>]*>Fahrt doppelt", page
    )


@pytest.mark.django_db
def test_the_engagement_in_the_admin_shows_its_costs_and_links_to_them(
    staff_client, pool, eschweiler, february
):
    generate(pool, FEB)
    CostCorrectionFactory(engagement=eschweiler, amount=Decimal("-100.00"))

    page = staff_client.get(
        reverse("admin:engagements_engagement_change", args=[eschweiler.pk])
    ).content.decode()

    # Reimbursed in February: fees 157.50 + 62.98, expenses 900 + 23.40; the entry of
    # 2 March is approved (165.73), a draft expense of 23.40 € and a submitted 3.5 h wait.
    row = re.search(r'<th scope="row">erstattet</th>(.*?)</tr>', page, re.S).group(1)
    assert ">220,48<" in row and ">923,40<" in row
    assert "Korrekturen durch SKEW</a>: -100,00" in page
    assert "bewilligtes Budget: 5.000,00" in page
    links = [
        html.unescape(link)
        for link in re.findall(r'href="([^"]*engagement__id__exact[^"]*)"', page)
    ]
    assert len(links) == 9
    for link in links:
        response = staff_client.get(link)
        assert response.status_code == 200, link
        assert "?e=1" not in response.get("Location", "")
    corrections = staff_client.get(links[-1]).content.decode()
    assert "-100,00" in corrections


@pytest.mark.django_db
def test_a_claim_on_an_entry_also_stays_within_what_the_engagement_was_paid(
    staff_client, pool, hamm, february
):
    generate(pool, FEB)
    # Hamm was paid 80.13 €; all of it is claimed back without naming an entry.
    assert add_correction(staff_client, hamm, amount="-80.13").status_code == 302

    # Its 12.10 € journey was paid, but nothing is left to claim for the engagement.
    response = add_correction(
        staff_client, hamm, corrects_expense=february["expenses"][2].pk, amount="-12.10"
    )

    errors = response.context["adminform"].form.errors["amount"]
    assert "0,00 € erstattet" in " ".join(errors)
    assert CostCorrection.objects.count() == 1


@pytest.mark.django_db
def test_reported_corrections_survive_the_delete_action(staff_client, pool, eschweiler):
    reported = CostCorrectionFactory(engagement=eschweiler, amount=Decimal("40.00"))
    generate(pool, MAR)
    open_one = CostCorrectionFactory(engagement=eschweiler, amount=Decimal("5.00"))

    response = staff_client.post(
        reverse("admin:engagements_costcorrection_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [reported.pk, open_one.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 403
    assert CostCorrection.objects.count() == 2
    staff_client.post(
        reverse("admin:engagements_costcorrection_changelist"),
        {"action": "delete_selected", "_selected_action": [open_one.pk], "post": "yes"},
    )
    assert list(CostCorrection.objects.all()) == [reported]


# serialized_rollback: the flush afterwards must not take the migrations' data along.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_claims_at_once_cannot_together_take_back_more_than_was_paid(
    postgres_only, pool, hamm, february
):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    generate(pool, FEB)  # Hamm: 80.13 € reimbursed

    def claim():
        with transaction.atomic():  # as the admin's save runs
            form = CostCorrectionForm(
                data={
                    "engagement": hamm.pk,
                    "date": "2020-03-05",
                    "category": "travel",
                    "amount": "-50.00",
                    "reason": "Rückforderung",
                }
            )
            if not form.is_valid():
                raise ValidationError(form.errors)
            return form.save()

    results = _at_once(claim, claim)

    assert sorted(type(result).__name__ for result in results) == [
        "CostCorrection",
        "ValidationError",
    ], results
    assert any(isinstance(r, ValidationError) and "30,13 €" in str(r) for r in results)
    assert CostCorrection.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_report_is_tried_again_from_the_list(
    staff_client, eschweiler, django_capture_on_commit_callbacks
):
    pool = eschweiler.pool
    pool.fee_rates.all().delete()
    approved(TimeEntryFactory, eschweiler, datetime.date(2020, 2, 10))
    with pytest.raises(ReportError), django_capture_on_commit_callbacks(execute=True):
        generate_report(pool_id=pool.pk, period_start="2020-02-01", period_end="2020-02-29")
    report = ReimbursementReport.objects.get()
    changelist = reverse("admin:engagements_reimbursementreport_changelist")
    page = staff_client.get(changelist).content.decode()
    assert "fehlgeschlagen" in page and 'value="try_again"' in page

    FeeRateFactory(pool=pool, valid_from=datetime.date(2020, 1, 1), hourly_rate=Decimal("45"))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            changelist, {"action": "try_again", "_selected_action": [report.pk]}, follow=True
        )

    assert "1 Bericht wird im Hintergrund neu erstellt." in [
        str(m) for m in response.context["messages"]
    ]
    report.refresh_from_db()
    assert (report.status, report.error, report.email.status) == (
        ReportStatus.SENT,
        "",
        EmailStatus.SENT,
    )
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_report_left_pending_by_a_dead_worker_is_resumed(
    pool, february, django_capture_on_commit_callbacks
):
    report = ReimbursementReport.objects.create(pool=pool, period_start=FEB[0], period_end=FEB[1])
    fresh = ReimbursementReport.objects.create(pool=pool, period_start=MAR[0], period_end=MAR[1])
    ReimbursementReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=20)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert resume_reports() == 1  # the fresh one may still be with its worker

    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == ReportStatus.SENT and fresh.status == ReportStatus.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_monthly_report_skips_a_pool_whose_month_a_report_by_hand_covers(
    pool, february, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    generate(pool, (datetime.date(2020, 2, 1), datetime.date(2020, 2, 14)))  # by hand
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2020, 3, 1))

    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports() == 1  # the other pool's

    assert not ReimbursementReport.objects.filter(pool=pool, period_end=FEB[1]).exists()
    assert "überschneidet sich" in caplog.text


# --- Scale -----------------------------------------------------------------------------


def test_a_report_costs_the_same_queries_however_many_engagements_and_entries(
    pool, eschweiler, count_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    d = datetime.date
    approved(TimeEntryFactory, eschweiler, d(2020, 2, 10), hours=Decimal("2.00"))
    approved(ExpenseFactory, eschweiler, d(2020, 2, 11), category="travel")
    CostCorrectionFactory(engagement=eschweiler, date=d(2020, 2, 20))
    small = count_queries(lambda: generate(pool, FEB))

    busy = PoolFactory(federal_state="BW", name="MiGlobe BW")
    FeeRateFactory(pool=busy, valid_from=d(2013, 1, 1), hourly_rate=Decimal("45.00"))
    for n in range(6):
        engagement = EngagementFactory(pool=busy, municipality=MunicipalityFactory())
        EngagementAdvisorFactory(engagement=engagement, advisor=AdvisorFactory())
        for day in range(1, 6):
            approved(TimeEntryFactory, engagement, d(2020, 2, day + n), hours=Decimal("1.50"))
            approved(ExpenseFactory, engagement, d(2020, 2, day + n), category="material")
        CostCorrectionFactory(engagement=engagement, date=d(2020, 2, 20))
    big = count_queries(lambda: generate(busy, FEB))

    assert TimeEntry.objects.filter(report__pool=busy).count() == 30
    assert big == small
