"""What a map shows, as plain data, and where it goes on the page: sites, cadastre titles, the
indexes that find those near a site, and an equirectangular projection (longitude scaled by the
cosine of the centre's latitude: within a few parts per thousand over the tens of kilometres a
site map spans)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

METRES_PER_DEGREE = 111_195.0
"""Mean Earth radius (6,371,009 m) times pi / 180."""


@dataclass(frozen=True)
class MapPoint:
    """A site on a map: longitude, latitude (degrees), status code, a short label, and a key
    (the site id) that tells a site from its neighbours (equal points are one site without it)."""

    lon: float
    lat: float
    status: str
    label: str = ""
    key: str = ""

    def same_site(self, other: MapPoint) -> bool:
        return other.key == self.key if self.key else other == self


@dataclass(frozen=True)
class MapTitle:
    """A cadastre title: its polygon (lon/lat), class (ZEA, PE, PR, ZIN...) and name."""

    geometry: object
    cls: str
    name: str
    active: bool = True


def usable(lon: object, lat: object) -> bool:
    """Are these a longitude and a latitude (finite, in range, not both zero)?"""
    try:
        x, y = float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    finite = math.isfinite(x) and math.isfinite(y)
    return finite and -180 <= x <= 180 and -90 <= y <= 90 and (x, y) != (0.0, 0.0)


class SiteIndex:
    """Every located site of a batch, sorted by longitude, to find a site's neighbours fast."""

    def __init__(self, points: Sequence[MapPoint]) -> None:
        kept = [p for p in points if usable(p.lon, p.lat)]
        kept.sort(key=lambda p: p.lon)
        self.points = kept
        self.lon = np.array([p.lon for p in kept], dtype=float)
        self.lat = np.array([p.lat for p in kept], dtype=float)

    def near(self, lon: float, lat: float, half_m: float) -> list[tuple[float, MapPoint]]:
        """(distance in metres, point) of the sites within `half_m` of (lon, lat), nearest
        first; the point itself (same place and label) included, the caller drops it."""
        kx = METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6)
        dlon, dlat = half_m / kx, half_m / METRES_PER_DEGREE
        lo, hi = np.searchsorted(self.lon, [lon - dlon, lon + dlon], side="left")
        hi = np.searchsorted(self.lon, lon + dlon, side="right")
        xs, ys = self.lon[lo:hi], self.lat[lo:hi]
        keep = np.flatnonzero(np.abs(ys - lat) <= dlat)
        dist = np.hypot((xs[keep] - lon) * kx, (ys[keep] - lat) * METRES_PER_DEGREE)
        order = np.argsort(dist, kind="stable")
        return [(float(dist[i]), self.points[lo + int(keep[i])]) for i in order]


class TitleIndex:
    """Cadastre titles in an STRtree, to find the ones a map's view crosses."""

    def __init__(self, titles: Sequence[MapTitle]) -> None:
        self.titles = list(titles)
        self.tree = shapely.STRtree([t.geometry for t in self.titles])

    @classmethod
    def from_cadastre(cls, titles) -> TitleIndex:  # noqa: ANN001 - minesite.cadastre.Titles
        """From loaded cadastre titles: class as the canonical zone (else the raw class)."""
        zones = [str(z).upper() for z in titles.zone]
        return cls(
            [
                MapTitle(geometry=g, cls=z or "?", name=str(n), active=bool(a))
                for g, z, n, a in zip(
                    titles.geometries, zones, titles.names, titles.active, strict=True
                )
            ]
        )

    def within(self, box: tuple[float, float, float, float]) -> list[MapTitle]:
        """Titles intersecting the lon/lat box, in input order."""
        hits = self.tree.query(shapely.box(*box), predicate="intersects")
        return [self.titles[i] for i in sorted(hits.tolist())]


@dataclass
class View:
    """A lon/lat window mapped onto a frame of points (y up)."""

    lon0: float
    lat0: float
    half_m: float
    """Half the frame's width on the ground, in metres."""
    box: tuple[float, float, float, float]
    """Frame in points: x, y, width, height."""
    kx: float = field(init=False)
    scale: float = field(init=False)
    """Points per metre."""

    def __post_init__(self) -> None:
        self.kx = METRES_PER_DEGREE * max(math.cos(math.radians(self.lat0)), 1e-6)
        self.scale = self.box[2] / (2 * self.half_m)

    @property
    def half_h_m(self) -> float:
        return self.box[3] / (2 * self.scale)

    def lonlat_box(self) -> tuple[float, float, float, float]:
        dlon, dlat = self.half_m / self.kx, self.half_h_m / METRES_PER_DEGREE
        return (self.lon0 - dlon, self.lat0 - dlat, self.lon0 + dlon, self.lat0 + dlat)

    def xy(self, lon, lat):  # noqa: ANN001, ANN201 - floats or numpy arrays
        x0, y0, w, h = self.box
        x = x0 + w / 2 + (np.asarray(lon) - self.lon0) * self.kx * self.scale
        y = y0 + h / 2 + (np.asarray(lat) - self.lat0) * METRES_PER_DEGREE * self.scale
        return x, y

    def inside(self, x: float, y: float, margin: float = 0.0) -> bool:
        x0, y0, w, h = self.box
        return x0 + margin <= x <= x0 + w - margin and y0 + margin <= y <= y0 + h - margin
