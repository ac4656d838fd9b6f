"""The result of scoring: verdicts per visit, and the findings that explain them with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.inputs import Inspection
from minesite.model import Checklist, Criterion, Outcome, Status
from minesite.rules import Evidence


@dataclass(frozen=True)
class Finding:
    """One criterion's outcome for one visit, with the raw answer and the cell it came from."""

    criterion: str
    title: str
    severity: str
    outcome: str
    answer: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None


@dataclass
class Report:
    """Scored inspection: one verdict per input row, explainable down to the source cell."""

    inspection: Inspection
    checklists: list[Checklist]
    profile: str
    criteria: list[Criterion]
    outcomes: np.ndarray
    """Visits x criteria matrix of Outcome codes."""
    evidence: list[Evidence]
    visits: pd.DataFrame
    """One row per input row: visit_id, site_id, row, status (None = no colour), reason..."""
    unrecognised: pd.DataFrame
    """Raw answers in no vocabulary: visit, criterion, column, actor, raw."""

    @property
    def ok(self) -> bool:
        """True when every coloured visit is green."""
        coloured = self.visits["status"].dropna()
        return bool((coloured == Status.GREEN.value).all())

    def counts(self) -> dict[str, int]:
        """Visits by colour (green, yellow, red), every colour present even at zero."""
        counts = self.visits["status"].value_counts()
        return {
            s.value: int(counts.get(s.value, 0)) for s in (Status.GREEN, Status.YELLOW, Status.RED)
        }

    def no_colour(self) -> dict[str, int]:
        """Rows without a colour of their own, by reason."""
        rows = self.visits[self.visits["status"].isna()]
        return {str(k): int(v) for k, v in rows["reason"].value_counts(sort=False).items()}

    def missing_columns(self) -> list[str]:
        """Criteria that no input file could assess, with the columns they need."""
        if not len(self.outcomes):  # a file with a header and no rows: nothing was assessed
            return []
        missing = (self.outcomes == Outcome.NOT_ASSESSED).all(axis=0)
        return [
            f"{c.id} ({', '.join(c.columns if c.rule != 'any_actor' else [c.params['presence']])})"
            for c, gone in zip(self.criteria, missing, strict=True)
            if gone
        ]

    def findings(
        self,
        position: int,
        *,
        lang: str = "en",
        outcomes: tuple[Outcome, ...] = (Outcome.FAIL, Outcome.UNKNOWN),
    ) -> list[Finding]:
        """The failed and unknown criteria of one visit, each with its evidence cell."""
        found = []
        for j, criterion in enumerate(self.criteria):
            outcome = Outcome(int(self.outcomes[position, j]))
            if outcome not in outcomes:
                continue
            found.append(self._finding(position, j, criterion, outcome, lang))
        return found

    def _finding(
        self, position: int, j: int, criterion: Criterion, outcome: Outcome, lang: str
    ) -> Finding:
        evidence = self.evidence[j]
        at = np.array([position])
        column = str(evidence.column_at(at)[0])
        actor = int(evidence.actor_at(at)[0])
        if outcome == Outcome.NOT_ASSESSED:
            source = self.inspection.sources[int(self.inspection.visits["_source"].iat[position])]
            row, header, answer = None, None, ""
        elif actor >= 0:
            source, row, header = self.inspection.actor_cell(actor, column)
            answer = str(evidence.raw_at(at)[0])
        else:
            source, row, header = self.inspection.cell(position, column)
            answer = str(evidence.raw_at(at)[0])
        return Finding(
            criterion=criterion.id,
            title=criterion.title_in(lang),
            severity=criterion.severity.value,
            outcome=outcome.label,
            answer="" if answer == "nan" else answer,
            file=Path(source.path).name,
            sheet=source.sheet,
            row=row,
            column=header,
        )

    def unrecognised_cells(self) -> list[dict[str, object]]:
        """Each raw answer outside the vocabularies, with its cell."""
        cells = []
        for item in self.unrecognised.itertuples(index=False):
            if int(item.actor) >= 0:
                source, row, header = self.inspection.actor_cell(int(item.actor), item.column)
            else:
                source, row, header = self.inspection.cell(int(item.visit), item.column)
            cells.append(
                {
                    "criterion": item.criterion,
                    "answer": item.raw,
                    "file": source.path.name,
                    "sheet": source.sheet,
                    "row": row,
                    "column": header,
                }
            )
        return cells


def findings_frame(report: Report, *, lang: str = "en") -> pd.DataFrame:
    """One row per failed or unknown criterion per scored visit, with its source cell."""
    inspection = report.inspection
    visits = report.visits
    scored = visits["status"].notna().to_numpy()
    names = np.array([s.path.name for s in inspection.sources], dtype=object)
    source = visits["source"].to_numpy()
    parts = []
    for j, criterion in enumerate(report.criteria):
        outcome = report.outcomes[:, j]
        positions = np.flatnonzero(
            scored & ((outcome == Outcome.FAIL) | (outcome == Outcome.UNKNOWN))
        )
        if not len(positions):
            continue
        evidence = report.evidence[j]
        column = evidence.column_at(positions)
        sheet, row, header = inspection.cells(positions, column, evidence.actor_at(positions))
        parts.append(
            pd.DataFrame(
                {
                    # Taken from the (Arrow-backed) columns: no per-row Python strings.
                    "visit_id": visits["visit_id"].iloc[positions].reset_index(drop=True),
                    "site_id": visits["site_id"].iloc[positions].reset_index(drop=True),
                    "file": names[source[positions]],
                    "sheet": sheet,
                    "row": row,
                    "criterion": criterion.id,
                    "title": criterion.title_in(lang),
                    "severity": criterion.severity.value,
                    "outcome": np.where(outcome[positions] == Outcome.FAIL, "fail", "unknown"),
                    "answer": evidence.raw_at(positions),
                    "column": header,
                }
            )
        )
    columns = [
        "visit_id",
        "site_id",
        "file",
        "sheet",
        "row",
        "criterion",
        "title",
        "severity",
        "outcome",
        "answer",
        "column",
    ]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)
