"""The files of a reimbursement report: PDF to file, XLSX and CSV to work with.

Each writer takes a `ReportContent` (engagements.reports) and returns the file's
bytes or text, in the language active while it runs (reports write in German).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from core.formats import short_date, short_datetime
from core.money import euro
from core.pdf import FONT, FONT_BOLD, MARGIN, a4_document, stylesheet
from core.spreadsheets import csv_text, workbook_bytes, xlsx_workbook

from .enums import ExpenseCategory

if TYPE_CHECKING:
    from .models import ReimbursementReport
    from .reports import EngagementPart, Line, ReportContent


def _period(report: ReimbursementReport) -> str:
    return f"{short_date(report.period_start)} – {short_date(report.period_end)}"


def _generated(report: ReimbursementReport) -> str:
    return short_datetime(report.generated_at)


def _engagement_label(part: EngagementPart) -> str:
    return f"{part.engagement.title} ({part.engagement.municipality.name})"


def _kind_label(line: Line) -> str:
    kind = _("Honorar (Stunden)") if line.kind == "time" else line.category_label
    return _("Korrektur: %(kind)s") % {"kind": kind} if line.correction else kind


def _adjustment_label(line: Line) -> str:
    return _("Korrektur") if line.correction else _("Nachtrag")


# The CSV and the XLSX lines sheet share their columns.
def line_columns() -> list[str]:
    return [
        _("Zeile"),
        _("Beratungseinsatz"),
        _("Kommune"),
        _("Art"),
        _("Datum"),
        _("Berater*in"),
        _("Beschreibung"),
        _("Stunden"),
        _("Stundensatz (EUR)"),
        _("Betrag (EUR)"),
        _("Nachtrag/Korrektur"),
    ]


def _line_row(part: EngagementPart, line: Line) -> list:
    return [
        _("Position"),
        part.engagement.title,
        part.engagement.municipality.name,
        _kind_label(line),
        line.date,
        line.advisor,
        line.text,
        line.hours,
        line.rate,
        line.amount,
        _adjustment_label(line) if line.adjustment else _("nein"),
    ]


def _total_row(label: str, title: str, municipality: str, hours, amount) -> list:
    return [label, title, municipality, "", None, "", "", hours, None, amount, ""]


def report_rows(content: ReportContent) -> list[list]:
    """Every line, each engagement's total after its lines, and the pool's total last."""
    rows = []
    for part in content.parts:
        rows += [_line_row(part, line) for line in part.lines]
        rows.append(
            _total_row(
                _("Summe Einsatz"),
                part.engagement.title,
                part.engagement.municipality.name,
                part.hours,
                part.total,
            )
        )
    rows.append(
        _total_row(_("Summe Pool"), str(content.report.pool), "", content.hours, content.total)
    )
    return rows


def report_csv(content: ReportContent) -> str:
    """Semicolons and decimal commas, as Excel with German settings reads them."""

    def cell(value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        if isinstance(value, datetime.date):
            return f"{value:%d.%m.%Y}"
        return "" if value is None else value

    return csv_text(line_columns(), [[cell(v) for v in row] for row in report_rows(content)])


def summary_columns() -> list[str]:
    return [
        _("Beratungseinsatz"),
        _("Kommune"),
        _("Stunden"),
        _("Honorare aus Stunden (EUR)"),
        *[
            _("Ausgaben: %(category)s (EUR)") % {"category": category.label}
            for category in ExpenseCategory
        ],
        _("Ausgaben (EUR)"),
        _("Summe (EUR)"),
        _("davon Nachträge und Korrekturen (EUR)"),
        _("bewilligtes Budget (EUR)"),
        _("erstattet bis heute (EUR)"),
        _("verbleibendes Budget (EUR)"),
    ]


def summary_rows(content: ReportContent) -> list[list]:
    rows = [
        [
            part.engagement.title,
            part.engagement.municipality.name,
            part.hours,
            part.fees,
            *part.by_category.values(),
            part.expenses,
            part.total,
            part.adjustments,
            part.budget,
            part.reimbursed_to_date,
            part.remaining,
        ]
        for part in content.parts
    ]
    rows.append(
        [
            _("Summe Pool"),
            "",
            content.hours,
            content.fees,
            *content.by_category.values(),
            content.expenses,
            content.total,
            content.adjustments,
            None,
            None,
            None,
        ]
    )
    return rows


def report_xlsx(content: ReportContent) -> bytes:
    """A summary sheet (per engagement and for the pool) and a sheet of every line."""
    report = content.report
    book = xlsx_workbook(line_columns(), report_rows(content), title=_("Positionen"))
    for row in book.active.iter_rows(min_row=2):
        row[4].number_format = "DD.MM.YYYY"
        for cell in row[7:10]:
            cell.number_format = "#,##0.00"

    summary = book.create_sheet(_("Übersicht"), 0)
    book.active = 0
    summary.append([_("Erstattungsbericht")])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in [
        (_("Pool"), str(report.pool)),
        (_("Zeitraum"), _period(report)),
        (_("erstellt am"), _generated(report)),
        (_("Bericht Nr."), report.pk),
    ]:
        summary.append([label, value])
    summary.append([])
    summary.append(summary_columns())
    header_row = summary.max_row
    for cell in summary[header_row]:
        cell.font = Font(bold=True)
    for row in summary_rows(content):
        summary.append(row)
        for cell in summary[summary.max_row][2:]:
            cell.number_format = "#,##0.00"
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    for letter in ("A", "B"):
        summary.column_dimensions[letter].width = 36
    summary.freeze_panes = summary.cell(row=header_row + 1, column=3)
    return workbook_bytes(book)


WIDTH = A4[0] - 2 * MARGIN


class _NumberedCanvas(Canvas):
    """Puts "Seite x von y" on every page: y is known only after the last one."""

    def __init__(self, *args, footer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer_text = footer
        self._pages: list[dict] = []

    def showPage(self):  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.drawString(15 * mm, 10 * mm, self._footer_text)
            self.drawRightString(
                A4[0] - 15 * mm,
                10 * mm,
                _("Seite %(page)d von %(pages)d") % {"page": number, "pages": len(self._pages)},
            )
            super().showPage()
        super().save()


def _table(
    rows: list[list], widths_mm: list[float], *, numeric_from: int, header=True, total_row=True
) -> Table:
    """A table of the report: amounts from column `numeric_from` on, right-aligned."""
    table = Table(rows, colWidths=[w * mm for w in widths_mm], repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ]
    if total_row:
        style += [
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8),
            ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
        ]
    table.setStyle(TableStyle(style))
    return table


def report_pdf(content: ReportContent) -> bytes:
    """The report on A4, for a finance officer to file."""
    report = content.report
    styles = stylesheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)

    def para(text: str) -> Paragraph:
        return Paragraph(escape(text), cell)

    def date_cell(line: Line) -> Paragraph:
        if line.adjustment:
            marker = f'<font name="{FONT_BOLD}">{escape(_adjustment_label(line))}</font>'
            return Paragraph(f"{short_date(line.date)}<br/>{marker}", cell)
        return para(short_date(line.date))

    title = _("Erstattungsbericht %(pool)s, %(period)s") % {
        "pool": report.pool,
        "period": _period(report),
    }
    out = io.BytesIO()
    # invariant: the same content gives the same bytes
    doc = a4_document(out, title=title, invariant=True)
    story = [
        Paragraph(escape(_("Erstattungsbericht")), styles["Title"]),
        _table(
            [
                [_("Pool"), str(report.pool)],
                [_("Zeitraum"), _period(report)],
                [_("erstellt am"), _generated(report)],
                [_("Bericht Nr."), str(report.pk)],
            ],
            [40, WIDTH / mm - 40],
            numeric_from=1,
            header=False,
            total_row=False,
        ),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Übersicht")), styles["Heading2"]),
    ]
    if not content.parts:
        story.append(para(_("In diesem Zeitraum wurden keine Kosten freigegeben.")))
    story.append(
        _table(
            [
                [_("Beratungseinsatz"), _("Stunden"), _("Honorare"), _("Ausgaben"), _("Summe")],
                *[
                    [
                        para(_engagement_label(part)),
                        euro(part.hours),
                        euro(part.fees),
                        euro(part.expenses),
                        euro(part.total),
                    ]
                    for part in content.parts
                ],
                [
                    _("Summe Pool"),
                    euro(content.hours),
                    euro(content.fees),
                    euro(content.expenses),
                    euro(content.total),
                ],
            ],
            [80, 20, 27, 27, 26],
            numeric_from=1,
        )
    )
    story += [
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Ausgaben nach Kategorie")), styles["Heading3"]),
        _table(
            [
                [_("Kategorie"), _("Betrag (EUR)")],
                *[
                    [str(ExpenseCategory(category).label), euro(amount)]
                    for category, amount in content.by_category.items()
                ],
                [_("Ausgaben gesamt"), euro(content.expenses)],
            ],
            [80, 30],
            numeric_from=1,
        ),
    ]
    for part in content.parts:
        story += [
            Spacer(1, 6 * mm),
            Paragraph(escape(_engagement_label(part)), styles["Heading2"]),
        ]
        if part.time_lines:
            story += [
                Paragraph(escape(_("Honorare (Stunden × Stundensatz)")), styles["Heading3"]),
                _table(
                    [
                        [
                            _("Datum"),
                            _("Berater*in"),
                            _("Tätigkeit"),
                            _("Stunden"),
                            _("Satz"),
                            _("Betrag"),
                        ],
                        *[
                            [
                                date_cell(line),
                                para(line.advisor),
                                para(line.text),
                                euro(line.hours),
                                euro(line.rate),
                                euro(line.amount),
                            ]
                            for line in part.time_lines
                        ],
                        ["", "", _("Summe Honorare"), euro(part.hours), "", euro(part.fees)],
                    ],
                    [22, 36, 62, 18, 20, 22],
                    numeric_from=3,
                ),
            ]
        if part.expense_lines:
            story += [
                Paragraph(escape(_("Ausgaben")), styles["Heading3"]),
                _table(
                    [
                        [
                            _("Datum"),
                            _("Berater*in"),
                            _("Kategorie"),
                            _("Beschreibung"),
                            _("Betrag"),
                        ],
                        *[
                            [
                                date_cell(line),
                                para(line.advisor),
                                para(line.category_label),
                                para(line.text),
                                euro(line.amount),
                            ]
                            for line in part.expense_lines
                        ],
                        ["", "", "", _("Summe Ausgaben"), euro(part.expenses)],
                    ],
                    [22, 36, 28, 72, 22],
                    numeric_from=4,
                ),
            ]
        budget_rows = [
            [_("Honorare"), euro(part.fees)],
            *[
                [_("Ausgaben: %(category)s") % {"category": ExpenseCategory(c).label}, euro(a)]
                for c, a in part.by_category.items()
                if a
            ],
            [_("Summe dieses Berichts"), euro(part.total)],
            [_("bewilligtes Budget"), "–" if part.budget is None else euro(part.budget)],
            [_("erstattet bis heute (mit diesem Bericht)"), euro(part.reimbursed_to_date)],
            [_("verbleibendes Budget"), "–" if part.remaining is None else euro(part.remaining)],
        ]
        story += [
            Spacer(1, 3 * mm),
            KeepTogether(
                [
                    Paragraph(escape(_("Summen und Budget")), styles["Heading3"]),
                    _table(budget_rows, [80, 30], numeric_from=1, header=False, total_row=False),
                ]
            ),
        ]
    story += [
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Nachträge und Korrekturen")), styles["Heading2"]),
    ]
    if content.adjustment_lines:
        story += [
            para(
                _(
                    "Kosten, die nach dem Bericht ihres Zeitraums freigegeben wurden "
                    "(„Nachtrag“), und Korrekturen von SKEW an bereits erstatteten Kosten "
                    "(„Korrektur“, negativ bei einer Rückforderung). Sie sind in den Summen "
                    "oben enthalten und dort ebenso markiert."
                )
            ),
            Spacer(1, 2 * mm),
            _table(
                [
                    [_("Beratungseinsatz"), _("Art"), _("Datum"), _("Beschreibung"), _("Betrag")],
                    *[
                        [
                            para(_engagement_label(part)),
                            para(_kind_label(line)),
                            short_date(line.date),
                            para(line.text),
                            euro(line.amount),
                        ]
                        for part, line in content.adjustment_lines
                    ],
                    [_("Summe Nachträge und Korrekturen"), "", "", "", euro(content.adjustments)],
                ],
                [55, 30, 22, 55, 18],
                numeric_from=4,
            ),
        ]
    else:
        story.append(para(_("Keine.")))
    canvas = partial(_NumberedCanvas, footer=title)
    doc.build(story, canvasmaker=canvas)
    return out.getvalue()
