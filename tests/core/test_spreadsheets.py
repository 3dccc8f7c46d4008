"""Cells that a spreadsheet would run as a formula are neutralised; numbers are not."""

import pytest

from core.spreadsheets import safe_cell


@pytest.mark.parametrize(
    "typed, written",
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-A1", "'-A1"),
        ("-150,00", "-150,00"),  # a refund in a report stays a negative number
        ("-1.234,50", "-1.234,50"),
        ("Verein e. V.", "Verein e. V."),
        ("", ""),
    ],
)
def test_formulas_are_quoted_and_negative_numbers_kept(typed, written):
    assert safe_cell(typed) == written
