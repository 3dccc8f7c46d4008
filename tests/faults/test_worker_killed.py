"""A worker killed in the middle of sending the daily digests: everyone gets theirs, once.

Nine advisors have a milestone due today. The worker runs the sweep and sends
the digests to an SMTP sink that holds every message for a second before it
answers; when the sink has taken two, the worker is killed (SIGKILL). A second
worker, which counts any row left in "sending" as abandoned, runs the flush.
Only the message that was in flight at the kill may arrive twice; the killed
worker's task, handed out again by Redis, sends nothing.
"""

import time
from collections import Counter

import pytest
from django.utils import timezone

from core.models import EmailStatus, OutboxEmail, ReminderLog
from engagements.enums import EngagementStatus
from tests.advisors.factories import AdvisorFactory
from tests.core.factories import UserFactory
from tests.engagements.factories import (
    EngagementAdvisorFactory,
    EngagementFactory,
    MilestoneFactory,
)
from tests.faults.conftest import wait_until

RECIPIENTS = [f"advisor{n}@example.org" for n in range(1, 10)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_sweep_repeats_at_most_the_message_in_flight(
    postgres_only, web, fault_redis, smtp_sink, start_worker, queue
):
    from core.tasks import flush_outbox, send_deadline_reminders

    for n, address in enumerate(RECIPIENTS, start=1):
        engagement = EngagementFactory(status=EngagementStatus.ACTIVE, title=f"Einsatz {n}")
        advisor = AdvisorFactory(user=UserFactory(email=address))
        EngagementAdvisorFactory(engagement=engagement, advisor=advisor, slot=1)
        MilestoneFactory(
            engagement=engagement, title="Abschlussbericht", due_on=timezone.localdate()
        )
    smtp_sink.delay = 1.0
    first = start_worker()

    send_deadline_reminders.apply_async(queue=queue)
    wait_until(lambda: len(smtp_sink.messages()) >= 2, timeout=60, what="two digests at the sink")
    first.kill()

    at_kill = smtp_sink.messages()
    in_flight = at_kill[-1].message_id  # handed over, but the worker never heard "250"
    killed_task = first.received("core.outbox.deliver_email")[-1]
    # The sweep itself had finished: one digest per advisor, each claimed with its reminder.
    assert OutboxEmail.objects.count() == len(RECIPIENTS)
    assert ReminderLog.objects.filter(email__isnull=False).count() == len(RECIPIENTS)
    [left_sending] = OutboxEmail.objects.filter(status=EmailStatus.SENDING)
    assert in_flight.startswith(f"<outbox-{left_sending.pk}-")

    broker = fault_redis.client()
    try:
        # Redis still holds the killed worker's task as taken and not acknowledged.
        [(_tag, taken_at)] = broker.zrange("unacked_index", 0, -1, withscores=True)

        # The second worker takes what the first left behind, at once: the killed worker's
        # task when it starts (Redis hands out again what was taken longer ago than the
        # visibility timeout, here one second), the row left in "sending" at the flush.
        wait_until(lambda: time.time() > taken_at + 1.5, timeout=5, what="the task to expire")
        smtp_sink.delay = 0.1
        second = start_worker(MIGLOBE_OUTBOX_STUCK_MINUTES="0", CELERY_VISIBILITY_TIMEOUT="1")
        flushed = flush_outbox.apply_async(queue=queue)
        second.result_of(flushed.id)
        assert second.result_of(killed_task) == "False"

        # Then nothing is queued or being worked on any more.
        wait_until(
            lambda: broker.llen(queue) == 0 and broker.hlen("unacked") == 0,
            timeout=30,
            what="an empty queue",
        )
    finally:
        broker.close()

    received = smtp_sink.messages()
    copies = Counter(message.message_id for message in received)
    assert {address for m in received for address in m.recipients} == set(RECIPIENTS)
    assert len(copies) == len(RECIPIENTS)
    twice = {message_id: n for message_id, n in copies.items() if n > 1}
    assert set(twice) <= {in_flight} and max(copies.values()) <= 2, twice
    assert len(received) <= len(RECIPIENTS) + 1
    logs = ReminderLog.objects.select_related("email")
    assert logs.count() == len(RECIPIENTS)
    assert {log.email.status for log in logs} == {EmailStatus.SENT}
    assert not OutboxEmail.objects.filter(
        status__in=[EmailStatus.QUEUED, EmailStatus.SENDING]
    ).exists()
