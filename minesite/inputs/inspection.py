"""The canonical inspection: visits and actors as strings, with where every cell came from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.inputs.columns import slot_column
from minesite.inputs.table import InputWarning


@dataclass
class SourceFile:
    """One table that was read: where it came from, how it was read, and its headers."""

    path: Path
    sheet: str | None
    dialect: str
    """How the file was read, in English words (machine-readable: the same in every language)."""
    sha256: str
    rows: int
    header_row: int
    headers: dict[str, str]
    """Canonical name -> the header as written in the file."""
    actor_columns: dict[str, str] = field(default_factory=dict)
    """Actor field -> canonical column template ({n} = actor slot) for wide actor layouts; for
    actors written one per row (repeat sheet or table), actor field -> itself."""
    actor_sheet: str | None = None
    """Sheet (Kobo XLSX) or zip member (ODK Central) holding one actor per row, if any."""
    actor_headers: dict[str, str] = field(default_factory=dict)
    """Actor field -> the header as written in the actor sheet."""
    actor_header_row: int = 1
    dialect_parts: tuple = ()
    """The same as codes and parameters (inputs/dialects.py), for words in any language."""


@dataclass
class Inspection:
    """Canonical inspection tables: every cell a string; NaN only where a file lacks the column."""

    visits: pd.DataFrame
    """One row per input row; `_source` indexes `sources`, `_row` is the Excel row number."""
    actors: pd.DataFrame
    """One row per armed or security actor; `visit` is the position of its visit row, `slot`
    its order on the visit, `row` its Excel row in the actor sheet (-1: on the visit's row)."""
    sources: list[SourceFile]
    warnings: list[InputWarning] = field(default_factory=list)
    """What was read but may not be what the file's author sees: formula cells (their cached
    value), bytes that are not UTF-8, a visit given twice; each (code, position, params)."""

    def has_column(self, name: str) -> np.ndarray:
        """Per visit: does the file it came from have this column?"""
        if name not in self.visits.columns:
            return np.zeros(len(self.visits), dtype=bool)
        return self.visits[name].notna().to_numpy()

    def cell(self, position: int, column: str) -> tuple[SourceFile, int, str]:
        """Source file, Excel row and header of one visit cell."""
        source = self.sources[int(self.visits["_source"].iat[position])]
        header = source.headers.get(column, column)
        # A derived column (e.g. title_zone from a cadastre) names its own origin per visit.
        derived = f"_cell_{column}"
        if derived in self.visits.columns:
            origin = self.visits[derived].iat[position]
            if isinstance(origin, str) and origin:
                header = origin
        return source, int(self.visits["_row"].iat[position]), header

    def actor_cell(self, actor: int, field: str) -> tuple[SourceFile, int, str]:
        """Source file (with the actor sheet as its sheet), Excel row and header of one actor
        answer."""
        visit = int(self.actors["visit"].iat[actor])
        source = self.sources[int(self.visits["_source"].iat[visit])]
        if source.actor_sheet is not None:
            sheet = replace(
                source,
                sheet=source.actor_sheet,
                headers=source.actor_headers,
                header_row=source.actor_header_row,
            )
            row = int(self.actors["row"].iat[actor])
            return sheet, row, source.actor_headers.get(field, field)
        template = source.actor_columns.get(field, field)
        column = slot_column(template, int(self.actors["slot"].iat[actor]))
        return source, int(self.visits["_row"].iat[visit]), source.headers.get(column, column)

    def cells(
        self, positions: np.ndarray, columns: np.ndarray, actors: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised cell(): sheet, Excel row and header for many (visit, column, actor) at once;
        actor -1 means a visit cell. Loops run over distinct (file, column, slot), not rows."""
        n = len(positions)
        sheet, header = np.empty(n, dtype=object), np.empty(n, dtype=object)
        row = self.visits["_row"].to_numpy()[positions].astype(np.int64)
        source_of = self.visits["_source"].to_numpy()[positions]
        on_actor = actors >= 0
        has_actors = len(self.actors) > 0
        slot = self.actors["slot"].to_numpy()[np.maximum(actors, 0)] if has_actors else actors
        actor_row = (
            self.actors["row"].to_numpy()[np.maximum(actors, 0)]
            if has_actors and "row" in self.actors.columns
            else np.full(n, -1)
        )
        for k in np.unique(source_of):
            source = self.sources[int(k)]
            here = source_of == k
            sheet[here] = source.sheet or ""
            for name in pd.unique(columns[here]):
                same = here & (columns == name)
                plain = same & ~on_actor
                header[plain] = source.headers.get(name, name)
                derived = f"_cell_{name}"
                if plain.any() and derived in self.visits.columns:
                    origin = self.visits[derived].to_numpy(dtype=object)[positions[plain]]
                    header[plain] = np.where(
                        [isinstance(o, str) and o != "" for o in origin], origin, header[plain]
                    )
                actor = same & on_actor
                if not actor.any():
                    continue
                if source.actor_sheet is not None:
                    sheet[actor] = source.actor_sheet
                    header[actor] = source.actor_headers.get(name, name)
                    row[actor] = actor_row[actor]
                    continue
                template = source.actor_columns.get(name, name)
                for number in np.unique(slot[actor]):
                    column = slot_column(template, int(number))
                    header[actor & (slot == number)] = source.headers.get(column, column)
        return sheet, row, header
