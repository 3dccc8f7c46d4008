"""The actor map of an engagement for the municipality, as CSV and XLSX.

It holds only what the organisations agreed to share: an organisation appears
only with an active consent of its own, a contact person only with theirs.
"""

import csv
import io

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from miglobe.spreadsheets import safe_cell

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
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads the umlauts right
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns())
    writer.writerows([safe_cell(value) for value in row] for row in rows(engagement))
    return out.getvalue()


def as_xlsx(engagement) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Akteure")[:31]
    sheet.append(columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(engagement):
        sheet.append([safe_cell(value) for value in row])
    for index, _name in enumerate(columns(), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
