"""Result: the one object a run produces, that every renderer, the JSON and a notebook read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from minesite.errors import Position
from minesite.findings import findings_frame
from minesite.inputs import Inspection
from minesite.model import RANK, SITE_STATUSES, VISIT_STATUSES, Checklist, Criterion, Outcome
from minesite.verdicts import STATUS_TYPE, Verdicts


@dataclass(frozen=True)
class Note:
    """Something about the whole run a reader must know (a code and its parameters)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    position: Position | None = None
    """The cell or file it is about, when there is one (a reader's warning)."""


@dataclass
class Result:
    """A scored run: visits, findings, sites, conflicts, as of a date, under a profile.

    `visits`, `sites`, `conflicts` and `findings` hold only the `site` asked for, when one was."""

    verdicts: Verdicts
    all_sites: pd.DataFrame
    all_conflicts: pd.DataFrame
    as_of: dt.date
    profile: str
    history: bool = False
    site: str | None = None
    notes: list[Note] = field(default_factory=list)
    """Run-level notes: keys read from the row, not-assessed criteria, cells with no key..."""
    titles: Any = None
    """The cadastre's title polygons (minesite.cadastre.Titles) when one was given: the site
    maps draw them."""
    given_findings: pd.DataFrame | None = field(default=None, repr=False)
    """A partitioned run (minesite.partitions) keeps only the failed findings, the evidence
    of each partition being gone once its tables are written."""

    @property
    def inspection(self) -> Inspection:
        """The canonical input tables the verdicts were read from."""
        return self.verdicts.inspection

    @property
    def checklists(self) -> list[Checklist]:
        """The checklists applied, each with the profile it was loaded under."""
        return self.verdicts.checklists

    @property
    def criteria(self) -> list[Criterion]:
        """Every criterion scored, in outcome-matrix order."""
        return self.verdicts.criteria

    @property
    def outcomes(self) -> np.ndarray:
        """Visits x criteria matrix of Outcome codes (rows: input positions, columns:
        `criteria`)."""
        return self.verdicts.outcomes

    def outcome(self, position: int, criterion_id: str) -> Outcome:
        """One criterion's outcome for the visit at input `position`."""
        return Outcome(int(self.outcomes[position, self.verdicts.criterion_index(criterion_id)]))

    @cached_property
    def visits(self) -> pd.DataFrame:
        """One row per input row (of the chosen site); index = position in the input."""
        visits = self.verdicts.visits
        if self.site is None:
            return visits
        return visits[visits["site_id"] == self.site]

    @cached_property
    def sites(self) -> pd.DataFrame:
        """One row per site: status, reason code and its parameters, validity, conflicts."""
        if self.site is None:
            return self.all_sites
        return self.all_sites[self.all_sites["site_id"] == self.site].reset_index(drop=True)

    @cached_property
    def conflicts(self) -> pd.DataFrame:
        """Conflicts (kind "conflict") and unverifiable greens with published qualifications."""
        if self.site is None:
            return self.all_conflicts
        chosen = self.all_conflicts["site_id"] == self.site
        return self.all_conflicts[chosen].reset_index(drop=True)

    @cached_property
    def findings(self) -> pd.DataFrame:
        """Long frame: one row per failed or unknown criterion per scored visit, with its cell
        (`_position`: the visit's position in the input). After a partitioned run: the failed
        findings only (the others were written partition by partition)."""
        if self.given_findings is not None:
            scored = self.visits.index[self.visits["status"].notna().to_numpy()]
            chosen = self.given_findings["_position"].isin(scored)
            return self._with_ids(self.given_findings[chosen])
        return findings_frame(self.verdicts, self.visits.index.to_numpy()).reset_index(drop=True)

    def failed_findings(self, positions: np.ndarray) -> pd.DataFrame:
        """The failed findings of the rows at `positions`, rows without a colour included (an
        armed group reported from outside a site)."""
        if self.given_findings is not None:
            found = self.given_findings
            return self._with_ids(found[found["_position"].isin(positions)])
        found = findings_frame(self.verdicts, positions, scored_only=False)
        return found[found["outcome"] == "fail"].reset_index(drop=True)

    def _with_ids(self, found: pd.DataFrame) -> pd.DataFrame:
        """Kept findings with their visit and site ids again (a partitioned run keeps only the
        visit's position: two ids a finding would cost 40 bytes each)."""
        at = found["_position"].to_numpy(dtype=np.int64)
        visits = self.verdicts.visits
        found = found.reset_index(drop=True)
        found.insert(0, "visit_id", visits["visit_id"].array.take(at))
        found.insert(1, "site_id", visits["site_id"].array.take(at))
        return found

    def status_frame(self) -> pd.Series:
        """Visit statuses as an ordered categorical (green < incomplete < yellow < red)."""
        return self.visits["status"].astype(STATUS_TYPE)

    def counts(self) -> dict[str, int]:
        """Visits by status, every status present even at zero."""
        counts = self.visits["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in VISIT_STATUSES}

    def site_counts(self) -> dict[str, int]:
        """Sites by status, every status present even at zero."""
        counts = self.sites["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in SITE_STATUSES}

    def no_colour(self) -> dict[str, int]:
        """Rows without a colour of their own, by reason code."""
        rows = self.visits[self.visits["status"].isna()]
        # As plain text: a categorical column (a partitioned run) would count every category.
        counts = rows["reason"].astype(object).value_counts(sort=False)
        return {str(k): int(v) for k, v in counts.items()}

    def not_assessed(self) -> list[Criterion]:
        """Criteria that no input file could assess (no column)."""
        outcomes = self.verdicts.outcomes
        if not len(outcomes):
            return []
        missing = (outcomes == Outcome.NOT_ASSESSED).all(axis=0)
        return [c for c, gone in zip(self.criteria, missing, strict=True) if gone]

    def not_asked(self) -> dict[str, list[str]]:
        """Criterion id -> the input files whose form does not ask it (reported once per file,
        not per visit: only blank answers count against a team's data quality)."""
        outcomes = self.verdicts.outcomes
        source = self.verdicts.visits["source"].to_numpy()
        found: dict[str, list[str]] = {}
        for k, item in enumerate(self.inspection.sources):
            mine = source == k
            if not mine.any():
                continue
            gone = (outcomes[mine] == Outcome.NOT_ASSESSED).all(axis=0)
            for criterion, missing in zip(self.criteria, gone, strict=True):
                if missing:
                    found.setdefault(criterion.id, []).append(item.path.name)
        return found

    def worst(self) -> str | None:
        """The worst visit status shown (None when no visit has a colour)."""
        statuses = self.visits["status"].dropna()
        if not len(statuses):
            return None
        return max(statuses.unique(), key=lambda s: RANK[s])

    def fails(self, threshold: str = "incomplete") -> bool:
        """Is any shown visit at `threshold` or worse? An incomplete visit counts as yellow;
        with the incomplete threshold, no scored visit at all also fails (nothing is green)."""
        if threshold == "incomplete" and not self.visits["status"].notna().any():
            return True
        floor = RANK["incomplete"] if threshold == "yellow" else RANK[threshold]
        ranks = self.visits["status"].dropna().map(RANK)
        return bool((ranks >= floor).any())

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        scope = f", site={self.site!r}" if self.site else ""
        return (
            f"<Result {len(self.visits)} rows ({counts}); {len(self.sites)} sites; "
            f"{int((self.conflicts['kind'] == 'conflict').sum()) if len(self.conflicts) else 0}"
            f" conflicts; profile={self.profile}; as_of={self.as_of.isoformat()}{scope}>"
        )

    def positions(self) -> np.ndarray:
        """Input positions of the rows shown (all, or the chosen site's)."""
        return self.visits.index.to_numpy()
