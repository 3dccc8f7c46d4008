"""The final report (Abschlussbericht) of an engagement: what it gathers and its PDF.

It says what the engagement was for and what came of it, as the source texts
describe an engagement: the municipality's goals and the support it asked for,
the course (milestones, events with their attendance), the actors the research
found (counted by scope, field of action and country; named only where the
organisation agreed to be listed), the action options with the municipality's
decisions, and the council bodies that were informed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from actors.models import Organisation
from actors.selectors import (
    OrganisationStatistics,
    organisation_statistics,
    organisations_published,
)
from core.formats import short_date
from core.pdf import FONT, FONT_BOLD, a4_document, stylesheet
from council.models import CouncilPaper
from engagements.models import Engagement, Milestone
from events.enums import RegistrationStatus
from events.models import Event

from .models import ActionOption


@dataclass
class EventFigures:
    event: Event
    confirmed: int
    attended: int


@dataclass
class FinalReportContent:
    engagement: Engagement
    milestones: list[Milestone]
    events: list[EventFigures]
    actors: OrganisationStatistics
    listed: list[str]  # names of the organisations found that agreed to be listed
    options: list[ActionOption]
    papers: list[CouncilPaper]


def final_report_content(engagement: Engagement) -> FinalReportContent:
    """Everything the report shows, in a fixed number of queries."""
    found = Organisation.objects.filter(findings__engagement=engagement).distinct()
    events = (
        Event.objects.filter(engagement=engagement)
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            attended=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("starts_at")
    )
    return FinalReportContent(
        engagement=engagement,
        milestones=list(engagement.milestones.order_by("due_on")),
        events=[EventFigures(e, e.confirmed, e.attended) for e in events],
        actors=organisation_statistics(organisations=Organisation.objects.filter(pk__in=found)),
        listed=list(
            organisations_published()
            .filter(pk__in=found.values("pk"))
            .order_by("name")
            .values_list("name", flat=True)
        ),
        options=list(
            ActionOption.objects.filter(engagement=engagement)
            .select_related("department", "field_of_action")
            .order_by("created_at", "pk")
        ),
        papers=list(
            CouncilPaper.objects.filter(engagements=engagement, deleted=False)
            .prefetch_related("consultations")
            .order_by("date", "pk")
        ),
    )


WIDTH = 180 * mm


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    styles = stylesheet()
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    table = Table(
        [[Paragraph(escape(str(value)), cell) for value in row] for row in rows],
        colWidths=[w * mm for w in widths],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, "#444444"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 1), (-1, -1), FONT),
            ]
        )
    )
    return table


def final_report_pdf(content: FinalReportContent, *, language: str, version: int) -> bytes:
    """The report on A4 in `language`; the same content gives the same bytes."""
    engagement = content.engagement
    request = engagement.consultation_request
    with translation.override(language):
        styles = stylesheet()
        body = styles["BodyText"]

        def para(text: str) -> Paragraph:
            return Paragraph(escape(text).replace("\n", "<br/>"), body)

        def heading(text: str) -> Paragraph:
            return Paragraph(escape(text), styles["Heading2"])

        title = _("Abschlussbericht: %(title)s") % {"title": engagement.title}
        period = f"{short_date(engagement.starts_on)} – " + (
            short_date(engagement.ends_on) if engagement.ends_on else "…"
        )
        story = [
            Paragraph(escape(title), styles["Title"]),
            para(
                _("%(municipality)s · %(period)s · Version %(version)s")
                % {"municipality": engagement.municipality, "period": period, "version": version}
            ),
            Spacer(1, 4 * mm),
            heading(_("Ziele und gewünschte Unterstützung")),
            para(engagement.goals or (request.goals if request else "") or "–"),
        ]
        if request and request.need:
            story.append(para(request.need))

        story.append(heading(_("Verlauf")))
        rows = [[_("Meilenstein"), _("fällig am"), _("erledigt am")]] + [
            [m.title, short_date(m.due_on), short_date(m.done_on) if m.done_on else "–"]
            for m in content.milestones
        ]
        story.append(_table(rows, [100, 40, 40]))
        if content.events:
            story.append(Spacer(1, 3 * mm))
            rows = [[_("Veranstaltung"), _("Datum"), _("angemeldet"), _("teilgenommen")]] + [
                [f.event.title, short_date(f.event.starts_at), str(f.confirmed), str(f.attended)]
                for f in content.events
            ]
            story.append(_table(rows, [90, 30, 30, 30]))

        actors = content.actors
        story.append(heading(_("Gefundene Akteure")))
        story.append(
            para(_("Die Recherche fand %(count)s Organisationen.") % {"count": actors.total})
        )
        if actors.total:
            rows = [[_("Wirkungsradius"), _("Anzahl"), _("Anteil")]] + [
                [row.label, str(row.count), f"{row.percent:.0f} %"] for row in actors.scopes.rows
            ]
            story.append(_table(rows, [100, 40, 40]))
            story.append(Spacer(1, 2 * mm))
            rows = [[_("Handlungsfeld"), _("Anzahl"), _("Anteil")]] + [
                [row.label, str(row.count), f"{row.percent:.0f} %"]
                for row in actors.fields.rows
                if row.count
            ]
            story.append(_table(rows, [100, 40, 40]))
            story.append(Spacer(1, 2 * mm))
            rows = [[_("Land"), _("Anzahl"), _("Anteil")]] + [
                [row.label, str(row.count), f"{row.percent:.0f} %"] for row in actors.countries.rows
            ]
            story.append(_table(rows, [100, 40, 40]))
        if content.listed:
            story.append(Spacer(1, 2 * mm))
            story.append(
                para(
                    _("Organisationen, die einer Nennung zugestimmt haben: %(names)s")
                    % {"names": ", ".join(content.listed)}
                )
            )

        story.append(heading(_("Handlungsoptionen und Entscheidungen der Kommune")))
        rows = [[_("Handlungsoption"), _("Fachabteilung"), _("Entscheidung")]] + [
            [
                option.title,
                str(option.department or "–"),
                (option.get_decision_display() or _("noch offen"))
                + (f": {option.decision_reason}" if option.decision_reason else ""),
            ]
            for option in content.options
        ]
        story.append(_table(rows, [80, 35, 65]))

        story.append(heading(_("Informierte Gremien")))
        departments = ", ".join(str(d) for d in engagement.departments.all())
        story.append(
            para(
                _("Ratsvorlage: %(paper)s") % {"paper": engagement.council_submission or "–"}
                + "\n"
                + _("Koordinierende Fachabteilungen: %(departments)s")
                % {"departments": departments or "–"}
            )
        )
        if content.papers:
            rows = [[_("Ratsvorlage"), _("Gremium und Sitzung"), _("Datum"), _("Ergebnis")]]
            for paper in content.papers:
                consultations = list(paper.consultations.all()) or [None]
                for consultation in consultations:
                    rows.append(
                        [
                            f"{paper.reference} {paper.name}".strip(),
                            ", ".join(
                                part for part in (consultation.body, consultation.meeting) if part
                            )
                            if consultation
                            else "–",
                            short_date(consultation.date)
                            if consultation and consultation.date
                            else "–",
                            consultation.role if consultation else "",
                        ]
                    )
            story.append(_table(rows, [60, 60, 25, 35]))
        out = io.BytesIO()
        a4_document(out, title=title, invariant=True).build(story)
    return out.getvalue()
