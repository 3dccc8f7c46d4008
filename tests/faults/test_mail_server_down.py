"""The mail server is down: pages and reports go on, the email waits and goes out once later.

The test's SMTP sink is stopped while the worker tries to send; the outbox row
must go back to "queued" with its attempt counted and the error noted, and the
page that caused it must have answered normally. Once the sink is up again and
the pause after the failure is over, a flush sends it exactly once.
"""

import datetime
import hashlib
import uuid
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import EmailStatus, OutboxEmail
from engagements.enums import ReportStatus
from engagements.models import ReimbursementReport
from tests.advisors.factories import AdvisorFactory, PoolFactory
from tests.core.factories import UserFactory
from tests.engagements.factories import (
    ConsultationRequestFactory,
    EngagementAdvisorFactory,
    EngagementFactory,
    ExpenseFactory,
    FeeRateFactory,
    MunicipalityFactory,
    MunicipalOfficerFactory,
    TimeEntryFactory,
)
from tests.engagements.test_reports import approved
from tests.faults.conftest import wait_until

FEB = (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))


def outbox_row(pk: int) -> OutboxEmail:
    return OutboxEmail.objects.get(pk=pk)


def tried_once(email: OutboxEmail | None) -> OutboxEmail | None:
    """The row once a worker has tried it and given it back; fails if it went anywhere else.

    (Sent although the server is down, or given up after one try: no use waiting longer.)
    """
    if email is None or email.attempts == 0 or email.status == EmailStatus.SENDING:
        return None
    if (email.status, email.attempts) != (EmailStatus.QUEUED, 1):
        raise AssertionError(f"after a failed try: {email.status}, {email.attempts} attempts")
    return email


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_while_the_mail_server_is_down_a_message_waits_and_goes_out_once_after_the_pause(
    postgres_only, web, smtp_sink, start_worker, queue, log_in
):
    from core.tasks import flush_outbox

    officer = MunicipalOfficerFactory(
        user=UserFactory(email="officer@eschweiler.example.org"),
        municipality=MunicipalityFactory(name="Eschweiler"),
        confirmed_at=timezone.now(),
    )
    draft = ConsultationRequestFactory(municipality=officer.municipality, created_by=officer.user)
    smtp_sink.stop()
    worker = start_worker()

    client = log_in(Client(), officer.user)
    response = client.post(
        reverse("engagements:request_message", args=[draft.pk]),
        {"body": "Ab wann wäre ein Einsatz möglich?", "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == f"{draft.get_absolute_url()}#nachrichten"
    assert draft.messages.count() == 1

    # The worker got the task at once, could not reach the mail server, and gave the row back.
    [email] = OutboxEmail.objects.all()
    assert email.to == ["team@skew.example.org"]
    email = wait_until(
        lambda: tried_once(outbox_row(email.pk)),
        timeout=30,
        what="the worker's failed first attempt",
    )
    assert "Connection refused" in email.last_error
    assert email.next_attempt_at > timezone.now()  # a pause before the next try
    assert email.sent_at is None
    assert smtp_sink.messages() == []
    body = client.get("/health/").json()
    assert (body["status"], body["email_outbox"]["queued"]) == ("ok", 1), body

    # The every-minute flush does not hammer the mail server during the pause.
    early = flush_outbox.apply_async(queue=queue)
    assert worker.result_of(early.id) == "0"
    assert outbox_row(email.pk).attempts == 1

    smtp_sink.start()
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert outbox.flush(now=later) == 1

    [received] = smtp_sink.messages()
    email.refresh_from_db()
    assert received.recipients == ("team@skew.example.org",)
    assert received.subject == email.subject
    assert received.message_id.startswith(f"<outbox-{email.pk}-")
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert email.sent_at is not None

    assert outbox.flush(now=later + datetime.timedelta(minutes=5)) == 0
    assert len(smtp_sink.messages()) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_made_while_the_mail_server_is_down_reaches_skew_once_with_its_three_files(
    postgres_only, web, smtp_sink, start_worker, queue
):
    from core.tasks import flush_outbox
    from engagements.tasks import report_request

    pool = PoolFactory(federal_state="NW", name="MiGlobe NRW")
    FeeRateFactory(pool=pool, valid_from=datetime.date(2013, 1, 1), hourly_rate=Decimal("45.00"))
    engagement = EngagementFactory(title="Beratungseinsatz Eschweiler", pool=pool)
    advisor = AdvisorFactory(user=UserFactory(email="advisor@example.org"))
    EngagementAdvisorFactory(engagement=engagement, advisor=advisor)
    approved(TimeEntryFactory, engagement, datetime.date(2020, 2, 10), hours=Decimal("3.50"))
    approved(ExpenseFactory, engagement, datetime.date(2020, 2, 11), category="venue", amount=900)
    smtp_sink.stop()
    worker = start_worker()

    report = report_request(pool=pool, period_start=FEB[0], period_end=FEB[1])

    # The worker makes the report and puts it into the outbox; the mail server refuses.
    def made_and_tried() -> ReimbursementReport | None:
        row = ReimbursementReport.objects.select_related("email").get(pk=report.pk)
        if row.status == ReportStatus.FAILED:
            raise AssertionError(f"the report failed: {row.error}")
        return row if tried_once(row.email) else None

    report = wait_until(made_and_tried, timeout=60, what="the report and a failed send")
    assert report.status == ReportStatus.SENT  # handed to the outbox, which keeps it
    assert report.email.to == ["finanzen@skew.example.org"]
    assert "Connection refused" in report.email.last_error
    assert smtp_sink.messages() == []

    # The mail server is back and the pause after the failure is over: the worker's
    # every-minute flush sends the report with its files from the storage.
    smtp_sink.start()
    OutboxEmail.objects.filter(pk=report.email.pk).update(next_attempt_at=timezone.now())
    flushed = flush_outbox.apply_async(queue=queue)
    assert worker.result_of(flushed.id) == "1"

    [received] = smtp_sink.messages()
    assert received.recipients == ("finanzen@skew.example.org",)
    assert received.message_id.startswith(f"<outbox-{report.email.pk}-")
    assert "MiGlobe NRW" in received.subject
    files = {name.rsplit(".", 1)[1]: payload for name, payload in received.attachments}
    assert sorted(files) == ["csv", "pdf", "xlsx"]
    assert hashlib.sha256(files["pdf"]).hexdigest() == report.pdf_sha256
    assert hashlib.sha256(files["xlsx"]).hexdigest() == report.xlsx_sha256
    assert hashlib.sha256(files["csv"]).hexdigest() == report.csv_sha256
    report.email.refresh_from_db()
    assert (report.email.status, report.email.attempts) == (EmailStatus.SENT, 2)

    again = flush_outbox.apply_async(queue=queue)
    assert worker.result_of(again.id) == "0"
    assert Counter(m.message_id for m in smtp_sink.messages()) == {received.message_id: 1}
