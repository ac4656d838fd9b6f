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
from minesite.render import words
from minesite.render.i18n import text
from minesite.render.selection import generated_at, reference
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
    passed: list[FindingLine] = field(default_factory=list)
    """Every criterion with a status effect the visit behind the status checked and passed,
    with its answer: what the signer certifies."""
    reference: str = ""
    """The document reference: site, as-of date and a short hash of the inputs (stable)."""
    evidence_of: str = ""
    """The visit the findings come from, with its file and row (cells in that row are named
    by their column alone)."""

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
            (words("dossier.reference"), self.reference),
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
    columns = _Columns(batch)
    behind = built["_since"].where(built["_since"] >= 0, built["_position"]).astype(int).tolist()
    columns.passed = passed_findings(batch, [p for p in behind if p >= 0])
    conflicts: dict[str, list[dict]] = {}
    for c in view.conflicts():
        conflicts.setdefault(c["site_id"], []).append(c)
    sections = [
        _section(
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


def _line(finding: dict, lang: str, home: tuple) -> FindingLine:
    return FindingLine(
        criterion=finding["criterion"],
        title=finding["title"],
        severity=finding["severity"],
        answer=finding["evidence_text"],
        cell=_cell(finding, home, lang),
    )


def _cell(finding: dict, home: tuple, lang: str) -> str:
    """A finding's cell: its column alone when it is in the visit's own row (named once above
    the tables), else file, sheet, row and column (an actor's repeat row)."""
    if (finding["file"], finding["sheet"] or None, finding["row"]) == home:
        return words.cell("", None, None, finding["column"], lang)
    return words.cell(finding["file"], finding["sheet"], finding["row"], finding["column"], lang)


class _Columns:
    """The visit columns the sections read, as plain lists (scalar pandas access is slow)."""

    def __init__(self, result: Result) -> None:
        visits = result.verdicts.visits
        names = ("visit_id", "visit_date", "row", "source", "status", "failed", "reason")
        for name in (*names, "unknown", "not_assessed", "could_be"):
            setattr(self, name, visits[name].tolist())
        inspection = result.inspection.visits
        self.team = (
            inspection["team"].fillna("").astype(str).tolist()
            if "team" in inspection.columns
            else [""] * len(visits)
        )
        self.files = [s.path.name for s in result.inspection.sources]
        self.sha256 = {s.path.name: s.sha256 for s in result.inspection.sources}
        self.rules = [result.profile] + [f"{c.id} {c.version}" for c in result.checklists]
        self.as_of = "history" if result.history else result.as_of.isoformat()


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
    passed: list[FindingLine] = []
    team = ""
    # The visit behind the status: the one a hold or an undated red comes from, else the latest.
    source = since if since >= 0 else position
    evidence_of = ""
    if source >= 0:
        visit = view.visit(source)
        home = (visit["file"], visit["sheet"] or None, visit["row"])
        where_visit = words.cell(visit["file"], visit["sheet"], visit["row"], None, lang)
        evidence_of = text(
            "dossier.evidence-of",
            lang,
            visit=visit["visit_id"] or "—",
            date=visit["visit_date"] or "—",
            cell=where_visit,
        )
        failed = [_line(f, lang, home) for f in visit["failed"]]
        unknown = [_line(f, lang, home) for f in visit["unknown"] if f["severity"] != "info"]
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
        passed = [_passed_line(f, view, home) for f in columns.passed.get(source, [])]
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
    files = sorted({h.file for h in history})
    digests = [columns.sha256[f] for f in files] + columns.rules
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
        files=files,
        passed=passed,
        evidence_of=evidence_of,
        reference=reference(str(row["site_id"]), columns.as_of, digests),
    )


def _passed_line(finding: dict, view: View, home: tuple) -> FindingLine:
    """A passed criterion with its answer; for an actor criterion, the actor recorded, which is
    not of the kind the criterion is about (its conduct belongs to the criteria it failed)."""
    lang = view.lang
    if finding["actor_name"]:
        who = words.actor(finding["actor_name"], finding["actor_category"], (), lang)
        answer = text("dossier.passed.other-actor", lang, actor=who)
    else:  # no actor named: the category is the answer ("Aucun", "FARDC - Pas d'ingérence")
        answer = words.evidence({"answer": finding["actor_category"] or finding["answer"]}, lang)
    return FindingLine(
        criterion=finding["criterion"],
        title=view.titles.get(finding["criterion"], ""),
        severity=finding["severity"],
        answer=answer,
        cell=_cell(finding, home, lang),
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
            detail = words.visit_reason(
                {
                    "reason": str(columns.reason[p]),
                    "unknown": columns.unknown[p],
                    "not_assessed": columns.not_assessed[p],
                    "could_be": columns.could_be[p],
                },
                lang,
            )
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
