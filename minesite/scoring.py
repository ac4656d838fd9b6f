"""Criteria x visits -> outcome matrix -> visit verdicts (vectorised: no Python loop over rows)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import (
    BLANK,
    UNKNOWN,
    UNRECOGNISED,
    Answers,
    canonical_answers,
    shared_vocabularies,
)
from minesite.errors import InputError, did_you_mean
from minesite.findings import Report
from minesite.inputs import Inspection
from minesite.model import Checklist, Criterion, Outcome, Severity, Status
from minesite.rules import RULES, Evidence, Frames

QUALIFICATION_PROJECT = "qualification status"

NO_COLOUR_REASONS = {
    "empty": "empty row",
    "qualification": "published qualification, not a visit: compared, not scored",
    "not_onsite": "no on-site visit (visit_onsite = 0): no colour of its own",
}


def score(
    inspection: Inspection,
    checklists: Sequence[Checklist],
    *,
    profile: str = "icglr",
    strict: bool = False,
) -> Report:
    """Score every visit against every criterion and decide each visit's colour."""
    criteria = [c for checklist in checklists for c in checklist.criteria]
    _check_any_column(inspection, criteria)
    frames = Frames(inspection.visits, inspection.actors)
    n = len(inspection.visits)
    outcomes = np.empty((n, len(criteria)), dtype=np.int8)
    evidence: list[Evidence] = []
    unrecognised: list[pd.DataFrame] = []
    for j, criterion in enumerate(criteria):
        result = RULES[criterion.rule].fn(frames, criterion)
        column = _outcome(criterion, result.answer)
        column = _apply_relevance(inspection, frames, criterion, column, result, unrecognised)
        assessed = _assessed(inspection, criterion)
        column[~assessed] = Outcome.NOT_ASSESSED
        outcomes[:, j] = column
        evidence.append(result)
        bad = result.answer.eq(UNRECOGNISED) & assessed
        if bad.any():
            unrecognised.append(_unrecognised_rows(criterion, result, bad))
    unknown_answers = (
        pd.concat(unrecognised, ignore_index=True)
        if unrecognised
        else pd.DataFrame(columns=["visit", "criterion", "column", "actor", "raw"])
    )
    if strict and len(unknown_answers):
        raise _strict_error(inspection, criteria, unknown_answers.iloc[0])
    verdicts = _verdicts(inspection, criteria, outcomes)
    return Report(
        inspection=inspection,
        checklists=list(checklists),
        profile=profile,
        criteria=criteria,
        outcomes=outcomes,
        evidence=evidence,
        visits=verdicts,
        unrecognised=unknown_answers,
    )


def _check_any_column(inspection: Inspection, criteria: list[Criterion]) -> None:
    """A file that names none of the checklists' columns is not an inspection export."""
    wanted = set()
    for criterion in criteria:
        wanted.update(criterion.columns if not RULES[criterion.rule].reads_actors else ())
        if RULES[criterion.rule].reads_actors:
            wanted.add(criterion.params["presence"])
    for source in inspection.sources:
        has_actors = bool(source.actor_columns)
        if not has_actors and not wanted & set(source.headers):
            raise InputError(
                source.path,
                "none of the checklist columns found (e.g. childunder15, presence, "
                "type_armed_group1); map your headers with --columns",
                sheet=source.sheet,
                row=source.header_row,
            )


def _outcome(criterion: Criterion, answer: Answers) -> np.ndarray:
    """fail and pass lists -> outcome per visit; anything else (blank, unknown) is unknown."""
    table = np.array(
        [
            Outcome.FAIL
            if c in criterion.fail
            else Outcome.PASS
            if c in criterion.passes
            else Outcome.UNKNOWN
            for c in answer.categories
        ],
        dtype=np.int8,
    )
    return table[answer.codes]


def _apply_relevance(
    inspection: Inspection,
    frames: Frames,
    criterion: Criterion,
    column: np.ndarray,
    result: Evidence,
    unrecognised: list[pd.DataFrame],
) -> np.ndarray:
    """Skip logic: n/a when the gate question says the criterion does not apply."""
    relevant = criterion.relevant
    if relevant is None:
        return column
    name = relevant["column"]
    raw = frames.raw("visits", name)
    gate = frames.answers("visits", name, relevant["vocabulary"])
    applies = gate.isin(relevant["is"])
    known = ~gate.isin({BLANK, UNKNOWN, UNRECOGNISED})
    # Evidence of a failure counts even when the gate question was left blank; a blank answer
    # read as "no" (LEG-08 `blank = "no"`) is not evidence.
    evidence = column == Outcome.FAIL
    gated = np.flatnonzero(evidence & ~known)
    evidence[gated] = np.array([str(r).strip() != "" for r in result.raw_at(gated)], dtype=bool)
    column = np.where(known & ~applies, Outcome.NOT_APPLICABLE, column)
    column = np.where(~known & ~evidence, Outcome.UNKNOWN, column).astype(np.int8)
    bad = gate.eq(UNRECOGNISED) & inspection.has_column(name)
    if bad.any():
        positions = np.flatnonzero(bad)
        unrecognised.append(
            pd.DataFrame(
                {
                    "visit": positions,
                    "criterion": criterion.id,
                    "column": name,
                    "actor": -1,
                    "raw": raw.to_numpy(dtype=object)[positions],
                }
            )
        )
    return column


def _assessed(inspection: Inspection, criterion: Criterion) -> np.ndarray:
    """Per visit: does its file carry any column this criterion reads?"""
    sources = inspection.sources
    if RULES[criterion.rule].reads_actors:
        names = [criterion.params["presence"]]
        per_source = np.array(
            [
                bool(s.actor_columns.get(criterion.columns[0])) or names[0] in s.headers
                for s in sources
            ]
        )
    else:
        per_source = np.array([any(c in s.headers for c in criterion.columns) for s in sources])
    return per_source[inspection.visits["_source"].to_numpy()]


def _unrecognised_rows(criterion: Criterion, result: Evidence, bad: np.ndarray) -> pd.DataFrame:
    positions = np.flatnonzero(bad)
    return pd.DataFrame(
        {
            "visit": positions,
            "criterion": criterion.id,
            "column": result.column_at(positions),
            "actor": result.actor_at(positions),
            "raw": result.raw_at(positions),
        }
    )


def _strict_error(
    inspection: Inspection, criteria: list[Criterion], first: pd.Series
) -> InputError:
    criterion = next(c for c in criteria if c.id == first["criterion"])
    if int(first["actor"]) >= 0:
        source, row, header = inspection.actor_cell(int(first["actor"]), first["column"])
    else:
        source, row, header = inspection.cell(int(first["visit"]), first["column"])
    vocabulary = criterion.vocabulary
    if criterion.relevant and first["column"] == criterion.relevant["column"]:
        vocabulary = criterion.relevant["vocabulary"]
    choices = [raw for values in vocabulary.raw.values() for raw in values] if vocabulary else []
    return InputError(
        source.path,
        "input.unknown-answer",
        answer=first["raw"],
        criterion=criterion.id,
        hint=did_you_mean(first["raw"], choices),
        sheet=source.sheet,
        row=row,
        column=header,
    )


def _no_colour(inspection: Inspection) -> np.ndarray:
    """Reason code per visit for rows that get no colour of their own, '' for scored rows."""
    visits = inspection.visits
    n = len(visits)
    reason = np.full(n, "", dtype=object)
    data_columns = [c for c in visits.columns if not c.startswith("_")]
    # Only rows whose first column is blank can be empty: check the others for those alone.
    if data_columns:
        candidates = np.flatnonzero(_blank(visits[data_columns[0]]))
        if len(candidates):
            rest = visits.iloc[candidates][data_columns]
            empty = np.all([_blank(rest[c]) for c in data_columns], axis=0)
            reason[candidates[empty]] = "empty"
    if "project" in visits.columns:
        qualification = visits["project"].fillna("").str.strip().str.casefold()
        reason[(qualification == QUALIFICATION_PROJECT).to_numpy() & (reason == "")] = (
            "qualification"
        )
    if "visit_onsite" in visits.columns:
        onsite = canonical_answers(visits["visit_onsite"], shared_vocabularies()["yes-no"])
        reason[onsite.eq("no") & (reason == "")] = "not_onsite"
    return reason


def _blank(values: pd.Series) -> np.ndarray:
    return (values.fillna("").str.strip() == "").to_numpy()


def _verdicts(
    inspection: Inspection, criteria: list[Criterion], outcomes: np.ndarray
) -> pd.DataFrame:
    severity = np.array([c.severity for c in criteria], dtype=object)
    red = severity == Severity.RED
    yellow = severity == Severity.YELLOW
    fail = outcomes == Outcome.FAIL
    missing = (outcomes == Outcome.UNKNOWN) | (outcomes == Outcome.NOT_ASSESSED)
    red_fail = (fail & red).any(axis=1)
    yellow_fail = (fail & yellow).any(axis=1)
    # Missing data never scores green: an unknown or unassessed criterion with a status effect
    # makes the visit at best yellow.
    incomplete = (missing & (red | yellow)).any(axis=1)
    status = np.where(
        red_fail,
        Status.RED.value,
        np.where(yellow_fail | incomplete, Status.YELLOW.value, Status.GREEN.value),
    )
    reason = np.where(
        red_fail,
        "critical criterion failed",
        np.where(
            yellow_fail,
            "important criterion failed",
            np.where(incomplete, "incomplete evidence", "every criterion assessed and passed"),
        ),
    )
    ids = np.array([c.id for c in criteria], dtype=object)
    decisive_mask = fail & np.where(red_fail[:, None], red[None, :], yellow[None, :])
    unknown_mask = missing & (red | yellow)[None, :]
    no_colour = _no_colour(inspection)
    scored = no_colour == ""
    status = np.where(scored, status, None)
    reason = np.where(scored, reason, [NO_COLOUR_REASONS.get(r, "") for r in no_colour])
    decisive = _join_ids(ids, decisive_mask & scored[:, None])
    unknown = _join_ids(ids, unknown_mask & scored[:, None])
    visits = inspection.visits

    def column(name: str) -> np.ndarray:
        if name in visits.columns:
            return visits[name].fillna("").to_numpy(dtype=object)
        return np.full(len(visits), "", dtype=object)

    return pd.DataFrame(
        {
            "visit_id": column("vid"),
            "site_id": column("pcode"),
            "site_name": column("name"),
            "visit_date": column("visit_date"),
            "row": visits["_row"].to_numpy(),
            "source": visits["_source"].to_numpy(),
            # object dtype: pandas >= 3 would infer str and turn "no colour" (None) into NaN,
            # which the JSON report printed as the invalid token NaN.
            "status": pd.Series(status, dtype=object),
            "reason": reason,
            "decisive": decisive,
            "unknown": unknown,
        }
    )


def _join_ids(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
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
