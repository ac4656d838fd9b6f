"""The map and photo data of the site dossier: coordinates and attachments per site for the view
model (render/document.py), and the maps both renderers draw from it.

    points = map_points(result, result.all_sites)         # every located site of the batch
    sections = with_places(sections, result, attachments) # lon, lat, attachments per section
    maps = SiteMaps(document, titles, font=..., bold=...) # once per report
    maps.site(section), maps.batch()                      # map plans, or None (no GPS)
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from minesite.model import Outcome
from minesite.render.sitemap import MapPoint, SiteIndex, TitleIndex, batch_map, site_map

if TYPE_CHECKING:
    from minesite.inputs.media import Attachment
    from minesite.render.mapplan import Plan
    from minesite.result import Result

PHOTO_BUDGET = 6 * 1024 * 1024
"""Bytes of pictures in one site's pages: a site PDF stays under 8 MB with its text and map."""


def _located(result: Result) -> pd.DataFrame:
    """Per site, the coordinates of its last located row (as document.py takes places)."""
    from minesite.cadastre import coordinates

    x, y, _, _ = coordinates(result.inspection.visits)
    site_ids = result.verdicts.visits["site_id"].to_numpy()
    frame = pd.DataFrame({"site_id": site_ids, "lon": x, "lat": y})
    with np.errstate(invalid="ignore"):  # NaN compares False: not usable, as `usable` says
        good = (np.abs(x) <= 180) & (np.abs(y) <= 90) & ((x != 0) | (y != 0))
    return frame[good].groupby("site_id", sort=False)[["lon", "lat"]].last()


def map_points(result: Result, sites: pd.DataFrame) -> list[MapPoint]:
    """Every site of the batch with its coordinates (NaN when it has none), status and name: the
    batch map and each site's neighbours (taken before --site narrows the pages, so the
    neighbours stay on the map)."""
    places = _located(result)
    lon = sites["site_id"].map(places["lon"]).to_numpy(dtype=float)
    lat = sites["site_id"].map(places["lat"]).to_numpy(dtype=float)
    names = sites["site_name"].fillna("").astype(str).tolist()
    return [
        MapPoint(x, y, str(status), name or str(site_id), key=str(site_id))
        for x, y, status, name, site_id in zip(
            lon.tolist(),
            lat.tolist(),
            sites["status"].tolist(),
            names,
            sites["site_id"],
            strict=True,
        )
    ]


def with_places(
    sections: list, result: Result, attachments: list[Attachment] | None = None
) -> list:
    """The sections with their site's longitude, latitude and attachments filled in."""
    from minesite.inputs.pictures import fit_budget

    places = _located(result)
    visits = result.verdicts.visits
    site_of = visits["site_id"].tolist()
    files = [s.path.name for s in result.inspection.sources]
    by_site: dict[str, list[Attachment]] = {}
    cells: dict[int, list] = {}
    for a in attachments or ():
        v = a.visit
        where = f"{visits['visit_date'].iat[v]} · {files[int(visits['source'].iat[v])]}:"
        where += str(visits["row"].iat[v])
        if v not in cells:
            cells[v] = _evidence(result, v)
        found = replace(a, visit_label=where, documents=documents(a, cells[v]))
        by_site.setdefault(site_of[v], []).append(found)
    out = []
    for s in sections:
        lon = lat = None
        if s.site_id in places.index:
            lon, lat = (float(v) for v in places.loc[s.site_id])
        found = fit_budget(by_site.get(s.site_id, []), PHOTO_BUDGET)
        out.append(replace(s, lon=lon, lat=lat, attachments=found))
    return out


def map_words(document, titles=None) -> str:  # noqa: ANN001
    """Every text the maps may draw from the input (neighbours' names, titles' classes and
    names, the attachments' questions and names), for the PDF to pick a font covering them."""
    parts = [p.label for p in getattr(document, "map_points", [])]
    if titles is not None:
        parts += [str(n) for n in titles.names] + [str(z) for z in titles.zone]
    for section in getattr(document, "sites", []):
        parts += [a.column + a.name + a.visit_label for a in section.attachments]
    return "".join(parts)


def _evidence(result: Result, position: int) -> list:
    """The criteria of one visit with an answer (passed, failed, unknown) and their cells."""
    from minesite.findings import visit_findings
    from minesite.model import Outcome

    outcomes = (Outcome.FAIL, Outcome.UNKNOWN, Outcome.PASS)
    return visit_findings(result.verdicts, position, outcomes)


def passed_findings(result: Result, positions: list[int]) -> dict[int, list[dict]]:
    """Visit position -> the criteria with a status effect it passed, each with its answer, cell
    and actor (name and category only: a passing actor's conduct is another criterion's), for
    many visits at once (one lookup per criterion, not per visit)."""
    verdicts = result.verdicts
    inspection = verdicts.inspection
    wanted = np.zeros(len(verdicts.visits), dtype=bool)
    wanted[np.asarray(positions, dtype=np.int64)] = True
    files = np.array([s.path.name for s in inspection.sources], dtype=object)
    source = inspection.visits["_source"].to_numpy()
    actors = inspection.actors

    def actor_text(name: str, at: np.ndarray) -> np.ndarray:
        if name not in actors.columns or not len(at):
            return np.full(len(at), "", dtype=object)
        return actors[name].fillna("").astype(str).str.strip().to_numpy(dtype=object)[at]

    out: dict[int, list[dict]] = {}
    for j, criterion in enumerate(verdicts.criteria):
        if criterion.severity.value == "info":
            continue
        at = np.flatnonzero(wanted & (verdicts.outcomes[:, j] == Outcome.PASS))
        if not len(at):
            continue
        evidence = verdicts.evidence[j]
        column = evidence.column_at(at)
        actor = evidence.actor_at(at)
        sheet, row, header = inspection.cells(at, column, actor)
        on_actor = np.maximum(actor, 0)
        names = np.where(actor >= 0, actor_text("name", on_actor), "")
        kinds = np.where(actor >= 0, actor_text("category", on_actor), "")
        raws = evidence.raw_at(at)
        for k, position in enumerate(at.tolist()):
            out.setdefault(position, []).append(
                {
                    "criterion": criterion.id,
                    "severity": criterion.severity.value,
                    "answer": str(raws[k] or ""),
                    "file": files[source[position]],
                    "sheet": sheet[k] or None,
                    "row": int(row[k]),
                    "column": header[k],
                    "actor_name": names[k],
                    "actor_category": kinds[k],
                }
            )
    order = {c.id: i for i, c in enumerate(verdicts.criteria)}
    for found in out.values():
        found.sort(key=lambda f: order[f["criterion"]])
    return out


def _group(header: str | None) -> str:
    """The form group of a header ('securite' for securite-presence or securite/presence)."""
    cut = min((i for i in (str(header or "").find(s) for s in "-/") if i > 0), default=-1)
    return str(header)[:cut] if cut > 0 else ""


def documents(attachment, findings: list) -> tuple[str, ...]:  # noqa: ANN001
    """The criteria a photo goes with, matched on cells, never on words: those answered in its
    repeat row (an armed actor's photo goes with that actor's criteria), or, for a question of
    the visit's own row, those answered in the same form group (`enfants-photo` goes with the
    `enfants-` answers)."""
    group = "" if attachment.repeat else _group(attachment.column)
    if attachment.row is None or not (attachment.repeat or group):
        return ()
    ids: list[str] = []
    for f in findings:
        same_row = f.sheet == attachment.sheet and f.row == attachment.row
        wanted = same_row and (attachment.repeat or _group(f.column) == group)
        if wanted and f.criterion not in ids:
            ids.append(f.criterion)
    return tuple(ids)


class SiteMaps:
    """Map plans for one report: the neighbours and titles indexed once, each page's map on
    demand."""

    def __init__(
        self,
        document,  # noqa: ANN001 - render.document.Document
        titles=None,  # noqa: ANN001 - minesite.cadastre.Titles or None
        *,
        font: str = "Helvetica",
        bold: str = "Helvetica-Bold",
        widen: float = 1.0,
        site_size: tuple[float, float] = (510.0, 165.0),
        batch_size: tuple[float, float] = (510.0, 230.0),
    ) -> None:
        self.document = document
        self.points = list(getattr(document, "map_points", []) or [])
        self.index = SiteIndex(self.points)
        self.titles = TitleIndex.from_cadastre(titles) if titles is not None else TitleIndex([])
        self.fonts = {"font": font, "bold": bold, "widen": widen}
        self.site_size, self.batch_size = site_size, batch_size

    def site(self, section) -> Plan | None:  # noqa: ANN001 - render.document.SiteSection
        """The site's map, or None when it has no coordinates."""
        if section.lon is None or section.lat is None:
            return None
        label = section.name or section.site_id
        point = MapPoint(section.lon, section.lat, section.status, label, key=section.site_id)
        return site_map(
            point,
            self.index,
            self.titles,
            size=self.site_size,
            lang=self.document.lang,
            **self.fonts,
        )

    def batch(self) -> Plan | None:
        """Every site of the batch by status; None when no site has coordinates."""
        return batch_map(
            self.points,
            size=self.batch_size,
            lang=self.document.lang,
            **self.fonts,
        )
