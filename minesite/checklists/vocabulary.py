"""Vocabularies: raw answers -> canonical answers (exact, or a known phrase inside free text),
looked up once per distinct answer; the shared vocabularies of checklists/answers.toml."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minesite._resources import bundled, check_keys, read_config
from minesite.errors import ChecklistError
from minesite.model import Vocabulary

BLANK = ""
"""Canonical answer of an empty cell: no data, never 'no'."""
UNRECOGNISED = "?"
"""Canonical answer of a raw answer that is in no list of the vocabulary."""
UNKNOWN = "unknown"
"""Canonical answer a vocabulary may map explicit 'no data' answers to ("Je ne sais pas")."""

_SPACES = re.compile(r"\s+")


def normalise(raw: str) -> str:
    """Fold case, accents' composition, curly apostrophes and runs of spaces so forms match."""
    text = unicodedata.normalize("NFC", raw).replace("\u2019", "'").replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip().casefold()


def lookup(vocabulary: Vocabulary, raw: str) -> str:
    """Canonical answer of one raw answer: BLANK, a canonical answer, or UNRECOGNISED."""
    key = normalise(raw)
    if not key:
        return BLANK
    return vocabulary.canonical.get(key, UNRECOGNISED)


@dataclass(frozen=True)
class Answers:
    """Canonical answers of many visits: small integer codes into a few categories.

    Comparing codes is far cheaper than comparing a million strings."""

    codes: np.ndarray
    categories: tuple[str, ...]

    def isin(self, values: Iterable[str]) -> np.ndarray:
        """Per visit: is the answer one of `values`?"""
        wanted = set(values)
        return np.array([c in wanted for c in self.categories], dtype=bool)[self.codes]

    def eq(self, value: str) -> np.ndarray:
        """Per visit: is the answer `value`?"""
        return self.isin((value,))

    def text(self, positions: np.ndarray | None = None) -> np.ndarray:
        """The answers as strings (all, or at `positions`)."""
        codes = self.codes if positions is None else self.codes[positions]
        return np.array(self.categories, dtype=object)[codes]


def distinct(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Each cell as a code into the column's distinct values (-1 for a missing cell), like
    `pd.factorize`, in Arrow for Arrow strings (twice as fast, in any order); a column all
    missing (a column the file lacks) is not hashed."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        column = pa.chunked_array(pa.array(values.array)).combine_chunks()
        encoded = pc.dictionary_encode(column)
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        return codes, encoded.dictionary.to_pylist()
    if values.dtype == object and values.isna().all():
        return np.full(len(values), -1, dtype=np.intp), []
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def categories_of(vocabulary: Vocabulary) -> tuple[str, ...]:
    """Every canonical answer a vocabulary can give, blank and unrecognised included."""
    return (
        *vocabulary.raw,
        *(c for c in (BLANK, UNKNOWN, UNRECOGNISED) if c not in vocabulary.raw),
    )


def canonical_answers(values: pd.Series, vocabulary: Vocabulary) -> Answers:
    """Map a column of raw answers to canonical answers; a missing column value (NaN) is BLANK.

    Answers have a handful of distinct values, so each is looked up once and the result is
    spread back with the factorisation codes."""
    return canonical_from(*distinct(values), vocabulary)


def canonical_from(codes: np.ndarray, uniques: list[Any], vocabulary: Vocabulary) -> Answers:
    """canonical_answers of a column already given as `distinct` gives it (code -1: blank)."""
    categories = categories_of(vocabulary)
    index = {c: i for i, c in enumerate(categories)}
    table = np.array(
        [index[lookup(vocabulary, str(raw))] for raw in uniques] + [index[BLANK]], dtype=np.int16
    )
    return Answers(table[codes], categories)


def contained_answers(values: pd.Series, vocabulary: Vocabulary) -> Answers:
    """Free text -> the first canonical answer (in vocabulary order) one of whose phrases occurs
    in it as whole words ("Maï-Maï Yakutumba" -> nsag-local); BLANK when none occurs."""
    return contained_in(*distinct(values), vocabulary)


def contained_in(codes: np.ndarray, uniques: list[Any], vocabulary: Vocabulary) -> Answers:
    """contained_answers of a column already given as `distinct` gives it (code -1: blank)."""
    categories = (*vocabulary.raw, BLANK)
    patterns = [
        (i, re.compile(r"(?<!\w)" + re.escape(normalise(raw)) + r"(?!\w)"))
        for i, raws in enumerate(vocabulary.raw.values())
        for raw in raws
    ]
    blank = len(categories) - 1

    def first(raw: str) -> int:
        text = normalise(raw)
        return next((i for i, pattern in patterns if text and pattern.search(text)), blank)

    table = np.array([first(str(u)) for u in uniques] + [blank], dtype=np.int16)
    return Answers(table[codes], categories)


def parse_vocabulary(path: Path, name: str, table: Any) -> Vocabulary:
    """An [answers.NAME] table -> Vocabulary; a raw answer under two canonical answers, a blank
    raw answer or a reserved canonical answer is a ChecklistError."""
    key = f"answers.{name}"
    if not isinstance(table, dict) or not table:
        raise ChecklistError(path, "checklist.bad-vocabulary", key=key)
    canonical: dict[str, str] = {}
    raw: dict[str, tuple[str, ...]] = {}
    for answer, values in table.items():
        key = f"answers.{name}.{answer}"
        if answer in (BLANK, UNRECOGNISED):
            raise ChecklistError(path, "checklist.reserved-answer", key=key)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ChecklistError(path, "checklist.not-strings", key=key)
        for value in values:
            folded = normalise(value)
            if not folded:
                raise ChecklistError(path, "checklist.blank-raw-answer", key=key)
            if canonical.get(folded, answer) != answer:
                raise ChecklistError(
                    path,
                    "checklist.answer-twice",
                    value=value,
                    first=canonical[folded],
                    second=answer,
                    key=key,
                )
            canonical[folded] = answer
        raw[answer] = tuple(values)
    return Vocabulary(name=name, canonical=canonical, raw=raw)


@cache
def shared_vocabularies() -> dict[str, Vocabulary]:
    """Vocabularies every checklist may use (checklists/answers.toml): yes-no, actor-category,
    actor-name, hazardous-task..."""
    path = bundled("answers.toml")
    data = read_config(path)
    check_keys(path, data, {"answers"})
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise ChecklistError(path, "checklist.bad-vocabulary", key="answers")
    return {name: parse_vocabulary(path, name, table) for name, table in answers.items()}


def no_data_answers() -> frozenset[str]:
    """Normalised raw answers the shared yes-no vocabulary maps to 'unknown' ("No data", "NA",
    "dontknow"...): no data in free text and actor columns too, never a "no" or an actor."""
    yes_no = shared_vocabularies()["yes-no"]
    return frozenset(raw for raw, answer in yes_no.canonical.items() if answer == UNKNOWN)
