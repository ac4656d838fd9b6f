"""Mining-cadastre titles: a GeoJSON FeatureCollection of title polygons (CRS84), validated, with
each title's class, active flag and label, in an STRtree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from minesite.cadastre_config import CadastreConfig, load_config
from minesite.checklists.vocabulary import normalise
from minesite.errors import InputError
from minesite.limits import check_json_depth, check_text_size

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


def load_titles(path: Path | str, config: CadastreConfig | Path | str | None = None) -> Titles:
    """Read a GeoJSON FeatureCollection of title polygons (CRS84 / EPSG:4326)."""
    import hashlib

    path = Path(path)
    if not isinstance(config, CadastreConfig):
        config = load_config(config)
    try:
        if path.is_dir():
            raise InputError(path, "input.is-a-folder")
        check_text_size(path, path.stat().st_size, "geojson")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, "cadastre.cannot-read", reason=exc.strerror or str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "cadastre.not-utf8") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path, "cadastre.bad-json", reason=exc.msg, line=exc.lineno, column_number=exc.colno
        ) from None
    except ValueError as exc:  # an integer of over 4,300 digits
        raise InputError(path, "cadastre.bad-number", reason=str(exc)[:120]) from None
    except RecursionError:
        raise InputError(path, "cadastre.too-deep") from None
    check_json_depth(path, data)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputError(path, "cadastre.not-a-collection", kind=repr(kind)[:80])
    _check_crs(path, data.get("crs"))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InputError(path, "cadastre.no-features")
    props = config.properties
    geometries, zones, active, names, labels = [], [], [], [], []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise InputError(path, "cadastre.not-a-feature", index=index, name="")
        properties = feature.get("properties") or {}
        name = _text(properties.get(props.get("name", "name")))
        where = {"index": index, "name": f'"{name[:80]}"' if name else ""}
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in {
            "Polygon",
            "MultiPolygon",
        }:
            kind = geometry.get("type") if isinstance(geometry, dict) else None
            raise InputError(path, "cadastre.bad-geometry-type", kind=str(kind)[:80], **where)
        try:
            shape = shapely.geometry.shape(geometry)
        except Exception as exc:  # noqa: BLE001 - any malformed coordinate list
            raise InputError(
                path, "cadastre.unreadable-geometry", reason=str(exc)[:200], **where
            ) from None
        if shape.is_empty:
            raise InputError(path, "cadastre.empty-geometry", **where)
        xmin, ymin, xmax, ymax = shape.bounds
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            raise InputError(
                path, "cadastre.not-degrees", x=f"{xmin:.6g}", y=f"{ymin:.6g}", **where
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
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or name.strip().casefold() not in ACCEPTED_CRS:
        raise InputError(path, "cadastre.unknown-crs", name=repr(name or crs)[:80])
