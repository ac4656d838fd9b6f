"""Mining-cadastre titles (GeoJSON polygons) -> the `title_zone` answer LEG-01..03 read.

Each visit is located by its coordinates (`longitude`/`latitude`, or a WKT `geom` POINT) with one
vectorised STRtree query: no Python loop over visits. Which feature property holds the title
class, which values mean ZEA/PE/PR/ZIN and which statuses are active is configuration
(`checklists/cadastre.toml`), so another country's cadastre fits without code.

    titles = load_titles("titres.geojson")
    inspection = apply_cadastre(read_inspections(["visits.csv"]), titles)
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from minesite.checklists.vocabulary import normalise
from minesite.errors import ChecklistError, InputError, did_you_mean
from minesite.limits import check_json_depth, check_text_size, read_toml

ZONES = ("zea", "pe", "pr", "zin")
"""Canonical title classes (answers of the `title-zone` vocabulary)."""
ACCEPTED_CRS = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "crs84",
    "ogc:crs84",
    "epsg:4326",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}
ZONE_WORDS = {"zin": "ZIN", "pe": "PE", "pr": "PR", "zea": "ZEA", "none": "none"}
"""Raw answer written in the derived `title_zone` column (each is in the title-zone vocabulary)."""
# Decision order: a forbidden zone wins, then an active PE, an active PR, a ZEA.
_PRIORITY = {"zin": 0, "pe": 1, "pr": 2, "zea": 3}
_NOT_DECIDING = 9
_TOP_KEYS = {"country", "properties", "classes", "active", "location"}
_PROPERTY_KEYS = {"class", "name", "type", "holder", "status"}
_ACTIVE_KEYS = {"classes", "statuses", "prefixes"}
_LOCATION_KEYS = {"bbox", "predicate"}


@dataclass(frozen=True)
class CadastreConfig:
    """How to read one country's cadastre file."""

    path: Path
    country: str
    properties: dict[str, str]
    classes: dict[str, str]
    """Normalised class-property value -> canonical zone (zea, pe, pr, zin)."""
    active_classes: frozenset[str]
    active_statuses: frozenset[str]
    active_prefixes: tuple[str, ...]
    bbox: tuple[float, float, float, float]
    predicate: str

    def is_active(self, status: str) -> bool:
        """Is a title with this status in force?"""
        text = normalise(status)
        return text in self.active_statuses or text.startswith(self.active_prefixes)


@dataclass
class Titles:
    """Title polygons of one cadastre file with their class, active flag and a label each."""

    path: Path
    sha256: str
    config: CadastreConfig
    geometries: np.ndarray
    zone: np.ndarray
    """Canonical zone per feature ('' when the class value is not configured)."""
    active: np.ndarray
    names: np.ndarray
    labels: np.ndarray
    """'name (type, holder, status)' per feature, for the explanation column."""
    tree: shapely.STRtree
    repaired: list[str] = field(default_factory=list)
    """'feature N "name"' of each invalid polygon repaired with shapely.make_valid."""

    def __len__(self) -> int:
        return len(self.geometries)


@dataclass(frozen=True)
class Located:
    """Result of locating points: the deciding zone per point and every (point, title) hit."""

    zone: np.ndarray
    """Canonical zone per point: zin, pe, pr, zea or none."""
    deciding: np.ndarray
    """Index of the title that decided the zone, -1 for none."""
    hits: np.ndarray
    """2 x k array: point index, title index (every title containing the point)."""


def load_config(path: Path | str | None = None) -> CadastreConfig:
    """Read and validate a cadastre configuration (default: bundled checklists/cadastre.toml)."""
    if path is None:
        from minesite._resources import bundled

        path = bundled("cadastre.toml")
    path = Path(path)
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, f"cannot read the cadastre configuration: {exc}") from None
    _keys(path, data, _TOP_KEYS, "")
    for table, allowed in (
        ("properties", _PROPERTY_KEYS),
        ("active", _ACTIVE_KEYS),
        ("location", _LOCATION_KEYS),
    ):
        _keys(path, data.get(table, {}), allowed, table + ".")
    properties = dict(data.get("properties", {}))
    if "class" not in properties:
        raise ChecklistError(path, "missing required key", key="properties.class")
    classes: dict[str, str] = {}
    for zone, values in data.get("classes", {}).items():
        if zone not in ZONES:
            raise ChecklistError(
                path,
                "cadastre.unknown-class",
                key=f"classes.{zone}",
                hint=did_you_mean(zone, ZONES),
            )
        for value in values:
            classes[normalise(str(value))] = zone
    active = data.get("active", {})
    location = data.get("location", {})
    bbox = tuple(float(v) for v in location.get("bbox", (-180.0, -90.0, 180.0, 90.0)))
    if len(bbox) != 4 or bbox[0] >= bbox[2] or bbox[1] >= bbox[3]:
        raise ChecklistError(
            path, "bbox must be [lon_min, lat_min, lon_max, lat_max]", key="location.bbox"
        )
    predicate = location.get("predicate", "intersects")
    if predicate not in {"intersects", "within"}:
        raise ChecklistError(path, "predicate must be intersects or within", key="location")
    return CadastreConfig(
        path=path,
        country=str(data.get("country", "")),
        properties=properties,
        classes=classes,
        active_classes=frozenset(active.get("classes", ())),
        active_statuses=frozenset(normalise(s) for s in active.get("statuses", ())),
        active_prefixes=tuple(normalise(s) for s in active.get("prefixes", ())),
        bbox=bbox,  # type: ignore[arg-type]
        predicate=predicate,
    )


def _keys(path: Path, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise ChecklistError(
                path,
                "checklist.unknown-key",
                key=prefix + str(key),
                hint=did_you_mean(key, allowed),
            )


def load_titles(path: Path | str, config: CadastreConfig | Path | str | None = None) -> Titles:
    """Read a GeoJSON FeatureCollection of title polygons (CRS84 / EPSG:4326)."""
    import hashlib

    path = Path(path)
    if not isinstance(config, CadastreConfig):
        config = load_config(config)
    try:
        if path.is_dir():
            raise InputError(path, "is a directory, not a cadastre file")
        check_text_size(path, path.stat().st_size, "geojson")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the cadastre file: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "cadastre file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise InputError(
            path,
            "JSON nested too deeply to parse (a GeoJSON FeatureCollection needs under 10 levels)",
        ) from None
    check_json_depth(path, data)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputError(path, f"not a GeoJSON FeatureCollection (type {kind!r})")
    _check_crs(path, data.get("crs"))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InputError(path, "the FeatureCollection has no features")
    props = config.properties
    geometries, zones, active, names, labels = [], [], [], [], []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict):
            raise InputError(path, f"feature {index}: not a GeoJSON Feature")
        properties = feature.get("properties") or {}
        name = _text(properties.get(props.get("name", "name")))
        where = f'feature {index} "{name}"' if name else f"feature {index}"
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in {
            "Polygon",
            "MultiPolygon",
        }:
            kind = geometry.get("type") if isinstance(geometry, dict) else None
            raise InputError(
                path, f"{where}: geometry must be a Polygon or MultiPolygon, not {kind}"
            )
        try:
            shape = shapely.geometry.shape(geometry)
        except Exception as exc:  # noqa: BLE001 - any malformed coordinate list
            raise InputError(path, f"{where}: unreadable geometry ({exc})") from None
        if shape.is_empty:
            raise InputError(path, f"{where}: empty geometry")
        xmin, ymin, xmax, ymax = shape.bounds
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            raise InputError(
                path,
                f"{where}: coordinates {xmin:.6g}, {ymin:.6g} are not longitude/latitude degrees "
                "(unknown CRS: reproject to CRS84 / EPSG:4326)",
            )
        cls = _text(properties.get(props["class"]))
        zone = config.classes.get(normalise(cls), "")
        status = _text(properties.get(props.get("status", ""), ""))
        geometries.append(shape)
        zones.append(zone)
        active.append(zone not in config.active_classes or config.is_active(status))
        names.append(name or f"#{index}")
        details = [
            _text(properties.get(props[key], "")).strip()
            for key in ("type", "holder", "status")
            if key in props
        ]
        labels.append(f"{name or f'#{index}'} ({', '.join(d for d in details if d)})")
    geoms = np.array(geometries, dtype=object)
    invalid = np.flatnonzero(~shapely.is_valid(geoms))
    repaired = []
    for index in invalid:
        reason = shapely.is_valid_reason(geoms[index])
        geoms[index] = shapely.make_valid(geoms[index])
        repaired.append(f'feature {index} "{names[index]}" ({reason})')
    return Titles(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        config=config,
        geometries=geoms,
        zone=np.array(zones, dtype=object),
        active=np.array(active, dtype=bool),
        names=np.array(names, dtype=object),
        labels=np.array(labels, dtype=object),
        tree=shapely.STRtree(geoms),
        repaired=repaired,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _check_crs(path: Path, crs: Any) -> None:
    if crs is None:
        return  # RFC 7946: GeoJSON without a crs member is WGS84 longitude/latitude.
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or name.strip().casefold() not in ACCEPTED_CRS:
        raise InputError(
            path,
            f"unknown CRS {name or crs!r}: reproject to CRS84 / EPSG:4326 (longitude/latitude)",
        )


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
            geoms = shapely.from_wkt(wkt.to_numpy(dtype=object)[use], on_invalid="ignore")
            is_point = shapely.get_type_id(geoms) == 0
            gx = np.where(is_point, shapely.get_x(geoms), np.nan)
            gy = np.where(is_point, shapely.get_y(geoms), np.nan)
            x[use], y[use] = gx, gy
            blank = blank & ~use
    unreadable = ~blank & (np.isnan(x) | np.isnan(y))
    return x, y, blank, unreadable


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
        "title_zone (cadastre " + file + ", no title at this point)",
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
    repaired = f"; {len(titles.repaired)} invalid polygons repaired" if titles.repaired else ""
    sources.append(
        SourceFile(
            path=titles.path,
            sheet=None,
            dialect=(
                f"cadastre GeoJSON ({len(titles)} titles{repaired}; title_zone from the input "
                f"for {int(keep.sum())} visits, from the cadastre for {int((~keep).sum())})"
            ),
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
