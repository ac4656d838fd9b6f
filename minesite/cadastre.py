"""Mining-cadastre titles (GeoJSON polygons) -> the `title_zone` answer LEG-01..03 read.

Each visit is located by its coordinates (`longitude`/`latitude`, or a WKT `geom` POINT) with one
vectorised STRtree query: no Python loop over visits. Which feature property holds the title
class, which values mean ZEA/PE/PR/ZIN and which statuses are active is configuration
(`checklists/cadastre.toml`), so another country's cadastre fits without code.

    titles = load_titles("titres.geojson")
    inspection = apply_cadastre(read_inspections(["visits.csv"]), titles)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely

from minesite.cadastre_config import ZONES, CadastreConfig, load_config
from minesite.cadastre_titles import Titles, load_titles
from minesite.inputs import dialects

__all__ = ["ZONES", "CadastreConfig", "Titles", "apply_cadastre", "load_config", "load_titles"]

ZONE_WORDS = {"zin": "ZIN", "pe": "PE", "pr": "PR", "zea": "ZEA", "none": "none"}
"""Raw answer written in the derived `title_zone` column (each is in the title-zone vocabulary)."""
# Decision order: a forbidden zone wins, then an active PE, an active PR, a ZEA.
_PRIORITY = {"zin": 0, "pe": 1, "pr": 2, "zea": 3}
_NOT_DECIDING = 9


@dataclass(frozen=True)
class Located:
    """Result of locating points: the deciding zone per point and every (point, title) hit."""

    zone: np.ndarray
    """Canonical zone per point: zin, pe, pr, zea or none."""
    deciding: np.ndarray
    """Index of the title that decided the zone, -1 for none."""
    hits: np.ndarray
    """2 x k array: point index, title index (every title containing the point)."""


def locate(titles: Titles, x: np.ndarray, y: np.ndarray) -> Located:
    """Zone of each point (longitude x, latitude y; NaN = no point), in one STRtree query."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    valid = ~(np.isnan(x) | np.isnan(y))
    points = np.full(n, None, dtype=object)
    points[valid] = shapely.points(x[valid], y[valid])
    hits = titles.tree.query(points, predicate=titles.config.predicate)
    point, title = hits
    zone_of_hit = titles.zone[title]
    title_rank = np.array([_PRIORITY.get(z, _NOT_DECIDING) for z in titles.zone], dtype=np.int64)
    title_rank[~titles.active] = _NOT_DECIDING
    hit_rank = title_rank[title]
    order = np.lexsort((title, hit_rank, point))
    first_point, first = np.unique(point[order], return_index=True)
    best = order[first]
    decided = hit_rank[best] != _NOT_DECIDING
    zone = np.full(n, "none", dtype=object)
    deciding = np.full(n, -1, dtype=np.int64)
    zone[first_point[decided]] = zone_of_hit[best[decided]]
    deciding[first_point[decided]] = title[best[decided]]
    return Located(zone=zone, deciding=deciding, hits=hits)


def coordinates(visits: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Longitude, latitude (NaN when blank or unreadable), blank flag, unreadable flag."""

    def number(name: str) -> tuple[pd.Series, pd.Series]:
        if name not in visits.columns:
            text = pd.Series("", index=visits.index, dtype=object)
        else:
            text = visits[name].fillna("").astype(str).str.strip()
        value = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        return text, value

    lon_text, lon = number("longitude")
    lat_text, lat = number("latitude")
    x, y = lon.to_numpy(dtype=float, copy=True), lat.to_numpy(dtype=float, copy=True)
    blank = ((lon_text == "") & (lat_text == "")).to_numpy()
    if "geom" in visits.columns:
        wkt = visits["geom"].fillna("").astype(str).str.strip()
        use = blank & (wkt != "").to_numpy()
        if use.any():
            x[use], y[use] = point_wkt(wkt[use])
            blank = blank & ~use
    unreadable = ~blank & (np.isnan(x) | np.isnan(y))
    return x, y, blank, unreadable


_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_POINT = (
    rf"(?:SRID=\d+;)?\s*POINT\s*(?:ZM|Z|M)?\s*\(\s*({_NUMBER})\s+({_NUMBER})"
    rf"(?:\s+{_NUMBER}){{0,2}}\s*\)"
)
_WKT_CHARS = 200
"""A POINT is short; anything longer is not a point and never reaches a parser."""


def point_wkt(wkt: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of WKT `POINT (x y)` cells (NaN for anything else).

    Only POINT is accepted, checked by length and a regular expression before any parser: GEOS's
    recursive reader overflowed the stack (SIGSEGV) on 30,000 nested GEOMETRYCOLLECTION( in one
    cell, and `POINT EMPTY` made it raise. Both are unreadable coordinates."""
    short = wkt.where(wkt.str.len() <= _WKT_CHARS, "")
    parts = short.str.fullmatch(_POINT, case=False)
    found = short.str.extract(f"^{_POINT}$", flags=re.IGNORECASE)
    x = pd.to_numeric(found[0].where(parts), errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(found[1].where(parts), errors="coerce").to_numpy(dtype=float)
    return x, y


def apply_cadastre(inspection, titles: Titles):  # noqa: ANN001, ANN201 - Inspection in, out
    """A copy of `inspection` whose visits carry `title_zone` and `cadastre_titles` from the
    cadastre; a non-blank `title_zone` already in the input wins. The cadastre file is added to
    `sources` (rows = titles) so reports name it with its SHA-256."""
    from minesite.inputs import SourceFile

    visits = inspection.visits.copy()
    n = len(visits)
    x, y, blank, unreadable = coordinates(visits)
    lon_min, lat_min, lon_max, lat_max = titles.config.bbox
    inside = (x >= lon_min) & (x <= lon_max) & (y >= lat_min) & (y <= lat_max)
    swapped = (y >= lon_min) & (y <= lon_max) & (x >= lat_min) & (x <= lat_max)
    known = ~blank & ~unreadable
    outside = known & ~inside
    located = locate(titles, np.where(inside, x, np.nan), np.where(inside, y, np.nan))

    file = titles.path.name
    point, title = located.hits
    listing = pd.Series(titles.labels[title]).groupby(point).agg("; ".join)
    cadastre_titles = np.full(n, "", dtype=object)
    cadastre_titles[listing.index.to_numpy()] = listing.to_numpy(dtype=object)

    words = np.vectorize(ZONE_WORDS.get, otypes=[object])(located.zone) if n else located.zone
    derived = np.where(inside, words, "")
    deciding = located.deciding
    label = np.where(deciding >= 0, titles.labels[np.maximum(deciding, 0)], "")
    origin = np.where(
        deciding >= 0,
        "title_zone (cadastre " + file + ", feature " + label + ")",
        # Words of no language: the cell is read the same in French and English.
        "title_zone (cadastre " + file + ", —)",
    )
    lon_text = _raw(visits, "longitude")
    lat_text = _raw(visits, "latitude")
    from_geom = known & (lon_text == "") & (lat_text == "")
    coords = np.where(
        from_geom,
        "geom " + _raw(visits, "geom"),
        "latitude " + lat_text + ", longitude " + lon_text,
    )
    bad_text = np.where(
        unreadable,
        coords + ": unreadable coordinates",
        np.where(
            swapped,
            coords + f": outside {titles.config.country or 'the country'} (latitude and "
            "longitude swapped?)",
            coords + f": outside {titles.config.country or 'the country'}",
        ),
    )
    bad = unreadable | outside
    derived = np.where(bad, bad_text, derived)
    coordinate_header = np.where(from_geom, "geom", "latitude/longitude")
    origin = np.where(bad, coordinate_header, np.where(blank, "", origin))
    cadastre_titles = np.where(bad | blank, "", cadastre_titles)

    if "title_zone" in visits.columns:
        given = visits["title_zone"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
        keep = given != ""
    else:
        given = np.full(n, "", dtype=object)
        keep = np.zeros(n, dtype=bool)
    existing_origin = (
        visits["_cell_title_zone"].fillna("").to_numpy(dtype=object)
        if "_cell_title_zone" in visits.columns
        else np.full(n, "", dtype=object)
    )
    visits["title_zone"] = np.where(keep, given, derived)
    visits["_cell_title_zone"] = np.where(keep, existing_origin, origin)
    visits["cadastre_titles"] = cadastre_titles

    sources = []
    for source in inspection.sources:
        headers = dict(source.headers)
        headers.setdefault("title_zone", f"title_zone (cadastre {file})")
        sources.append(replace(source, headers=headers))
    parts = (
        ("dialect.cadastre", {"titles": len(titles)}),
        ("dialect.detail.from-input", {"visits": int(keep.sum())}),
        ("dialect.detail.from-cadastre", {"visits": int((~keep).sum())}),
    )
    if titles.repaired:
        parts += (("dialect.detail.repaired", {"polygons": len(titles.repaired)}),)
    sources.append(
        SourceFile(
            path=titles.path,
            sheet=None,
            dialect=dialects.words(parts, "en"),
            dialect_parts=parts,
            sha256=titles.sha256,
            rows=len(titles),
            header_row=0,
            headers={"title_zone": f"title_zone (cadastre {file})"},
        )
    )
    return replace(inspection, visits=visits, sources=sources)


def _raw(visits: pd.DataFrame, name: str) -> np.ndarray:
    if name not in visits.columns:
        return np.full(len(visits), "", dtype=object)
    return visits[name].fillna("").astype(str).str.strip().to_numpy(dtype=object)
