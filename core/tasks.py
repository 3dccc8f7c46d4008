"""The base's periodic and email tasks: reminder digests and retention."""

import datetime

from celery import shared_task

from . import reminders, retention
from .mail import SMTP_RETRY, send_email

__all__ = ["send_email"]  # registered with the worker through this module too


def sweep(today: datetime.date | None = None) -> int:
    """Claim the reminders due `today` and queue one digest task per person."""
    return reminders.sweep(
        queue_digest=lambda ids: send_reminder_digest.delay(log_ids=ids), today=today
    )


@shared_task
def send_deadline_reminders() -> int:
    """Daily: claim the reminders due today and queue one digest per person."""
    return sweep()


@shared_task
def forget_old_personal_data() -> dict[str, int]:
    """Daily: remove the personal data whose retention period has run out."""
    return retention.forget_old_personal_data()


@shared_task(**SMTP_RETRY)
def send_reminder_digest(*, log_ids: list[int]) -> int:
    """One person's digest; rows are marked sent only once the mail server took it."""
    return reminders.send_digest(log_ids)
