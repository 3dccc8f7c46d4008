"""Holidays that matter when planning a meeting (the "Interkulturkalender").

German public holidays of a town's federal state, and the holidays of the countries its
migrant organisations and communities come from. Every date and name comes from the
`holidays` package; nothing here is a hand-written table.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils.translation import get_language
from django_countries import countries as country_names

from actors.models import Organisation
from actors.selectors import organisations_published
from advisors.enums import FederalState
from core.workdays import GERMANY, holidays_of
from engagements.models import Municipality


@dataclass(frozen=True)
class Conflict:
    """A holiday on a day: in a country of origin, or a German public holiday.

    For a German public holiday `country_name` names where it holds: the federal state,
    or Germany for a nationwide one.
    """

    country: str
    country_name: str
    holiday: str
    german_public_holiday: bool = False


@cache
def _supported_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


@cache
def _language(country: str, active: str) -> str | None:
    """The active language as `holidays` spells it, else English, else its default names."""
    supported = holidays.country_holidays(country, years=()).supported_languages
    for language in (active, "en_US"):
        if language in supported:
            return language
    return None


def _for_year(country: str, year: int, subdiv: str | None = None):
    active = (get_language() or "de").split("-")[0]
    return holidays_of(country, subdiv, year, _language(country, active))


def _place(federal_state: str | None) -> str:
    return str(FederalState(federal_state).label) if federal_state else country_names.name(GERMANY)


def _in_order(conflicts: list[Conflict]) -> list[Conflict]:
    """German public holidays first, then by name, so that equal names stand together."""
    return sorted(conflicts, key=lambda c: (not c.german_public_holiday, c.holiday, c.country_name))


def _known(codes: Iterable[str]) -> list[str]:
    """The country codes `holidays` knows, without Germany (its holidays come by state)."""
    return sorted({c for c in codes if c != GERMANY and c in _supported_countries()})


def german_public_holidays(
    *, federal_state: str | None, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, str]]:
    """Public holidays in `federal_state` (nationwide ones if None) from start to end, inclusive.

    `federal_state` is an ISO 3166-2:DE code such as "NW", which is also the subdivision
    code of `holidays`.
    """
    return sorted(
        (day, name)
        for year in range(start.year, end.year + 1)
        for day, name in _for_year(GERMANY, year, federal_state).items()
        if start <= day <= end
    )


def countries_of_origin(*, municipality=None, published_only: bool = True) -> list[str]:
    """The countries the organisations and communities of a town come from (or of all towns).

    At most two queries, whatever the number of organisations. The public calendar counts only
    published organisations; SKEW staff in the admin see every organisation of the town.
    """
    organisations = organisations_published() if published_only else Organisation.objects.all()
    if municipality is not None:
        organisations = organisations.filter(municipality=municipality)
        communities = [municipality.community_countries or []]
    else:
        communities = Municipality.objects.values_list("community_countries", flat=True)
    # A multiple CountryField is stored as "GH,MA".
    stored = organisations.order_by().values_list("countries_of_origin", flat=True).distinct()
    codes = {code for value in stored for code in value.split(",") if code}
    # Community countries are typed in by hand: "ma " counts as MA, nonsense is skipped.
    codes.update(str(code).strip().upper() for row in communities for code in row or [])
    return _known(codes)


def holiday_conflicts(*, day: datetime.date, municipality) -> list[Conflict]:
    """The holidays on `day` that matter for a meeting in `municipality`.

    The German public holidays of its federal state first, then by name the holidays of
    the countries of origin of all its organisations (published or not) and of its
    communities. Countries the `holidays` package does not know are left out.
    """
    state = municipality.federal_state
    conflicts = [
        Conflict(GERMANY, _place(state), name, german_public_holiday=True)
        for name in _for_year(GERMANY, day.year, state).get_list(day)
    ]
    for country in countries_of_origin(municipality=municipality, published_only=False):
        conflicts += [
            Conflict(country, country_names.name(country), name)
            for name in _for_year(country, day.year).get_list(day)
        ]
    return _in_order(conflicts)


def period_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of the `months` months from `start`."""
    return start + relativedelta(months=months) - datetime.timedelta(days=1)


def coming_holidays(
    *,
    countries: Iterable[str],
    start: datetime.date,
    months: int,
    federal_state: str | None = None,
) -> list[tuple[datetime.date, list[Conflict]]]:
    """The holidays from `start` for `months` months, by day.

    The holidays of `countries`, plus the German public holidays of `federal_state`
    (nationwide ones when None). Within a day German public holidays come first, then the
    others by name, so a template can group them by name.
    """
    end = period_end(start, months)
    by_day: defaultdict[datetime.date, list[Conflict]] = defaultdict(list)
    place = _place(federal_state)
    for day, name in german_public_holidays(federal_state=federal_state, start=start, end=end):
        by_day[day].append(Conflict(GERMANY, place, name, german_public_holiday=True))
    for country in _known(countries):
        country_name = country_names.name(country)
        for year in range(start.year, end.year + 1):
            calendar = _for_year(country, year)
            for day in calendar:
                if start <= day <= end:
                    by_day[day] += [
                        Conflict(country, country_name, n) for n in calendar.get_list(day)
                    ]
    return [(day, _in_order(by_day[day])) for day in sorted(by_day)]
