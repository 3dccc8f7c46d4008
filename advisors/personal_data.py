"""Where the advisor pool holds data about a person (core.personal_data)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import Action, Holding, Mentions, Person, anonymise

from .enums import Availability, Gender
from .models import Advisor, PoolMembership, TrainingCompletion


def _profile(person: Person) -> QuerySet[Advisor]:
    return person.owns(Advisor)


def _erase_profile(profiles: QuerySet, person: Person, now: datetime) -> None:
    for advisor in profiles:
        advisor.languages.clear()
        advisor.expertise.clear()
    PoolMembership.objects.filter(advisor__in=profiles, left_on__isnull=True).update(
        left_on=timezone.localdate(now)
    )
    anonymise(
        profiles,
        gender=Gender.UNSPECIFIED,
        birth_year=None,
        home_municipality=None,
        countries_of_origin="",
        expertise_notes="",
        phone="",
        notes="",
        availability=Availability.UNAVAILABLE,
        available_from=None,
    )


HOLDINGS = [
    Holding(
        key="advisors.profile",
        label=_("Profil als Berater*in"),
        action=Action.ANONYMISE,
        rule=_(
            "Geschlecht, Geburtsjahr, Wohnort, Herkunftsländer, Sprachen, Expertise, Telefon "
            "und Notizen gehen; die Mitgliedschaft in den Pools endet heute. Das leere Profil "
            "bleibt, weil Einsätze und Kosten darauf verweisen."
        ),
        find=_profile,
        fields=(
            "gender",
            "birth_year",
            "home_municipality__name",
            "countries_of_origin",
            "expertise_notes",
            "availability",
            "available_from",
            "max_engagements",
            "phone",
            "notes",
        ),
        erase=_erase_profile,
    ),
    Holding(
        key="advisors.pool_memberships",
        label=_("Mitgliedschaften in Pools"),
        action=Action.KEEP,
        rule=_(
            "Bleiben mit ihren Daten (Pool, seit, bis), ohne Namen: Sie belegen, wer wann "
            "für das Programm beraten durfte."
        ),
        find=lambda person: person.owns(PoolMembership, "advisor__user"),
        fields=("pool__name", "joined_on", "left_on"),
    ),
    Holding(
        key="advisors.trainings",
        label=_("Besuchte Fortbildungen"),
        action=Action.KEEP,
        rule=_("Bleiben ohne Namen: Sie zählen in den Zahlen der Fortbildungen."),
        find=lambda person: person.owns(TrainingCompletion, "advisor__user"),
        fields=("training__title", "training__starts_on", "completed_on"),
    ),
]

MENTIONS = [
    Mentions(
        key="advisors.waivers",
        label=_("Begründungen von Befreiungen"),
        model="advisors.TrainingWaiver",
        fields=("reason",),
    ),
    Mentions(
        key="advisors.notes",
        label=_("Notizen zu Berater*innen"),
        model="advisors.Advisor",
        fields=("notes", "expertise_notes"),
    ),
]
