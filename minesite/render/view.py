"""The view model every renderer shares: a Result as plain data, codes beside their words.

Keys and codes never change with the language; each `*_text` field holds the words in `lang`.
The JSON document is this model as is; the terminal, HTML and PDF lay it out.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from minesite.model import SHOW_ORDER, VISIT_STATUSES
from minesite.render import words
from minesite.render.i18n import text
from minesite.render.site_reasons import Briefs, site_reasons
from minesite.render.summary import summary as summary_of
from minesite.render.summary import unrecognised as unrecognised_of
from minesite.result import Result

FINDING_KEYS = (
    "criterion",
    "severity",
    "outcome",
    "answer",
    "file",
    "sheet",
    "row",
    "column",
    "actor_name",
    "actor_category",
    "actor_conduct",
)


BRIEF_COLUMNS = (
    "_position",
    "criterion",
    "outcome",
    "answer",
    "actor_name",
    "actor_category",
    "actor_conduct",
)
"""The findings columns a site reason's brief reads (render/words.brief_table)."""


class View:
    """A Result in one language: summary, visits, sites, conflicts as dicts of plain values."""

    def __init__(self, result: Result, lang: str) -> None:
        from minesite.policy import load_policy

        self.result = result
        self.lang = lang
        self.titles = {c.id: c.title_in(lang) for c in result.criteria}
        self.severity = {c.id: c.severity.value for c in result.criteria}
        self.blue_years = load_policy(result.profile).blue_max_years

    @cached_property
    def _rows_of(self) -> dict[int, np.ndarray]:
        """Visit position -> rows of the findings frame (built once, on first use)."""
        findings = self.result.findings
        if not len(findings):
            return {}
        return {int(k): v for k, v in findings.groupby("_position", sort=False).indices.items()}

    @cached_property
    def briefs(self) -> dict[tuple[int, str], str]:
        """(visit, criterion) -> a failed criterion in a few words, for a site's reason."""
        table = self.brief_table
        keys = zip(table["_position"].tolist(), table["criterion"].tolist(), strict=True)
        return dict(zip(keys, table["_brief"].tolist(), strict=True))

    @cached_property
    def brief_table(self) -> pd.DataFrame:
        """The briefs as a table (`_position`, `criterion`, `_brief`), for every site's reason
        at once."""
        return words.brief_table(self._site_findings(), self.titles, self.lang)

    def _site_findings(self) -> pd.DataFrame:
        """Findings of the visits that decide or hold a site (for the sites' reasons), and of
        the off-site rows that report an armed group (they have no colour of their own)."""
        sites = self.result.sites
        positions = np.r_[sites["_position"].to_numpy(), sites["_since"].to_numpy()]
        given = self.result.given_findings
        # A partitioned run's failed findings as kept (no ids: the briefs do not read them).
        findings = given if given is not None and self.result.site is None else self.result.findings
        # Only failed criteria name a site's reason: filter on the outcome first (cheap, a
        # category), then take the few columns a brief reads.
        failed = findings["outcome"] == "fail"
        wanted = failed & findings["_position"].isin(positions[positions >= 0])
        shown = findings.loc[wanted, list(BRIEF_COLUMNS)]
        off = sites.loc[sites["reason"] == "site.armed-group-reported-off-site", "_since"]
        if not len(off):
            return shown
        reported = self.result.failed_findings(off.to_numpy())
        return pd.concat([shown, reported[list(BRIEF_COLUMNS)]], ignore_index=True)

    # -- summary -------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts in and out, statuses, files, checklists, scope, notes, what was not assessed."""
        return summary_of(self)

    def unrecognised(self) -> list[dict[str, Any]]:
        """Each raw answer outside the vocabularies, with its cell (of the rows shown)."""
        return unrecognised_of(self)

    # -- visits ----------------------------------------------------------------------------
    def visit(self, position: int) -> dict[str, Any]:
        """One input row: identity, cell, status, reason and every failed or unknown criterion."""
        result, lang = self.result, self.lang
        row = result.verdicts.visits.loc[position]
        source = result.inspection.sources[int(row["source"])]
        status = row["status"] if isinstance(row["status"], str) else None
        rows = self._rows_of.get(position)
        items = []
        if rows is not None and status is not None:
            found = self.result.findings.iloc[rows].to_dict(orient="records")
            items = [self.finding(f) for f in found]
        return {
            "visit_id": row["visit_id"] or None,
            "site_id": row["site_id"] or None,
            "site_name": row["site_name"] or None,
            "visit_date": row["visit_date"] or None,
            "file": source.path.name,
            "sheet": source.sheet,
            "row": int(row["row"]),
            "status": status,
            "status_text": text(f"status.{status}", lang) if status else None,
            "reason": row["reason"],
            "reason_text": words.visit_reason(row, lang),
            "could_be": row["could_be"] or None,
            "could_be_text": words.could_be(row, lang) or None,
            "decisive": row["decisive"].split(),
            "failed": [f for f in items if f["outcome"] == "fail"],
            "unknown": [f for f in items if f["outcome"] == "unknown"],
            "not_assessed": [
                {"criterion": c, "title": self.titles[c]} for c in row["not_assessed"].split()
            ],
        }

    def finding(self, found: dict[str, Any]) -> dict[str, Any]:
        """A finding with its title, evidence and cell in words."""
        item = {k: _plain(found.get(k)) for k in FINDING_KEYS}
        item["actor_conduct"] = str(found.get("actor_conduct") or "").split()
        item["sheet"] = item["sheet"] or None
        item["title"] = self.titles.get(item["criterion"], "")
        item["evidence_text"] = words.evidence(found, self.lang)
        item["cell_text"] = words.cell(
            item["file"], item["sheet"], item["row"], item["column"], self.lang
        )
        return item

    def shown_visits(self) -> list[int]:
        """Positions of the visits to explain: not green, worst first, then input order."""
        visits = self.result.visits
        rank = {s: i for i, s in enumerate(SHOW_ORDER)}
        coloured = visits[visits["status"].isin([s for s in VISIT_STATUSES if s != "green"])]
        order = coloured.assign(_rank=coloured["status"].map(rank)).sort_values(
            ["_rank", "row"], kind="stable"
        )
        return [int(p) for p in order.index]

    # -- sites -----------------------------------------------------------------------------
    def site(self, row: dict[str, Any]) -> dict[str, Any]:
        """One site: status, reason code and words, validity and the published qualification."""
        lang = self.lang
        return {
            "site_id": row["site_id"],
            "site_name": row["site_name"],
            "status": row["status"],
            "status_text": text(f"status.{row['status']}", lang),
            "reason": row["reason"],
            "reason_text": self.site_reason(row),
            "criteria": str(row["criteria"]).split(),
            "decided_by_visit": row["decided_by_visit"] or None,
            "decided_by_row": int(row["decided_by_row"]) or None,
            "visit_date": row["visit_date"] or None,
            "valid_until": row["valid_until"] or None,
            "remediation_deadline": row["remediation_deadline"] or None,
            "next_inspection_due": row["next_inspection_due"] or None,
            "overdue": bool(row["overdue"]),
            "blue_since": row["blue_since"] or None,
            "since_visit": row["since_visit"] or None,
            "since_date": row["since_date"] or None,
            "undated_visits": int(row["undated_visits"]),
            "no_visit_reason": row["no_visit_reason"] or None,
            "off_site_report_visit": row["off_site_report_visit"] or None,
            "published_qualification": row["published_qualification"] or None,
            "published_date": row["published_date"] or None,
            "conflict": row["conflict"] or None,
        }

    def site_reason(self, row: dict[str, Any]) -> str:
        """A site's reason in words, with the evidence of the visit behind it."""
        return words.site_reason(row, self.briefs, self.lang, blue_years=self.blue_years)

    def sites(self) -> list[dict[str, Any]]:
        """Every site shown, worst first."""
        ordered = _worst_first(self.result.sites)
        return [self.site(r) for r in ordered.to_dict(orient="records")]

    def site_batches(self, size: int) -> Iterator[tuple[np.ndarray, pd.DataFrame]]:
        """The sites table (codes, then words) in batches of `size` rows, in its order, each
        with its rows' positions in `result.sites`: the words of a million sites' reasons are
        never all held at once."""
        ordered = _worst_first(self.result.sites)
        words_of = {s: text(f"status.{s}", self.lang) for s in SHOW_ORDER}
        briefs = Briefs(self.brief_table)
        for start in range(0, max(len(ordered), 1), size):
            part = ordered.iloc[start : start + size]
            table = part.drop(columns=["_position", "_since"]).reset_index(drop=True)
            table["status_text"] = table["status"].map(words_of)
            table["reason_text"] = site_reasons(part, briefs, self.lang, blue_years=self.blue_years)
            yield part.index.to_numpy(), table

    def conflicts(self) -> list[dict[str, Any]]:
        """Conflicts and unverifiable greens, each with its words."""
        rows = self.result.conflicts.to_dict(orient="records")
        return [
            {**{k: _plain(v) for k, v in r.items()}, "text": words.conflict(r, self.lang)}
            for r in rows
        ]

    def document(self) -> dict[str, Any]:
        """The whole JSON document: summary, one item per input row, sites, conflicts."""
        return {
            "summary": self.summary(),
            "visits": [self.visit(int(p)) for p in self.result.positions()],
            "sites": self.sites(),
            "conflicts": self.conflicts(),
        }


def _worst_first(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites, worst status first, then by code: sorted by Arrow (stable, code points in
    order), not through a Python string per site and a factorized copy of each key."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rank = {s: i for i, s in enumerate(SHOW_ORDER)}
    keys = pa.table(
        {
            "rank": sites["status"].map(rank).to_numpy(dtype=float),
            "site": pa.array(sites["site_id"].astype("str"), from_pandas=True),
        }
    )
    order = pc.sort_indices(keys, sort_keys=[("rank", "ascending"), ("site", "ascending")])
    return sites.iloc[order.to_numpy()]


def _plain(value: Any) -> Any:
    """numpy scalars -> Python, NaN -> None (JSON has neither)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
