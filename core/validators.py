"""Bounds for what people type: no date in year 1 or 9999, no year of birth in the future."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .formats import short_date

# Nothing the portal records happened before SKEW existed (2001), nor lies further ahead
# than a long engagement's planning.
EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class SensibleDate:
    """A date (or the day of a date and time) from EARLIEST to YEARS_AHEAD years from today.

    On every date field people fill in, so a typo ("0202" for "2020") is caught next to
    the field instead of ending up in reports, reminders and calendar feeds.
    """

    def __init__(self, earliest: datetime.date = EARLIEST, years_ahead: int = YEARS_AHEAD):
        self.earliest = earliest
        self.years_ahead = years_ahead

    def latest(self) -> datetime.date:
        return _years_from(timezone.localdate(), self.years_ahead)

    def __call__(self, value: datetime.date | datetime.datetime) -> None:
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not self.earliest <= day <= self.latest():
            raise ValidationError(
                _("Bitte ein Datum zwischen dem %(earliest)s und dem %(latest)s angeben."),
                code="date_out_of_range",
                params={"earliest": short_date(self.earliest), "latest": short_date(self.latest())},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SensibleDate)
            and self.earliest == other.earliest
            and self.years_ahead == other.years_ahead
        )


sensible_date = SensibleDate()


@deconstructible
class SensibleYear:
    """A year from `earliest` to this year (minus `at_least_ago`): a founding, a birth."""

    def __init__(self, earliest: int, at_least_ago: int = 0):
        self.earliest = earliest
        self.at_least_ago = at_least_ago

    def __call__(self, value: int) -> None:
        latest = timezone.localdate().year - self.at_least_ago
        if not self.earliest <= value <= latest:
            raise ValidationError(
                _("Bitte ein Jahr zwischen %(earliest)s und %(latest)s angeben."),
                code="year_out_of_range",
                params={"earliest": self.earliest, "latest": latest},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SensibleYear)
            and self.earliest == other.earliest
            and self.at_least_ago == other.at_least_ago
        )
