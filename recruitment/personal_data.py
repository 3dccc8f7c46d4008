"""Where the recruitment of advisors holds data about a person (core.personal_data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.personal_data import Action, Holding, Mentions

from .models import Application, Review
from .services import application_forget

HOLDINGS = [
    Holding(
        key="recruitment.applications",
        label=_("Bewerbungen"),
        action=Action.ANONYMISE,
        rule=_(
            "Alle Angaben der Bewerbung und der Lebenslauf gehen, auch die Kommentare der "
            "Bewertungen; Status und Ausschreibung bleiben für deren Zahlen."
        ),
        find=lambda person: Application.objects.filter(person.matches(email="email", name="name")),
        fields=(
            "call__title",
            "status",
            "name",
            "email",
            "home_town",
            "countries_of_origin",
            "gender",
            "birth_year",
            "experience",
            "motivation",
            "availability",
            "consent_given_at",
            "created_at",
            "decided_at",
        ),
        files=("cv",),
        erase=lambda applications, person, now: [
            application_forget(application, now=now) for application in applications
        ],
        search=("name", "email"),
    ),
    Holding(
        key="recruitment.reviews",
        label=_("Bewertungen von Bewerbungen"),
        action=Action.KEEP,
        rule=_("Bleiben ohne den Namen der bewertenden Person, als Teil der Entscheidung."),
        find=lambda person: person.owns(Review, "reviewer"),
        fields=("application__call__title", "comment", "created_at"),
    ),
]

MENTIONS = [
    Mentions(
        key="recruitment.review_comments",
        label=_("Kommentare zu Bewerbungen"),
        model="recruitment.Review",
        fields=("comment",),
    ),
    Mentions(
        key="recruitment.application_texts",
        label=_("Texte anderer Bewerbungen"),
        model="recruitment.Application",
        fields=("experience", "motivation", "availability"),
    ),
]
