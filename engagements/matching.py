"""Rank a pool's advisors for a consultation request, with the reasons for each score.

SKEW staff see the ranking next to the request and may pick anyone regardless
of rank; the score only orders the list and explains itself.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from advisors.enums import Availability
from advisors.models import Advisor, Language
from advisors.qualification import missing_trainings

from .models import ConsultationRequest
from .selectors import with_load

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Points per criterion; the weights are a judgement of SKEW's, kept in one place.
DISTANCE_MAX_POINTS = 20
DISTANCE_ZERO_KM = 150  # from here on, distance earns nothing
COUNTRY_POINTS, COUNTRY_MAX = 15, 30
LANGUAGE_POINTS, LANGUAGE_MAX = 10, 20
EXPERTISE_POINTS, EXPERTISE_MAX = 5, 15
TRAINING_POINTS, TRAINING_MAX = 2, 12
LOAD_PENALTY = 10
FULL_PENALTY = 30
AVAILABILITY_POINTS: dict[str, int] = {
    Availability.AVAILABLE: 10,
    Availability.LIMITED: 0,
    Availability.UNAVAILABLE: -40,
}
LATE_START_PENALTY = 10


@dataclass
class Match:
    advisor: Advisor
    score: float = 0.0
    distance_km: float | None = None
    reasons: list[tuple[str, float]] = field(default_factory=list)
    # The mandatory seminars not yet attended (nor waived): such advisors are not ranked.
    missing: list[str] = field(default_factory=list)

    @property
    def qualified(self) -> bool:
        return not self.missing

    def add(self, points: float, reason: str) -> None:
        self.score += points
        self.reasons.append((reason, points))


def distance_km(
    lat1: float | Decimal, lon1: float | Decimal, lat2: float | Decimal, lon2: float | Decimal
) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (lat1, lon1, lat2, lon2))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class CandidateLoad(TypedDict):
    """What `candidates_for` annotates on each advisor."""

    active_engagements: int
    trainings_done: int


def candidates_for(
    consultation_request: ConsultationRequest,
) -> "QuerySet[WithAnnotations[Advisor, CandidateLoad]]":
    """Current members of the pool of the request's federal state, with what scoring needs."""
    today = timezone.localdate()
    return (
        with_load(
            Advisor.objects.members(
                on=today, pool__federal_state=consultation_request.municipality.federal_state
            ).filter(user__is_active=True)
        )
        .select_related("user", "home_municipality")
        .prefetch_related(
            Prefetch("languages", queryset=Language.objects.only("pk", "name_de", "name_en")),
            "expertise",
        )
        .annotate(trainings_done=Count("training_completions", distinct=True))
    )


def rank_advisors(consultation_request: ConsultationRequest) -> list[Match]:
    """The candidates, best first, each with its score and the reasons for it."""
    municipality = consultation_request.municipality
    communities = set(municipality.community_countries or [])
    topics = {t.pk: t for t in consultation_request.topics.all()}
    wanted_languages = {lang.pk: lang for lang in consultation_request.community_languages.all()}
    matches = []
    candidates = list(candidates_for(consultation_request))
    missing = missing_trainings(candidates)
    for advisor in candidates:
        match = Match(advisor=advisor, missing=[str(t) for t in missing[advisor.pk]])
        home = advisor.home_municipality
        if (
            home
            and home.latitude is not None
            and home.longitude is not None
            and municipality.latitude is not None
            and municipality.longitude is not None
        ):
            km = distance_km(
                home.latitude, home.longitude, municipality.latitude, municipality.longitude
            )
            match.distance_km = km
            points = max(0.0, DISTANCE_MAX_POINTS * (1 - km / DISTANCE_ZERO_KM))
            match.add(
                round(points, 1),
                _("%(km)s km von %(home)s") % {"km": f"{km:.0f}", "home": home},
            )
        else:
            match.add(0, _("Entfernung unbekannt"))
        shared_countries = sorted(
            (c for c in advisor.countries_of_origin if c.code in communities),
            key=lambda c: str(c.name),
        )
        if shared_countries:
            match.add(
                min(COUNTRY_MAX, COUNTRY_POINTS * len(shared_countries)),
                _("Herkunft wie Communities vor Ort: %(countries)s")
                % {"countries": ", ".join(str(c.name) for c in shared_countries)},
            )
        shared_languages = [lang for lang in advisor.languages.all() if lang.pk in wanted_languages]
        if shared_languages:
            match.add(
                min(LANGUAGE_MAX, LANGUAGE_POINTS * len(shared_languages)),
                _("spricht %(languages)s") % {"languages": ", ".join(map(str, shared_languages))},
            )
        shared_topics = [t for t in advisor.expertise.all() if t.pk in topics]
        if shared_topics:
            match.add(
                min(EXPERTISE_MAX, EXPERTISE_POINTS * len(shared_topics)),
                _("Expertise: %(topics)s") % {"topics": ", ".join(map(str, shared_topics))},
            )
        if advisor.trainings_done:
            match.add(
                min(TRAINING_MAX, TRAINING_POINTS * advisor.trainings_done),
                ngettext(
                    "%(count)s Fortbildung abgeschlossen",
                    "%(count)s Fortbildungen abgeschlossen",
                    advisor.trainings_done,
                )
                % {"count": advisor.trainings_done},
            )
        if advisor.active_engagements >= advisor.max_engagements:
            match.add(
                -FULL_PENALTY,
                _("ausgelastet: %(count)s laufende Einsätze")
                % {"count": advisor.active_engagements},
            )
        elif advisor.active_engagements:
            match.add(
                -LOAD_PENALTY * advisor.active_engagements,
                ngettext(
                    "%(count)s laufender Einsatz",
                    "%(count)s laufende Einsätze",
                    advisor.active_engagements,
                )
                % {"count": advisor.active_engagements},
            )
        match.add(
            AVAILABILITY_POINTS.get(advisor.availability, 0),
            str(advisor.get_availability_display()),
        )
        start = consultation_request.preferred_start
        if advisor.available_from and start and advisor.available_from > start:
            match.add(
                -LATE_START_PENALTY,
                _("erst ab %(date)s verfügbar")
                % {"date": date_format(advisor.available_from, "SHORT_DATE_FORMAT")},
            )
        match.score = float(round(Decimal(str(match.score)), 1))
        matches.append(match)
    # Only the qualified are ranked; the others follow, with what they still miss.
    matches.sort(
        key=lambda m: (
            not m.qualified,
            -m.score,
            m.distance_km if m.distance_km is not None else 1e9,
        )
    )
    return matches
