"""The export tables as one XLSX workbook: a sheet per table, dates as dates, numbers as numbers,
autofilter and sized columns; a table past Excel's row limit continues on the next sheet.

xlsxwriter writes the package (styles, sheet views, filters, column widths, header rows); the
data rows, nearly all of the file, are built as XML with Arrow kernels (render/xlsx_rows.py) and
written into each sheet's `<sheetData>` as the package is copied to its final zip. xlsxwriter's
own cell writer cost about 5 us a cell, 150 s for the 31 million cells of 300,000 visits.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from minesite.render.typed import typed_frame
from minesite.render.xlsx_rows import (
    REFERENCE_BYTES,
    ROW_BYTES,
    Tail,
    column_letters,
    column_tail,
    rows,
    utf8_chunks,
)

MAX_ROWS = 1_048_575
"""Data rows an Excel sheet holds under its header row."""
_CHUNK = 32_768  # rows built at a time: about 40 MB of XML for the widest table
_LEVEL = 1  # deflate: 300,000 visits in 11 s / 160 MB; level 6 took 20 s / 131 MB
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


@dataclass
class _Part:
    """The data rows [start, stop) of a table that fill one worksheet part."""

    tails: list[Tail]
    start: int
    stop: int


def sheet_names(tables: dict[str, pd.DataFrame], limit: int = MAX_ROWS) -> dict[str, list[str]]:
    """Table -> the sheets it fills: 'visits', 'visits (2)'... (checked before writing)."""
    names = {}
    for name, frame in tables.items():
        parts = max(1, -(-len(frame) // limit))
        names[name] = [name if k == 0 else f"{name} ({k + 1})" for k in range(parts)]
    return names


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path, limit: int = MAX_ROWS) -> None:
    """Write the workbook: strings never become formulas or links (cells are inline strings)."""
    import xlsxwriter

    template = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        template, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    # The data cells are written outside xlsxwriter: the date style needs its index now.
    date_style = date._get_xf_index()  # noqa: SLF001
    parts: dict[str, _Part] = {}
    try:
        for name, frame in tables.items():
            typed = typed_frame(frame)
            tails = [column_tail(typed[c], date_style) for c in typed.columns]
            for k, sheet_name in enumerate(sheet_names({name: frame}, limit)[name]):
                start, stop = k * limit, min((k + 1) * limit, len(frame))
                sheet = workbook.add_worksheet(sheet_name)
                _layout(sheet, bold, typed, start, stop)
                parts[f"xl/worksheets/sheet{len(parts) + 1}.xml"] = _Part(tails, start, stop)
    finally:
        workbook.close()
    _assemble(template, path, parts)


def _layout(sheet: Any, bold: Any, typed: pd.DataFrame, start: int, stop: int) -> None:
    """Column widths from the header and the first 200 rows, frozen header, filter, header."""
    header = [str(c) for c in typed.columns]
    for j, name in enumerate(header):
        sample = [_shown(v) for v in typed[name].iloc[start : min(stop, start + 200)].tolist()]
        sheet.set_column(j, j, min(60, max([len(name), *map(len, sample)])) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(stop - start, 1), max(len(header) - 1, 0))
    sheet.write_row(0, 0, header, bold)


def _shown(value: Any) -> str:
    """About what a cell shows, for its column's width."""
    if value is None or value is pd.NA or value is pd.NaT or value != value:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def _assemble(template: io.BytesIO, path: Path, parts: dict[str, _Part]) -> None:
    """Copy the package to `path`, each worksheet with its data rows after the header row."""
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            part = parts.get(info.filename)
            if part is None or part.stop <= part.start or not part.tails:
                target.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            last = f"{column_letters(len(part.tails) - 1)}{part.stop - part.start + 1}"
            head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
            widest = ROW_BYTES + sum(REFERENCE_BYTES + t.widest for t in part.tails)
            large = len(data) + (part.stop - part.start) * widest > zipfile.ZIP64_LIMIT
            with target.open(info.filename, "w", force_zip64=large) as out:
                out.write(head)
                for start in range(part.start, part.stop, _CHUNK):
                    stop = min(start + _CHUNK, part.stop)
                    for chunk in utf8_chunks(rows(part.tails, start, stop, start - part.start + 2)):
                        out.write(chunk)
                out.write(b"</sheetData>" + tail)
