"""Rule kinds: vectorised functions turning columns into one canonical answer per visit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from minesite.answers import BLANK, UNKNOWN, UNRECOGNISED, canonical_answers, normalise
from minesite.model import Criterion


@dataclass(frozen=True)
class Evidence:
    """Canonical answer per visit, with the raw answer and where it was read."""

    answer: pd.Series
    """Canonical answer per visit (index = visits index)."""
    raw: pd.Series
    """Raw answer shown as evidence."""
    column: pd.Series
    """Canonical column (or actor field) the evidence was read from."""
    actor: pd.Series | None = None
    """Position of the actor row the evidence comes from, -1 for none (actor rules only)."""


@dataclass(frozen=True)
class Frames:
    """The frames a rule reads: visits and the actors seen on them."""

    visits: pd.DataFrame
    actors: pd.DataFrame


RuleFn = Callable[[Frames, Criterion], Evidence]


@dataclass(frozen=True)
class RuleKind:
    """A registered rule: its function, the checklist keys it accepts, what its columns name."""

    fn: RuleFn
    params: frozenset[str]
    reads_actors: bool = False


def _column(frames: Frames, name: str) -> pd.Series:
    visits = frames.visits
    if name in visits.columns:
        return visits[name]
    return pd.Series(np.nan, index=visits.index, dtype=object)


def _worst_column(
    criterion: Criterion, answers: list[pd.Series], raws: list[pd.Series]
) -> Evidence:
    """Combine several columns: a failing answer wins, then a non-passing one, then a pass."""
    names = list(criterion.columns)
    if len(answers) == 1:
        index = answers[0].index
        return Evidence(answers[0], raws[0], pd.Series(names[0], index=index))
    scores = np.column_stack(
        [
            np.where(a.isin(criterion.fail), 2, np.where(a.isin(criterion.passes), 0, 1))
            for a in answers
        ]
    )
    pick = scores.argmax(axis=1)
    rows = np.arange(len(pick))
    answer = np.column_stack([a.to_numpy(dtype=object) for a in answers])[rows, pick]
    raw = np.column_stack([r.fillna("").to_numpy(dtype=object) for r in raws])[rows, pick]
    index = answers[0].index
    return Evidence(
        pd.Series(answer, index=index),
        pd.Series(raw, index=index),
        pd.Series(np.array(names, dtype=object)[pick], index=index),
    )


def answer_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """Map each column through the criterion's vocabulary; several columns: the worst one counts."""
    assert criterion.vocabulary is not None
    raws = [_column(frames, name) for name in criterion.columns]
    answers = [canonical_answers(raw, criterion.vocabulary) for raw in raws]
    return _worst_column(criterion, answers, raws)


@functools.cache
def _no_data_answers() -> frozenset[str]:
    """Normalised raw answers the shared yes-no vocabulary maps to 'unknown' (no data)."""
    from minesite.checklist import shared_vocabularies  # the checklist module imports RULES

    yes_no = shared_vocabularies()["yes-no"]
    return frozenset(raw for raw, answer in yes_no.canonical.items() if answer == UNKNOWN)


def contains_any_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when any column's text contains one of `values`, 'no' when text says otherwise."""
    needles = [normalise(v) for v in criterion.params["values"]]
    # "dontknow", "No data", "NSP"... are no data in every free-text column too, never a "no".
    unknown_texts = {normalise(v) for v in criterion.params.get("unknown_values", [])}
    unknown_texts |= _no_data_answers()
    blank_means = criterion.params.get("blank", UNKNOWN)

    def classify(raw: str) -> str:
        text = normalise(raw)
        if not text:
            return BLANK
        if any(needle in text for needle in needles):
            return "yes"
        return UNKNOWN if text in unknown_texts else "no"

    answers, raws = [], []
    for name in criterion.columns:
        raw = _column(frames, name).fillna("")
        answers.append(raw.map({value: classify(value) for value in pd.unique(raw)}))
        raws.append(raw)
    # Several columns answer one question together (state_service1..4): a blank slot is not
    # "no data" when another slot has an answer.
    evidence = _combine_any(answers, raws, criterion.columns)
    answer = evidence.answer.where(evidence.answer != BLANK, blank_means)
    return Evidence(answer, evidence.raw, evidence.column)


def _combine_any(
    answers: list[pd.Series], raws: list[pd.Series], names: tuple[str, ...]
) -> Evidence:
    rank = {"yes": 3, UNKNOWN: 2, "no": 1, BLANK: 0}
    scores = np.column_stack([a.map(rank).to_numpy() for a in answers])
    pick = scores.argmax(axis=1)
    rows = np.arange(len(pick))
    index = answers[0].index
    answer = np.column_stack([a.to_numpy(dtype=object) for a in answers])[rows, pick]
    raw = np.column_stack([r.to_numpy(dtype=object) for r in raws])[rows, pick]
    return Evidence(
        pd.Series(answer, index=index),
        pd.Series(raw, index=index),
        pd.Series(np.array(names, dtype=object)[pick], index=index),
    )


def at_least_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when the number in the column is at least `min` (decimal comma and % accepted)."""
    raw = _column(frames, criterion.columns[0]).fillna("")
    text = raw.str.strip().str.rstrip("%").str.replace(",", ".", regex=False).str.strip()
    number = pd.to_numeric(text, errors="coerce")
    answer = np.where(
        text == "",
        BLANK,
        np.where(
            number.isna(), UNRECOGNISED, np.where(number >= criterion.params["min"], "yes", "no")
        ),
    )
    index = raw.index
    return Evidence(
        pd.Series(answer, index=index, dtype=object),
        raw,
        pd.Series(criterion.columns[0], index=index),
    )


def any_actor_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when an armed or security actor seen on the visit matches; 'no' only when the
    presence question was answered and every actor recorded is understood."""
    assert criterion.vocabulary is not None
    params = criterion.params
    visits, actors = frames.visits, frames.actors
    flags_vocab = params["flag_vocabulary"]
    field = criterion.columns[0]
    concerned = set(params.get("categories", []))
    fail_categories = set(params.get("fail_categories", []))
    unknown_categories = set(params.get("unknown_categories", []))

    # A file may describe actors (armed_group1, taxation_armed_group1...) without their category.
    categories = actors[field] if field in actors.columns else pd.Series("", index=actors.index)
    category = canonical_answers(categories, criterion.vocabulary) if len(actors) else None
    # Per actor: 3 = matches (fails), 2 = cannot tell, 1 = does not match.
    if category is None:
        actor_score = pd.Series(dtype="int64")
    else:
        # An actor recorded (name, conduct...) without a category cannot be told apart: unclear
        # for criteria about some categories; criteria about anyone judge it by its flags.
        unidentified = category == BLANK
        is_concerned = category.isin(concerned) if concerned else category != "none"
        flagged = pd.Series(False, index=actors.index)
        for flag in params.get("flags", []):
            if flag in actors.columns:
                flagged |= canonical_answers(actors[flag], flags_vocab) == "yes"
        matches = is_concerned & (category.isin(fail_categories) | flagged)
        unclear = (
            (is_concerned & category.isin(unknown_categories))
            | category.isin({UNRECOGNISED, UNKNOWN})
            | (unidentified & bool(concerned))
        )
        actor_score = pd.Series(np.where(matches, 3, np.where(unclear, 2, 1)), index=actors.index)

    n = len(visits)
    best = np.ones(n, dtype=np.int64)
    best_actor = np.full(n, -1, dtype=np.int64)
    if len(actor_score):
        order = actor_score.sort_values(ascending=False, kind="stable")
        first = order.groupby(actors.loc[order.index, "visit"].to_numpy(), sort=False).head(1)
        positions = actors.loc[first.index, "visit"].to_numpy()
        best[positions] = first.to_numpy()
        best_actor[positions] = first.index.to_numpy()

    # The cell that made the answer unclear is an answer outside the vocabulary: report it as such.
    unrecognised = np.zeros(n, dtype=bool)
    if category is not None and len(actor_score):
        positions = np.flatnonzero(best_actor >= 0)
        unrecognised[positions] = (
            category.to_numpy(dtype=object)[best_actor[positions]] == UNRECOGNISED
        ) & (best[positions] == 2)

    presence = canonical_answers(_column(frames, params["presence"]), flags_vocab).to_numpy()
    has_actor = best_actor >= 0
    answer = np.where(
        best == 3,
        "yes",
        np.where(
            (best == 2) | (presence == UNRECOGNISED) | (presence == BLANK) | (presence == UNKNOWN),
            UNKNOWN,
            # Presence "yes" with no actor described cannot prove the absence of a match.
            np.where((presence == "yes") & ~has_actor, UNKNOWN, "no"),
        ),
    )
    answer = np.where(unrecognised, UNRECOGNISED, answer)
    actor_rows = np.where(has_actor, best_actor, 0)
    if len(actors):
        actor_raw = categories.fillna("").to_numpy(dtype=object)[actor_rows]
    else:
        actor_raw = np.full(n, "", dtype=object)
    presence_raw = _column(frames, params["presence"]).fillna("").to_numpy(dtype=object)
    index = visits.index
    return Evidence(
        answer=pd.Series(answer, index=index, dtype=object),
        raw=pd.Series(np.where(has_actor, actor_raw, presence_raw), index=index, dtype=object),
        column=pd.Series(np.where(has_actor, field, params["presence"]), index=index, dtype=object),
        actor=pd.Series(best_actor, index=index),
    )


RULES: dict[str, RuleKind] = {
    "answer": RuleKind(answer_rule, frozenset()),
    "contains_any": RuleKind(contains_any_rule, frozenset({"values", "unknown_values", "blank"})),
    "at_least": RuleKind(at_least_rule, frozenset({"min"})),
    "any_actor": RuleKind(
        any_actor_rule,
        frozenset(
            {
                "categories",
                "fail_categories",
                "unknown_categories",
                "flags",
                "presence",
                "flag_answers",
            }
        ),
        reads_actors=True,
    ),
}
"""Every rule kind a checklist may name; add one only when a real checklist needs it."""
