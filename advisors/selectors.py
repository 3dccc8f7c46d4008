from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from .enums import Gender
from .models import Advisor, Pool
from .qualification import missing_trainings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def advisor_for(user: User | AnonymousUser) -> Advisor | None:
    """The user's advisor record, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.advisor
    except Advisor.DoesNotExist:
        return None


@dataclass
class PoolStatistics:
    members: int = 0
    women: int = 0
    men: int = 0
    other_gender: int = 0
    youngest: int | None = None
    oldest: int | None = None
    cities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    qualified: int = 0
    # Members still missing mandatory seminars: (name, titles of the seminars).
    not_qualified: list[tuple[str, list[str]]] = field(default_factory=list)


def pool_statistics(pool: Pool, *, on: datetime.date | None = None) -> PoolStatistics:
    """Figures of a pool's current members, as SKEW presents them (gender, age, cities, origins)."""
    on = on or timezone.localdate()
    members = list(
        Advisor.objects.members(on=on, pool=pool).select_related("home_municipality", "user")
    )
    stats = PoolStatistics(members=len(members))
    ages = [on.year - a.birth_year for a in members if a.birth_year]
    stats.youngest, stats.oldest = (min(ages), max(ages)) if ages else (None, None)
    genders = Counter(a.gender for a in members)
    stats.women, stats.men = genders[Gender.FEMALE], genders[Gender.MALE]
    stats.other_gender = stats.members - stats.women - stats.men
    stats.cities = sorted({str(a.home_municipality) for a in members if a.home_municipality})
    stats.countries = sorted({str(c.name) for a in members for c in a.countries_of_origin})
    missing = missing_trainings(members)
    stats.qualified = sum(1 for a in members if not missing[a.pk])
    stats.not_qualified = sorted(
        (str(a), [str(t) for t in missing[a.pk]]) for a in members if missing[a.pk]
    )
    return stats
