"""What every dialect reader returns: the visits table as written, and its actors if one per row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from minesite.errors import InputError, Position
from minesite.inputs.dialects import Part


class InputWarning(NamedTuple):
    """Something read that the reader could not vouch for (a formula's cached value, a byte
    that is not UTF-8): a code, its position and parameters, words in the catalog. `--strict`
    refuses the input instead."""

    code: str
    position: Position
    params: dict[str, Any]

    def render(self, lang: str = "en") -> str:
        """One line in `lang`: position, then the catalog's words."""
        from minesite.render.i18n import position_words, text

        where = position_words(self.position, lang)
        what = text(self.code, lang, **self.params)
        return f"{where}{text('position.sep', lang)}{what}" if where else what

    def error(self, path: Path) -> InputError:
        """The same finding as an error (what `--strict` raises)."""
        p = self.position
        return InputError(path, self.code, sheet=p.sheet, row=p.row, column=p.column, **self.params)


@dataclass
class Table:
    """One export read by its dialect module, headers still as written in the file."""

    frame: pd.DataFrame
    """Visits: one row per record, every cell a string."""
    dialect: tuple[Part, ...]
    """What the bytes said the file is: a dialect code and its details (inputs/dialects.py)."""
    sheet: str | None = None
    header_row: int = 1
    """Excel row of the header."""
    first_data_row: int = 2
    """Excel row of the first record (3 when a HXL row sits under the header)."""
    separators: tuple[str, ...] = ("/",)
    """Group-path separators in headers: Kobo `group/question` (or the export's own group
    separator), ODK Central `group-question`."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Extra normalised header -> canonical name this dialect knows (Kobo label geopoints)."""
    actors: pd.DataFrame | None = None
    """One row per actor (repeat sheet or table), headers as written, plus `_visit` (position of
    its visit record) and `_row` (Excel row in its own sheet or table)."""
    actor_sheet: str | None = None
    actor_header_row: int = 1
    warnings: list[InputWarning] = field(default_factory=list)
    """What was read but may not be what the file's author sees (see InputWarning)."""


def split_select_multiple(headers: list[str], separator: str = "/") -> list[str]:
    """`question/choice` detail columns of a select-multiple whose summary column `question` is
    present (Kobo: '1'/'0', blank when skipped; legacy: True/False; ODK: 0-prefilled).

    The summary column carries the same answers and is blank when the question was skipped, so
    the detail columns are dropped: a blank detail never reads as "no"."""
    present = set(headers)
    return [h for h in headers if separator in h and h.rsplit(separator, 1)[0] in present]


def geopoint_aliases(headers: list[str], separator: str = "/") -> dict[str, str]:
    """Kobo label exports write a geopoint's parts as `_<label>_latitude`: map them."""
    from minesite.checklists.vocabulary import normalise

    part = re.compile(rf"^(?:.*{re.escape(separator)})?_.+_(latitude|longitude)$", re.IGNORECASE)
    found = {}
    for header in headers:
        match = part.match(header.strip())
        if match:
            found[normalise(header)] = match.group(1).lower()
    return found


def header_mode(headers: list[str]) -> str:
    """'XML names' when headers look like XLSForm names, else 'labels'."""
    data = [h for h in headers if not h.startswith("_")]
    names = sum(bool(re.fullmatch(r"[A-Za-z_][\w.:/-]*", h)) for h in data)
    return "XML names" if names >= 0.8 * max(1, len(data)) else "labels"


def link_repeat(
    path: Path,
    keys: pd.Series,
    parents: pd.Series,
    *,
    names: tuple[str, str],
    sheets: tuple[str | None, str | None],
    first_rows: tuple[int, int],
) -> np.ndarray:
    """Position of each repeat row's visit: the repeat's parent key (Kobo `_parent_index`, ODK
    `PARENT_KEY`) looked up among the visits' keys (`_index`, `KEY`).

    A repeated key, or a parent key matching no visit, is an error naming the cell: an actor
    that cannot be tied to its visit would be evidence silently lost."""
    key_name, parent_name = names
    main_sheet, repeat_sheet = sheets
    main_first, repeat_first = first_rows
    keys = keys.fillna("").str.strip()
    duplicated = keys[(keys != "") & keys.duplicated()]
    if len(duplicated):
        raise InputError(
            path,
            "input.duplicate-link-key",
            key_name=key_name,
            key_value=duplicated.iat[0],
            sheet=main_sheet,
            row=int(np.flatnonzero(keys.index == duplicated.index[0])[0]) + main_first,
            column=key_name,
        )
    # A visit without a key has no repeat rows: a blank parent key is tied to no visit either.
    named = np.flatnonzero((keys != "").to_numpy())
    parents = parents.fillna("").str.strip()
    found = pd.Index(keys.to_numpy()[named]).get_indexer(parents.to_numpy())
    orphan = found < 0
    if orphan.any():
        at = int(np.flatnonzero(orphan)[0])
        raise InputError(
            path,
            "input.orphan-repeat-row",
            parent_name=parent_name,
            parent_value=parents.iat[at],
            key_name=key_name,
            main_sheet=main_sheet or "",
            sheet=repeat_sheet,
            row=at + repeat_first,
            column=parent_name,
        )
    return named[found].astype(np.int64)
