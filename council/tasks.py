from celery import shared_task

from .services import watch_all


@shared_task
def watch_councils() -> dict[str, int]:
    """Daily: the papers changed since the last run, in every council system; matches are leads."""
    return watch_all()
