"""The printable report as plain data, every word already in the chosen language (no IO).

`build_document(result, lang=...)` gathers what the PDF and HTML renderers show:
a front page (scope, counts by colour per province and territoire, red sites first) and one section
per site (identity, colour, validity, decisive findings with their cells, unknowns, history,
conflicts with published qualifications). Renderers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from minesite.render.i18n import text
from minesite.render.view import View
from minesite.result import Result

ORDER = ("red", "yellow", "blue", "green")
"""Site order in the report: the ones needing action first."""
NONE = "—"
"""Shown for a province or territoire the input does not give."""


@dataclass(frozen=True)
class FindingLine:
    """One criterion of the deciding visit, with its answer and source cell."""

    criterion: str
    title: str
    severity: str
    answer: str
    cell: str


@dataclass(frozen=True)
class HistoryLine:
    """One input row of the site: an on-site visit, a desk review or a published qualification."""

    date: str
    visit_id: str
    row: int
    file: str
    status: str | None
    colour: str
    detail: str


@dataclass(frozen=True)
class SiteSection:
    """Everything one site's pages show."""

    site_id: str
    name: str
    province: str
    territoire: str
    gps: str
    visit_date: str
    team: str
    status: str
    colour: str
    reason: str
    valid_until: str
    next_due: str
    decided_by: str
    published: str
    failed: list[FindingLine]
    """Every failed criterion of the visit behind the status, with its evidence."""
    unknown: list[FindingLine]
    not_assessed: list[FindingLine]
    history: list[HistoryLine]
    conflicts: list[str]
    files: list[str] = field(default_factory=list)
    """Input files holding this site's rows."""
    lon: float | None = None
    lat: float | None = None
    """The site's coordinates as numbers, for its map (None: no usable GPS)."""
    attachments: list = field(default_factory=list)
    """Photos and files its visits' answers name (inputs/media.Attachment), in row order."""

    def identity(self, words) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:  # noqa: ANN001
        """Label/value pairs of the site's identity block: where it is, then its standing."""
        where = [
            (words("site_id"), self.site_id),
            (words("province"), self.province),
            (words("territoire"), self.territoire),
            (words("gps"), self.gps or "—"),
            (words("inspection_date"), self.visit_date or "—"),
            (words("team"), self.team or "—"),
        ]
        standing = [
            (words("decided_by"), self.decided_by or "—"),
            (words("reason"), self.reason),
            (words("valid_until"), self.valid_until or "—"),
            (words("next_due"), self.next_due or "—"),
            (words("published"), self.published or "—"),
        ]
        return where, standing


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

    def words(self, key: str) -> str:
        """A fixed label in the report's language."""
        return text(f"ui.{key}", self.lang)


def build_document(
    result: Result, *, lang: str = "en", attachments: list | None = None
) -> Document:
    """The report for every site shown (all, or the result's site), red first, then yellow,
    blue, green; `attachments` (inputs/media.find_attachments) are shown on their sites'
    pages."""
    from minesite.render.dossier import map_points, with_places

    view = View(result, lang)
    sites = result.sites
    # Every site of the batch, before --site narrows the pages: the maps show the neighbours.
    points = map_points(result, result.all_sites)
    places = _places(result)
    rank = sites["status"].map({s: i for i, s in enumerate(ORDER)})
    province = sites["site_id"].map(places["province"]).fillna(NONE)
    territoire = sites["site_id"].map(places["territoire"]).fillna(NONE)
    ordered = sites.assign(_rank=rank, _province=province, _territoire=territoire).sort_values(
        ["_rank", "_province", "_territoire", "site_name", "site_id"], kind="stable"
    )
    rows_of = result.visits.groupby("site_id", sort=False).indices
    index = result.visits.index.to_numpy()
    columns = _Columns(result)
    conflicts = view.conflicts()
    sections = [
        _section(
            view,
            columns,
            row,
            places,
            index[rows_of.get(row["site_id"], [])],
            [c for c in conflicts if c["site_id"] == row["site_id"]],
        )
        for row in ordered.to_dict(orient="records")
    ]
    sections = with_places(sections, result, attachments)
    summary = view.summary()
    return Document(
        lang=lang,
        title=text("ui.report_title", lang),
        as_of=text("note.history", lang) if result.history else result.as_of.isoformat(),
        profile=result.profile,
        files=[
            {
                "file": s.path.name,
                "sheet": s.sheet or "",
                "dialect": s.dialect,
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
        totals={s: sum(1 for x in sections if x.status == s) for s in ORDER},
        areas=_areas(sections),
        red_sites=[s for s in sections if s.status == "red"],
        sites=sections,
        colours={s: text(f"status.{s}", lang) for s in (*ORDER, "incomplete")},
        not_assessed=_not_assessed(sections),
        notes=[n["text"] for n in summary["notes"]],
        map_points=points,
    )


def _places(result: Result) -> pd.DataFrame:
    """Per site, the latest non-blank province, territoire, coordinates in its rows."""
    visits = result.inspection.visits
    wanted = ["province", "territoire", "latitude", "longitude"]
    frame = pd.DataFrame({"site_id": result.verdicts.visits["site_id"].to_numpy()})
    for name in wanted:
        values = visits[name] if name in visits.columns else pd.Series("", index=visits.index)
        frame[name] = values.fillna("").astype(str).str.strip().replace("", np.nan).to_numpy()
    return frame.groupby("site_id", sort=False)[wanted].last()


def _line(finding: dict, lang: str) -> FindingLine:
    return FindingLine(
        criterion=finding["criterion"],
        title=finding["title"],
        severity=finding["severity"],
        answer=finding["evidence_text"],
        cell=finding["cell_text"],
    )


class _Columns:
    """The visit columns the sections read, as plain lists (scalar pandas access is slow)."""

    def __init__(self, result: Result) -> None:
        visits = result.verdicts.visits
        for name in ("visit_id", "visit_date", "row", "source", "status", "failed", "reason"):
            setattr(self, name, visits[name].tolist())
        inspection = result.inspection.visits
        self.team = (
            inspection["team"].fillna("").astype(str).tolist()
            if "team" in inspection.columns
            else [""] * len(visits)
        )
        self.files = [s.path.name for s in result.inspection.sources]


def _section(
    view: View,
    columns: _Columns,
    row: dict,
    places: pd.DataFrame,
    positions,
    conflicts: list[dict],
) -> SiteSection:
    lang = view.lang
    position = int(row["_position"])
    since = int(row["_since"])
    failed: list[FindingLine] = []
    unknown: list[FindingLine] = []
    not_assessed: list[FindingLine] = []
    team = ""
    # The visit behind the status: the one a hold or an undated red comes from, else the latest.
    source = since if since >= 0 else position
    if source >= 0:
        visit = view.visit(source)
        failed = [_line(f, lang) for f in visit["failed"]]
        unknown = [_line(f, lang) for f in visit["unknown"] if f["severity"] != "info"]
        not_assessed = [
            FindingLine(
                criterion=item["criterion"],
                title=item["title"],
                severity=view.severity[item["criterion"]],
                answer="",
                cell="",
            )
            for item in visit["not_assessed"]
        ]
        team = columns.team[source].strip()
    place = places.loc[row["site_id"]] if row["site_id"] in places.index else None

    def where(name: str) -> str:
        value = None if place is None else place[name]
        return NONE if value is None or pd.isna(value) else str(value)

    lat, lon = where("latitude"), where("longitude")
    gps = f"{lat}, {lon}" if NONE not in (lat, lon) else ""
    published = ""
    if row["published_qualification"]:
        published = text(f"status.{row['published_qualification']}", lang)
        if row["published_date"]:
            published += f" ({row['published_date']})"
    decided = ""
    if position >= 0:
        decided = (
            f"{row['decided_by_visit']} ({text('position.row', lang, row=row['decided_by_row'])})"
        )
    due = str(row["next_inspection_due"])
    if due and row["overdue"]:
        due += f" ({text('ui.overdue', lang)})"
    history = _history(columns, positions, lang)
    return SiteSection(
        site_id=str(row["site_id"]),
        name=str(row["site_name"]),
        province=where("province"),
        territoire=where("territoire"),
        gps=gps,
        visit_date=str(row["visit_date"]),
        team=team,
        status=str(row["status"]),
        colour=text(f"status.{row['status']}", lang),
        reason=view.site_reason(row),
        valid_until=str(row["valid_until"]),
        next_due=due,
        decided_by=decided,
        published=published,
        failed=failed,
        unknown=unknown,
        not_assessed=not_assessed,
        history=history,
        conflicts=[c["text"] for c in conflicts],
        files=sorted({h.file for h in history}),
    )


def _history(columns: _Columns, positions, lang: str) -> list[HistoryLine]:
    order = sorted(
        (int(p) for p in positions),
        key=lambda p: (str(columns.visit_date[p]), int(columns.row[p])),
        reverse=True,
    )
    lines = []
    for p in order:
        status = columns.status[p]
        status = None if status is None or pd.isna(status) else str(status)
        detail = str(columns.failed[p]) if status else ""
        if status is None or not detail:
            detail = text(str(columns.reason[p]), lang, missing="", could_be="")
        lines.append(
            HistoryLine(
                date=str(columns.visit_date[p]),
                visit_id=str(columns.visit_id[p]),
                row=int(columns.row[p]),
                file=columns.files[int(columns.source[p])],
                status=status,
                colour=text(f"status.{status}", lang) if status else NONE,
                detail=detail,
            )
        )
    return lines


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


def _areas(sections: list[SiteSection]) -> list[AreaCount]:
    areas: dict[tuple[str, str], dict[str, int]] = {}
    for s in sections:
        counts = areas.setdefault((s.province, s.territoire), dict.fromkeys(ORDER, 0))
        counts[s.status] += 1
    return [
        AreaCount(province=p, territoire=t, counts=c)
        for (p, t), c in sorted(areas.items(), key=lambda kv: (kv[0][0] == NONE, kv[0]))
    ]
