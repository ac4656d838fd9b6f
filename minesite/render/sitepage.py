"""One site's pages as plain data: its identity, standing, findings of the visit behind its
status (failed, checked and passed, unknown, not assessed), history and document reference,
every word in the report's language (render/document.py assembles them into a Document)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from minesite.render import words
from minesite.render.i18n import text
from minesite.render.selection import reference
from minesite.render.view import View
from minesite.result import Result

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


class VisitColumns:
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
        self.passed: dict[int, list[dict]] = {}
        """Visit position -> its passed criteria (dossier.passed_findings, filled by the caller
        for the visits it shows, in one pass)."""


def site_section(
    view: View,
    columns: VisitColumns,
    row: dict,
    places: pd.DataFrame,
    positions,
    conflicts: list[dict],
) -> SiteSection:
    """One site's section from its row of the sites frame, its places, the positions of its
    rows and its conflicts."""
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


def _history(columns: VisitColumns, positions, lang: str) -> list[HistoryLine]:
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
