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
from html import escape
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from minesite.render import palette
from minesite.render.document import ORDER, Document, FindingLine, SiteSection
from minesite.render.dossier import SiteMaps, map_words
from minesite.render.pdf_dossier import batch_map_block, photos_block, site_map_block
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


def _font_files(text: str) -> tuple[str, str]:
    """Vera from reportlab; DejaVu Sans from the system only if Vera lacks a character."""
    import reportlab

    here = Path(reportlab.__file__).parent / "fonts"
    regular, bold = here / "Vera.ttf", here / "VeraBd.ttf"
    covered = TTFont("_probe", str(regular)).face.charToGlyph
    missing = {c for c in set(text) if ord(c) >= 32 and ord(c) not in covered}
    if missing:
        for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
            candidate = Path(folder) / "DejaVuSans.ttf"
            if candidate.exists() and (Path(folder) / "DejaVuSans-Bold.ttf").exists():
                return str(candidate), str(Path(folder) / "DejaVuSans-Bold.ttf")
    return str(regular), str(bold)


def _register(text: str) -> set[int]:
    """Register the fonts for `text`; returns the code points the regular font can draw."""
    regular, bold = _font_files(text)
    font = TTFont(FONT, regular)
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFont(TTFont(BOLD, bold))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    # reportlab writes a broken ToUnicode entry past U+FFFF (emoji): those are never drawn.
    return {code for code in font.face.charToGlyph if code <= 0xFFFF}


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=10.5, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
        "grey": ParagraphStyle("grey", parent=base, fontSize=7.5, leading=9, textColor=GREY),
        "mono": ParagraphStyle("mono", parent=base, fontName="Courier", fontSize=6.5, leading=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=17, leading=21),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3
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


def _numbered_canvas(title: str, page_word: str):
    """A canvas that writes 'minesite — title — page N/M' once the page count is known."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

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
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(MARGIN, A4[1] - 11.5 * mm, A4[0] - MARGIN, A4[1] - 11.5 * mm)
            self.drawRightString(A4[0] - MARGIN, 8 * mm, f"{page_word} {self._pageNumber}/{total}")
            self.restoreState()

    return NumberedCanvas


def render_pdf(document: Document, *, titles=None) -> bytes:  # noqa: ANN001
    """The whole report as PDF bytes; `titles` (cadastre.Titles) are drawn on the site maps.
    A character the font cannot draw is shown as [U+XXXX] and listed on the front page."""
    drawable = Drawable(_register(_all_text(document) + map_words(document, titles)))
    document = drawable(document)
    styles = _styles()
    maps = SiteMaps(
        document,
        titles,
        font=FONT,
        bold=BOLD,
        site_size=(WIDTH, 38 * mm),
        batch_size=(WIDTH, 62 * mm),
    )
    story = _front(document, styles, maps)
    if drawable.missing:
        story.insert(1, _p(drawable.note(document.lang), styles["small"]))
    for section in document.sites:
        story.append(PageBreak())
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
    template.build(story, canvasmaker=_numbered_canvas(document.title, document.words("page")))
    return buffer.getvalue()


def write_pdf(document: Document, path: Path | str, *, titles=None) -> None:  # noqa: ANN001
    """Render and write to `path` (callers write to a temporary file, then rename)."""
    data = render_pdf(document, titles=titles)
    with open(os.fspath(path), "wb") as handle:
        handle.write(data)


def _all_text(document: Document) -> str:
    parts = [document.title]
    for s in document.sites:
        parts += [s.name, s.province, s.territoire, s.team, s.reason]
        parts += [f.title + f.answer + f.cell for f in s.failed + s.unknown]
        parts += [h.detail for h in s.history] + s.conflicts
    return "".join(parts)


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
        Spacer(1, 4 * mm),
    ]
    badges = [
        _badge(s, f"{doc.colours[s]} {doc.totals[s]}", styles, width=WIDTH / 4 - 3 * mm)
        for s in ORDER
    ]
    row = Table([badges], colWidths=[WIDTH / 4] * 4, hAlign="LEFT")
    row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [row, _h(w("scope"), styles["h2"])]
    files = [[w("files"), w("dialect"), w("rows"), w("sha256")]]
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
            story.append(_p(w("chart_top").format(n=CHART_AREAS), styles["grey"]))
    story += batch_map_block(maps, styles, _h)
    story.append(_h(f"{w('red_sites')} ({len(doc.red_sites)})", styles["h2"]))
    if not doc.red_sites:
        story.append(_h(w("no_red_sites"), styles["base"]))
    else:
        reds = [[w("site_id"), w("name"), f"{w('province')} / {w('territoire')}", w("reason")]]
        reds.extend(
            [
                s.site_id,
                _fit(s.name, 42 * mm, styles["small"]),
                _fit(f"{s.province} / {s.territoire}", 42 * mm, styles["small"]),
                _fit(_why(s), WIDTH - 108 * mm, styles["small"]),
            ]
            for s in doc.red_sites
        )
        story.append(_table(reds, [24 * mm, 42 * mm, 42 * mm, WIDTH - 108 * mm]))
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
    return _KeyValues(list(zip(left, [*right, ("", "")], strict=True)))


class _KeyValues(Flowable):
    """Two columns of label / value pairs with a rule under each row, values wrapped.

    Drawn directly rather than as a Table: 1,000 sites x 24 cells is a third of the render."""

    KEY, SIZE, LEADING, PAD, MAX_LINES = 33 * mm, 8.5, 10.5, 2.5, 15

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
        lines = simpleSplit(text, FONT, self.SIZE, room) or [""]
        return lines if len(lines) <= self.MAX_LINES else [*lines[: self.MAX_LINES - 1], "…"]

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


def _findings(doc: Document, lines: list[FindingLine], styles) -> Table:
    w = doc.words
    rows = [[w("criterion"), "", w("answer").capitalize(), w("evidence")]]
    widths = [15 * mm, 70 * mm, 40 * mm, WIDTH - 125 * mm]
    rows.extend(
        [
            f.criterion,
            _fit(f.title, widths[1], styles["small"]),
            _fit(f.answer, widths[2], styles["small"]),
            _fit(f.cell, widths[3], styles["grey"]),
        ]
        for f in lines
    )
    extra = [("FONT", (0, 1), (0, -1), BOLD, 7.5), ("TEXTCOLOR", (3, 1), (3, -1), GREY)]
    return _table(rows, widths, extra)


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
    story.append(_h(w("failed"), styles["h2"]))
    story.append(
        _findings(doc, s.failed, styles) if s.failed else _h(w("no_failed"), styles["base"])
    )
    story.append(_h(w("unknown_criteria"), styles["h2"]))
    story.append(_findings(doc, s.unknown, styles) if s.unknown else _h(w("none"), styles["base"]))
    story.append(_h(w("not_assessed_criteria"), styles["h2"]))
    story.append(_not_assessed(doc, s.not_assessed, styles))
    story.append(_h(w("history"), styles["h2"]))
    rows = [[w("date"), w("visit"), w("file_row"), w("colour"), ""]]
    marks = []
    for i, h in enumerate(s.history, start=1):
        rows.append(
            [
                h.date,
                _fit(h.visit_id, 25 * mm, styles["small"]),
                f"{h.file}:{h.row}",
                h.colour,
                _fit(h.detail, WIDTH - 106 * mm, styles["small"]),
            ]
        )
        if h.status:
            marks.append(("TEXTCOLOR", (3, i), (3, i), TEXT[h.status]))
            marks.append(("FONT", (3, i), (3, i), BOLD, 7.5))
    story.append(_table(rows, [20 * mm, 25 * mm, 45 * mm, 16 * mm, WIDTH - 106 * mm], marks))
    story.append(_h(w("conflicts"), styles["h2"]))
    if s.conflicts:
        story.extend(_p(f"• {c}", styles["small"]) for c in s.conflicts)
    else:
        story.append(_h(w("no_conflict"), styles["base"]))
    story += photos_block(doc, s, styles, _h, WIDTH)
    shas = {f["file"]: f["sha256"] for f in doc.files}
    lists = ", ".join(f"{c['id']} {c['version']}" for c in doc.checklists)
    sources = "; ".join(f"{name} (SHA-256 {shas.get(name, '')[:16]}…)" for name in s.files)
    story.append(Spacer(1, 3 * mm))
    story.append(
        _h(
            f"{w('checklists')}: {lists} · {w('profile')}: {doc.profile} · "
            f"{w('as_of')} {doc.as_of}",
            styles["grey"],
        )
    )
    story.append(_h(f"{w('files')}: {sources}", styles["grey"]))
    story.append(KeepTogether(_signatures(doc, styles)))
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


class _Signatures(Flowable):
    """Team leader, three members, date and place, each with lines to sign on."""

    def __init__(self, doc: Document) -> None:
        super().__init__()
        w = doc.words
        self.head = (w("name_function"), w("signature"))
        self.rows = [w("team_leader")] + [f"{w('member')} {i}" for i in (1, 2, 3)]
        self.date, self.place = w("date"), w("place")
        self.height = 14 + 24 * (len(self.rows) + 1)

    def wrap(self, available_width, available_height):
        return WIDTH, self.height

    def draw(self) -> None:
        c = self.canv
        left, middle = 30 * mm, 30 * mm + (WIDTH - 30 * mm) / 2
        y = self.height - 10
        c.setFillColor(GREY)
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.setFont(BOLD, 8)
        c.drawString(left, y, self.head[0])
        c.drawString(middle, y, self.head[1])
        c.setFont(FONT, 8.5)
        for label in [*self.rows, self.date]:
            y -= 24
            c.drawString(0, y, label)
            c.line(left, y - 1, middle - 8 * mm, y - 1)
            if label == self.date:
                c.drawString(middle, y, self.place)
                c.line(middle + 12 * mm, y - 1, WIDTH, y - 1)
            else:
                c.line(middle, y - 1, WIDTH, y - 1)


def _signatures(doc: Document, styles) -> list:
    return [_h(doc.words("signatures"), styles["h2"]), _Signatures(doc)]
