"""What every part of the PDF report shares: status colours, page geometry, the fonts of the
document being rendered (registered per font file), paragraph styles and small flowables."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from minesite.render import palette

COLOURS = {k: colors.HexColor(v) for k, v in palette.FILL.items()}
INK = {k: colors.HexColor(v) for k, v in palette.INK.items()}
TEXT = {k: colors.HexColor(v) for k, v in palette.TEXT.items()}
"""Colour words printed on white: a darker yellow that stays readable."""
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#bbbbbb")
HEAD = colors.HexColor("#eeeeee")
MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
CHART_AREAS = 15


class Fonts:
    """The font names of the document being rendered: set by `register` to names of their own
    per font file (reportlab keeps the first font registered under a name for the whole
    process, so one name for two files drew the second document in the first one's font)."""

    regular = "MinesiteSans-Vera"
    bold = "MinesiteSans-VeraBd"


FONTS = Fonts()


@cache
def _vera_glyphs() -> frozenset[int]:
    """The characters Vera covers (read once: parsing the TTF costs more than a small page)."""
    import reportlab

    face = TTFont("_probe", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")).face
    return frozenset(face.charToGlyph)


def font_files(text: str) -> tuple[str, str]:
    """Vera from reportlab; DejaVu Sans from the system only if Vera lacks a character."""
    import reportlab

    here = Path(reportlab.__file__).parent / "fonts"
    regular, bold = here / "Vera.ttf", here / "VeraBd.ttf"
    covered = _vera_glyphs()
    missing = {c for c in set(text) if ord(c) >= 32 and ord(c) not in covered}
    if missing:
        for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
            candidate = Path(folder) / "DejaVuSans.ttf"
            if candidate.exists() and (Path(folder) / "DejaVuSans-Bold.ttf").exists():
                return str(candidate), str(Path(folder) / "DejaVuSans-Bold.ttf")
    return str(regular), str(bold)


def register(text: str) -> set[int]:
    """Register the fonts `text` needs under names of their own (MinesiteSans-Vera,
    MinesiteSans-DejaVuSans...), make them the document's FONTS, and return the code points the
    regular font can draw."""
    regular, bold = font_files(text)
    FONTS.regular, FONTS.bold = (f"MinesiteSans-{Path(path).stem}" for path in (regular, bold))
    known = set(pdfmetrics.getRegisteredFontNames())
    for name, path in ((FONTS.regular, regular), (FONTS.bold, bold)):
        if name not in known:
            pdfmetrics.registerFont(TTFont(name, path))
    regular, bold = FONTS.regular, FONTS.bold
    pdfmetrics.registerFontFamily(
        regular, normal=regular, bold=bold, italic=regular, boldItalic=bold
    )
    return covered(FONTS.regular)


@cache
def covered(name: str) -> frozenset[int]:
    # reportlab writes a broken ToUnicode entry past U+FFFF (emoji): those are never drawn.
    return frozenset(c for c in pdfmetrics.getFont(name).face.charToGlyph if c <= 0xFFFF)


def make_styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "base", fontName=FONTS.regular, fontSize=8.5, leading=10.5, alignment=TA_LEFT
    )
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "grey": ParagraphStyle("grey", parent=base, fontSize=7.5, leading=9, textColor=GREY),
        "mono": ParagraphStyle("mono", parent=base, fontName="Courier", fontSize=6.5, leading=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONTS.bold, fontSize=17, leading=21),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONTS.bold,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "site": ParagraphStyle("site", parent=base, fontName=FONTS.bold, fontSize=15, leading=18),
        "badge": ParagraphStyle("badge", parent=base, fontName=FONTS.bold, fontSize=12, leading=14),
    }


MAX_TEXT = 600
"""Longest free text shown in one cell: a row taller than a page cannot be laid out."""


def para(text: object, style: ParagraphStyle) -> Paragraph:
    text = str(text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return Paragraph(escape(text, quote=False), style)


def fit(text: object, width: float, style: ParagraphStyle) -> str | Paragraph:
    """A table cell: the plain string when it fits on one line (fast), else a wrapping Paragraph.

    Tables draw plain strings with their FONTS.regular / TEXTCOLOR commands, which match `style`."""
    text = str(text)
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 6:
        return text
    return para(text, style)


class OneLine(Flowable):
    """One line of fixed text (headings): far cheaper than a Paragraph, 1,000 sites x 7."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        # A section heading stays with what follows it (never alone at a page's foot).
        self.keepWithNext = style.name == "h2"

    def wrap(self, available_width, available_height):
        return available_width, self.style.leading

    def draw(self) -> None:
        self.canv.setFont(self.style.fontName, self.style.fontSize)
        self.canv.setFillColor(self.style.textColor)
        self.canv.drawString(0, self.style.leading - self.style.fontSize, self.text)


def heading(text: str, style: ParagraphStyle):
    """A heading: a single line when it fits the page width, else a Paragraph."""
    if stringWidth(text, style.fontName, style.fontSize) <= WIDTH:
        return OneLine(text, style)
    return para(text, style)


def grid_style(header: bool = True) -> list[tuple]:
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONTS.regular, 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), FONTS.bold, 8),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ]
    return commands


def table(rows: list[list], widths: list[float], extra: list[tuple] = ()) -> Table:
    built = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    built.setStyle(TableStyle(grid_style() + list(extra)))
    return built


def badge(status: str, word: str, styles, width: float = 38 * mm) -> Table:
    style = ParagraphStyle("b", parent=styles["badge"], textColor=INK[status], alignment=1)
    shown = Table([[Paragraph(escape(word.upper()), style)]], colWidths=[width], rowHeights=None)
    shown.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), COLOURS[status]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return shown
