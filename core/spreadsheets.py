"""CSV and XLSX files for download, written the same way everywhere.

CSV: semicolons and a byte order mark, as Excel with German settings (which
SKEW and the municipalities use) opens it. Text cells that a spreadsheet would
run as a formula are neutralised in both formats.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A negative amount as the CSV writes it ("-1.234,50"): a number, not a formula.
NEGATIVE_NUMBER = re.compile(r"-\d[\d.,]*")


def safe_cell(value: str) -> str:
    """Neutralise text that a spreadsheet would run as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r" and not NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _safe(value: object) -> object:
    return safe_cell(value) if isinstance(value, str) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads the umlauts right
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([_safe(value) for value in row] for row in rows)
    return out.getvalue()


def xlsx_workbook(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> Workbook:
    """A workbook of one sheet with a bold, frozen header row; numbers stay numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet's name
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    sheet.freeze_panes = "A2"
    return book


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """The file of `xlsx_workbook`."""
    return workbook_bytes(xlsx_workbook(header, rows, title=title))
