"""PDF rendering of a report Document with reportlab platypus (pure Python, works offline).

Font: Bitstream Vera Sans, which ships inside reportlab itself (reportlab/fonts/Vera*.ttf, a
free licence that allows redistribution). It covers Latin-1 plus œ Œ « » — – ’ “ ” …, so French
renders with nothing to download or bundle, and the same PDF comes out on every machine. The
font is embedded (subset) with a ToUnicode map, so text extraction (pypdf, pdftotext, search in
a viewer) returns the accents. When a value holds a character Vera lacks (e.g. Lingala ɛ) and a
DejaVu Sans TTF is installed, that one is used instead for the whole document. A character the
chosen font cannot draw (CJK, emoji) is printed as its code point, `[U+91D1]`, and the front page
lists them: never dropped silently. Every text is one line in the PDF (line breaks and other
control characters become spaces), so no field can make a table row taller than a page.
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import replace
from functools import cache
from html import escape
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from minesite.render import i18n, palette
from minesite.render.document import ORDER, Document, FindingLine, SiteSection
from minesite.render.dossier import SiteMaps, map_words
from minesite.render.pdf_dossier import (
    batch_map_block,
    digests_block,
    photos_block,
    signature_block,
    site_map_block,
)
from minesite.render.pdf_rows import Column, Rows, wrap_text
from minesite.render.pdf_text import Drawable

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

FONT, BOLD = "MinesiteSans", "MinesiteSans-Bold"
"""The fonts of the document being rendered: set by `_register` to names of their own per font
file (reportlab keeps the first font registered under a name for the whole process)."""
_RENDERING = threading.Lock()
"""One render at a time: FONT and BOLD are the current document's."""


@cache
def _vera_glyphs() -> frozenset[int]:
    """The characters Vera covers (read once: parsing the TTF costs more than a small page)."""
    import reportlab

    face = TTFont("_probe", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")).face
    return frozenset(face.charToGlyph)


def _font_files(text: str) -> tuple[str, str]:
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


def _register(text: str) -> set[int]:
    """Register the fonts `text` needs under names of their own (MinesiteSans-Vera,
    MinesiteSans-DejaVuSans...), make them the document's FONT and BOLD, and return the code
    points the regular font can draw."""
    global FONT, BOLD
    regular, bold = _font_files(text)
    FONT, BOLD = (f"MinesiteSans-{Path(path).stem}" for path in (regular, bold))
    known = set(pdfmetrics.getRegisteredFontNames())
    for name, path in ((FONT, regular), (BOLD, bold)):
        if name not in known:
            pdfmetrics.registerFont(TTFont(name, path))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return _covered(FONT)


@cache
def _covered(name: str) -> frozenset[int]:
    # reportlab writes a broken ToUnicode entry past U+FFFF (emoji): those are never drawn.
    return frozenset(c for c in pdfmetrics.getFont(name).face.charToGlyph if c <= 0xFFFF)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=10.5, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "grey": ParagraphStyle("grey", parent=base, fontSize=7.5, leading=9, textColor=GREY),
        "mono": ParagraphStyle("mono", parent=base, fontName="Courier", fontSize=6.5, leading=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=17, leading=21),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "site": ParagraphStyle("site", parent=base, fontName=BOLD, fontSize=15, leading=18),
        "badge": ParagraphStyle("badge", parent=base, fontName=BOLD, fontSize=12, leading=14),
    }


MAX_TEXT = 600
"""Longest free text shown in one cell: a row taller than a page cannot be laid out."""


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    text = str(text)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return Paragraph(escape(text, quote=False), style)


def _fit(text: object, width: float, style: ParagraphStyle) -> str | Paragraph:
    """A table cell: the plain string when it fits on one line (fast), else a wrapping Paragraph.

    Tables draw plain strings with their FONT / TEXTCOLOR commands, which match `style`."""
    text = str(text)
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - 6:
        return text
    return _p(text, style)


class _Line(Flowable):
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


def _h(text: str, style: ParagraphStyle):
    """A heading: a single line when it fits the page width, else a Paragraph."""
    if stringWidth(text, style.fontName, style.fontSize) <= WIDTH:
        return _Line(text, style)
    return _p(text, style)


def _grid(header: bool = True) -> list[tuple]:
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands += [("FONT", (0, 0), (-1, 0), BOLD, 8), ("BACKGROUND", (0, 0), (-1, 0), HEAD)]
    return commands


def _table(rows: list[list], widths: list[float], extra: list[tuple] = ()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_grid() + list(extra)))
    return table


def _badge(status: str, word: str, styles, width: float = 38 * mm) -> Table:
    style = ParagraphStyle("b", parent=styles["badge"], textColor=INK[status], alignment=1)
    badge = Table([[Paragraph(escape(word.upper()), style)]], colWidths=[width], rowHeights=None)
    badge.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), COLOURS[status]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return badge


def _numbered_canvas(title: str, page_word: str, generated: str):
    """A canvas that writes 'minesite — title — page N/M' once the page count is known, the
    site of the page and its reference on the right (set by each site's `_SiteMark`), and
    the generation date at the foot."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.site_label = ""

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(GREY)
            text = f"minesite — {title} — {page_word} {self._pageNumber}/{total}"
            self.drawString(MARGIN, A4[1] - 10 * mm, text)
            room = WIDTH - stringWidth(text, FONT, 7.5) - 6 * mm
            label = self.site_label  # "name (id) · reference": the reference goes first
            if stringWidth(label, FONT, 7.5) > room:
                label = label.rsplit(" · ", 1)[0]
            self.drawRightString(A4[0] - MARGIN, A4[1] - 10 * mm, _cut(label, room))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(MARGIN, A4[1] - 11.5 * mm, A4[0] - MARGIN, A4[1] - 11.5 * mm)
            self.drawString(MARGIN, 8 * mm, generated)
            self.drawRightString(A4[0] - MARGIN, 8 * mm, f"{page_word} {self._pageNumber}/{total}")
            self.restoreState()

    return NumberedCanvas


def _cut(text: str, room: float, size: float = 7.5) -> str:
    """`text` shortened with … to fit `room` points."""
    if stringWidth(text, FONT, size) <= room:
        return text
    while text and stringWidth(text + "…", FONT, size) > room:
        text = text[:-1]
    return text + "…" if text else ""


class _SiteMark(Flowable):
    """Zero-size marker at the top of a site's pages: the running header names the site from
    here on, and the caller hears that one more site is laid out."""

    def __init__(self, label: str, progress=None) -> None:  # noqa: ANN001
        super().__init__()
        self.label, self.progress = label, progress

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        self.canv.site_label = self.label
        if self.progress is not None:
            self.progress(1)


def render_pdf(document: Document, *, titles=None, front: bool = True, progress=None) -> bytes:  # noqa: ANN001
    """The whole report as PDF bytes: the front page (unless `front` is False), then each
    site's pages; `titles` (cadastre.Titles) are drawn on the site maps; `progress(n)` is told
    as each site's pages are laid out. A character the font cannot draw is shown as [U+XXXX]
    and listed on the first page."""
    with _RENDERING:
        if not front:  # a site's own file: the batch's tables are not drawn
            document = replace(document, red_sites=[], areas=[])
        drawable = Drawable(_register(_all_text(document) + map_words(document, titles)))
        # A site's own file notes what its pages lack, not every name of the batch's map.
        points = drawable if front else Drawable(drawable.covered)
        document = _drawable(document, drawable, points)
        styles = _styles()
        maps = SiteMaps(
            document,
            titles,
            font=FONT,
            bold=BOLD,
            site_size=(WIDTH, 38 * mm),
            batch_size=(WIDTH, 62 * mm),
        )
        story = _front(document, styles, maps) if front else []
        if drawable.missing:
            story.insert(1 if front else 0, _p(drawable.note(document.lang), styles["small"]))
        for i, section in enumerate(document.sites):
            if front or i:
                story.append(PageBreak())
            label = f"{section.name or section.site_id} ({section.site_id}) · {section.reference}"
            story.append(_SiteMark(label, progress))
            story.extend(_site(document, section, styles, maps))
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=16 * mm,
            bottomMargin=14 * mm,
            title=document.title,
            author="minesite",
            subject=f"{document.words('as_of')} {document.as_of}",
            lang=document.lang,
        )
        generated = i18n.text("dossier.generated", document.lang, date=document.generated)
        canvas = _numbered_canvas(document.title, document.words("page"), generated)
        template.build(story, canvasmaker=canvas)
        return buffer.getvalue()


def write_pdf(document: Document, path: Path | str, *, titles=None, **options) -> None:  # noqa: ANN001
    """Render and write to `path` (callers write to a temporary file, then rename); `options`
    as render_pdf's."""
    data = render_pdf(document, titles=titles, **options)
    with open(os.fspath(path), "wb") as handle:
        handle.write(data)


def _all_text(document: Document) -> str:
    parts = [document.title]
    for s in document.sites:
        parts += [s.name, s.province, s.territoire, s.team, s.reason]
        parts += [f.title + f.answer + f.cell for f in s.failed + s.unknown + s.passed]
        parts += [h.detail for h in s.history] + s.conflicts
    parts += [s.name + s.province + s.territoire + s.reason for s in document.red_sites]
    parts += [a.province + a.territoire for a in document.areas]
    return "".join(parts)


def _drawable(document: Document, drawable: Drawable, for_points: Drawable) -> Document:
    """The document made drawable; of the batch's map points (thousands, read again by every
    site file of --split), only those whose name needs it, by `for_points`."""
    covered = drawable.covered
    points = [
        p if covered.issuperset(map(ord, p.label)) else for_points(p) for p in document.map_points
    ]
    return replace(drawable(replace(document, map_points=[])), map_points=points)


def _front(doc: Document, styles, maps: SiteMaps) -> list:
    w = doc.words
    story: list = [
        _p(doc.title, styles["h1"]),
        Spacer(1, 2 * mm),
        _p(
            f"{w('as_of')} {doc.as_of} · {w('profile')} {doc.profile} · "
            f"{w('sites_total')} {sum(doc.totals.values())}",
            styles["base"],
        ),
        _p(
            f"{doc.selection} · " + i18n.text("dossier.generated", doc.lang, date=doc.generated),
            styles["grey"],
        ),
        Spacer(1, 4 * mm),
    ]
    badges = [
        _badge(s, f"{doc.colours[s]} {doc.totals[s]}", styles, width=WIDTH / 4 - 3 * mm)
        for s in ORDER
    ]
    row = Table([badges], colWidths=[WIDTH / 4] * 4, hAlign="LEFT")
    row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [row, _h(w("scope"), styles["h2"])]
    files = [[w("files"), w("dialect"), w("rows"), "SHA-256"]]
    for f in doc.files:
        name = f["file"] + (f' [{w("sheet")} "{f["sheet"]}"]' if f["sheet"] else "")
        files.append(
            [
                _p(name, styles["small"]),
                _p(f["dialect"], styles["small"]),
                str(f["rows"]),
                _p(f["sha256"], styles["mono"]),
            ]
        )
    story.append(_table(files, [36 * mm, 40 * mm, 12 * mm, WIDTH - 88 * mm]))
    story.append(Spacer(1, 2 * mm))
    lists = [[w("checklists"), w("version"), ""]]
    lists += [[c["id"], c["version"], _p(c["title"], styles["small"])] for c in doc.checklists]
    story.append(_table(lists, [45 * mm, 25 * mm, WIDTH - 70 * mm]))
    no_colour = "; ".join(f"{v} × {k}" for k, v in doc.no_colour.items())
    story.append(Spacer(1, 2 * mm))
    story.append(
        _p(
            f"{w('profile')}: {doc.profile} · {w('rows_read')}: {doc.rows_read} · "
            f"{w('visits_coloured')}: {doc.visits_coloured} · {w('no_colour')}: "
            f"{sum(doc.no_colour.values())}" + (f" ({no_colour})" if no_colour else ""),
            styles["small"],
        )
    )
    story.append(_h(w("by_area"), styles["h2"]))
    head = [w("province"), w("territoire")] + [doc.colours[s] for s in ORDER] + [w("total")]
    rows = [head]
    rows.extend(
        [
            _fit(area.province, 45 * mm, styles["small"]),
            _fit(area.territoire, 55 * mm, styles["small"]),
        ]
        + [str(area.counts[s] or "") for s in ORDER]
        + [str(area.total)]
        for area in doc.areas
    )
    rows.append(
        ["", w("total")] + [str(doc.totals[s]) for s in ORDER] + [str(sum(doc.totals.values()))]
    )
    number = [("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), BOLD, 8)]
    number += [("TEXTCOLOR", (2 + i, 0), (2 + i, 0), TEXT[s]) for i, s in enumerate(ORDER)]
    story.append(_table(rows, [45 * mm, 55 * mm] + [14 * mm] * 4 + [WIDTH - 156 * mm], number))
    if doc.areas:
        story.append(Spacer(1, 3 * mm))
        story.append(_chart(doc))
        if len(doc.areas) > CHART_AREAS:
            story.append(_p(i18n.text("ui.chart_top", doc.lang, n=CHART_AREAS), styles["grey"]))
    story += batch_map_block(maps, styles, _h)
    story.append(_h(f"{w('red_sites')} ({len(doc.red_sites)})", styles["h2"]))
    if not doc.red_sites:
        story.append(_h(w("no_red_sites"), styles["base"]))
    else:
        header = [w("site_id"), w("name"), f"{w('province')} / {w('territoire')}", w("reason")]
        columns = [
            Column(24 * mm, FONT),
            Column(42 * mm, FONT),
            Column(42 * mm, FONT),
            Column(WIDTH - 108 * mm, FONT),
        ]
        reds = [
            [s.site_id, s.name, f"{s.province} / {s.territoire}", _why(s)] for s in doc.red_sites
        ]
        story.append(Rows(header, reds, columns, bold=BOLD))
    if doc.not_assessed:
        story.append(_h(w("not_assessed_criteria"), styles["h2"]))
        rows = [[w("criterion"), "", w("severity"), w("sites_total")]]
        rows.extend(
            [
                c.criterion,
                _fit(c.title, WIDTH - 60 * mm, styles["small"]),
                doc.colours.get(c.severity, c.severity),
                str(c.sites),
            ]
            for c in doc.not_assessed
        )
        widths = [18 * mm, WIDTH - 60 * mm, 22 * mm, 20 * mm]
        story.append(_table(rows, widths, [("ALIGN", (3, 0), (3, -1), "RIGHT")]))
    return story


def _why(section: SiteSection) -> str:
    ids = " ".join(f.criterion for f in section.failed)
    return f"{section.reason} — {ids}" if ids else section.reason


def _chart(doc: Document) -> Drawing:
    """Stacked horizontal bars: sites by colour for the areas with the most sites."""
    areas = sorted(doc.areas, key=lambda a: -a.total)[:CHART_AREAS][::-1]
    height = 38 + 14 * len(areas)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 62 * mm, 30
    chart.width, chart.height = WIDTH - 66 * mm, height - 34
    chart.data = [[a.counts[s] for a in areas] for s in ORDER]
    chart.categoryAxis.categoryNames = [f"{a.province} / {a.territoire}"[:40] for a in areas]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    chart.valueAxis.valueStep = _step(max((a.total for a in areas), default=1))
    chart.barWidth = 9
    chart.groupSpacing = 5
    chart.bars.strokeWidth = 0
    for i, status in enumerate(ORDER):
        chart.bars[i].fillColor = COLOURS[status]
    drawing.add(chart)
    x = 62 * mm
    for status in ORDER:
        drawing.add(Rect(x, 2, 7, 7, fillColor=COLOURS[status], strokeWidth=0))
        drawing.add(String(x + 10, 2.5, doc.colours[status], fontName=FONT, fontSize=7))
        x += 22 * mm
    return drawing


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if top / step <= 8:
            return step
    return 10000


def _identity(doc: Document, s: SiteSection, styles) -> Flowable:
    left, right = s.identity(doc.words)
    rows = max(len(left), len(right))
    blank = [("", "")] * rows
    return _KeyValues(list(zip((left + blank)[:rows], (right + blank)[:rows], strict=True)))


class _KeyValues(Flowable):
    """Two columns of label / value pairs with a rule under each row, values wrapped.

    Drawn directly rather than as a Table: 1,000 sites x 24 cells is a third of the render."""

    KEY, SIZE, LEADING, PAD = 33 * mm, 8.5, 10.5, 2.5

    def __init__(self, rows: list[tuple[tuple[str, str], tuple[str, str]]]) -> None:
        super().__init__()
        half = WIDTH / 2
        room = half - self.KEY - 6
        self.rows = [
            (a[0], self._lines(a[1], room), b[0], self._lines(b[1], room)) for a, b in rows
        ]
        self.heights = [max(len(r[1]), len(r[3])) * self.LEADING + 2 * self.PAD for r in self.rows]
        self.height = sum(self.heights)

    def _lines(self, text: str, room: float) -> list[str]:
        """The value wrapped to the column; a huge free text is cut (the cell is in the input)."""
        return wrap_text(text, FONT, self.SIZE, room, most=15)

    def wrap(self, available_width, available_height):
        return WIDTH, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(RULE)
        c.setLineWidth(0.3)
        y = self.height
        for (key_a, lines_a, key_b, lines_b), height in zip(self.rows, self.heights, strict=True):
            top = y - self.PAD - self.SIZE
            for x, key, lines in ((0, key_a, lines_a), (WIDTH / 2, key_b, lines_b)):
                c.setFillColor(GREY)
                c.setFont(FONT, 7.5)
                c.drawString(x + 3, top, key)
                c.setFillColor(colors.black)
                c.setFont(FONT, self.SIZE)
                for i, line in enumerate(lines):
                    c.drawString(x + self.KEY + 3, top - i * self.LEADING, line)
            y -= height
            c.line(0, y, WIDTH, y)


def _findings(doc: Document, lines: list[FindingLine], styles, title: str = "") -> Rows:
    w = doc.words
    header = [w("criterion"), "", w("answer").capitalize(), w("evidence")]
    columns = [
        Column(15 * mm, BOLD),
        Column(70 * mm, FONT),
        Column(40 * mm, FONT),
        Column(WIDTH - 125 * mm, FONT, colour=GREY),
    ]
    rows = [[f.criterion, f.title, f.answer, f.cell] for f in lines]
    return Rows(header, rows, columns, bold=BOLD, title=title)


def _not_assessed(doc: Document, lines: list[FindingLine], styles):
    """Criteria without a column, by id (their titles are on the front page, once)."""
    if not lines:
        return _h(doc.words("none"), styles["base"])
    return _h(", ".join(f.criterion for f in lines), styles["base"])


def _site(doc: Document, s: SiteSection, styles, maps: SiteMaps) -> list:
    w = doc.words
    name = s.name or s.site_id
    story: list = [_SiteHead(name, s.status, s.colour)]
    if stringWidth(name, BOLD, 15) > WIDTH - 44 * mm:  # too long for one line: wrap it below
        story = [_SiteHead("", s.status, s.colour), _p(name, styles["site"])]
    story += [Spacer(1, 3 * mm), _identity(doc, s, styles)]
    story += site_map_block(maps, s, styles, _h)
    if s.evidence_of:
        story += [Spacer(1, 2 * mm), _p(s.evidence_of, styles["grey"])]
    sections = [
        (w("failed"), s.failed, w("no_failed")),
        (w("dossier.passed.title"), s.passed, w("dossier.passed.none")),
        (w("unknown_criteria"), s.unknown, w("none")),
    ]
    for title, lines, none in sections:
        if lines:  # the title is drawn with the first rows (see pdf_rows.Rows)
            story.append(_findings(doc, lines, styles, title=title))
        else:
            story += [_h(title, styles["h2"]), _h(none, styles["base"])]
    story.append(_h(w("not_assessed_criteria"), styles["h2"]))
    story.append(_not_assessed(doc, s.not_assessed, styles))
    header = [w("date"), w("visit"), w("file_row"), w("colour"), w("dossier.history.detail")]
    columns = [
        Column(20 * mm, FONT),
        Column(25 * mm, FONT),
        Column(40 * mm, FONT),
        Column(21 * mm, FONT),
        Column(WIDTH - 106 * mm, FONT),
    ]
    rows = [[h.date, h.visit_id, f"{h.file}:{h.row}", h.colour, h.detail] for h in s.history]
    colours = {(i, 3): TEXT[h.status] for i, h in enumerate(s.history) if h.status}
    fonts = dict.fromkeys(colours, BOLD)
    story.append(
        Rows(header, rows, columns, bold=BOLD, colours=colours, fonts=fonts, title=w("history"))
    )
    story.append(_h(w("conflicts"), styles["h2"]))
    if s.conflicts:
        story.extend(_p(f"• {c}", styles["small"]) for c in s.conflicts)
    else:
        story.append(_h(w("no_conflict"), styles["base"]))
    story += photos_block(doc, s, styles, _h, WIDTH)
    story += digests_block(doc, s, styles, _h, fonts=(FONT, BOLD))
    story.append(signature_block(doc, s, styles, fonts=(FONT, BOLD), width=WIDTH))
    return story


class _SiteHead(Flowable):
    """Site name on the left, the colour badge on the right (drawn directly: 1,000 of them)."""

    def __init__(self, name: str, status: str, word: str) -> None:
        super().__init__()
        self.name, self.status, self.word = name, status, word
        self.height = 11 * mm

    def wrap(self, available_width, available_height):
        return available_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(BOLD, 15)
        c.setFillColor(colors.black)
        c.drawString(0, 3.5 * mm, self.name)
        x = WIDTH - 40 * mm
        c.setFillColor(COLOURS[self.status])
        c.rect(x, 0, 40 * mm, self.height, stroke=0, fill=1)
        c.setFillColor(INK[self.status])
        c.setFont(BOLD, 12)
        c.drawCentredString(x + 20 * mm, 3.8 * mm, self.word.upper())
