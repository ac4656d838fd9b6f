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
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
)

from minesite.render import i18n
from minesite.render.document import Document, FindingLine, SiteSection
from minesite.render.dossier import SiteMaps, map_words
from minesite.render.pdf_base import (
    COLOURS,
    FONTS,
    GREY,
    INK,
    MARGIN,
    RULE,
    TEXT,
    WIDTH,
    heading,
    make_styles,
    para,
    register,
)
from minesite.render.pdf_dossier import (
    digests_block,
    photos_block,
    signature_block,
    site_map_block,
)
from minesite.render.pdf_front import front_page
from minesite.render.pdf_rows import Column, Rows, wrap_text
from minesite.render.pdf_text import Drawable

_RENDERING = threading.Lock()
"""One render at a time: FONTS are the current document's."""


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
            self.setFont(FONTS.regular, 7.5)
            self.setFillColor(GREY)
            text = f"minesite — {title} — {page_word} {self._pageNumber}/{total}"
            self.drawString(MARGIN, A4[1] - 10 * mm, text)
            room = WIDTH - stringWidth(text, FONTS.regular, 7.5) - 6 * mm
            label = self.site_label  # "name (id) · reference": the reference goes first
            if stringWidth(label, FONTS.regular, 7.5) > room:
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
    """`text` shortened with … to fit `room` points: the longest prefix that fits, found by
    halving (a 10,000-character site name, cut a character at a time, took 8 s a report)."""
    if stringWidth(text, FONTS.regular, size) <= room:
        return text
    fits, over = 0, len(text)  # a prefix of `over` characters and … never fits
    while over - fits > 1:
        middle = (fits + over) // 2
        if stringWidth(text[:middle] + "…", FONTS.regular, size) <= room:
            fits = middle
        else:
            over = middle
    return text[:fits] + "…" if fits else ""


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
        drawable = Drawable(register(_all_text(document) + map_words(document, titles)))
        # A site's own file notes what its pages lack, not every name of the batch's map.
        points = drawable if front else Drawable(drawable.covered)
        document = _drawable(document, drawable, points)
        styles = make_styles()
        maps = SiteMaps(
            document,
            titles,
            font=FONTS.regular,
            bold=FONTS.bold,
            site_size=(WIDTH, 38 * mm),
            batch_size=(WIDTH, 62 * mm),
        )
        story = front_page(document, styles, maps) if front else []
        if drawable.missing:
            story.insert(1 if front else 0, para(drawable.note(document.lang), styles["small"]))
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
        return wrap_text(text, FONTS.regular, self.SIZE, room, most=15)

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
                c.setFont(FONTS.regular, 7.5)
                c.drawString(x + 3, top, key)
                c.setFillColor(colors.black)
                c.setFont(FONTS.regular, self.SIZE)
                for i, line in enumerate(lines):
                    c.drawString(x + self.KEY + 3, top - i * self.LEADING, line)
            y -= height
            c.line(0, y, WIDTH, y)


def _findings(doc: Document, lines: list[FindingLine], styles, title: str = "") -> Rows:
    w = doc.words
    header = [w("criterion"), "", w("answer").capitalize(), w("evidence")]
    columns = [
        Column(15 * mm, FONTS.bold),
        Column(70 * mm, FONTS.regular),
        Column(40 * mm, FONTS.regular),
        Column(WIDTH - 125 * mm, FONTS.regular, colour=GREY),
    ]
    rows = [[f.criterion, f.title, f.answer, f.cell] for f in lines]
    return Rows(header, rows, columns, bold=FONTS.bold, title=title)


def _not_assessed(doc: Document, lines: list[FindingLine], styles):
    """Criteria without a column, by id (their titles are on the front page, once)."""
    if not lines:
        return heading(doc.words("none"), styles["base"])
    return heading(", ".join(f.criterion for f in lines), styles["base"])


def _site(doc: Document, s: SiteSection, styles, maps: SiteMaps) -> list:
    w = doc.words
    name = s.name or s.site_id
    story: list = [_SiteHead(name, s.status, s.colour)]
    if stringWidth(name, FONTS.bold, 15) > WIDTH - 44 * mm:  # too long for one line: wrap it below
        story = [_SiteHead("", s.status, s.colour), para(name, styles["site"])]
    story += [Spacer(1, 3 * mm), _identity(doc, s, styles)]
    story += site_map_block(maps, s, styles, heading)
    if s.evidence_of:
        story += [Spacer(1, 2 * mm), para(s.evidence_of, styles["grey"])]
    sections = [
        (w("failed"), s.failed, w("no_failed")),
        (w("dossier.passed.title"), s.passed, w("dossier.passed.none")),
        (w("unknown_criteria"), s.unknown, w("none")),
    ]
    for title, lines, none in sections:
        if lines:  # the title is drawn with the first rows (see pdf_rows.Rows)
            story.append(_findings(doc, lines, styles, title=title))
        else:
            story += [heading(title, styles["h2"]), heading(none, styles["base"])]
    story.append(heading(w("not_assessed_criteria"), styles["h2"]))
    story.append(_not_assessed(doc, s.not_assessed, styles))
    header = [w("date"), w("visit"), w("file_row"), w("colour"), w("dossier.history.detail")]
    columns = [
        Column(20 * mm, FONTS.regular),
        Column(25 * mm, FONTS.regular),
        Column(40 * mm, FONTS.regular),
        Column(21 * mm, FONTS.regular),
        Column(WIDTH - 106 * mm, FONTS.regular),
    ]
    rows = [[h.date, h.visit_id, f"{h.file}:{h.row}", h.colour, h.detail] for h in s.history]
    colours = {(i, 3): TEXT[h.status] for i, h in enumerate(s.history) if h.status}
    fonts = dict.fromkeys(colours, FONTS.bold)
    story.append(
        Rows(
            header, rows, columns, bold=FONTS.bold, colours=colours, fonts=fonts, title=w("history")
        )
    )
    story.append(heading(w("conflicts"), styles["h2"]))
    if s.conflicts:
        story.extend(para(f"• {c}", styles["small"]) for c in s.conflicts)
    else:
        story.append(heading(w("no_conflict"), styles["base"]))
    story += photos_block(doc, s, styles, heading, WIDTH)
    story += digests_block(doc, s, styles, heading, fonts=(FONTS.regular, FONTS.bold))
    story.append(signature_block(doc, s, styles, fonts=(FONTS.regular, FONTS.bold), width=WIDTH))
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
        c.setFont(FONTS.bold, 15)
        c.setFillColor(colors.black)
        c.drawString(0, 3.5 * mm, self.name)
        x = WIDTH - 40 * mm
        c.setFillColor(COLOURS[self.status])
        c.rect(x, 0, 40 * mm, self.height, stroke=0, fill=1)
        c.setFillColor(INK[self.status])
        c.setFont(FONTS.bold, 12)
        c.drawCentredString(x + 20 * mm, 3.8 * mm, self.word.upper())
