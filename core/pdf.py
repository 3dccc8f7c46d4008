"""What the portal's PDF documents share: fonts, styles and an A4 page (reportlab)."""

from typing import IO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

# Bitstream Vera ships with reportlab; unlike the PDF standard fonts it has the
# letters of Turkish, Polish or Croatian names (ğ, ş, ł, ć …).
FONT, FONT_BOLD = "Vera", "VeraBd"
MARGIN = 15 * mm


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))


def stylesheet() -> StyleSheet1:
    """reportlab's sample styles in the portal's fonts (registers them first)."""
    register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = FONT_BOLD if style.name.startswith(("Heading", "Title")) else FONT
    return styles


def a4_document(out: IO[bytes], *, title: str, **options: object) -> SimpleDocTemplate:
    """A portrait A4 document with room at the bottom for a page footer."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=title,
        author="MiGlobe",
        **options,
    )
