"""Who may organise an event: SKEW staff, and the advisors of the event's engagement."""

from django.db.models import Q, QuerySet


def events_managed_by(user) -> QuerySet:
    """The events whose participants `user` may see, export and check in."""
    from .models import Event

    if user is None or not user.is_authenticated:
        return Event.objects.none()
    if user.is_staff and user.has_perm("events.change_registration"):
        return Event.objects.all()
    return Event.objects.filter(
        Q(engagement__assignments__advisor__user=user), engagement__isnull=False
    ).distinct()


def can_manage_event(user, event) -> bool:
    return events_managed_by(user).filter(pk=event.pk).exists()
