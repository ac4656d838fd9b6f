"""The PDF report's front page: scope, sites by colour per province and territoire with a
chart, the batch map, the red sites and the criteria some files could not assess."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.units import mm
from reportlab.platypus import (
    Spacer,
    Table,
    TableStyle,
)

from minesite.render import i18n
from minesite.render.document import ORDER, Document, SiteSection
from minesite.render.dossier import SiteMaps
from minesite.render.pdf_base import (
    CHART_AREAS,
    COLOURS,
    FONTS,
    TEXT,
    WIDTH,
    badge,
    fit,
    heading,
    para,
    table,
)
from minesite.render.pdf_dossier import (
    batch_map_block,
)
from minesite.render.pdf_rows import Column, Rows


def front_page(doc: Document, styles, maps: SiteMaps) -> list:
    w = doc.words
    story: list = [
        para(doc.title, styles["h1"]),
        Spacer(1, 2 * mm),
        para(
            f"{w('as_of')} {doc.as_of} · {w('profile')} {doc.profile} · "
            f"{w('sites_total')} {sum(doc.totals.values())}",
            styles["base"],
        ),
        para(
            f"{doc.selection} · " + i18n.text("dossier.generated", doc.lang, date=doc.generated),
            styles["grey"],
        ),
        Spacer(1, 4 * mm),
    ]
    badges = [
        badge(s, f"{doc.colours[s]} {doc.totals[s]}", styles, width=WIDTH / 4 - 3 * mm)
        for s in ORDER
    ]
    row = Table([badges], colWidths=[WIDTH / 4] * 4, hAlign="LEFT")
    row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [row, heading(w("scope"), styles["h2"])]
    files = [[w("files"), w("dialect"), w("rows"), "SHA-256"]]
    for f in doc.files:
        name = f["file"] + (f' [{w("sheet")} "{f["sheet"]}"]' if f["sheet"] else "")
        files.append(
            [
                para(name, styles["small"]),
                para(f["dialect"], styles["small"]),
                str(f["rows"]),
                para(f["sha256"], styles["mono"]),
            ]
        )
    story.append(table(files, [36 * mm, 40 * mm, 12 * mm, WIDTH - 88 * mm]))
    story.append(Spacer(1, 2 * mm))
    lists = [[w("checklists"), w("version"), ""]]
    lists += [[c["id"], c["version"], para(c["title"], styles["small"])] for c in doc.checklists]
    story.append(table(lists, [45 * mm, 25 * mm, WIDTH - 70 * mm]))
    counts = [f"{v} × {k}" for k, v in doc.no_colour.items()]
    no_colour = i18n.text("ui.list-sep", doc.lang).join(counts)
    sep = i18n.text("position.sep", doc.lang)  # "Profil : icglr" in French
    story.append(Spacer(1, 2 * mm))
    story.append(
        para(
            f"{w('profile')}{sep}{doc.profile} · {w('rows_read')}{sep}{doc.rows_read} · "
            f"{w('visits_coloured')}{sep}{doc.visits_coloured} · {w('no_colour')}{sep}"
            f"{sum(doc.no_colour.values())}" + (f" ({no_colour})" if no_colour else ""),
            styles["small"],
        )
    )
    story.append(heading(w("by_area"), styles["h2"]))
    head = [w("province"), w("territoire")] + [doc.colours[s] for s in ORDER] + [w("total")]
    rows = [head]
    rows.extend(
        [
            fit(area.province, 45 * mm, styles["small"]),
            fit(area.territoire, 55 * mm, styles["small"]),
        ]
        + [str(area.counts[s] or "") for s in ORDER]
        + [str(area.total)]
        for area in doc.areas
    )
    rows.append(
        ["", w("total")] + [str(doc.totals[s]) for s in ORDER] + [str(sum(doc.totals.values()))]
    )
    number = [("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), FONTS.bold, 8)]
    number += [("TEXTCOLOR", (2 + i, 0), (2 + i, 0), TEXT[s]) for i, s in enumerate(ORDER)]
    story.append(table(rows, [45 * mm, 55 * mm] + [14 * mm] * 4 + [WIDTH - 156 * mm], number))
    if doc.areas:
        story.append(Spacer(1, 3 * mm))
        story.append(_chart(doc))
        if len(doc.areas) > CHART_AREAS:
            story.append(para(i18n.text("ui.chart_top", doc.lang, n=CHART_AREAS), styles["grey"]))
    story += batch_map_block(maps, styles, heading)
    story.append(heading(f"{w('red_sites')} ({len(doc.red_sites)})", styles["h2"]))
    if not doc.red_sites:
        story.append(heading(w("no_red_sites"), styles["base"]))
    else:
        header = [w("site_id"), w("name"), f"{w('province')} / {w('territoire')}", w("reason")]
        columns = [
            Column(24 * mm, FONTS.regular),
            Column(42 * mm, FONTS.regular),
            Column(42 * mm, FONTS.regular),
            Column(WIDTH - 108 * mm, FONTS.regular),
        ]
        reds = [
            [s.site_id, s.name, f"{s.province} / {s.territoire}", _why(s)] for s in doc.red_sites
        ]
        story.append(Rows(header, reds, columns, bold=FONTS.bold))
    if doc.not_assessed:
        story.append(heading(w("not_assessed_criteria"), styles["h2"]))
        rows = [[w("criterion"), "", w("severity"), w("sites_total")]]
        rows.extend(
            [
                c.criterion,
                fit(c.title, WIDTH - 60 * mm, styles["small"]),
                doc.colours.get(c.severity, c.severity),
                str(c.sites),
            ]
            for c in doc.not_assessed
        )
        widths = [18 * mm, WIDTH - 60 * mm, 22 * mm, 20 * mm]
        story.append(table(rows, widths, [("ALIGN", (3, 0), (3, -1), "RIGHT")]))
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
    chart.categoryAxis.labels.fontName = FONTS.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = FONTS.regular
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
        drawing.add(String(x + 10, 2.5, doc.colours[status], fontName=FONTS.regular, fontSize=7))
        x += 22 * mm
    return drawing


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if top / step <= 8:
            return step
    return 10000
