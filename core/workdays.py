"""Working days in Germany: weekends and the public holidays of a federal state.

Every date comes from the `holidays` package. Building a year's holidays costs
milliseconds, a lookup microseconds, so each (country, state, year, language)
is built once per process.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

GERMANY = "DE"


# `expand=False` keeps the cached objects from growing on lookups.
@lru_cache(maxsize=2048)
def holidays_of(
    country: str, subdiv: str | None, year: int, language: str | None
) -> holidays.HolidayBase:
    """The public holidays of a country (and subdivision) in a year, names in `language`."""
    return holidays.country_holidays(
        country, subdiv=subdiv, years=year, language=language, expand=False
    )


def is_german_public_holiday(day: datetime.date, federal_state: str | None = None) -> bool:
    """A public holiday in the state (or, without one, nationwide): not a working day."""
    return day in holidays_of(GERMANY, federal_state or None, day.year, None)


def is_working_day(day: datetime.date, state: str = "") -> bool:
    return day.weekday() < 5 and not is_german_public_holiday(day, state)


def add_working_days(start: datetime.date, days: int, *, state: str = "") -> datetime.date:
    """The date `days` working days after `start` (weekends and the state's holidays skipped)."""
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current, state):
            days -= 1
    return current


def month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )


def last_working_day_of_month(day: datetime.date) -> datetime.date:
    current = month_end(day)
    while not is_working_day(current):
        current -= datetime.timedelta(days=1)
    return current
