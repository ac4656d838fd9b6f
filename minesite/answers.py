"""Raw answer normalisation and vectorised vocabulary lookup, once per distinct answer."""

from __future__ import annotations

import re
import unicodedata

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


def canonical_answers(values: pd.Series, vocabulary: Vocabulary) -> pd.Series:
    """Map a column of raw answers to canonical answers; a missing column value (NaN) is BLANK.

    Answers have a handful of distinct values, so each is looked up once and the result is
    spread back with the factorisation codes."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.array([lookup(vocabulary, str(raw)) for raw in uniques] + [BLANK], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)
