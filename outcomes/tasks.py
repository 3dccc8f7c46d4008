"""The outcomes' periodic task: the follow-ups six and twelve months after completion."""

from celery import shared_task

from . import follow_up


@shared_task
def ask_follow_ups() -> int:
    """Daily: ask the follow-ups that are due, remind once; safe to run twice."""
    return follow_up.ask_due()
