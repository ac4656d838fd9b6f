"""Rule kinds: vectorised functions turning columns into one canonical answer per visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from minesite.actor_rule import any_actor_rule
from minesite.checklists.vocabulary import (
    BLANK,
    UNKNOWN,
    UNRECOGNISED,
    Answers,
    contained_answers,
    normalise,
)
from minesite.evidence import CODE, YES_NO, Evidence, Frames, computed
from minesite.model import Criterion

RuleFn = Callable[[Frames, Criterion], Evidence]


class Names(StrEnum):
    """What a rule parameter names; the checklist loader checks that every such name exists."""

    ANSWERS = "answers"
    """Canonical answers of the criterion's vocabulary."""
    VOCABULARY = "vocabulary"
    VISIT_COLUMN = "visit-column"
    VISIT_COLUMNS = "visit-columns"
    ACTOR_FIELDS = "actor-fields"
    PHRASES = "phrases"
    """Free-text phrases searched for (nothing to look up, but never blank)."""
    NUMBER = "number"
    BLANK_MEANS = "blank-means"
    """yes, no or unknown."""


@dataclass(frozen=True)
class RuleKind:
    """A registered rule: its function, the parameters it accepts (and what each names), those it
    needs, whether its columns are actor fields, whether it computes yes/no itself."""

    fn: RuleFn
    params: dict[str, Names]
    required: frozenset[str] = frozenset()
    reads_actors: bool = False
    computes: bool = False
    """True: the rule answers yes / no / unknown itself; fail and pass name those."""


def _worst(
    criterion: Criterion, answers: list[Answers], raws: list[pd.Series], rank: Callable
) -> Evidence:
    """Several columns answer one criterion: the answer ranked worst by `rank` counts."""
    if len(answers) == 1:
        return Evidence(answers[0], tuple(raws), criterion.columns)
    scores = np.column_stack([rank(a) for a in answers])
    pick = scores.argmax(axis=1)
    codes = np.column_stack([a.codes for a in answers])[np.arange(len(pick)), pick]
    return Evidence(Answers(codes, answers[0].categories), tuple(raws), criterion.columns, pick)


def answer_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """Map each column through the criterion's vocabulary; several columns: the worst one counts
    (a failing answer, then one that does not pass, then a pass). Task columns (free text,
    `tasks`) only add failures: a task of `task_answers` recorded there answers for them."""
    assert criterion.vocabulary is not None
    tasks = criterion.params.get("tasks", ())
    own = [n for n in criterion.columns if n not in tasks]
    answers = [frames.answers("visits", n, criterion.vocabulary) for n in own]
    raws = [frames.raw("visits", n) for n in criterion.columns]

    def rank(a: Answers) -> np.ndarray:
        return np.where(a.isin(criterion.fail), 2, np.where(a.isin(criterion.passes), 0, 1))

    evidence = _worst(criterion, answers, raws[: len(own)], rank)
    if not tasks:
        return evidence
    codes = evidence.answer.codes.copy()
    categories = evidence.answer.categories
    pick = np.zeros(len(codes), np.int64) if evidence.pick is None else evidence.pick.copy()
    failed = evidence.answer.isin(criterion.fail)
    for k, name in enumerate(tasks, start=len(own)):
        derived = contained_answers(frames.raw("visits", name), criterion.params["task_vocabulary"])
        hit = derived.isin(criterion.fail) & ~failed
        codes[hit] = [categories.index(a) for a in derived.text(np.flatnonzero(hit))]
        pick[hit] = k
        failed |= hit
    return Evidence(Answers(codes, categories), tuple(raws), criterion.columns, pick)


def contains_any_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when any column's text contains one of `values`, 'no' when text says otherwise."""
    needles = [normalise(v) for v in criterion.params["values"]]
    # "dontknow", "No data", "NSP"... are no data in every free-text column too, never a "no".
    unknown_texts = {normalise(v) for v in criterion.params.get("unknown_values", [])}
    unknown_texts |= criterion.params["no_data"]
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
        raw = frames.raw("visits", name)
        codes, uniques = frames.distinct("visits", name)
        table = np.array([CODE[classify(str(u))] for u in uniques] + [CODE[BLANK]], np.int16)
        answers.append(computed(table[codes]))
        raws.append(raw)
    # Several columns answer one question together (state_service1..4): a blank slot is not
    # "no data" when another slot has an answer.
    order = np.array(
        [3 if c == "yes" else 2 if c == UNKNOWN else 1 if c == "no" else 0 for c in YES_NO]
    )
    evidence = _worst(criterion, answers, raws, lambda a: order[a.codes])
    codes = evidence.answer.codes.copy()
    codes[codes == CODE[BLANK]] = CODE[blank_means]
    return Evidence(computed(codes), evidence.raws, evidence.columns, evidence.pick)


def at_least_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when the number in the column is at least `min` (decimal comma and % accepted)."""
    raw = frames.raw("visits", criterion.columns[0])
    codes, uniques = frames.distinct("visits", criterion.columns[0])
    table = np.array(
        [CODE[_at_least(str(u), criterion.params["min"])] for u in uniques] + [CODE[BLANK]],
        dtype=np.int16,
    )
    return Evidence(computed(table[codes]), (raw,), criterion.columns)


def _at_least(raw: str, minimum: float) -> str:
    text = raw.strip().rstrip("%").replace(",", ".").strip()
    if not text:
        return BLANK
    try:
        return "yes" if float(text) >= minimum else "no"
    except ValueError:
        return UNRECOGNISED


RULES: dict[str, RuleKind] = {
    "answer": RuleKind(
        answer_rule, {"tasks": Names.VISIT_COLUMNS, "task_answers": Names.VOCABULARY}
    ),
    "contains_any": RuleKind(
        contains_any_rule,
        {"values": Names.PHRASES, "unknown_values": Names.PHRASES, "blank": Names.BLANK_MEANS},
        required=frozenset({"values"}),
        computes=True,
    ),
    "at_least": RuleKind(
        at_least_rule, {"min": Names.NUMBER}, required=frozenset({"min"}), computes=True
    ),
    "any_actor": RuleKind(
        any_actor_rule,
        {
            "categories": Names.ANSWERS,
            "fail_categories": Names.ANSWERS,
            "unknown_categories": Names.ANSWERS,
            "flags": Names.ACTOR_FIELDS,
            "presence": Names.VISIT_COLUMN,
            "flag_answers": Names.VOCABULARY,
            "names": Names.VOCABULARY,
        },
        required=frozenset({"presence", "flag_answers"}),
        reads_actors=True,
        computes=True,
    ),
}
"""Every rule kind a checklist may name; add one only when a real checklist needs it."""
