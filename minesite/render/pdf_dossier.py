"""The map and photo blocks of the PDF report (render/pdf.py lays them out on its pages)."""

from __future__ import annotations

import io
from html import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, Table, TableStyle

from minesite.render.dossier import SiteMaps
from minesite.render.i18n import text
from minesite.render.mapdraw import map_flowable

PER_ROW = 3
PHOTO_HEIGHT = 36 * mm


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
