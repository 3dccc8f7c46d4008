"""Times of day as each language writes them: "18:30 Uhr" in German, "18:30" in English."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import pgettext

register = template.Library()


def _hhmm(value: datetime.datetime | datetime.time) -> str:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%H:%M}"


@register.filter
def clock(value) -> str:
    """A time of day with the word the language puts after it, if any."""
    if not value:
        return ""
    return pgettext("time of day", "%(time)s Uhr") % {"time": _hhmm(value)}


@register.simple_tag
def clock_range(start, end) -> str:
    """From one time of day to another, as "10:00–16:00 Uhr"."""
    return pgettext("time of day", "%(start)s–%(end)s Uhr") % {
        "start": _hhmm(start),
        "end": _hhmm(end),
    }
