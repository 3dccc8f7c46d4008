"""Reads of events: what the public sees, with places left counted in the query."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .enums import RegistrationStatus


def with_counts(queryset: QuerySet) -> QuerySet:
    """Annotate `confirmed_count` and `waitlist_count` (one query, whatever the rows)."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
            distinct=True,
        ),
        waitlist_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
    )


def events_public() -> QuerySet:
    from .models import Event

    return with_counts(Event.objects.filter(is_public=True).select_related("municipality"))


def events_upcoming() -> QuerySet:
    return events_public().filter(ends_at__gte=timezone.now()).order_by("starts_at")


def events_past() -> QuerySet:
    return events_public().filter(ends_at__lt=timezone.now()).order_by("-starts_at")


def places_left(event) -> int | None:
    """None when the event has no limit; needs `confirmed_count` or counts now."""
    if event.capacity is None:
        return None
    confirmed = getattr(event, "confirmed_count", None)
    if confirmed is None:
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - confirmed, 0)


def session_places_left(event) -> dict[int, int | None]:
    """Places left per workshop with a capacity of its own (one query)."""
    sessions = event.sessions.annotate(
        taken=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
        )
    )
    return {s.pk: (None if s.capacity is None else max(s.capacity - s.taken, 0)) for s in sessions}
