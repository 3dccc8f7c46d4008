"""The actor map of an engagement for the municipality, as CSV and XLSX.

It holds only what the organisations agreed to share: an organisation appears
only with an active consent of its own, a contact person only with theirs.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from core.spreadsheets import csv_text, xlsx_bytes

from .models import ContactPerson, PublicationConsent, ResearchFinding


def columns() -> list[str]:
    return [
        _("Organisation"),
        _("Art"),
        _("Wirkungsradius"),
        _("Handlungsfelder"),
        _("Herkunftsländer"),
        _("Tätigkeitsländer"),
        _("Website"),
        _("Beschreibung"),
        _("Kontaktperson"),
        _("Funktion"),
        _("E-Mail"),
        _("Telefon"),
        _("gefunden am"),
    ]


def shareable_findings(engagement):
    """The engagement's findings whose organisations agreed to publication."""
    own_consent = PublicationConsent.objects.active().filter(
        organisation=OuterRef("organisation"), contact_person__isnull=True
    )
    consenting_contacts = ContactPerson.objects.filter(
        Exists(PublicationConsent.objects.active().filter(contact_person=OuterRef("pk")))
    ).order_by("name")
    return (
        ResearchFinding.objects.filter(engagement=engagement)
        .filter(Exists(own_consent))
        .select_related("organisation")
        .prefetch_related(
            "organisation__fields_of_action",
            Prefetch(
                "organisation__contacts", queryset=consenting_contacts, to_attr="shared_contacts"
            ),
        )
        .order_by("organisation__name")
    )


def rows(engagement) -> list[list[str]]:
    result = []
    for finding in shareable_findings(engagement):
        org = finding.organisation
        contact = org.shared_contacts[0] if org.shared_contacts else None
        result.append(
            [
                org.name,
                org.get_kind_display(),
                org.get_scope_display(),
                ", ".join(str(f) for f in org.fields_of_action.all()),
                ", ".join(str(c.name) for c in org.countries_of_origin),
                ", ".join(str(c.name) for c in org.countries_of_activity),
                org.website,
                org.description,
                contact.name if contact else "",
                contact.role if contact else "",
                contact.email if contact else "",
                contact.phone if contact else "",
                finding.found_on.isoformat(),
            ]
        )
    return result


def as_csv(engagement) -> str:
    return csv_text(columns(), rows(engagement))


def as_xlsx(engagement) -> bytes:
    return xlsx_bytes(columns(), rows(engagement), title=_("Akteure"))
