"""MD.07 inspection records: one per on-site visit with a colour, its findings as extensions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from minesite.model import Status
from minesite.render import words
from minesite.render.i18n import text
from minesite.render.view import View
from minesite.result import Result

INSPECTOR = ("inspector_name", "inspector_function", "inspector_agency", "inspector_government_id")
RECORDING = ("recorded_at", "_submission_time", "SubmissionDate", "project")
"""Columns an inspection record reads besides the inspector's: recording time, purpose."""


class Inspections:
    """The MD.07 records of a Result's visits, with ids unique across the export."""

    def __init__(self, result: Result, lang: str, value: Callable[[int, str], str | None]) -> None:
        self.result, self.lang, self.value = result, lang, value
        self.view = View(result, lang)
        self.visit_rows = result.verdicts.visits.to_dict(orient="records")
        findings = result.findings
        self.findings_of = (
            findings.groupby("_position", sort=False).indices if len(findings) else {}
        )
        self.finding_rows = findings.to_dict(orient="records")
        self.ids: set[str] = set()

    def of(self, rows: list[int], positions: list[int]) -> list[dict[str, Any]]:
        """One MD.07 per on-site visit with a colour among `rows` (a site's rows, oldest
        first), dated on or before the as-of date; their positions are appended to
        `positions`."""
        out = []
        as_of = self.result.as_of.isoformat()
        for position in rows:
            row = self.visit_rows[position]
            if not isinstance(row["status"], str) or row["visit_date"][:10] > as_of:
                continue
            positions.append(position)
            out.append(self.record(position, row))
        return out

    def record(self, position: int, row: dict[str, Any]) -> dict[str, Any]:
        who = {c: self.value(position, c) or "" for c in (*INSPECTOR, *RECORDING)}
        item = inspection_record(row, who, self.shown(position), self.lang)
        # Two records of one inspector in the same minute still get distinct ids.
        base, n = item["inspectionId"], 1
        while item["inspectionId"] in self.ids:
            n += 1
            item["inspectionId"] = f"{base}-{n}"
        self.ids.add(item["inspectionId"])
        return item

    def shown(self, position: int) -> dict[str, Any]:
        """The visit in words (as the view model words it), its findings with their cells."""
        row = self.visit_rows[position]
        found = self.findings_of.get(position, [])
        items = [self.view.finding(self.finding_rows[i]) for i in found]
        titles = self.view.titles
        return {
            "status_text": text(f"status.{row['status']}", self.lang),
            "reason_text": words.visit_reason(row, self.lang),
            "failed": [f for f in items if f["outcome"] == "fail"],
            "unknown": [f for f in items if f["outcome"] == "unknown"],
            "not_assessed": [
                {"criterion": c, "title": titles[c]} for c in row["not_assessed"].split()
            ],
        }


def inspection_record(
    row: Mapping[str, Any], who: dict[str, str], shown: dict[str, Any], lang: str
) -> dict[str, Any]:
    """The MD.07 object of one visit: `row` of Result.visits, `who` its inspector and recording
    answers, `shown` the visit in words (findings with their cells)."""
    item: dict[str, Any] = {"inspectionId": inspection_id(who, row)}
    date = str(row["visit_date"])[:10]
    if date:
        item["inspectionDate"] = date
    item["inspectionResult"] = Status(row["status"]).icglr_code
    if who.get("project"):
        item["inspectionPurpose"] = who["project"]
    item["inspectionResults"] = results_text(shown, lang)
    for key, column in (
        ("inspectorName", "inspector_name"),
        ("inspectorPosition", "inspector_function"),
        ("governmentAgency", "inspector_agency"),
        ("governmentId", "inspector_government_id"),
    ):
        if who[column]:
            item[key] = who[column]
    item["minesiteVisitId"] = str(row["visit_id"])
    item["minesiteStatus"] = row["status"]
    item["minesiteReason"] = row["reason"]
    if row["could_be"]:
        item["minesiteCouldBe"] = row["could_be"]
    # An incomplete visit (result 0) names what is missing: unknown answers, unasked questions.
    item["minesiteCompleteness"] = {
        "unknown": row["unknown"].split(),
        "notAssessed": row["not_assessed"].split(),
    }
    item["minesiteFindings"] = [
        {
            "criterion": f["criterion"],
            "severity": f["severity"],
            "outcome": f["outcome"],
            "answer": f["answer"] or "",
            "file": f["file"],
            "sheet": f["sheet"] or "",
            "row": f["row"],
            "column": f["column"] or "",
            "actorName": f["actor_name"] or "",
            "actorCategory": f["actor_category"] or "",
            "actorConduct": f["actor_conduct"],
        }
        for f in (*shown["failed"], *shown["unknown"])
    ]
    return item


def initials(name: str) -> str:
    """PS for Peter Smith; accents dropped (Éric -> E)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", folded)).upper()


def inspection_id(who: dict[str, str], row: Mapping[str, Any]) -> str:
    """Inspector's initials and the recording time (PS-2025-12-02-16-03), else the visit date
    and the visit id: a generated id unique to the visit."""
    prefix = initials(who["inspector_name"]) or "XX"
    # The form's end time, else the server's receipt (Kobo _submission_time, ODK SubmissionDate).
    recorded = who["recorded_at"] or who.get("_submission_time") or who.get("SubmissionDate", "")
    stamp = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})", recorded)
    if stamp:
        return f"{prefix}-{stamp.group(1)}-{stamp.group(2)}-{stamp.group(3)}"
    return f"{prefix}-{str(row['visit_date'])[:10]}-{row['visit_id']}"


def results_text(shown: dict[str, Any], lang: str) -> str:
    """The visit's verdict in words: status and reason, then what failed and what is missing."""
    parts = [f"{shown['status_text']}: {shown['reason_text']}"]
    for key, code in (("failed", "icglr.results.failed"), ("unknown", "icglr.results.unknown")):
        items = [
            f"{f['criterion']} {f['title']} ({f['evidence_text']}; {f['cell_text']})"
            for f in shown[key]
        ]
        if items:
            parts.append(text(code, lang, items=text("ui.list-sep", lang).join(items)))
    missing = [f"{c['criterion']} {c['title']}" for c in shown["not_assessed"]]
    if missing:
        items = text("ui.list-sep", lang).join(missing)
        parts.append(text("icglr.results.not-assessed", lang, items=items))
    return ". ".join(parts)
