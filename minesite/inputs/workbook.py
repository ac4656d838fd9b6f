"""Read the sheets of an XLSX workbook (python-calamine) into frames of strings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from minesite.errors import InputError
from minesite.limits import (
    check_cell_length,
    check_cells,
    check_xlsx_ranges,
    check_zip_file,
    current,
)


@dataclass(frozen=True)
class Sheet:
    """One worksheet as strings, with the Excel row number of its header."""

    name: str
    frame: pd.DataFrame
    header_row: int
    """Excel row number (1-based) of the header; data row i is header_row + 1 + i."""


def read_sheets(path: Path) -> list[Sheet]:
    """Every non-empty sheet of the workbook, in workbook order.

    The zip's declared sizes are checked before calamine decompresses anything."""
    largest = check_zip_file(path)
    check_xlsx_ranges(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        sheets = [
            _sheet(path, name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in names
        ]
    except InputError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        raise InputError(path, f"not a readable XLSX workbook: {_first_line(exc)}") from None
    found = [s for s in sheets if s is not None]
    for sheet in found:
        check_cells(path, sheet.frame, sheet=sheet.name)
        if largest > current().cell_chars:  # a smaller workbook cannot hold a longer cell
            check_cell_length(path, sheet.frame, sheet=sheet.name, first_row=sheet.header_row + 1)
    if not found:
        raise InputError(path, "the workbook has no data")
    return found


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _sheet(path: Path, name: str, rows: list[list[object]]) -> Sheet | None:
    header_index = next((i for i, row in enumerate(rows) if any(_text(v) for v in row)), None)
    if header_index is None:
        return None
    header = [_text(v).strip() for v in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    body = rows[header_index + 1 :]
    while body and not any(_text(v) for v in body[-1]):
        body.pop()  # formatted but empty rows at the end of a sheet are not data
    for position, title in enumerate(header, start=1):
        if not title and any(len(r) >= position and _text(r[position - 1]) for r in body):
            raise InputError(
                path, f"column {position} has data but no header", sheet=name, row=header_index + 1
            )
    seen: set[str] = set()
    for title in header:
        if title and title in seen:
            raise InputError(
                path, "the header appears twice", sheet=name, row=header_index + 1, column=title
            )
        seen.add(title)
    keep = [i for i, title in enumerate(header) if title]
    cells = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(columns=range(len(header)))
    columns = {}
    for i in keep:
        values = cells[i].to_numpy(dtype=object) if i in cells.columns else np.full(len(body), "")
        # Most cells are already text: convert only numbers, dates, booleans and gaps.
        other = np.flatnonzero([type(v) is not str for v in values])
        if len(other):
            values = values.copy()
            values[other] = [_text(values[k]) for k in other]
        columns[header[i]] = values
    frame = pd.DataFrame(columns, dtype=str) if columns else pd.DataFrame(columns=[])
    return Sheet(name=name, frame=frame, header_row=header_index + 1)


def _text(value: object) -> str:
    """A cell as the text a form would have held: 1.0 -> '1', dates as ISO 8601."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
