"""Where surveys hold data about a person (core.personal_data)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from core.personal_data import Action, Holding, Mentions, Person, anonymise

from .models import Invitation, MeetingInvitation, OptOut, Response


def _by_email(model, person: Person, field: str = "email") -> QuerySet:
    return model.objects.filter(person.matches(email=field))


def _erase_invitations(invitations: QuerySet, person: Person, now: datetime) -> None:
    # As the retention step does (services.forget_old_respondents): unique and undeliverable.
    anonymise(
        invitations,
        email=Concat(Value("entfernt-"), Cast("id", CharField()), Value("@invalid")),
    )


HOLDINGS = [
    Holding(
        key="surveys.invitations",
        label=_("Einladungen zu Befragungen"),
        action=Action.ANONYMISE,
        rule=_("Die Adresse geht; dass eine Organisation eingeladen war, bleibt für die Quote."),
        find=lambda person: _by_email(Invitation, person),
        fields=("survey__title", "organisation__name", "email", "sent_at", "reminded_at"),
        erase=_erase_invitations,
    ),
    Holding(
        key="surveys.responses",
        label=_("Antworten auf Befragungen"),
        action=Action.ANONYMISE,
        rule=_(
            "Name und E-Mail-Adresse der antwortenden Person gehen; was die Organisation "
            "geantwortet hat, bleibt für die Auswertung."
        ),
        find=lambda person: Response.objects.filter(
            person.matches(email="respondent_email", name="respondent_name")
        ),
        fields=(
            "survey__title",
            "name",
            "respondent_name",
            "respondent_email",
            "activities",
            "answers",
            "publish",
            "consent_given_at",
            "submitted_at",
        ),
        erase=lambda responses, person, now: anonymise(
            responses, respondent_name="", respondent_email=""
        ),
        search=("respondent_name", "respondent_email"),
    ),
    Holding(
        key="surveys.meeting_invitations",
        label=_("Einladungen zu Treffen nach Befragungen"),
        action=Action.DELETE,
        rule=_("Werden gelöscht."),
        find=lambda person: _by_email(MeetingInvitation, person),
        fields=("survey__title", "event__title", "sent_at"),
    ),
    Holding(
        key="surveys.opt_out",
        label=_("Abmeldung von Befragungen"),
        action=Action.DELETE,
        rule=_(
            "Wird mit der Adresse gelöscht: Ohne die Adresse lädt das Portal die Person nicht "
            "mehr ein; wird sie neu eingetragen, kann sie sich wieder abmelden."
        ),
        find=lambda person: _by_email(OptOut, person),
        fields=("created_at",),
    ),
]

MENTIONS = [
    Mentions(
        key="surveys.response_texts",
        label=_("Antworttexte in Befragungen"),
        model="surveys.Response",
        fields=("activities",),
    ),
]
