"""KoboToolbox XLSX: the main sheet (form title, cut at 31 characters) and one sheet per repeat
group, linked by the main sheet's `_index` and the repeat sheet's `_parent_index`. The repeat
that describes armed or security actors (its headers name an actor `category`) becomes the
actors table directly, one row per actor, each keeping its own sheet and Excel row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import normalise
from minesite.errors import InputError
from minesite.inputs import dialects
from minesite.inputs.detect import KOBO_SYSTEM
from minesite.inputs.kobo_csv import prepare_kobo
from minesite.inputs.table import Table, geopoint_aliases, header_mode, link_repeat
from minesite.inputs.workbook import Sheet


def is_kobo_workbook(sheets: list[Sheet]) -> bool:
    """Kobo appends its system columns (_uuid, _index...) to the main sheet."""
    return any(len(set(map(str, s.frame.columns)) & KOBO_SYSTEM) >= 2 for s in sheets)


def read_kobo_xlsx(
    path: Path, sheets: list[Sheet], actor_aliases: dict[str, str], separator: str | None = None
) -> Table:
    """Main sheet + the actors repeat sheet of a KoboToolbox XLSX export."""
    repeats = [s for s in sheets if _is_repeat(s)]
    mains = [s for s in sheets if s not in repeats and "_uuid" in s.frame.columns]
    if not mains:
        mains = [s for s in sheets if s not in repeats]
    if not mains:
        raise InputError(path, "input.kobo-no-main-sheet")
    main = mains[0]
    frame, first_row = _drop_hxl(main)
    frame, separator = prepare_kobo(frame, separator)
    headers = [str(c) for c in frame.columns]
    actor_sheet = next((s for s in repeats if _names_category(s, actor_aliases, separator)), None)
    ignored = [s.name for s in repeats if s is not actor_sheet]
    actors = None
    if actor_sheet is not None:
        actors = _link(path, main, frame, first_row, actor_sheet)
    dialect: tuple = (("dialect.kobo-xlsx", {}), dialects.header_mode(header_mode(headers)))
    if actor_sheet is not None:
        dialect += (("dialect.detail.actors-sheet", {"sheet": actor_sheet.name}),)
    if ignored:
        names = ", ".join(f'"{n}"' for n in ignored)
        dialect += (("dialect.detail.repeats-not-read", {"names": names}),)
    return Table(
        frame=frame,
        dialect=dialect,
        sheet=main.name,
        header_row=main.header_row,
        first_data_row=first_row,
        separators=(separator,),
        aliases=geopoint_aliases(headers, separator),
        actors=actors,
        actor_sheet=actor_sheet.name if actor_sheet is not None else None,
        actor_header_row=actor_sheet.header_row if actor_sheet is not None else 1,
        warnings=main.warnings + (actor_sheet.warnings if actor_sheet is not None else []),
    )


def _is_repeat(sheet: Sheet) -> bool:
    columns = set(map(str, sheet.frame.columns))
    return bool(columns & {"_parent_index", "_parent_table_name", "_submission__uuid"})


def _names_category(sheet: Sheet, actor_aliases: dict[str, str], separator: str) -> bool:
    for header in map(str, sheet.frame.columns):
        key = normalise(header)
        if actor_aliases.get(key) == "category" or (
            actor_aliases.get(key.rsplit(separator, 1)[-1]) == "category"
        ):
            return True
    return False


def _drop_hxl(sheet: Sheet) -> tuple[pd.DataFrame, int]:
    frame = sheet.frame
    first = sheet.header_row + 1
    if len(frame):
        cells = [str(v).strip() for v in frame.iloc[0] if str(v).strip()]
        if cells and all(c.startswith("#") for c in cells):
            return frame.iloc[1:].reset_index(drop=True), first + 1
    return frame, first


def _link(
    path: Path, main: Sheet, frame: pd.DataFrame, main_first_row: int, repeat: Sheet
) -> pd.DataFrame:
    """Repeat rows -> actors with `_visit` (position of the main row) and `_row` (Excel row)."""
    if "_index" not in frame.columns:
        raise InputError(
            path,
            "input.missing-link-key",
            repeat=repeat.name,
            sheet=main.name,
            row=main.header_row,
            column="_index",
        )
    actors, first_row = _drop_hxl(repeat)
    if "_parent_index" not in actors.columns:
        raise InputError(
            path,
            "input.missing-parent-key",
            sheet=repeat.name,
            row=repeat.header_row,
            column="_parent_index",
        )
    visit = link_repeat(
        path,
        frame["_index"],
        actors["_parent_index"],
        names=("_index", "_parent_index"),
        sheets=(main.name, repeat.name),
        first_rows=(main_first_row, first_row),
    )
    actors = actors.copy()
    actors["_visit"] = visit
    actors["_row"] = np.arange(len(actors), dtype=np.int64) + first_row
    return actors
