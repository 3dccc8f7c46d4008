"""Personal data is kept only as long as it is needed (GDPR Art. 5(1)(e)).

Once MIGLOBE_PERSONAL_DATA_RETENTION_DAYS have passed:
- an event's registrations lose name, email address and needs; category,
  organisation, workshops and attendance stay, so the figures do not change;
- the reminder log forgets whom it reminded of what;
- rejected directory suggestions, with their submitter's name and address, go.

Consent records stay as long as what they allow is published: they are the
proof of the consent. Run daily by beat (miglobe/schedules.py); running it
twice changes nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone


def _unreviewed_items() -> list[str]:
    """The log items of requests still waiting for review.

    Their reminder's key date stays the same while they wait, so their log rows
    are what stops the reminder going out again: they are kept.
    """
    from engagements.enums import RequestStatus
    from engagements.models import ConsultationRequest

    submitted = ConsultationRequest.objects.filter(status=RequestStatus.SUBMITTED)
    return [f"request:{pk}" for pk in submitted.values_list("pk", flat=True)]


@transaction.atomic
def forget_old_personal_data(*, now=None) -> dict[str, int]:
    """Remove what the retention period has run out for; how many of each kind."""
    from actors.models import OrganisationSuggestion, SuggestionStatus
    from events.services import registrations_anonymise

    from .models import ReminderKind, ReminderLog

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MIGLOBE_PERSONAL_DATA_RETENTION_DAYS)
    reminders, _ = (
        ReminderLog.objects.filter(due_on__lt=timezone.localdate(cutoff))
        .exclude(kind=ReminderKind.REQUEST_UNREVIEWED, item__in=_unreviewed_items())
        .delete()
    )
    suggestions, _ = OrganisationSuggestion.objects.filter(
        status=SuggestionStatus.REJECTED, decided_at__lt=cutoff
    ).delete()
    return {
        "registrations": registrations_anonymise(now=now),
        "reminders": reminders,
        "suggestions": suggestions,
    }
