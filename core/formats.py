"""Dates and numbers as the active language writes them, with Django's localized formats.

One way everywhere: "22.11.2026" and "22.11.2026 14:05" in German, "11/22/2026" in
English. Reports and emails are written with their reader's language active.
"""

import datetime
from decimal import Decimal

from django.utils import formats, timezone


def short_date(value: datetime.date | datetime.datetime) -> str:
    """A date (or an aware datetime's local date) in the active language's short form."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def short_datetime(value: datetime.datetime) -> str:
    """A moment in local time, in the active language's short form."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")


def number(value: Decimal | float | int) -> str:
    """An amount or hours with two decimals, in the active language's notation."""
    return formats.number_format(value, 2)
