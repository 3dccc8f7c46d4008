"""Where events hold data about a person (core.personal_data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.personal_data import Action, Holding, Mentions

from .models import Registration
from .services import registrations_forget

HOLDINGS = [
    Holding(
        key="events.registrations",
        label=_("Anmeldungen zu Veranstaltungen"),
        action=Action.ANONYMISE,
        rule=_(
            "Name, E-Mail-Adresse und Bedarfe gehen, die Person steht auf keiner "
            "Teilnehmendenliste mehr; Kategorie, Workshops und Teilnahme bleiben für die "
            "Zahlen der Veranstaltung."
        ),
        find=lambda person: Registration.objects.filter(person.matches(email="email", name="name")),
        fields=(
            "event__title",
            "event__starts_at",
            "name",
            "email",
            "organisation_name",
            "category",
            "needs",
            "listed",
            "status",
            "attended",
            "created_at",
        ),
        erase=lambda registrations, person, now: registrations_forget(registrations, now=now),
        search=("name", "email"),
    ),
]

MENTIONS = [
    Mentions(
        key="events.event_texts",
        label=_("Beschreibungen von Veranstaltungen"),
        model="events.Event",
        fields=("description", "organiser"),
    ),
    Mentions(
        key="events.session_texts",
        label=_("Programmpunkte und ihre Referierenden"),
        model="events.EventSession",
        fields=("title", "description", "speakers"),
    ),
    Mentions(
        key="events.registration_needs",
        label=_("Angaben anderer Anmeldungen"),
        model="events.Registration",
        fields=("needs", "organisation_name"),
    ),
]
