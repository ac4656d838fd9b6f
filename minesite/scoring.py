"""Criteria x visits -> outcome matrix (vectorised: no Python loop over rows) -> Verdicts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import BLANK, UNKNOWN, UNRECOGNISED, Answers
from minesite.errors import InputError, did_you_mean
from minesite.inputs import Inspection, SourceFile
from minesite.model import Checklist, Criterion, Outcome
from minesite.rules import RULES, Evidence, Frames
from minesite.verdicts import Verdicts, decide


def score(
    inspection: Inspection,
    checklists: Sequence[Checklist],
    *,
    strict: bool = False,
) -> Verdicts:
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
        assessed = _assessed(inspection, frames, criterion)
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
    return Verdicts(
        inspection=inspection,
        checklists=list(checklists),
        criteria=criteria,
        outcomes=outcomes,
        evidence=evidence,
        visits=decide(inspection, criteria, outcomes),
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
                "input.no-checklist-column",
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


def _assessed(inspection: Inspection, frames: Frames, criterion: Criterion) -> np.ndarray:
    """Per visit: does its file carry the evidence this criterion reads? A rule judged on
    conduct flags alone (HRA-01) needs one of its flags, except on a visit that answers that no
    armed actor was present: the category of an actor cannot show forced labour."""
    sources = inspection.sources
    source_of = inspection.visits["_source"].to_numpy()
    if not RULES[criterion.rule].reads_actors:
        per_source = np.array([any(c in s.headers for c in criterion.columns) for s in sources])
        return per_source[source_of]
    params = criterion.params
    presence = params["presence"]
    if params.get("flags") and not params.get("fail_categories"):
        has_flag = np.array([_has_actor_field(s, params["flags"]) for s in sources])
        nobody = frames.answers("visits", presence, params["flag_vocabulary"]).eq("no")
        return has_flag[source_of] | nobody
    per_source = np.array(
        [_has_actor_field(s, [criterion.columns[0]]) or presence in s.headers for s in sources]
    )
    return per_source[source_of]


def _has_actor_field(source: SourceFile, fields: list[str]) -> bool:
    present = set(source.actor_columns) | set(source.actor_headers)
    return any(field in present for field in fields)


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
