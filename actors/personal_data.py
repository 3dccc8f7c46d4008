"""Where the directory and the research hold data about a person (core.personal_data)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.personal_data import REMOVED, Action, Holding, Mentions, Person, anonymise

from .models import (
    ContactPerson,
    Organisation,
    OrganisationSuggestion,
    PublicationConsent,
    ResearchFinding,
)
from .search import refresh_search_documents


def _contacts(person: Person) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.filter(person.matches(email="email", name="name"))


def _given_consents(person: Person) -> QuerySet[PublicationConsent]:
    if not person.names or not person.by_name:
        return PublicationConsent.objects.none()
    return PublicationConsent.objects.filter(contact_person=None, given_by__in=person.names)


def _suggestions(person: Person) -> QuerySet[OrganisationSuggestion]:
    return OrganisationSuggestion.objects.filter(
        person.matches(email="submitter_email", name="submitter_name")
    )


def _erase_suggestions(suggestions: QuerySet, person: Person, now: datetime) -> None:
    anonymise(suggestions, submitter_name="", submitter_email="", submitter_role="", message="")


def _organisation_addresses(person: Person) -> QuerySet[Organisation]:
    if not person.email:
        return Organisation.objects.none()
    return Organisation.objects.filter(email__iexact=person.email)


HOLDINGS = [
    # Before the contact persons: deleting them deletes these too.
    Holding(
        key="actors.contact_consents",
        label=_("Einwilligungen zur Veröffentlichung als Kontaktperson"),
        action=Action.DELETE,
        rule=_(
            "Werden mit der Kontaktperson gelöscht: Was sie erlaubten, erscheint nicht mehr im "
            "Verzeichnis, und es bleibt nichts zu belegen."
        ),
        find=lambda person: PublicationConsent.objects.filter(contact_person__in=_contacts(person)),
        fields=("organisation__name", "wording__version", "given_by", "given_at", "channel"),
    ),
    Holding(
        key="actors.contacts",
        label=_("Kontaktperson von Organisationen"),
        action=Action.DELETE,
        rule=_("Name, Funktion, E-Mail-Adresse und Telefon der Kontaktperson werden gelöscht."),
        find=_contacts,
        fields=("organisation__name", "name", "role", "email", "phone"),
        search=("name", "email"),
    ),
    Holding(
        key="actors.organisation_consents",
        label=_("Für eine Organisation erteilte Einwilligungen"),
        action=Action.KEEP,
        rule=_(
            "Bleiben, denn sie sind die Einwilligung der Organisation, nicht der Person; wer "
            "sie erteilt hat, heißt danach „[entfernt]“. Widerruft die Organisation, "
            "verschwindet sie aus dem Verzeichnis."
        ),
        find=_given_consents,
        fields=("organisation__name", "wording__version", "given_by", "given_at", "channel"),
        erase=lambda consents, person, now: anonymise(consents, given_by=REMOVED),
    ),
    Holding(
        key="actors.organisation_addresses",
        label=_("E-Mail-Adresse einer Organisation"),
        action=Action.ANONYMISE,
        rule=_(
            "Ist die Adresse einer Organisation die der Person, wird sie aus der Organisation "
            "und ihrem Änderungsverlauf entfernt."
        ),
        find=_organisation_addresses,
        fields=("name", "email"),
        erase=lambda organisations, person, now: anonymise(organisations, email=""),
        # An organisation's address may be shared: SKEW checks before it goes.
        skew_confirms=True,
    ),
    Holding(
        key="actors.suggestions",
        label=_("Vorschläge für das Verzeichnis"),
        action=Action.ANONYMISE,
        rule=_(
            "Name, E-Mail-Adresse, Funktion und Nachricht der einreichenden Person gehen; der "
            "Vorschlag einer Organisation bleibt."
        ),
        find=_suggestions,
        fields=(
            "name",
            "status",
            "submitter_name",
            "submitter_email",
            "submitter_role",
            "message",
            "consent_given_at",
            "created_at",
        ),
        erase=_erase_suggestions,
        search=("submitter_name", "submitter_email"),
    ),
    Holding(
        key="actors.findings",
        label=_("Erfasste Rechercheergebnisse"),
        action=Action.KEEP,
        rule=_(
            "Bleiben ohne Namen als Teil des Einsatzes, für den die Organisationen recherchiert "
            "wurden."
        ),
        find=lambda person: person.owns(ResearchFinding, "advisor__user"),
        fields=("engagement__title", "organisation__name", "source", "found_on", "notes"),
    ),
]

MENTIONS = [
    Mentions(
        key="actors.finding_notes",
        label=_("Rechercheergebnisse, die die Person nennen"),
        model="actors.ResearchFinding",
        fields=("notes",),
    ),
    Mentions(
        key="actors.organisation_texts",
        label=_("Beschreibungen von Organisationen"),
        model="actors.Organisation",
        fields=("description",),
        refresh=refresh_search_documents,
    ),
    Mentions(
        key="actors.suggestion_texts",
        label=_("Beschreibungen in Vorschlägen"),
        model="actors.OrganisationSuggestion",
        fields=("description", "message"),
    ),
    Mentions(
        key="actors.contact_roles",
        label=_("Funktionen von Kontaktpersonen"),
        model="actors.ContactPerson",
        fields=("role",),
    ),
    Mentions(
        key="actors.consent_sources",
        label=_("Quellen von Einwilligungen"),
        model="actors.PublicationConsent",
        fields=("source",),
    ),
]
