"""Outcome matrix -> visit status (red, yellow, incomplete, green), reason code and could-be."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import canonical_answers, shared_vocabularies
from minesite.inputs import Inspection
from minesite.model import VISIT_STATUSES, Checklist, Criterion, Outcome, Severity, Status
from minesite.rules import Evidence

QUALIFICATION_PROJECT = "qualification status"
REJECTED = {"validation_status_not_approved", "not approved", "non approuvé", "rejected"}
"""Review states of a rejected submission: KoboToolbox `_validation_status`, ODK `ReviewState`."""
VISIT_REASONS = {
    Status.RED: "visit.red",
    Status.YELLOW: "visit.yellow",
    Status.INCOMPLETE: "visit.incomplete",
    Status.GREEN: "visit.green",
}
"""Reason code of each visit status; rows without a colour have a `row.*` code instead."""
STATUS_TYPE = pd.CategoricalDtype(list(reversed(VISIT_STATUSES)), ordered=True)
"""Visit status as an ordered categorical: green < incomplete < yellow < red."""


@dataclass
class Verdicts:
    """Every input row scored: the outcome matrix, its evidence and one verdict per row."""

    inspection: Inspection
    checklists: list[Checklist]
    criteria: list[Criterion]
    outcomes: np.ndarray
    """Visits x criteria matrix of Outcome codes."""
    evidence: list[Evidence]
    visits: pd.DataFrame
    """One row per input row (index = position): ids, cell, status (None = no colour), reason
    code, and the criteria failed, decisive, unknown and not assessed (ids joined by spaces)."""
    unrecognised: pd.DataFrame
    """Raw answers in no vocabulary: visit, criterion, column, actor, raw."""
    cache: dict = field(default_factory=dict, repr=False)
    """Derived columns computed once per scoring (the actors' evidence)."""

    def criterion_index(self, criterion_id: str) -> int:
        """Column of a criterion in the outcome matrix."""
        return next(j for j, c in enumerate(self.criteria) if c.id == criterion_id)


def decide(inspection: Inspection, criteria: list[Criterion], outcomes: np.ndarray) -> pd.DataFrame:
    """The verdict of every row (vectorised): status, reason code, could-be and criteria lists."""
    severity = np.array([c.severity for c in criteria], dtype=object)
    red = severity == Severity.RED
    yellow = severity == Severity.YELLOW
    effect = red | yellow
    fail = outcomes == Outcome.FAIL
    unknown = (outcomes == Outcome.UNKNOWN) & effect
    not_assessed = (outcomes == Outcome.NOT_ASSESSED) & effect
    red_fail = (fail & red).any(axis=1)
    yellow_fail = (fail & yellow).any(axis=1)
    # Missing data never scores green: nothing failed but something with a status effect is
    # unknown or not assessed, so the visit cannot qualify.
    missing = unknown | not_assessed
    incomplete = missing.any(axis=1)
    status = np.select(
        [red_fail, yellow_fail, incomplete],
        [Status.RED.value, Status.YELLOW.value, Status.INCOMPLETE.value],
        Status.GREEN.value,
    ).astype(object)
    # The worst colour the visit could carry once its unknowns are answered.
    could_red = red_fail | (missing & red).any(axis=1)
    could_yellow = yellow_fail | (missing & yellow).any(axis=1)
    could_be = np.select([could_red, could_yellow], ["red", "yellow"], "green").astype(object)
    reason = np.select(
        [status == s.value for s in VISIT_REASONS], list(VISIT_REASONS.values()), ""
    ).astype(object)
    no_colour = no_colour_reasons(inspection)
    scored = no_colour == ""
    ids = np.array([c.id for c in criteria], dtype=object)
    decisive = fail & np.where(red_fail[:, None], red[None, :], yellow[None, :])
    scored_mask = scored[:, None]
    visits = inspection.visits

    def column(name: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
        # The text as read (Arrow strings): no million Python strings made and unmade.
        if name in visits.columns:
            return visits[name].fillna("").array
        return np.full(len(visits), "", dtype=object)

    return pd.DataFrame(
        {
            "visit_id": column("vid"),
            "site_id": column("pcode"),
            "site_name": column("name"),
            "visit_date": column("visit_date"),
            "row": visits["_row"].to_numpy(),
            "source": visits["_source"].to_numpy(),
            # object dtype: pandas >= 3 would infer str and turn "no colour" (None) into NaN.
            "status": pd.Series(np.where(scored, status, None), dtype=object),
            "reason": np.where(scored, reason, no_colour),
            "could_be": np.where(scored, could_be, ""),
            "decisive": join_ids(ids, decisive & scored_mask),
            "failed": join_ids(ids, fail & effect & scored_mask),
            "unknown": join_ids(ids, unknown & scored_mask),
            "not_assessed": join_ids(ids, not_assessed & scored_mask),
        }
    )


def no_colour_reasons(inspection: Inspection) -> np.ndarray:
    """Reason code per row for rows that get no colour of their own, '' for scored rows."""
    visits = inspection.visits
    reason = np.full(len(visits), "", dtype=object)
    data_columns = [c for c in visits.columns if not c.startswith("_")]
    # Only rows whose first column is blank can be empty: check the others for those alone.
    if data_columns:
        candidates = np.flatnonzero(_blank(visits[data_columns[0]]))
        if len(candidates):
            rest = visits.iloc[candidates][data_columns]
            empty = np.all([_blank(rest[c]) for c in data_columns], axis=0)
            reason[candidates[empty]] = "row.empty"
    if "project" in visits.columns:
        qualification = visits["project"].fillna("").str.strip().str.casefold()
        reason[(qualification == QUALIFICATION_PROJECT).to_numpy() & (reason == "")] = (
            "row.qualification"
        )
    # A submission its project rejected (Kobo "not approved", ODK Central "rejected") is counted
    # and listed, never scored.
    for column in ("_validation_status", "ReviewState"):
        if column in visits.columns:
            said = visits[column].fillna("").str.strip().str.casefold()
            rejected = said.isin(REJECTED).to_numpy() & (reason == "")
            reason[rejected] = "row.rejected"
    if "visit_onsite" in visits.columns:
        onsite = canonical_answers(visits["visit_onsite"], shared_vocabularies()["yes-no"])
        reason[onsite.eq("no") & (reason == "")] = "row.not-onsite"
    return reason


def _blank(values: pd.Series) -> np.ndarray:
    return (values.fillna("").str.strip() == "").to_numpy()


def join_ids(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row, the ids where mask is true, joined by ' ' (empty string when none).

    Rows share a few hundred distinct patterns: join each distinct pattern once."""
    if not mask.size:
        return np.full(mask.shape[0], "", dtype=object)
    # Each row's pattern as integers of 63 bits (one per criterion), then unique patterns.
    chunks = [
        mask[:, start : start + 63].astype(np.uint64)
        @ (np.uint64(1) << np.arange(min(63, mask.shape[1] - start), dtype=np.uint64))
        for start in range(0, mask.shape[1], 63)
    ]
    keys = chunks[0] if len(chunks) == 1 else np.column_stack(chunks)
    _, first, inverse = np.unique(
        keys, axis=0 if keys.ndim > 1 else None, return_index=True, return_inverse=True
    )
    texts = np.array([" ".join(ids[mask[row]]) for row in first], dtype=object)
    return texts[inverse.reshape(-1)]
