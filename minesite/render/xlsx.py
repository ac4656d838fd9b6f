"""The export tables as one XLSX workbook: a sheet per table, dates as dates, numbers as numbers,
autofilter and sized columns; a table past Excel's row limit continues on the next sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from minesite.render.typed import typed_frame

MAX_ROWS = 1_048_575
"""Data rows an Excel sheet holds under its header row."""


def sheet_names(tables: dict[str, pd.DataFrame], limit: int = MAX_ROWS) -> dict[str, list[str]]:
    """Table -> the sheets it fills: 'visits', 'visits (2)'... (checked before writing)."""
    names = {}
    for name, frame in tables.items():
        parts = max(1, -(-len(frame) // limit))
        names[name] = [name if k == 0 else f"{name} ({k + 1})" for k in range(parts)]
    return names


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path, limit: int = MAX_ROWS) -> None:
    """Write the workbook row by row (constant memory): strings never become formulas or links."""
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd",
        "nan_inf_to_errors": False,
    }
    workbook = xlsxwriter.Workbook(str(path), options)
    bold = workbook.add_format({"bold": True})
    try:
        for name, frame in tables.items():
            typed = typed_frame(frame)
            columns = [_cells(typed[c]) for c in typed.columns]
            for k, sheet in enumerate(sheet_names({name: frame}, limit)[name]):
                start, stop = k * limit, min((k + 1) * limit, len(frame))
                _sheet(workbook, bold, sheet, list(typed.columns), columns, start, stop)
    finally:
        workbook.close()


def _cells(column: pd.Series) -> list[Any]:
    """A column as Python values xlsxwriter writes natively; missing values as None."""
    if pd.api.types.is_datetime64_any_dtype(column):
        values = column.dt.date.astype(object)
    elif isinstance(column.dtype, pd.BooleanDtype) or column.dtype == bool:
        values = column.astype(object)
    else:
        values = column.astype(object)
    return values.where(column.notna(), None).tolist()


def _sheet(
    workbook: Any,
    bold: Any,
    name: str,
    header: list[str],
    columns: list[list[Any]],
    start: int,
    stop: int,
) -> None:
    sheet = workbook.add_worksheet(name)
    widths = [
        min(60, max([len(h)] + [len(str(v)) for v in col[start : start + 200] if v is not None]))
        for h, col in zip(header, columns, strict=True)
    ]
    for j, width in enumerate(widths):
        sheet.set_column(j, j, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(stop - start, 1), max(len(header) - 1, 0))
    sheet.write_row(0, 0, header, bold)
    # Each column's writer is chosen once from its type (write() would dispatch per cell);
    # None is a blank cell, left unwritten.
    writers = [_writer(sheet, col[start:stop]) for col in columns]
    for i, row in enumerate(zip(*(col[start:stop] for col in columns), strict=True), start=1):
        for j, value in enumerate(row):
            if value is not None:
                writers[j](i, j, value)


def _writer(sheet: Any, values: list[Any]) -> Any:
    first = next((v for v in values if v is not None), None)
    if isinstance(first, bool):
        return sheet.write_boolean
    if isinstance(first, int | float):
        return sheet.write_number
    if isinstance(first, dt.date):
        return sheet.write_datetime
    return sheet.write_string
