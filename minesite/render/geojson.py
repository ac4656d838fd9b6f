"""Sites as GeoJSON: one point per site with its status, reason and validity, for QGIS."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from minesite.render.json import dumps

PROPERTIES = [
    "site_id",
    "site_name",
    "province",
    "territoire",
    "status",
    "reason",
    "criteria",
    "decided_by_visit",
    "visit_date",
    "valid_until",
    "next_inspection_due",
    "overdue",
    "conflict",
    "status_text",
    "reason_text",
]


def sites_geojson(sites: pd.DataFrame) -> tuple[str, int]:
    """A FeatureCollection (CRS84) of the sites with usable coordinates, and how many sites
    had none (they cannot be placed; the other tables keep them)."""
    features = []
    skipped = 0
    for row in sites.to_dict(orient="records"):
        point = _point(row.get("longitude"), row.get("latitude"))
        if point is None:
            skipped += 1
            continue
        features.append(
            {
                "type": "Feature",
                "id": row["site_id"],
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {k: _plain(row.get(k)) for k in PROPERTIES},
            }
        )
    return dumps({"type": "FeatureCollection", "features": features}), skipped


def _point(lon: Any, lat: Any) -> list[float] | None:
    try:
        x, y = float(str(lon).replace(",", ".")), float(str(lat).replace(",", "."))
    except ValueError:
        return None
    if not (math.isfinite(x) and math.isfinite(y)) or abs(x) > 180 or abs(y) > 90:
        return None
    return [x, y]


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    return None if value == "" else value
