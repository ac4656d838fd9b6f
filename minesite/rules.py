"""Rule kinds: vectorised functions turning columns into one canonical answer per visit."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from minesite.answers import BLANK, UNKNOWN, UNRECOGNISED, Answers, canonical_answers, normalise
from minesite.model import Criterion, Vocabulary


@dataclass(frozen=True)
class Evidence:
    """Canonical answer per visit, and where each raw answer was read (looked up lazily:
    only the visits a report explains ever need their raw text)."""

    answer: Answers
    raws: tuple[pd.Series, ...]
    """Candidate raw columns, aligned with the visits."""
    columns: tuple[str, ...]
    """Canonical name of each candidate column."""
    pick: np.ndarray | None = None
    """Per visit, which candidate column holds the evidence (None: the first)."""
    actor: np.ndarray | None = None
    """Per visit, the actor row holding the evidence, -1 for none (actor rules only)."""
    actor_raw: pd.Series | None = None
    actor_column: str = ""

    def _pick(self, positions: np.ndarray) -> np.ndarray:
        return (
            np.zeros(len(positions), dtype=np.int64) if self.pick is None else self.pick[positions]
        )

    def actor_at(self, positions: np.ndarray) -> np.ndarray:
        """Actor row of the evidence of each visit at `positions` (-1: a visit cell)."""
        if self.actor is None:
            return np.full(len(positions), -1, dtype=np.int64)
        return self.actor[positions]

    def column_at(self, positions: np.ndarray) -> np.ndarray:
        """Canonical column (or actor field) of the evidence of each visit at `positions`."""
        names = np.array(self.columns, dtype=object)[self._pick(positions)]
        return np.where(self.actor_at(positions) >= 0, self.actor_column, names)

    def raw_at(self, positions: np.ndarray) -> np.ndarray:
        """Raw answer ('' when blank or absent) of each visit at `positions`."""
        positions = np.asarray(positions, dtype=np.int64)
        out = np.full(len(positions), "", dtype=object)
        pick = self._pick(positions)
        for k, raw in enumerate(self.raws):
            here = pick == k
            if here.any():
                out[here] = raw.iloc[positions[here]].fillna("").to_numpy(dtype=object)
        actor = self.actor_at(positions)
        on_actor = actor >= 0
        if on_actor.any() and self.actor_raw is not None:
            values = self.actor_raw.iloc[actor[on_actor]].fillna("").to_numpy(dtype=object)
            out[on_actor] = values
        return out


@dataclass
class Frames:
    """The frames a rule reads (visits and the actors seen on them), with canonical answers
    memoised: several criteria read the same column through the same vocabulary."""

    visits: pd.DataFrame
    actors: pd.DataFrame
    _answers: dict[tuple[str, str, int], Answers] = field(default_factory=dict)

    def raw(self, table: str, name: str) -> pd.Series:
        """A column of `visits` or `actors`; all NaN (no such column) when the file lacks it."""
        frame = self.visits if table == "visits" else self.actors
        if name in frame.columns:
            return frame[name]
        return pd.Series(np.nan, index=frame.index, dtype=object)

    def answers(self, table: str, name: str, vocabulary: Vocabulary) -> Answers:
        """Canonical answers of a column through a vocabulary, computed once per score()."""
        key = (table, name, id(vocabulary))
        if key not in self._answers:
            self._answers[key] = canonical_answers(self.raw(table, name), vocabulary)
        return self._answers[key]


RuleFn = Callable[[Frames, Criterion], Evidence]


@dataclass(frozen=True)
class RuleKind:
    """A registered rule: its function, the checklist keys it accepts, what its columns name."""

    fn: RuleFn
    params: frozenset[str]
    reads_actors: bool = False


YES_NO = ("yes", "no", UNKNOWN, BLANK, UNRECOGNISED)
"""Categories of the answers a rule computes itself (contains_any, at_least, any_actor)."""
_CODE = {c: i for i, c in enumerate(YES_NO)}


def _computed(codes: np.ndarray) -> Answers:
    return Answers(codes.astype(np.int16), YES_NO)


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
    (a failing answer, then one that does not pass, then a pass)."""
    assert criterion.vocabulary is not None
    answers = [frames.answers("visits", n, criterion.vocabulary) for n in criterion.columns]
    raws = [frames.raw("visits", n) for n in criterion.columns]

    def rank(a: Answers) -> np.ndarray:
        return np.where(a.isin(criterion.fail), 2, np.where(a.isin(criterion.passes), 0, 1))

    return _worst(criterion, answers, raws, rank)


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
        raw = frames.raw("visits", name)
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        table = np.array([_CODE[classify(str(u))] for u in uniques] + [_CODE[BLANK]], np.int16)
        answers.append(_computed(table[codes]))
        raws.append(raw)
    # Several columns answer one question together (state_service1..4): a blank slot is not
    # "no data" when another slot has an answer.
    order = np.array(
        [3 if c == "yes" else 2 if c == UNKNOWN else 1 if c == "no" else 0 for c in YES_NO]
    )
    evidence = _worst(criterion, answers, raws, lambda a: order[a.codes])
    codes = evidence.answer.codes.copy()
    codes[codes == _CODE[BLANK]] = _CODE[blank_means]
    return Evidence(_computed(codes), evidence.raws, evidence.columns, evidence.pick)


def at_least_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when the number in the column is at least `min` (decimal comma and % accepted)."""
    raw = frames.raw("visits", criterion.columns[0])
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    table = np.array(
        [_CODE[_at_least(str(u), criterion.params["min"])] for u in uniques] + [_CODE[BLANK]],
        dtype=np.int16,
    )
    return Evidence(_computed(table[codes]), (raw,), criterion.columns)


def _at_least(raw: str, minimum: float) -> str:
    text = raw.strip().rstrip("%").replace(",", ".").strip()
    if not text:
        return BLANK
    try:
        return "yes" if float(text) >= minimum else "no"
    except ValueError:
        return UNRECOGNISED


def any_actor_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when an armed or security actor seen on the visit matches; 'no' only when the
    presence question was answered and every actor recorded is understood."""
    assert criterion.vocabulary is not None
    params = criterion.params
    actors = frames.actors
    flags_vocab = params["flag_vocabulary"]
    actor_field = criterion.columns[0]
    concerned = set(params.get("categories", []))
    n = len(frames.visits)
    best = np.ones(n, dtype=np.int64)
    best_actor = np.full(n, -1, dtype=np.int64)
    if len(actors):
        # A file may describe actors (armed_group1, taxation_armed_group1...) without their
        # category: such an actor cannot be told apart, so it is unclear for criteria about some
        # categories, while criteria about anyone (HRA-01) judge it by its conduct flags.
        category = frames.answers("actors", actor_field, criterion.vocabulary)
        unidentified = category.eq(BLANK)
        is_concerned = category.isin(concerned) if concerned else ~category.eq("none")
        flagged = np.zeros(len(actors), dtype=bool)
        for flag in params.get("flags", []):
            if flag in actors.columns:
                flagged |= frames.answers("actors", flag, flags_vocab).eq("yes")
        matches = is_concerned & (category.isin(params.get("fail_categories", [])) | flagged)
        unclear = (
            (is_concerned & category.isin(params.get("unknown_categories", [])))
            | category.isin({UNRECOGNISED, UNKNOWN})
            | (unidentified & bool(concerned))
        )
        # Per actor: 3 = matches (fails), 2 = cannot tell, 1 = does not match. Per visit, the
        # actor with the highest score (first slot on ties) holds the evidence.
        scores = np.where(matches, 3, np.where(unclear, 2, 1))
        visit = actors["visit"].to_numpy()
        order = np.lexsort((np.arange(len(scores)), -scores, visit))
        _, first = np.unique(visit[order], return_index=True)
        chosen = order[first]
        best[visit[chosen]] = scores[chosen]
        best_actor[visit[chosen]] = chosen
        # An actor category outside the vocabulary that left the answer unclear is reported
        # (and is an error with --strict) like any unrecognised answer.
        unrecognised = np.zeros(n, dtype=bool)
        unrecognised[visit[chosen]] = (scores[chosen] == 2) & category.eq(UNRECOGNISED)[chosen]
        # An actor slot answered "none" describes no actor: presence "yes" beside it alone
        # cannot prove that no concerned actor was there.
        has_actor = np.zeros(n, dtype=bool)
        np.logical_or.at(has_actor, visit, ~category.eq("none"))
    else:
        unrecognised = np.zeros(n, dtype=bool)
        has_actor = np.zeros(n, dtype=bool)
    presence = frames.answers("visits", params["presence"], flags_vocab)
    presence_unclear = presence.isin({UNRECOGNISED, BLANK, UNKNOWN})
    # Presence "yes" with no actor described cannot prove the absence of a match.
    codes = np.where(
        best == 3,
        _CODE["yes"],
        np.where(
            (best == 2) | presence_unclear | (presence.eq("yes") & ~has_actor),
            _CODE[UNKNOWN],
            _CODE["no"],
        ),
    )
    codes = np.where(unrecognised, _CODE[UNRECOGNISED], codes)
    return Evidence(
        answer=_computed(codes),
        raws=(frames.raw("visits", params["presence"]),),
        columns=(params["presence"],),
        actor=best_actor,
        actor_raw=frames.raw("actors", actor_field) if len(actors) else None,
        actor_column=actor_field,
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
