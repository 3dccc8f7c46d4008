"""The pool in view: who is in the pool today, and who is on the shortlist of a call.

SKEW's selection should leave a pool balanced, the way the NRW pool is described in
the seeds (8 women and 12 men, aged 25 to 65, from 12 towns, with backgrounds in 16
countries). This counts the same features for the current members and for the
shortlisted, invited and accepted applicants of a call, in a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from actors.models import FieldOfAction
from advisors.models import Advisor, Language

from .enums import ApplicationStatus
from .models import Application, Call

FEATURES = [
    ("gender", gettext_lazy("Geschlecht")),
    ("age", gettext_lazy("Alter")),
    ("town", gettext_lazy("Wohnorte")),
    ("country", gettext_lazy("Herkunftsländer")),
    ("language", gettext_lazy("Sprachen")),
    ("expertise", gettext_lazy("Fachgebiete")),
]


def age_band(birth_year: int | None, year: int) -> str:
    if not birth_year:
        return _("keine Angabe")
    age = year - birth_year
    if age < 30:
        return _("unter 30")
    if age >= 60:
        return _("60 und älter")
    low = age // 10 * 10
    return f"{low}–{low + 9}"


@dataclass
class Group:
    people: int = 0
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {key: Counter() for key, _label in FEATURES}
    )

    def add(
        self,
        *,
        gender: str,
        age: str,
        town: str,
        countries: Iterable[Country],
        languages: Iterable[object],
        expertise: Iterable[object],
    ) -> None:
        self.people += 1
        self.counts["gender"][gender] += 1
        self.counts["age"][age] += 1
        self.counts["town"][town or _("keine Angabe")] += 1
        self.counts["country"].update(str(c.name) for c in countries)
        self.counts["language"].update(str(lang) for lang in languages)
        self.counts["expertise"].update(str(f) for f in expertise)


@dataclass
class Row:
    value: str
    pool: int
    shortlist: int

    @property
    def together(self) -> int:
        return self.pool + self.shortlist


@dataclass
class Composition:
    call: Call
    pool: Group
    shortlist: Group

    def features(self) -> list[tuple[str, str, list[Row]]]:
        """Per feature: its key, its label, and a row per value, the most frequent first."""
        result = []
        for key, label in FEATURES:
            values = set(self.pool.counts[key]) | set(self.shortlist.counts[key])
            rows = [
                Row(value, self.pool.counts[key][value], self.shortlist.counts[key][value])
                for value in values
            ]
            rows.sort(key=lambda row: (-row.together, row.value))
            result.append((key, str(label), rows))
        return result

    def distinct(self, key: str) -> tuple[int, int]:
        """How many different values the pool has, and the pool with the shortlist."""
        pool = {v for v, n in self.pool.counts[key].items() if n}
        both = pool | {v for v, n in self.shortlist.counts[key].items() if n}
        return len(pool), len(both)


def composition(call: Call) -> Composition:
    """The pool of the call today beside its shortlist (shortlisted, invited, accepted)."""
    today = timezone.localdate()
    year = today.year
    languages = Prefetch("languages", queryset=Language.objects.only("pk", "name_de", "name_en"))
    expertise = Prefetch("expertise", queryset=FieldOfAction.objects.all())
    pool = Group()
    members = (
        Advisor.objects.members(on=today, pool=call.pool)
        .select_related("home_municipality")
        .prefetch_related(languages, expertise)
    )
    member_ids = set()
    for advisor in members:
        member_ids.add(advisor.pk)
        pool.add(
            gender=str(advisor.get_gender_display()),
            age=age_band(advisor.birth_year, year),
            town=advisor.home_municipality.name if advisor.home_municipality else "",
            countries=advisor.countries_of_origin,
            languages=advisor.languages.all(),
            expertise=advisor.expertise.all(),
        )
    shortlist = Group()
    chosen = Application.objects.filter(
        call=call, status__in=ApplicationStatus.chosen(), anonymised_at__isnull=True
    ).prefetch_related(languages, expertise)
    for application in chosen:
        if application.advisor_id in member_ids:
            continue  # accepted and already counted as a member
        shortlist.add(
            gender=application.gender_label,
            age=age_band(application.birth_year, year),
            town=" ".join(application.home_town.split()),
            countries=application.countries_of_origin,
            languages=application.languages.all(),
            expertise=application.expertise.all(),
        )
    return Composition(call=call, pool=pool, shortlist=shortlist)
