"""The actor rule: armed and security actors seen on a visit, by category and conduct flags."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minesite.checklists.vocabulary import (
    BLANK,
    UNKNOWN,
    UNRECOGNISED,
    Answers,
    contained_in,
    normalise,
)
from minesite.evidence import CODE, Evidence, Frames, computed
from minesite.model import Criterion

_NOT_CONDUCT = {"visit", "slot", "row", "name", "category", "frequency"}
"""Actor fields that are not conduct flags (every other actor field is a yes/no flag)."""


@dataclass(frozen=True)
class _Actors:
    """Each actor row as the actor rules read it."""

    category: Answers
    """Canonical category: no-data cells are blank; a blank category comes from a known name;
    "none" with a conduct flag recorded is blank (someone did it)."""
    derived: np.ndarray
    real: np.ndarray
    """False for a slot with no name, no category and no flag: no actor at all."""
    flags: dict[str, np.ndarray]
    text: np.ndarray
    """The canonical categories as strings (the evidence every actor criterion shows)."""
    order: np.ndarray | None
    """Actor rows grouped by visit (stable: slots in row order); None when they already are."""
    after: np.ndarray
    """Per actor row, how many rows follow it: the tie-break towards the first slot."""
    starts: np.ndarray
    """Where each visit's group begins in `order`."""
    has_actor: np.ndarray
    """Per visit: a real actor that is not "none" is recorded."""


def _read_actors(frames: Frames, criterion: Criterion) -> _Actors:
    """The actors as the criterion's vocabularies read them, once per score(): every actor
    criterion of the bundled checklists reads them alike."""
    params = criterion.params
    key = (
        "actors",
        criterion.columns[0],
        id(criterion.vocabulary),
        id(params["flag_vocabulary"]),
        id(params.get("name_vocabulary")),
        params["no_data"],
    )
    return frames.memo(key, lambda: _actors_read(frames, criterion))


def _actors_read(frames: Frames, criterion: Criterion) -> _Actors:
    params = criterion.params
    actors = frames.actors
    no_data = params["no_data"]

    # The category and name columns hashed once for every reading of them below.
    cells = {name: frames.distinct("actors", name) for name in (criterion.columns[0], "name")}

    def blank(field_name: str) -> np.ndarray:
        codes, uniques = cells[field_name]
        table = np.array([normalise(str(u)) in no_data | {""} for u in uniques] + [True])
        return table[codes]

    vocabulary = criterion.vocabulary
    assert vocabulary is not None
    category = frames.answers("actors", criterion.columns[0], vocabulary)
    codes = category.codes.copy()
    at = {c: i for i, c in enumerate(category.categories)}
    codes[blank(criterion.columns[0])] = at[BLANK]
    flags = {
        name: frames.answers("actors", name, params["flag_vocabulary"]).eq("yes")
        for name in actors.columns
        if name not in _NOT_CONDUCT and not name.startswith("_")
    }
    flagged = np.zeros(len(actors), dtype=bool)
    for yes in flags.values():
        flagged |= yes
    none = at.get("none", -1)
    # A name that says "none" ("Aucun", "0") names nobody.
    unnamed = blank("name") | frames.answers("actors", "name", vocabulary).eq("none")
    # "No actor" beside a name or a conduct flag recorded: someone is there, of unknown category.
    codes[(codes == none) & (flagged | ~unnamed)] = at[BLANK]
    derived = np.zeros(len(actors), dtype=bool)
    names = params.get("name_vocabulary")
    if names is not None:
        # A category cell holding a name ("Mai-Mai Yakutumba"), then a known name (FDLR,
        # Maï-Maï...) beside a blank or unrecognised category, tells the category.
        own_text = contained_in(*cells[criterion.columns[0]], names)
        name_codes, name_uniques = cells["name"]
        from_name = contained_in(np.where(unnamed, -1, name_codes), name_uniques, names)
        for source, when in ((own_text, (UNRECOGNISED,)), (from_name, (BLANK, UNRECOGNISED))):
            open_ = np.isin(codes, [at[c] for c in when]) & ~source.eq(BLANK)
            codes[open_] = [at[c] for c in source.text(np.flatnonzero(open_))]
            derived |= open_
    real = ~(unnamed & (codes == at[BLANK]) & ~flagged)
    visit = actors["visit"].to_numpy()
    grouped = bool(np.all(visit[1:] >= visit[:-1]))
    order = None if grouped else np.argsort(visit, kind="stable")
    in_order = visit if order is None else visit[order]
    starts = np.flatnonzero(np.r_[True, in_order[1:] != in_order[:-1]]) if len(visit) else visit
    after = np.arange(len(visit) - 1, -1, -1, dtype=np.int64)
    has_actor = np.zeros(len(frames.visits), dtype=bool)
    # An actor slot answered "none" describes no actor: presence "yes" beside it alone cannot
    # prove that no concerned actor was there.
    has_actor[visit[real & (codes != none)]] = True
    answers = Answers(codes, category.categories)
    return _Actors(answers, derived, real, flags, answers.text(), order, after, starts, has_actor)


def _scores(category: Answers, concerned: set[str], params: dict) -> np.ndarray:
    """Score of an actor by (flagged, category code): 3 matches, 2 cannot tell, 1 does not."""
    names = category.categories
    is_concerned = np.array([c in concerned if concerned else c != "none" for c in names])
    fails = np.isin(names, list(params.get("fail_categories", [])))
    unclear = (
        (is_concerned & np.isin(names, list(params.get("unknown_categories", []))))
        | np.isin(names, [UNRECOGNISED, UNKNOWN])
        | ((np.array(names) == BLANK) & bool(concerned))
    )
    return np.array(
        [
            np.where(is_concerned & (fails | flagged), 3, np.where(unclear, 2, 1))
            for flagged in (False, True)
        ]
    )


def any_actor_rule(frames: Frames, criterion: Criterion) -> Evidence:
    """'yes' when an armed or security actor seen on the visit matches; 'no' only when the
    presence question was answered and every actor recorded is understood."""
    params = criterion.params
    actors = frames.actors
    flags_vocab = params["flag_vocabulary"]
    concerned = set(params.get("categories", []))
    n = len(frames.visits)
    best = np.ones(n, dtype=np.int64)
    best_actor = np.full(n, -1, dtype=np.int64)
    unrecognised = np.zeros(n, dtype=bool)
    has_actor = np.zeros(n, dtype=bool)
    read = None
    if len(actors):
        # A file may describe actors (armed_group1, taxation_armed_group1...) without their
        # category: such an actor cannot be told apart, so it is unclear for criteria about some
        # categories, while criteria about anyone (HRA-01) judge it by its conduct flags.
        read = _read_actors(frames, criterion)
        category = read.category
        flagged = np.zeros(len(actors), dtype=bool)
        for flag in params.get("flags", []):
            if flag in read.flags:
                flagged |= read.flags[flag]
        # Per actor: 3 = matches (fails), 2 = cannot tell, 1 = does not match, 0 = no actor.
        # Per visit, the actor with the highest score (first slot on ties) holds the evidence:
        # the greatest of score * m + (rows after it) over the visit's actors.
        m = len(actors)
        # The table flattened (one index per actor: a 2-D fancy index is several times slower).
        table = (_scores(category, concerned, params) * np.int64(m)).ravel()
        at = category.codes + flagged * np.int16(len(category.categories))
        key = np.where(read.real, table[at], 0) + read.after
        top = np.maximum.reduceat(key if read.order is None else key[read.order], read.starts)
        top_score, chosen = top // m, m - 1 - top % m
        chosen = chosen[top_score > 0]
        visit = actors["visit"].to_numpy()[chosen]
        best[visit] = top_score[top_score > 0]
        best_actor[visit] = chosen
        # An actor category outside the vocabulary that left the answer unclear is reported
        # (and is an error with --strict) like any unrecognised answer.
        of_chosen = Answers(category.codes[chosen], category.categories)
        unrecognised[visit] = (best[visit] == 2) & of_chosen.eq(UNRECOGNISED)
        has_actor = read.has_actor
    presence = frames.answers("visits", params["presence"], flags_vocab)
    presence_unclear = presence.isin({UNRECOGNISED, BLANK, UNKNOWN})
    # Presence "yes" with no actor described cannot prove the absence of a match.
    codes = np.where(
        best == 3,
        CODE["yes"],
        np.where(
            (best == 2) | presence_unclear | (presence.eq("yes") & ~has_actor),
            CODE[UNKNOWN],
            CODE["no"],
        ),
    )
    codes = np.where(unrecognised, CODE[UNRECOGNISED], codes)
    has = read is not None
    return Evidence(
        answer=computed(codes),
        raws=(frames.raw("visits", params["presence"]),),
        columns=(params["presence"],),
        actor=best_actor,
        actor_raw=frames.raw("actors", criterion.columns[0]) if has else None,
        actor_column=criterion.columns[0],
        actor_names=frames.raw("actors", "name") if has else None,
        actor_categories=read.text if read is not None else None,
        actor_derived=read.derived if read is not None else None,
        actor_flags=read.flags if read is not None else {},
    )
