"""Offline maps of one site (with its neighbours and cadastre titles) and of a whole batch.

No tiles, no network: plain coordinates (`render/mapgeo.py`: points, titles, the projection) become
a list of drawing primitives (`render/mapplan.py`), which `render/mapdraw.py` turns into a
reportlab `Drawing` or flowable and an SVG string, so the PDF and the HTML draw the same map.

    index = SiteIndex(points)                       # once per batch
    plan = site_map(points[i], index, titles, size=(510, 170), lang="fr")
    plan is None                                    # no usable coordinates: say "no GPS"
    to_drawing(plan), to_svg(plan)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely

from minesite.render.i18n import text
from minesite.render.mapgeo import (
    METRES_PER_DEGREE,
    MapPoint,
    MapTitle,
    SiteIndex,
    TitleIndex,
    View,
    usable,
)
from minesite.render.mapplan import (
    STATUS_FILL,
    UNKNOWN_FILL,
    Plan,
    distance_words,
    frame,
    legend_panel,
    place_label,
    scale_bar,
)

STACK = ("green", "blue", "yellow", "red")
"""Drawing order: the sites needing action are drawn last, on top."""
TITLE_FILL = {"zea": "#00897b", "pe": "#ef6c00", "pr": "#6a1b9a", "zin": "#ad1457"}
TITLE_OTHER = "#616161"
SHORT_HALF_M, MAX_SHORT_HALF_M = 2_000.0, 8_000.0
"""Half the shorter side of a site map's view: 4 km across, so every site page of a batch has
the same scale, unless the titles at the site need more, up to 16 km (a larger title is cut)."""
LABELLED_NEIGHBOURS = 8
BATCH_MIN_HALF_M = 1_000.0
"""The batch map spans at least 2 km across (one site, or every site at one point)."""
NEIGHBOUR_R, DOT_R = 2.8, 2.4
"""Radius of a neighbour's marker on a site map and of a site's dot on the batch map."""


def _fill(status: str) -> str:
    return STATUS_FILL.get(status, UNKNOWN_FILL)


def site_map(
    site: MapPoint,
    neighbours: SiteIndex | Sequence[MapPoint] = (),
    titles: TitleIndex | Sequence[MapTitle] = (),
    *,
    size: tuple[float, float] = (510.0, 170.0),
    lang: str = "en",
    font: str = "Helvetica",
    bold: str = "Helvetica-Bold",
    widen: float = 1.0,
) -> Plan | None:
    """The map of one site, or None when it has no usable coordinates (`font`, `bold`: reportlab
    font names the PDF draws with; `widen`: see Plan)."""
    if not usable(site.lon, site.lat):
        return None
    titles = titles if isinstance(titles, TitleIndex) else TitleIndex(titles)
    point = shapely.Point(site.lon, site.lat)
    plan = Plan(size=size, font=font, bold=bold, widen=widen)
    box = frame(plan)
    wide = box[2] / box[3]  # half width = wide x half height
    kx = METRES_PER_DEGREE * max(math.cos(math.radians(site.lat)), 1e-6)
    short = SHORT_HALF_M
    for title in titles.within((site.lon, site.lat, site.lon, site.lat)):
        if title.geometry.intersects(point):  # the titles at the site: show them whole
            x0, y0, x1, y1 = title.geometry.bounds
            across = max(abs(x0 - site.lon), abs(x1 - site.lon)) * kx
            up = max(abs(y0 - site.lat), abs(y1 - site.lat)) * METRES_PER_DEGREE
            short = max(short, 1.1 * across / wide, 1.1 * up)
    view = View(site.lon, site.lat, min(short, MAX_SHORT_HALF_M) * wide, box)
    # The titles at the site first: the legend lists them before the others, and so they keep
    # their labels when space runs out.
    in_view = sorted(
        titles.within(view.lonlat_box()), key=lambda t: not t.geometry.intersects(point)
    )
    shown, title_labels = _titles(plan, view, in_view)
    index = neighbours if isinstance(neighbours, SiteIndex) else SiteIndex(neighbours)
    around = index.near(site.lon, site.lat, 1.5 * max(view.half_m, view.half_h_m))
    nearby = [
        p for _, p in around if not site.same_site(p) and _draw_point(plan, view, p, NEIGHBOUR_R)
    ]
    x, y = (float(v) for v in view.xy(site.lon, site.lat))
    plan.circle(x, y, 7.5, fill=None, stroke="#000000", width=1.6)
    plan.circle(x, y, 4.2, fill=_fill(site.status), stroke="#000000", width=0.8)
    plan.boxes.append((x - 8, y - 8, 16, 16))  # no label over the site's marker
    # Labels by priority: the site, then the titles, then the nearest neighbours.
    place_label(plan, x, y, site.label, 8.0, "#000000", gap=9, bold=True, first=True)
    for spots, words, colour in title_labels:
        for lon, lat in spots:
            tx, ty = view.xy(lon, lat)
            if place_label(
                plan, float(tx), float(ty), words, 6.5, colour, gap=0, bold=True, centre=True
            ):
                break
    for p in nearby[:LABELLED_NEIGHBOURS]:
        px, py = view.xy(p.lon, p.lat)
        place_label(plan, float(px), float(py), p.label, 6.0, "#333333", gap=4)
    scale_bar(plan, view.box, view.scale, lang)
    seen = {p.status for p in nearby}
    here = text("dossier.map.this-site", lang)
    statuses = [(s, text(f"status.{s}", lang)) for s in STACK[::-1] if s in seen]
    caption = text(
        "dossier.map.view",
        lang,
        width=distance_words(2 * view.half_m, lang),
        height=distance_words(2 * view.half_h_m, lang),
    )
    legend_panel(
        plan,
        lang,
        site=(here, _fill(site.status)),
        statuses=statuses,
        titles=shown,
        notes=[f"{site.lat:.5f}, {site.lon:.5f} (WGS84)", caption],
    )
    return plan


def batch_map(
    points: Sequence[MapPoint],
    *,
    size: tuple[float, float] = (510.0, 240.0),
    lang: str = "en",
    font: str = "Helvetica",
    bold: str = "Helvetica-Bold",
    widen: float = 1.0,
) -> Plan | None:
    """All located sites of a batch coloured by status, or None when none is located."""
    located = [p for p in points if usable(p.lon, p.lat)]
    if not located:
        return None
    lon = np.array([p.lon for p in located])
    lat = np.array([p.lat for p in located])
    lon0, lat0 = (lon.min() + lon.max()) / 2, (lat.min() + lat.max()) / 2
    plan = Plan(size=size, font=font, bold=bold, widen=widen)
    box = frame(plan)
    kx = METRES_PER_DEGREE * max(math.cos(math.radians(lat0)), 1e-6)
    span_x = (lon.max() - lon.min()) * kx / 2
    span_y = (lat.max() - lat.min()) * METRES_PER_DEGREE / 2 * box[2] / box[3]
    half = max(span_x, span_y, BATCH_MIN_HALF_M) * 1.1
    view = View(float(lon0), float(lat0), half, box)
    counts = dict.fromkeys(STACK, 0)
    x, y = view.xy(lon, lat)
    statuses = np.array([p.status for p in located], dtype=object)
    for status in (*STACK, None):
        mask = ~np.isin(statuses, STACK) if status is None else statuses == status
        for xi, yi in zip(x[mask].tolist(), y[mask].tolist(), strict=True):
            plan.circle(xi, yi, DOT_R, fill=_fill(status or ""), stroke="#ffffff", width=0.4)
        if status is not None:
            counts[status] = int(mask.sum())
    scale_bar(plan, view.box, view.scale, lang)
    legend = [(s, f"{text(f'status.{s}', lang)} {counts[s]}") for s in STACK[::-1] if counts[s]]
    missing = len(points) - len(located)
    notes = [text("dossier.map.without-gps", lang, n=missing)] if missing else []
    legend_panel(plan, lang, site=None, statuses=legend, titles=[], notes=notes)
    return plan


def _draw_point(plan: Plan, view: View, p: MapPoint, radius: float) -> bool:
    x, y = view.xy(p.lon, p.lat)
    if not view.inside(float(x), float(y), radius):
        return False
    plan.circle(float(x), float(y), radius, fill=_fill(p.status), stroke="#ffffff", width=0.5)
    return True


def _titles(plan: Plan, view: View, titles: list[MapTitle]) -> tuple[list, list]:
    """Clip, simplify to a quarter point and draw each title: the (class, name, active, colour)
    drawn for the legend, and a ((lon, lat), words, colour) label inside each."""
    if not titles:
        return [], []
    box = view.lonlat_box()
    tolerance = 0.25 / (view.scale * METRES_PER_DEGREE)
    shown = []
    labels = []
    for title in titles:
        clipped = shapely.clip_by_rect(title.geometry, *box)
        clipped = shapely.simplify(clipped, tolerance, preserve_topology=True)
        rings = []
        for part in shapely.get_parts(clipped):
            if shapely.get_type_id(part) != 3 or part.is_empty:  # polygons only
                continue
            for ring in (part.exterior, *part.interiors):
                xy = shapely.get_coordinates(ring)
                x, y = view.xy(xy[:, 0], xy[:, 1])
                rings.append(list(zip(x.tolist(), y.tolist(), strict=True)))
        if not rings:
            continue
        colour = TITLE_FILL.get(title.cls.lower(), TITLE_OTHER)
        dash = None if title.active else (3, 2)
        plan.path(rings, fill=colour, opacity=0.16, stroke=colour, width=0.9, dash=dash)
        shown.append((title.cls, title.name, title.active, colour))
        # Inside the top edge, else the bottom edge (clear of the site marker at the centre),
        # else anywhere inside.
        x0, y0, x1, y1 = clipped.bounds
        inset = 9 / (view.scale * METRES_PER_DEGREE)
        edges = [shapely.Point((x0 + x1) / 2, y) for y in (y1 - inset, y0 + inset)]
        inner = clipped.representative_point()
        spots = [(p.x, p.y) for p in edges if clipped.contains(p)] + [(inner.x, inner.y)]
        labels.append((spots, f"{title.cls} {title.name}", colour))
    return shown, labels
