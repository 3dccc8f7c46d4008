"""Events as iCalendar (RFC 5545), for feeds and for the file in confirmation emails."""

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

PRODUCT_ID = "-//SKEW//MiGlobe-Portal//DE"


def host_uid(kind: str, pk: int) -> str:
    """A stable UID for an item of this portal: calendars update it instead of adding one."""
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "miglobe"
    return f"{kind}-{pk}@{host}"


def event_uid(event) -> str:
    return host_uid("event", event.pk)


def _component(event, url: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", event_uid(event))
    item.add("dtstamp", timezone.now())
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("summary", event.title)
    location = ", ".join(part for part in [event.venue, event.venue_address] if part)
    item.add("location", location)
    if event.description:
        item.add("description", event.description)
    item.add("url", settings.SITE_URL.rstrip("/") + url)
    if event.organiser:
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        item.add("organizer", f"mailto:{address}", parameters={"CN": event.organiser})
    return item


def calendar_for(events, *, name: str = "", extra=(), event_url=None) -> bytes:
    """A calendar of `events`, and of the ready-made components in `extra`.

    Each event links to its public page, or to `event_url(event)` when given.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        url = event_url(event) if event_url else event.get_absolute_url()
        calendar.add_component(_component(event, url))
    for component in extra:
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()
