"""The base's periodic and email tasks: the outbox, reminder digests and retention."""

import datetime

from celery import shared_task

from . import outbox, reminders, retention
from .outbox import deliver_email

__all__ = ["deliver_email"]  # registered with the worker through this module too


@shared_task
def flush_outbox() -> int:
    """Every minute: send what is due, retry what failed, take back what a dead worker held."""
    return outbox.flush()


def sweep(today: datetime.date | None = None) -> int:
    """Claim the reminders due `today` and write one digest per person into the outbox."""
    return reminders.sweep(today=today)


@shared_task
def send_deadline_reminders() -> int:
    """Daily: claim the reminders due today and write one digest per person."""
    return sweep()


@shared_task
def forget_old_personal_data() -> dict[str, int]:
    """Daily: remove the personal data whose retention period has run out."""
    return retention.forget_old_personal_data()
