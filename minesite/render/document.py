"""The printable report as plain data, every word already in the chosen language (no IO).

`build_document(result, lang=...)` gathers what the PDF and HTML renderers show:
a front page (scope, counts by colour per province and territoire, red sites first) and one section
per site (identity, colour, validity, decisive findings with their cells, unknowns, history,
conflicts with published qualifications, what was checked and passed, a document reference).
The front page covers the whole batch; site pages only the sites asked for (`--site`,
`--status`). Renderers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from minesite.inputs import dialects
from minesite.render.i18n import text
from minesite.render.selection import generated_at
from minesite.render.sitepage import (
    NONE,
    FindingLine,
    HistoryLine,
    SiteSection,
    VisitColumns,
    site_section,
)
from minesite.render.view import View
from minesite.result import Result

__all__ = ["ORDER", "Document", "FindingLine", "HistoryLine", "SiteSection", "build_document"]

ORDER = ("red", "yellow", "blue", "green")
"""Site order in the report: the ones needing action first."""


@dataclass(frozen=True)
class NotAssessed:
    """A criterion some sites could not be assessed on (their file has no column for it)."""

    criterion: str
    title: str
    severity: str
    sites: int


@dataclass(frozen=True)
class AreaCount:
    """Sites by colour in one province / territoire."""

    province: str
    territoire: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """Every site of the area."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Document:
    """A language-resolved report: front page data, then one section per site."""

    lang: str
    title: str
    as_of: str
    profile: str
    files: list[dict[str, object]]
    checklists: list[dict[str, str]]
    rows_read: int
    visits_coloured: int
    no_colour: dict[str, int]
    totals: dict[str, int]
    areas: list[AreaCount]
    red_sites: list[SiteSection]
    sites: list[SiteSection] = field(default_factory=list)
    colours: dict[str, str] = field(default_factory=dict)
    """Status -> word in the report's language (vert, jaune, rouge, bleu)."""
    not_assessed: list[NotAssessed] = field(default_factory=list)
    """Criteria not assessed for some site, with how many sites (titles listed once)."""
    notes: list[str] = field(default_factory=list)
    """Run notes in words (keys read from the row, blank dates, repaired polygons...)."""
    map_points: list = field(default_factory=list)
    """Every site of the batch (render/sitemap.MapPoint, NaN when not located), for the maps."""
    generated: str = ""
    """When the report was made (UTC, to the minute)."""
    selection: str = ""
    """Which sites have pages, in words ('2,848 of 3,409 sites: red')."""

    def words(self, key: str) -> str:
        """A fixed label in the report's language ('name' for ui.name, or a whole code)."""
        return text(key if "." in key else f"ui.{key}", self.lang)


def build_document(
    result: Result,
    *,
    lang: str = "en",
    attachments: list | None = None,
    statuses: tuple[str, ...] | None = None,
) -> Document:
    """The report: a front page of the whole batch, then pages for the sites asked for (the
    result's site, or every site; of `statuses` only when given), red first, then yellow,
    blue, green; `attachments` (inputs/media.find_attachments) are shown on their sites'
    pages."""
    from minesite.render.dossier import map_points, passed_findings, with_places

    # The front page and the maps show the whole batch, whatever --site narrows the pages to.
    batch = replace(result, site=None) if result.site is not None else result
    view = View(batch, lang)
    sites = batch.sites
    points = map_points(batch, sites)
    places = _places(batch)
    rank = sites["status"].map({s: i for i, s in enumerate(ORDER)})
    province = sites["site_id"].map(places["province"]).fillna(NONE)
    territoire = sites["site_id"].map(places["territoire"]).fillna(NONE)
    ordered = sites.assign(_rank=rank, _province=province, _territoire=territoire).sort_values(
        ["_rank", "_province", "_territoire", "site_name", "site_id"], kind="stable"
    )
    wanted = pd.Series(True, index=ordered.index)
    if result.site is not None:
        wanted &= ordered["site_id"] == result.site
    if statuses is not None:
        wanted &= ordered["status"].isin(statuses)
    # Pages for the sites asked for; the red ones are also built for the front page's table.
    built = ordered[wanted | (ordered["status"] == "red")]
    rows_of = batch.visits.groupby("site_id", sort=False).indices
    index = batch.visits.index.to_numpy()
    columns = VisitColumns(batch)
    behind = built["_since"].where(built["_since"] >= 0, built["_position"]).astype(int).tolist()
    columns.passed = passed_findings(batch, [p for p in behind if p >= 0])
    conflicts: dict[str, list[dict]] = {}
    for c in view.conflicts():
        conflicts.setdefault(c["site_id"], []).append(c)
    sections = [
        site_section(
            view,
            columns,
            row,
            places,
            index[rows_of.get(row["site_id"], [])],
            conflicts.get(row["site_id"], []),
        )
        for row in built.to_dict(orient="records")
    ]
    pages = [s for s, keep in zip(sections, wanted[built.index], strict=True) if keep]
    pages = with_places(pages, batch, attachments)
    summary = view.summary()
    totals = {s: int((ordered["status"] == s).sum()) for s in ORDER}
    return Document(
        lang=lang,
        title=text("ui.report_title", lang),
        as_of=text("note.history", lang) if result.history else result.as_of.isoformat(),
        profile=result.profile,
        files=[
            {
                "file": s.path.name,
                "sheet": s.sheet or "",
                "dialect": dialects.words(s.dialect_parts, lang) or s.dialect,
                "rows": s.rows,
                "sha256": s.sha256,
            }
            for s in result.inspection.sources
        ],
        checklists=[
            {"id": c.id, "version": c.version, "title": c.title.get(lang, "")}
            for c in result.checklists
        ],
        rows_read=summary["rows_read"],
        visits_coloured=summary["visits_coloured"],
        no_colour={r["text"]: r["count"] for r in summary["rows_without_colour"]},
        totals=totals,
        areas=_areas(ordered),
        red_sites=[s for s in sections if s.status == "red"],
        sites=pages,
        colours={s: text(f"status.{s}", lang) for s in (*ORDER, "incomplete")},
        not_assessed=_not_assessed(pages),
        notes=[n["text"] for n in summary["notes"]],
        map_points=points,
        generated=generated_at(),
        selection=_selection(len(pages), len(ordered), result.site, statuses, lang),
    )


def _selection(
    pages: int, total: int, site: str | None, statuses: tuple[str, ...] | None, lang: str
) -> str:
    """Which sites have pages, in words."""
    if site is None and statuses is None:
        return text("dossier.pages.all", lang, count=total)
    asked = [f"--site {site}"] if site is not None else []
    asked += [text(f"status.{s}", lang) for s in statuses or ()]
    return text("dossier.pages.some", lang, count=pages, total=total, asked=asked)


def _places(result: Result) -> pd.DataFrame:
    """Per site, the latest non-blank province, territoire, coordinates in its rows."""
    visits = result.inspection.visits
    wanted = ["province", "territoire", "latitude", "longitude"]
    frame = pd.DataFrame({"site_id": result.verdicts.visits["site_id"].to_numpy()})
    for name in wanted:
        values = visits[name] if name in visits.columns else pd.Series("", index=visits.index)
        frame[name] = values.fillna("").astype(str).str.strip().replace("", np.nan).to_numpy()
    return frame.groupby("site_id", sort=False)[wanted].last()


def _not_assessed(sections: list[SiteSection]) -> list[NotAssessed]:
    found: dict[str, tuple[FindingLine, int]] = {}
    for s in sections:
        for line in s.not_assessed:
            first, count = found.get(line.criterion, (line, 0))
            found[line.criterion] = (first, count + 1)
    return [
        NotAssessed(criterion=k, title=v[0].title, severity=v[0].severity, sites=v[1])
        for k, v in found.items()
    ]


def _areas(ordered: pd.DataFrame) -> list[AreaCount]:
    """Sites by colour per province and territoire, the areas the input does not give last."""
    areas: dict[tuple[str, str], dict[str, int]] = {}
    keys = zip(ordered["_province"], ordered["_territoire"], ordered["status"], strict=True)
    for province, territoire, status in keys:
        counts = areas.setdefault((str(province), str(territoire)), dict.fromkeys(ORDER, 0))
        counts[status] += 1
    return [
        AreaCount(province=p, territoire=t, counts=c)
        for (p, t), c in sorted(areas.items(), key=lambda kv: (kv[0][0] == NONE, kv[0]))
    ]
