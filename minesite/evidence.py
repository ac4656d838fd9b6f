"""Evidence: a rule's canonical answer per visit and where it was read; Frames: the tables a
rule reads, with canonical answers memoised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import (
    BLANK,
    UNKNOWN,
    UNRECOGNISED,
    Answers,
    canonical_from,
    distinct,
)
from minesite.model import Vocabulary


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
    actor_names: pd.Series | None = None
    """Raw name of each actor row (actor rules only)."""
    actor_categories: np.ndarray | None = None
    """Canonical category of each actor row as the rule read it (after name derivation)."""
    actor_derived: np.ndarray | None = None
    """Per actor row: was its category derived from its name (the category cell was blank)?"""
    actor_flags: dict[str, np.ndarray] = field(default_factory=dict)
    """Conduct flag field -> per actor row, recorded "yes"."""

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

    def raw_text_at(self, positions: np.ndarray) -> Any:
        """`raw_at` as Arrow text (large_string): no Python string per cell, for the findings
        of a million visits."""
        import pyarrow as pa

        positions = np.asarray(positions, dtype=np.int64)
        pick = self._pick(positions)
        actor = self.actor_at(positions)
        on_actor = (actor >= 0) & (self.actor_raw is not None)
        sources = [(pick == k) & ~on_actor for k in range(len(self.raws))]
        texts = [
            _text_at(raw, positions[here]) for raw, here in zip(self.raws, sources, strict=True)
        ]
        if on_actor.any():
            sources.append(on_actor)
            texts.append(_text_at(self.actor_raw, actor[on_actor]))
        # Each cell's text found in the joined pieces; a cell in none of them is blank.
        joined = pa.concat_arrays([*texts, pa.array([""], type=pa.large_string())])
        where = np.full(len(positions), len(joined) - 1, dtype=np.int64)
        start = 0
        for here, said in zip(sources, texts, strict=True):
            where[here] = start + np.arange(len(said))
            start += len(said)
        return joined.take(pa.array(where))

    def _of_actor(self, values: np.ndarray | pd.Series | None, positions, empty):  # noqa: ANN001
        actor = self.actor_at(np.asarray(positions, dtype=np.int64))
        out = np.full(len(actor), empty, dtype=object)
        if values is None:
            return out
        values = np.asarray(values, dtype=object)
        out[actor >= 0] = values[actor[actor >= 0]]
        return out

    def name_at(self, positions: np.ndarray) -> np.ndarray:
        """Raw name ('' when none) of the evidence actor of each visit at `positions`."""
        names = None if self.actor_names is None else self.actor_names.fillna("").to_numpy(object)
        return self._of_actor(names, positions, "")

    def category_at(self, positions: np.ndarray) -> np.ndarray:
        """Canonical category ('' when none) of the evidence actor of each visit."""
        return self._of_actor(self.actor_categories, positions, "")

    def derived_at(self, positions: np.ndarray) -> np.ndarray:
        """Per visit: was the evidence actor's category derived from its name?"""
        return self._of_actor(self.actor_derived, positions, False).astype(bool)

    def flags_at(self, positions: np.ndarray) -> list[tuple[str, ...]]:
        """Conduct flags recorded "yes" for the evidence actor of each visit (field names)."""
        actor = self.actor_at(np.asarray(positions, dtype=np.int64))
        return [tuple(f for f, yes in self.actor_flags.items() if a >= 0 and yes[a]) for a in actor]


def _text_at(column: pd.Series, at: np.ndarray) -> Any:
    """The cells of a text column at `at` as Arrow large_string, '' where blank."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        taken = pa.array(column.array.take(at))
    else:  # a derived column (a cadastre's title zone) holds Python text
        taken = pa.array(column.to_numpy(dtype=object)[at], from_pandas=True)
    if isinstance(taken, pa.ChunkedArray):
        taken = taken.combine_chunks()
    return pc.fill_null(taken.cast(pa.large_string()), "")


@dataclass
class Frames:
    """The frames a rule reads (visits and the actors seen on them), with canonical answers
    memoised: several criteria read the same column through the same vocabulary."""

    visits: pd.DataFrame
    actors: pd.DataFrame
    _answers: dict[tuple[str, str, int], Answers] = field(default_factory=dict)
    _memo: dict[tuple, Any] = field(default_factory=dict)

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
            self._answers[key] = canonical_from(*self.distinct(table, name), vocabulary)
        return self._answers[key]

    def distinct(self, table: str, name: str) -> tuple[np.ndarray, list[Any]]:
        """`vocabulary.distinct` of a column, hashed once per score() however many criteria
        and vocabularies read it (the codes are shared: read, never written)."""
        return self.memo(("distinct", table, name), lambda: distinct(self.raw(table, name)))

    def memo(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()` once per score() for `key` (what several criteria read alike)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


YES_NO = ("yes", "no", UNKNOWN, BLANK, UNRECOGNISED)
"""Categories of the answers a rule computes itself (contains_any, at_least, any_actor)."""
CODE = {c: i for i, c in enumerate(YES_NO)}


def computed(codes: np.ndarray) -> Answers:
    """Answers of a rule that computes yes / no / unknown itself."""
    return Answers(codes.astype(np.int16), YES_NO)
