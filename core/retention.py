"""Personal data is kept only as long as it is needed (GDPR Art. 5(1)(e)).

Once MIGLOBE_PERSONAL_DATA_RETENTION_DAYS have passed, each app's registered
step removes what it holds (events: registrations lose name, address and
needs, figures stay; actors: rejected directory suggestions go), and the
reminder log forgets whom it reminded of what, except the rows an app still
needs to keep a reminder from repeating, and the outbox forgets sent and
failed email.

Consent records stay as long as what they allow is published: they are the
proof of the consent. Run daily by beat (miglobe/schedules.py); running it
twice changes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ReminderLog
from .outbox import forget_sent

# A step gets the cut-off (everything before it is past its period) and `now`,
# and returns how many rows it removed or anonymised.
Step = Callable[[datetime, datetime], int]
# Reminder log rows an app needs to keep: a function returning a filter of them.
Keep = Callable[[], Q]

_steps: dict[str, Step] = {}
_kept_reminders: list[Keep] = []


def register(*, steps: dict[str, Step] | None = None, keep_reminders: Keep | None = None) -> None:
    """An app's retention steps (by the name its count is reported under) and the
    reminder log rows it still needs."""
    _steps.update(steps or {})
    if keep_reminders is not None and keep_reminders not in _kept_reminders:
        _kept_reminders.append(keep_reminders)


def _forget_reminders(cutoff: datetime, now: datetime) -> int:
    old = ReminderLog.objects.filter(due_on__lt=timezone.localdate(cutoff))
    for keep in _kept_reminders:
        old = old.exclude(keep())
    deleted, _ = old.delete()
    return deleted


@transaction.atomic
def forget_old_personal_data(*, now: datetime | None = None) -> dict[str, int]:
    """Remove what the retention period has run out for; how many of each kind."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS)
    counts = {name: step(cutoff, now) for name, step in _steps.items()}
    counts["reminders"] = _forget_reminders(cutoff, now)
    counts["emails"] = forget_sent(cutoff)
    return counts
