"""Files for an event's organisers: the participant list, the sign-in sheet, the figures.

The participant list holds the confirmed registrations and the waiting list:
the people organisers plan with. Unconfirmed and cancelled registrations stay
out; their number is on the participants page.
"""

import io
from functools import partial
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from core.pdf import FONT, FONT_BOLD, a4_document, stylesheet
from core.spreadsheets import csv_text, xlsx_bytes

from .models import Event, Registration
from .selectors import Attendance, Participants, organisation_label


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nein")


def participant_columns() -> list[str]:
    return [
        _("Name"),
        _("E-Mail"),
        _("Organisation"),
        _("Kategorie"),
        _("Workshops"),
        _("Status"),
        _("Bedürfnisse"),
        _("Teilnehmendenliste-Einwilligung"),
        _("Eingecheckt"),
    ]


def participant_rows(people: Participants) -> list[list[str]]:
    return [
        [
            registration.shown_name,
            registration.shown_email,
            organisation_label(registration),
            registration.get_category_display(),
            ", ".join(session.title for session in registration.sessions.all()),
            registration.get_status_display(),
            registration.needs,
            _yes_no(registration.listed),
            _yes_no(registration.attended),
        ]
        for registration in [*people.confirmed, *people.waitlist]
    ]


def participants_csv(people: Participants) -> str:
    return csv_text(participant_columns(), participant_rows(people))


def participants_xlsx(people: Participants) -> bytes:
    return xlsx_bytes(participant_columns(), participant_rows(people), title=_("Teilnehmende"))


def attendance_columns() -> list[str]:
    return [_("Auswertung"), _("Eintrag"), _("angemeldet"), _("teilgenommen"), _("Anteil (%)")]


def attendance_rows(figures: Attendance) -> list[list]:
    sections = [
        (_("Gesamt"), [figures.total]),
        (_("Kategorie"), figures.by_category),
        (_("Organisation"), figures.by_organisation),
        (_("Workshop"), figures.by_session),
    ]
    return [
        [section, tally.label, tally.registered, tally.attended, tally.share]
        for section, tallies in sections
        for tally in tallies
    ]


def attendance_csv(figures: Attendance) -> str:
    return csv_text(attendance_columns(), attendance_rows(figures))


# --- The sign-in sheet -----------------------------------------------------------------


def _event_when(event: Event) -> str:
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    when = formats.date_format(starts, "DATE_FORMAT")
    if starts.date() == ends.date():
        return f"{when}, {starts:%H:%M}–{ends:%H:%M}"
    return f"{when} – {formats.date_format(ends, 'DATE_FORMAT')}"


def _page_footer(canvas, doc, *, title: str) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawString(doc.leftMargin, 10 * mm, title)
    canvas.drawRightString(
        A4[0] - doc.rightMargin, 10 * mm, _("Seite %(page)d") % {"page": doc.page}
    )
    canvas.restoreState()


def signin_pdf(event: Event, confirmed: list[Registration]) -> bytes:
    """A4 list to sign at the door: confirmed registrations by name, and empty lines."""
    styles = stylesheet()
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    out = io.BytesIO()
    doc = a4_document(out, title=f"{_('Unterschriftenliste')}: {event.title}")
    venue = ", ".join(part for part in [event.venue, event.venue_address] if part)
    header = [_("Nr."), _("Name"), _("Organisation"), _("Unterschrift")]
    rows = [
        [
            str(number),
            Paragraph(escape(r.shown_name), cell),
            Paragraph(escape(organisation_label(r)), cell),
            "",
        ]
        for number, r in enumerate(confirmed, start=1)
    ]
    # Room for people who come without registering.
    rows += [[str(number), "", "", ""] for number in range(len(rows) + 1, len(rows) + 6)]
    table = Table(
        [header, *rows],
        colWidths=[10 * mm, 55 * mm, 55 * mm, 60 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
                ("FONT", (0, 1), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                # Room to sign: a row is at least about 1 cm high.
                ("TOPPADDING", (0, 1), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 9),
            ]
        )
    )
    story = [
        Paragraph(_("Unterschriftenliste"), styles["Heading2"]),
        Paragraph(escape(event.title), styles["Title"]),
        Paragraph(escape(_event_when(event)), styles["Normal"]),
        Paragraph(escape(venue), styles["Normal"]),
        Spacer(1, 6 * mm),
        table,
    ]
    footer = partial(_page_footer, title=event.title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
