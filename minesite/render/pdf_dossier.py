"""The map and photo blocks of the PDF report (render/pdf.py lays them out on its pages)."""

from __future__ import annotations

import io
from html import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Table, TableStyle

from minesite.render.dossier import SiteMaps
from minesite.render.i18n import text
from minesite.render.mapdraw import map_flowable
from minesite.render.pdf_rows import Column, Rows

PER_ROW = 3
PHOTO_HEIGHT = 36 * mm
GREY = colors.HexColor("#555555")


def _para(words: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(words, quote=False), style)


def site_map_block(maps: SiteMaps, section, styles, heading) -> list:  # noqa: ANN001
    """Heading and map of one site, or a line saying it has no GPS."""
    lang = maps.document.lang
    plan = maps.site(section)
    title = heading(text("dossier.map.title", lang), styles["h2"])
    if plan is None:
        return [title, _para(text("dossier.map.no-gps", lang), styles["base"])]
    return [KeepTogether([title, map_flowable(plan)])]


def batch_map_block(maps: SiteMaps, styles, heading) -> list:  # noqa: ANN001
    """The front page's map of every site of the batch (nothing when none is located)."""
    plan = maps.batch()
    if plan is None:
        return []
    lang = maps.document.lang
    title = heading(text("dossier.map.batch-title", lang), styles["h2"])
    note = _para(text("dossier.map.note", lang), styles["grey"])
    return [KeepTogether([title, map_flowable(plan), note])]


def photos_block(document, section, styles, heading, width: float) -> list:  # noqa: ANN001
    """The site's photos, three across, each above its question, file name and SHA-256; a
    missing photo is a box saying so, with why. Nothing when the site's answers name no file."""
    if not section.attachments:
        return []
    lang = document.lang
    column = width / PER_ROW
    cells = [_cell(a, lang, styles, column - 6) for a in section.attachments]
    rows = [cells[i : i + PER_ROW] for i in range(0, len(cells), PER_ROW)]
    rows[-1] += [""] * (PER_ROW - len(rows[-1]))
    table = Table(rows, colWidths=[column] * PER_ROW, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [heading(text("dossier.photos.title", lang), styles["h2"]), table]


def _cell(a, lang: str, styles, width: float) -> list:  # noqa: ANN001
    """One attachment: its picture (or a box saying it is missing) above its caption."""
    lines = [
        f"<b>{escape(a.column)}</b>",
        f"{escape(text('dossier.photos.visit', lang))} {escape(a.visit_label)}",
        f"{escape(text('dossier.photos.file', lang))} {escape(a.name)}",
    ]
    if a.documents:
        lines.append(f"<b>{escape(text('dossier.photos.documents', lang, ids=a.documents))}</b>")
    if a.sha256:
        half = len(a.sha256) // 2
        lines.append(f"{escape(text('dossier.photos.sha256', lang))}")
        lines.append(
            f'<font name="Courier" size="6">{a.sha256[:half]}<br/>{a.sha256[half:]}</font>'
        )
    if a.picture is not None and (a.picture.width, a.picture.height) != a.picture.original:
        w, h = a.picture.original
        lines.append(escape(text("dossier.photos.downscaled", lang, width=w, height=h)))
    elif a.picture is None and not a.is_image and a.sha256:
        lines.append(escape(text("dossier.photos.not-image", lang)))
    if a.warning is not None:
        lines.append(f'<font color="#c62828">{escape(a.warning.render(lang))}</font>')
    caption = Paragraph("<br/>".join(lines), styles["small"])
    if a.picture is not None:
        p = a.picture
        scale = min(width / p.width, PHOTO_HEIGHT / p.height)
        return [Image(io.BytesIO(p.jpeg), p.width * scale, p.height * scale), caption]
    if not a.is_image:
        return [caption]
    centred = ParagraphStyle("centred", parent=styles["small"], alignment=1)
    box = Table(
        [[Paragraph(f"<b>{escape(text('dossier.photos.missing', lang))}</b>", centred)]],
        colWidths=[width],
        rowHeights=[PHOTO_HEIGHT / 2],
    )
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eeeeee")),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#c62828")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    return [box, caption]


def digests_block(document, section, styles, heading, *, fonts) -> list:  # noqa: ANN001
    """The rules applied, then the SHA-256 of each input file holding the site's rows and of
    each attachment its answers name (what the signed page rests on)."""
    lang, w = document.lang, document.words
    font, bold = fonts
    lists = ", ".join(f"{c['id']} {c['version']}" for c in document.checklists)
    rules = f"{w('checklists')}: {lists} · {w('profile')}: {document.profile} · "
    rules += f"{w('as_of')} {document.as_of}"
    rows = []
    for f in document.files:
        if f["file"] in section.files:
            name = f["file"] + (f' [{w("sheet")} "{f["sheet"]}"]' if f["sheet"] else "")
            rows.append([name, text("dossier.digests.input", lang), f["sha256"]])
    kind = text("dossier.digests.attachment", lang)
    rows += [[a.name, kind, a.sha256] for a in section.attachments if a.sha256]
    columns = [
        Column(60 * mm, font, colour=GREY),
        Column(24 * mm, font, colour=GREY),
        Column(96 * mm, "Courier", 6.3, colour=GREY),
    ]
    return [
        heading(text("dossier.digests.title", lang), styles["h2"]),
        _para(rules, styles["grey"]),
        Rows([w("files"), "", "SHA-256"], rows, columns, bold=bold),
    ]


def signature_block(document, section, styles, *, fonts, width) -> Flowable:  # noqa: ANN001
    """The signature block of one site, kept on one page, headed by the site's name and id and
    the document reference, so a page of signatures always says which site it certifies."""
    lang = document.lang
    name = section.name or section.site_id
    title = text("dossier.signatures.title", lang, site=name, id=section.site_id)
    head = ParagraphStyle("sig", parent=styles["h2"], spaceBefore=10)
    parts = [
        Paragraph(escape(title, quote=False), head),
        _para(
            text(
                "dossier.signatures.statement",
                lang,
                reference=section.reference,
                status=section.colour,
                as_of=document.as_of,
            ),
            styles["small"],
        ),
        _Signatures(document, fonts, width),
    ]
    return KeepTogether(parts)


class _Signatures(Flowable):
    """One row per signatory (team leader, members, validating official) with lines for the
    name, function, date, place and signature (drawn directly: one per site page)."""

    ROW = 23
    COLUMNS = (34, 36, 32, 20, 26)
    """Widths in mm of role, name, function, date, place; the signature takes the rest."""

    def __init__(self, document, fonts: tuple[str, str], width: float) -> None:  # noqa: ANN001
        super().__init__()
        lang = document.lang
        self.font, self.bold = fonts
        self.width = width
        self.head = [
            text(f"dossier.signatures.{k}", lang)
            for k in ("role", "name", "function", "date", "place", "signature")
        ]
        self.roles = [text("dossier.signatures.team-leader", lang)]
        self.roles += [text("dossier.signatures.member", lang, n=n) for n in (1, 2, 3)]
        self.roles.append(text("dossier.signatures.official", lang))
        self.height = 14 + self.ROW * len(self.roles)

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        xs = [0.0]
        for column in self.COLUMNS:
            xs.append(xs[-1] + column * mm)
        xs.append(self.width)
        y = self.height - 9
        c.setFillColor(GREY)
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.setFont(self.bold, 7.5)
        for x, label in zip(xs[1:], self.head[1:], strict=False):
            c.drawString(x + 2, y, label)
        c.setFont(self.font, 8)
        for role in self.roles:
            y -= self.ROW
            lines = simpleSplit(role, self.font, 8, self.COLUMNS[0] * mm - 4)[:2]
            for i, line in enumerate(lines):
                c.drawString(0, y + 9 * (len(lines) - 1 - i), line)
            for left, right in zip(xs[1:-1], xs[2:], strict=True):
                c.line(left + 2, y - 2, right - 4, y - 2)
