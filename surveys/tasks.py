from celery import shared_task

from .services import reminders_send


@shared_task
def remind_surveys() -> int:
    """Daily: a week before a survey ends, remind once those invited who have not answered."""
    return reminders_send()
