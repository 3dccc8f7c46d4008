from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .enums import Gender
from .models import Advisor, Pool


def advisors_with_load() -> QuerySet[Advisor]:
    """Advisors with their number of running engagements as `active_engagements`."""
    return Advisor.objects.select_related("user", "home_municipality").annotate(
        active_engagements=Count(
            "assignments",
            filter=Q(assignments__engagement__status__in=["planned", "active"]),
            distinct=True,
        )
    )


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


def pool_statistics(pool: Pool, *, on=None) -> PoolStatistics:
    """Figures of a pool's current members, as SKEW presents them (gender, age, cities, origins)."""
    on = on or timezone.localdate()
    members = list(
        Advisor.objects.filter(
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=on),
            memberships__pool=pool,
            memberships__joined_on__lte=on,
        )
        .select_related("home_municipality")
        .distinct()
    )
    stats = PoolStatistics(members=len(members))
    ages = [on.year - a.birth_year for a in members if a.birth_year]
    stats.youngest, stats.oldest = (min(ages), max(ages)) if ages else (None, None)
    genders = Counter(a.gender for a in members)
    stats.women, stats.men = genders[Gender.FEMALE], genders[Gender.MALE]
    stats.other_gender = stats.members - stats.women - stats.men
    stats.cities = sorted({str(a.home_municipality) for a in members if a.home_municipality})
    stats.countries = sorted({str(c.name) for a in members for c in a.countries_of_origin})
    return stats
