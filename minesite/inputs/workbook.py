"""Read the sheets of an XLSX workbook (python-calamine) into frames of strings."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from python_calamine import CalamineError

from minesite.errors import InputError, Position
from minesite.inputs.table import InputWarning
from minesite.inputs.workbook_open import Opened, open_workbook, take_opened, unreadable
from minesite.inputs.xlsx_guard import Formulas
from minesite.limits import check_cell_length, check_cells, current


@dataclass(frozen=True)
class Sheet:
    """One worksheet as strings, with the Excel row number of its header."""

    name: str
    frame: pd.DataFrame
    header_row: int
    """Excel row number (1-based) of the header; data row i is header_row + 1 + i."""
    header_cells: tuple[str, ...] = ()
    """The header row as written, one entry per column from A (blank where no header)."""
    warnings: list[InputWarning] = field(default_factory=list)
    """Formula cells under the header: their value is the one Excel last saved."""


def read_sheets(path: Path, *, keep_blank: bool = False) -> list[Sheet]:
    """Every non-empty sheet of the workbook, in workbook order; `keep_blank` keeps one blank
    header over data (a --columns mapping names it).

    The zip's member count and declared sizes, and what each sheet's range would allocate, are
    checked before calamine decompresses anything (see workbook_open)."""
    opened = take_opened(path) or open_workbook(path)
    try:
        largest = max((m.file_size for m in opened.archive.infolist()), default=0)
        with _collector_paused():
            sheets = _read(path, keep_blank, opened)
    except InputError:
        raise
    except (CalamineError, ValueError, OSError) as exc:
        raise unreadable(path, exc) from None
    finally:
        opened.close()
    scan = opened.guard.scan
    found = [s for s in sheets if s is not None]
    for sheet in found:
        check_cells(path, sheet.frame, sheet=sheet.name)
        if largest > current().cell_chars:  # a smaller workbook cannot hold a longer cell
            check_cell_length(path, sheet.frame, sheet=sheet.name, first_row=sheet.header_row + 1)
    if not found:
        raise InputError(path, "input.xlsx-no-data")
    return [_with_formulas(path, s, scan.formulas.get(s.name), scan.recalculate) for s in found]


def _read(path: Path, keep_blank: bool, opened: Opened) -> list[Sheet | None]:
    """Each sheet through calamine and to text, in workbook order: calamine parses a sheet in
    a thread (it releases the GIL) while the guard measures the next one and the one before is
    turned to text. No sheet is parsed before the guard has measured it (the first one was
    measured by `open_workbook`)."""
    workbook, names, guard = opened.workbook, opened.names, opened.guard
    sheets = []

    def parse(name: str) -> Future:
        guard.check(name, names)
        return opened.pool.submit(workbook.get_sheet_by_name, name)

    ahead = [opened.first] if opened.first is not None else []
    for i, name in enumerate(names):
        for following in names[i + 1 : i + 2]:
            guard.check(following, names)  # beside the parse of this sheet
        sheet = ahead.pop().result()
        ahead += [parse(n) for n in names[i + 1 : i + 2]]
        rows = sheet.to_python(skip_empty_area=False)
        del sheet  # calamine's copy of the cells
        sheets.append(_sheet(path, name, rows, keep_blank=keep_blank))
    return sheets


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the sheets are read: calamine's rows are a
    hundred thousand lists, and each collection the allocations trigger walks every object the
    process holds (0.15 s of a 50,000-visit read) to find no cycle among them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_formulas(path: Path, sheet: Sheet, formulas: Formulas | None, recalculate: bool) -> Sheet:
    """One warning per column holding formula cells under the header: minesite reads the value
    Excel last saved, which a tool that does not recalculate (or a doctored file) leaves stale."""
    if formulas is None:
        return sheet
    warnings = []
    for column, (count, first) in sorted(formulas.columns.items()):
        title = sheet.header_cells[column] if 0 <= column < len(sheet.header_cells) else ""
        if not title or first <= sheet.header_row:
            continue
        warnings.append(
            InputWarning(
                "input.formula-cells-stale" if recalculate else "input.formula-cells",
                Position(file=path.name, sheet=sheet.name, row=first, column=title),
                {"count": count},
            )
        )
    return replace(sheet, warnings=[*sheet.warnings, *warnings])


def _sheet(
    path: Path, name: str, rows: list[list[object]], *, keep_blank: bool = False
) -> Sheet | None:
    header_index = next((i for i, row in enumerate(rows) if any(_text(v) for v in row)), None)
    if header_index is None:
        return None
    header = [_text(v).strip() for v in rows[header_index]]
    while header and not header[-1]:
        header.pop()
    body = rows[header_index + 1 :]
    while body and not any(_text(v) for v in body[-1]):
        body.pop()  # formatted but empty rows at the end of a sheet are not data
    warnings = []
    if header and not header[0] and _row_numbers(body):
        # R's write.xlsx and a pasted pandas frame keep the row number as an unnamed column A.
        where = Position(file=path.name, sheet=name, row=header_index + 1, column=None)
        warnings.append(InputWarning("input.row-index-dropped", where, {}))
    # A column past the last header with data in it is data without a header too.
    width = max((len(r) for r in body), default=0)
    titles = header + [""] * max(0, width - len(header))
    blank = [
        position
        for position, title in enumerate(titles, start=1)
        if not title
        and not (warnings and position == 1)
        and any(len(r) >= position and _text(r[position - 1]) for r in body)
    ]
    if len(blank) > int(keep_blank):
        raise InputError(
            path,
            "input.data-without-header",
            sheet=name,
            row=header_index + 1,
            number=blank[int(keep_blank)],
        )
    named = {position - 1 for position in blank}  # the one blank header a mapping names
    seen: set[str] = set()
    for title in header:
        if title and title in seen:
            raise InputError(
                path, "input.header-twice", sheet=name, row=header_index + 1, column=title
            )
        seen.add(title)
    # Columns straight from calamine's rows; most cells are already text, and the numbers of
    # a column are formatted at once.
    transposed = _transposed(body)
    columns = {
        title: _column(transposed[i] if i < len(transposed) else ("",) * len(body))
        for i, title in enumerate(titles)
        if title or i in named
    }
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(columns=[])
    cells = tuple(header)
    return Sheet(name, frame, header_index + 1, header_cells=cells, warnings=warnings)


def _transposed(body: list[list[object]]) -> list:
    """The columns of the rows: one object array when every row is as wide (calamine's are:
    three times faster than `zip`), else padded with blank cells."""
    if not body:
        return []
    width = len(body[0])
    if width and all(len(row) == width for row in body):
        grid = np.empty((len(body), width), dtype=object)
        grid[:] = body  # cell by cell: no cell is taken for a sequence to unpack
        return list(grid.T)
    return list(zip_longest(*body, fillvalue=""))


def _row_numbers(body: list[list[object]]) -> bool:
    """Column A holds 1, 2, 3... (or 0, 1, 2...) on every row: a row index, not data."""
    if not body or any(len(row) < 2 for row in body):
        return False
    first = [_text(row[0]).strip() for row in body]
    start = 0 if first[0] == "0" else 1
    return first == [str(start + i) for i in range(len(body))]


def _column(cells: Sequence[object]) -> pd.api.extensions.ExtensionArray:
    """A frame column of text (the `str` dtype): Arrow takes a column of strings as it is, and
    refuses any other cell, which `_texts` then converts."""
    try:
        text = pa.array(cells, type=pa.large_string())
    except pa.ArrowTypeError:
        text = None
    if text is None or text.null_count:  # Arrow reads None as null, `_text` as ""
        text = _texts(cells)
    return pd.array(text, dtype="str")


def _texts(cells: Sequence[object]) -> pa.Array:
    """A column of cells as text by the rule of `_text`: numbers converted as one array, the
    other cells one by one, each put back in its row."""
    # fromiter: np.array would probe every element (and every type object) for an array.
    values = np.fromiter(cells, dtype=object, count=len(cells))
    types = np.fromiter(map(type, cells), dtype=object, count=len(cells))
    floats = np.equal(types, float)
    strings = np.equal(types, str)
    rest = np.flatnonzero(~floats & ~strings)
    return _placed(
        len(cells),
        (np.flatnonzero(floats), lambda rows: _float_texts(values[rows].astype(float))),
        (np.flatnonzero(strings), lambda rows: pa.array(values[rows], type=pa.large_string())),
        (rest, lambda rows: pa.array([_text(v) for v in values[rows]], type=pa.large_string())),
    )


def _float_texts(numbers: np.ndarray) -> pa.Array:
    """Floats as `_text` writes them: whole numbers without '.0', others as repr does. Arrow
    writes both as Python does where it was checked to (every one of 18 million fractions
    between 1e-4 and 1e9: outside, one writes 1e-05 and the other 0.00001); Python the rest."""
    integer = numbers == np.floor(numbers)
    whole = integer & (np.abs(numbers) < 2**53)  # exact in int64
    with np.errstate(invalid="ignore"):  # nan is neither
        short = ~integer & (np.abs(numbers) >= 1e-4) & (np.abs(numbers) < 1e9)
    text = pa.large_string()
    return _placed(
        len(numbers),
        (np.flatnonzero(whole), lambda rows: pa.array(numbers[rows].astype(np.int64)).cast(text)),
        (np.flatnonzero(short), lambda rows: pa.array(numbers[rows]).cast(text)),
        (
            np.flatnonzero(~whole & ~short),  # fractions beyond, whole beyond 2**53, inf, nan
            lambda rows: pa.array([_text(v) for v in numbers[rows].tolist()], type=text),
        ),
    )


def _placed(count: int, *parts: tuple[np.ndarray, Callable[[np.ndarray], pa.Array]]) -> pa.Array:
    """One text array of `count` rows from parts (the rows each covers, how to write them):
    a single part is returned as it is, several are put in order by one take."""
    present = [(rows, write(rows)) for rows, write in parts if len(rows)]
    if len(present) == 1:
        return present[0][1]
    order = np.empty(count, dtype=np.int64)
    order[np.concatenate([rows for rows, _ in present])] = np.arange(count)
    return pa.concat_arrays([text for _, text in present]).take(pa.array(order))


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
