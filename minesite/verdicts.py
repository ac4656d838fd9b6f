"""Outcome matrix -> visit status (red, yellow, incomplete, green), reason code and could-be."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

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
    cache: dict = field(default_factory=dict, init=False, repr=False)
    """Derived columns computed once per scoring (the actors' evidence, the site codes); not
    an argument, so a Verdicts made by `dataclasses.replace` starts with none."""

    def site_codes(self) -> tuple[np.ndarray, pd.Index]:
        """Each visit's site as an integer code into the site ids ("" for a visit without
        one), hashed once for site status and the sites table."""
        if "site_codes" not in self.cache:
            codes, ids = pd.factorize(self.visits["site_id"].fillna(""), use_na_sentinel=True)
            self.cache["site_codes"] = codes, ids
        return self.cache["site_codes"]

    def criterion_index(self, criterion_id: str) -> int:
        """Column of a criterion in the outcome matrix."""
        return next(j for j, c in enumerate(self.criteria) if c.id == criterion_id)


def decide(inspection: Inspection, criteria: list[Criterion], outcomes: np.ndarray) -> pd.DataFrame:
    """The verdict of every row (vectorised): status, reason code, could-be and criteria lists."""
    severity = np.array([c.severity for c in criteria], dtype=object)
    red = severity == Severity.RED
    yellow = severity == Severity.YELLOW
    effect = red | yellow
    failed = (outcomes == Outcome.FAIL) & effect
    unknown = (outcomes == Outcome.UNKNOWN) & effect
    not_assessed = (outcomes == Outcome.NOT_ASSESSED) & effect
    # A row's failures decide its colour: judge each distinct pattern of failures once.
    first, inverse = _patterns(failed)
    red_fail = failed[first][:, red].any(axis=1)[inverse]
    yellow_fail = failed[first][:, yellow].any(axis=1)[inverse]
    # Missing data never scores green: nothing failed but something with a status effect is
    # unknown or not assessed, so the visit cannot qualify.
    missing = unknown | not_assessed
    incomplete = missing.any(axis=1)
    # Per row a small code into a table of texts: no million strings made by numpy.
    status = np.select([red_fail, yellow_fail, incomplete], [0, 1, 2], 3)
    # The worst colour the visit could carry once its unknowns are answered.
    could_red = red_fail | (missing & red).any(axis=1)
    could_yellow = yellow_fail | (missing & yellow).any(axis=1)
    could_be = np.select([could_red, could_yellow], [0, 1], 2)
    no_colour = no_colour_codes(inspection)
    scored = no_colour == 0
    ids = np.array([c.id for c in criteria], dtype=object)
    visits = inspection.visits
    statuses = [Status.RED, Status.YELLOW, Status.INCOMPLETE, Status.GREEN]
    reasons = [VISIT_REASONS[s] for s in statuses]

    def column(name: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
        # The text as read (Arrow strings): no million Python strings made and unmade. In one
        # chunk: the reader's hundreds make every later take (findings, sites) look each up.
        if name in visits.columns:
            return _one_chunk(visits[name].fillna("").array)
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
            "status": pd.Series(
                np.array([s.value for s in statuses] + [None], dtype=object)[
                    np.where(scored, status, len(statuses))
                ],
                dtype=object,
            ),
            "reason": _texts(
                [*reasons, *NO_COLOUR[1:]],
                np.where(scored, status, len(reasons) - 1 + no_colour),
            ),
            "could_be": _texts(["red", "yellow", "green", ""], np.where(scored, could_be, 3)),
            # The failures of the worst colour decide.
            "decisive": _joined(
                ids, failed, scored, lambda row: row & (red if (row & red).any() else yellow)
            ),
            "failed": _joined(ids, failed, scored),
            "unknown": _joined(ids, unknown, scored),
            "not_assessed": _joined(ids, not_assessed, scored),
        }
    )


NO_COLOUR = ("", "row.empty", "row.qualification", "row.rejected", "row.not-onsite")
"""Reason codes of rows that get no colour of their own; '' (code 0) for scored rows."""


def no_colour_codes(inspection: Inspection) -> np.ndarray:
    """Per row, its reason code's index in NO_COLOUR (0 for a scored row)."""
    visits = inspection.visits
    reason = np.zeros(len(visits), dtype=np.int8)
    data_columns = [c for c in visits.columns if not c.startswith("_")]
    # Only rows whose first column is blank can be empty: check the others for those alone.
    if data_columns:
        candidates = np.flatnonzero(_blank(visits[data_columns[0]]))
        if len(candidates):
            rest = visits.iloc[candidates][data_columns]
            empty = np.all([_blank(rest[c]) for c in data_columns], axis=0)
            reason[candidates[empty]] = 1
    if "project" in visits.columns:
        qualification = _folded_in(visits["project"], {QUALIFICATION_PROJECT})
        reason[qualification & (reason == 0)] = 2
    # A submission its project rejected (Kobo "not approved", ODK Central "rejected") is counted
    # and listed, never scored.
    for column in ("_validation_status", "ReviewState"):
        if column in visits.columns:
            rejected = _folded_in(visits[column], REJECTED) & (reason == 0)
            reason[rejected] = 3
    if "visit_onsite" in visits.columns:
        onsite = canonical_answers(visits["visit_onsite"], shared_vocabularies()["yes-no"])
        reason[onsite.eq("no") & (reason == 0)] = 4
    return reason


def _blank(values: pd.Series) -> np.ndarray:
    return (values.fillna("").str.strip() == "").to_numpy()


def _folded_in(values: pd.Series, wanted: set[str]) -> np.ndarray:
    """Per cell: is it, stripped and case-folded, one of `wanted`? Each distinct text once."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    # One row of each distinct text, then one missing row (code -1 picks the last) if any.
    rows = np.r_[_first_rows(codes), np.flatnonzero(codes == -1)[:1]]
    folded = values.iloc[rows].fillna("").str.strip().str.casefold()
    return folded.isin(wanted).to_numpy(dtype=bool)[codes]


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The first row of each code of a factorisation (codes numbered by first appearance,
    -1 for missing): where a code exceeds every code before it."""
    seen = np.maximum.accumulate(np.r_[-1, codes[:-1]]) if len(codes) else codes
    return np.flatnonzero(codes > seen)


def _texts(choices: list[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Arrow strings `choices[codes]`, built in Arrow (the dtype pandas infers for str)."""
    table = pa.array(choices, type=pa.large_string())
    return pd.arrays.ArrowStringArray(table.take(pa.array(codes)), dtype=_STR)


_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def _patterns(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows sharing one pattern of `mask`: a row holding each distinct pattern, and each row's
    pattern as an index into those rows."""
    if not mask.shape[1]:
        return np.arange(min(1, len(mask))), np.zeros(len(mask), dtype=np.intp)
    # Each row's pattern as bits packed into 64-bit words (8 criteria a byte).
    packed = np.packbits(mask, axis=1)
    words = np.zeros((len(packed), -(-packed.shape[1] // 8) * 8), dtype=np.uint8)
    words[:, : packed.shape[1]] = packed
    keys = words.view(np.uint64)
    if keys.shape[1] == 1:
        inverse, _ = pd.factorize(keys[:, 0])
        return _first_rows(inverse), inverse
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _joined(
    ids: np.ndarray,
    mask: np.ndarray,
    scored: np.ndarray,
    shown: Callable[[np.ndarray], np.ndarray] | None = None,
) -> pd.api.extensions.ExtensionArray:
    """join_ids as Arrow strings, '' on rows not scored; `shown` turns a row's pattern into
    the ids shown."""
    if not mask.size:
        return _texts([""], np.zeros(mask.shape[0], dtype=np.int64))
    first, inverse = _patterns(mask)
    rows = [mask[row] if shown is None else shown(mask[row]) for row in first]
    texts = [" ".join(ids[row]) for row in rows] + [""]
    return _texts(texts, np.where(scored, inverse, len(texts) - 1))


def _one_chunk(values: pd.api.extensions.ExtensionArray) -> pd.api.extensions.ExtensionArray:
    """An Arrow text column as one chunk (other columns as they are)."""
    if not isinstance(values, pd.arrays.ArrowStringArray):
        return values
    import pyarrow as pa

    cells = pa.array(values)
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    return pd.array(cells, dtype=values.dtype)


def join_ids(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row, the ids where mask is true, joined by ' ' (empty string when none).

    Rows share a few hundred distinct patterns: join each distinct pattern once."""
    if not mask.size:
        return np.full(mask.shape[0], "", dtype=object)
    first, inverse = _patterns(mask)
    texts = np.array([" ".join(ids[mask[row]]) for row in first], dtype=object)
    return texts[inverse]
