from celery import shared_task

from .services import registrations_purge_unconfirmed


@shared_task
def purge_unconfirmed_registrations() -> int:
    """Daily: forget registrations nobody confirmed within the link's 48 hours."""
    return registrations_purge_unconfirmed()
