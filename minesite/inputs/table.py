"""What every dialect reader returns: the visits table as written, and its actors if one per row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Table:
    """One export read by its dialect module, headers still as written in the file."""

    frame: pd.DataFrame
    """Visits: one row per record, every cell a string."""
    dialect: str
    """What the bytes said the file is, as printed in the report."""
    sheet: str | None = None
    header_row: int = 1
    """Excel row of the header."""
    first_data_row: int = 2
    """Excel row of the first record (3 when a HXL row sits under the header)."""
    separators: str = "/"
    """Group-path separators in headers: Kobo `group/question`, ODK Central `group-question`."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Extra normalised header -> canonical name this dialect knows (Kobo label geopoints)."""
    actors: pd.DataFrame | None = None
    """One row per actor (repeat sheet or table), headers as written, plus `_visit` (position of
    its visit record) and `_row` (Excel row in its own sheet or table)."""
    actor_sheet: str | None = None
    actor_header_row: int = 1


def split_select_multiple(headers: list[str]) -> list[str]:
    """`question/choice` detail columns of a select-multiple whose summary column `question` is
    present (Kobo: '1'/'0', blank when skipped; legacy: True/False; ODK: 0-prefilled).

    The summary column carries the same answers and is blank when the question was skipped, so
    the detail columns are dropped: a blank detail never reads as "no"."""
    present = set(headers)
    return [h for h in headers if "/" in h and h.rsplit("/", 1)[0] in present]


_LABEL_GEOPOINT = re.compile(r"^(?:.*/)?_.+_(latitude|longitude)$", re.IGNORECASE)


def geopoint_aliases(headers: list[str]) -> dict[str, str]:
    """Kobo label exports write a geopoint's parts as `_<label>_latitude`: map them."""
    from minesite.answers import normalise

    found = {}
    for header in headers:
        match = _LABEL_GEOPOINT.match(header.strip())
        if match:
            found[normalise(header)] = match.group(1).lower()
    return found


def header_mode(headers: list[str]) -> str:
    """'XML names' when headers look like XLSForm names, else 'labels'."""
    data = [h for h in headers if not h.startswith("_")]
    names = sum(bool(re.fullmatch(r"[A-Za-z_][\w.:/-]*", h)) for h in data)
    return "XML names" if names >= 0.8 * max(1, len(data)) else "labels"
