"""Machine-readable renderings of a Report (JSON document with one item per input row)."""

from __future__ import annotations

import json
from typing import Any

from minesite.findings import Report
from minesite.model import Outcome
from minesite.report.labels import label


def to_document(report: Report, *, lang: str = "en", site: str | None = None) -> dict[str, Any]:
    """The whole report as plain data: summary, then one item per input row."""
    visits = report.visits
    sources = report.inspection.sources
    items = []
    for position in _positions(report, site):
        row = visits.iloc[position]
        source = sources[int(row["source"])]
        status = row["status"]
        findings = (
            [f.__dict__ for f in report.findings(position, lang=lang)] if status is not None else []
        )
        items.append(
            {
                "visit_id": row["visit_id"] or None,
                "site_id": row["site_id"] or None,
                "site_name": row["site_name"] or None,
                "visit_date": row["visit_date"] or None,
                "file": source.path.name,
                "sheet": source.sheet,
                "row": int(row["row"]),
                "status": status,
                "reason": label(row["reason"], lang),
                "decisive": row["decisive"].split(),
                "unknown": row["unknown"].split(),
                "findings": findings,
            }
        )
    return {
        "summary": summary(report, lang=lang),
        "visits": items,
    }


def _positions(report: Report, site: str | None) -> list[int]:
    if site is None:
        return list(range(len(report.visits)))
    return [int(i) for i in (report.visits["site_id"] == site).to_numpy().nonzero()[0]]


def summary(report: Report, *, lang: str = "en") -> dict[str, Any]:
    """Counts in and out, colours, files, checklists and what could not be assessed."""
    counts = report.counts()
    return {
        "rows_read": len(report.visits),
        "visits_coloured": sum(counts.values()),
        "rows_without_colour": {label(k, lang): v for k, v in report.no_colour().items()},
        "counts": counts,
        "profile": report.profile,
        "checklists": [{"id": c.id, "version": c.version} for c in report.checklists],
        "files": [
            {
                "file": s.path.name,
                "sheet": s.sheet,
                "dialect": s.dialect,
                "sha256": s.sha256,
                "rows": s.rows,
            }
            for s in report.inspection.sources
        ],
        "not_assessed": report.missing_columns(),
        "unrecognised_answers": report.unrecognised_cells(),
        "outcome_codes": [o.label for o in Outcome],
    }


def to_json(report: Report, *, lang: str = "en", site: str | None = None) -> str:
    """The JSON document printed by `minesite validate --format json`."""
    return json.dumps(to_document(report, lang=lang, site=site), ensure_ascii=False, indent=1)
