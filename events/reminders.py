"""What the daily reminder digest says about events: tomorrow's, to those registered.

Registered with core.reminders in EventsConfig.ready().
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from core.reminders import Recipient, Reminder, site_url

from .enums import EventReminder, RegistrationStatus
from .models import Registration
from .services import cancel_token


def event_reminders(today: date) -> list[Reminder]:
    """Confirmed registrants of the events that start tomorrow."""
    tomorrow = today + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    registrations = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__starts_at__gte=start,
            event__starts_at__lt=start + timedelta(days=1),
        )
        .select_related("event")
        .order_by("pk")
    )
    reminders = []
    for registration in registrations:
        event = registration.event
        reminders.append(
            Reminder(
                EventReminder.EVENT_TOMORROW,
                f"registration:{registration.pk}",
                Recipient(registration.email.lower(), registration.name, registration.language),
                tomorrow,
                {
                    "title": event.title,
                    "context": ", ".join(p for p in [event.venue, event.venue_address] if p),
                    "date": timezone.localtime(event.starts_at).isoformat(),
                    "with_time": True,
                    "url": site_url(event.get_absolute_url()),
                    "cancel_url": site_url(
                        reverse("events:cancel", args=[cancel_token(registration)])
                    ),
                },
            )
        )
    return reminders


COLLECTORS = [event_reminders]
