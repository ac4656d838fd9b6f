"""Raw answer normalisation and vectorised vocabulary lookup, once per distinct answer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

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
    categories = categories_of(vocabulary)
    index = {c: i for i, c in enumerate(categories)}
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.array(
        [index[lookup(vocabulary, str(raw))] for raw in uniques] + [index[BLANK]], dtype=np.int16
    )
    return Answers(table[codes], categories)
