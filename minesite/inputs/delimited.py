"""Read a delimited text table (CSV, French Excel `;` CSV, Kobo/ODK CSV) into a frame of strings."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from minesite.errors import InputError, Position
from minesite.inputs.arrow_csv import read_arrow_csv
from minesite.inputs.csv_checks import (
    check_header,
    check_repeated_header,
    check_short_rows,
    is_hxl,
)
from minesite.inputs.csv_scan import scan
from minesite.inputs.detect import Sniffed
from minesite.inputs.table import InputWarning
from minesite.limits import check_cell_length, check_cells, check_columns, current, has_long_line

_PANDAS_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_PANDAS_EOF = re.compile(r"EOF inside string starting at row (\d+)")
_WIDE = 1000
"""Columns above which the C parser beats pyarrow (its per-column conversion dominates)."""


@dataclass(frozen=True)
class Delimited:
    """A text table as strings, and where its data starts."""

    frame: pd.DataFrame
    hxl: bool
    """A HXL hashtag row (`#loc+name`...) sat under the header and was dropped."""
    warnings: list[InputWarning] = field(default_factory=list)
    """Cells holding bytes that are not UTF-8 (read as U+FFFD), one per column."""

    @property
    def first_data_row(self) -> int:
        """Excel row number of the first data row."""
        return 3 if self.hxl else 2


def read_delimited(
    path: Path,
    sniffed: Sniffed,
    *,
    data: bytes | None = None,
    sheet: str | None = None,
    keep_blank: bool = False,
) -> Delimited:
    """All cells as strings, blank kept blank; header is row 1, data from row 2 (3 after HXL).

    `data` reads a member of an archive (named `sheet` in errors) instead of the file;
    `keep_blank` keeps a blank header over data (a mapping names it)."""
    encoding = sniffed.encoding or "utf-8"
    delimiter = sniffed.delimiter or ","
    _check_width(path, data, delimiter, sheet)
    if data is None and encoding in ("utf-8", "utf-8-sig") and not sniffed.invalid_utf8:
        fast = _read_fast(path, delimiter)
        if fast is not None:
            frame, long_line = fast
            return _checked(path, _finish(path, frame, sheet, keep_blank), long_line, sheet)
    raw = path.read_bytes() if data is None else data
    text = _decode(path, raw, encoding, sheet, lenient=sniffed.invalid_utf8)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise InputError(path, "input.empty-file", sheet=sheet) from None
    except pd.errors.ParserError as exc:
        match = _PANDAS_LINE.search(str(exc))
        if match:
            expected, row, seen = match.groups()
            raise InputError(
                path,
                "input.ragged-row",
                fields=int(seen),
                width=int(expected),
                sheet=sheet,
                row=int(row),
            ) from None
        unclosed = _PANDAS_EOF.search(str(exc))
        if unclosed:
            # pandas counts records from 0 with the header as record 0: Excel row = n + 1.
            raise InputError(
                path,
                "input.unclosed-quote",
                sheet=sheet,
                row=int(unclosed.group(1)) + 1,
            ) from None
        raise InputError(path, "input.unreadable-csv", reason=str(exc), sheet=sheet) from None
    check_short_rows(path, text, delimiter, len(frame.columns), sheet)
    long_line = has_long_line(raw, current().cell_chars)
    read = _checked(path, _finish(path, frame, sheet, keep_blank), long_line, sheet)
    if sniffed.invalid_utf8:
        read = replace(read, warnings=[*read.warnings, *_invalid_cells(path, read, sheet)])
    return read


def _check_width(path: Path, data: bytes | None, delimiter: str, sheet: str | None) -> None:
    """Columns of the header line, counted before any parser builds them (a 59 MB header of
    6,000,000 columns took 6 GB): delimiters in the first line bound the columns from above,
    and only a line over the limit is parsed to count them exactly."""
    limit = current().columns
    if data is None:
        with path.open("rb") as handle:
            line = handle.readline()
    else:
        end = data.find(b"\n")
        line = data[: end if end >= 0 else len(data)]
    if line.count(delimiter.encode()) + 1 <= limit:
        return
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    text = line.decode("utf-8", errors="replace")
    fields = next(csv.reader([text], delimiter=delimiter), [])
    check_columns(path, len(fields), sheet=sheet)


def _invalid_cells(path: Path, read: Delimited, sheet: str | None) -> list[InputWarning]:
    """One warning per column whose cells hold bytes that are not UTF-8 (now U+FFFD): such an
    answer is outside every vocabulary, so it reads as unknown, never as a pass."""
    found = []
    for column in read.frame.columns:
        bad = read.frame[column].str.contains("\ufffd", regex=False).to_numpy()
        if bad.any():
            found.append(
                InputWarning(
                    "input.invalid-utf8",
                    Position(path.name, sheet, int(bad.argmax()) + read.first_data_row, column),
                    {"count": int(bad.sum())},
                )
            )
    return found


def _checked(path: Path, read: Delimited, long_line: bool, sheet: str | None) -> Delimited:
    """Limits: cells in the table, characters in a cell (looked for cell by cell only when some
    line of the file may be longer than the limit, so a normal file costs no cell scan)."""
    check_cells(path, read.frame, sheet=sheet)
    if long_line:
        check_cell_length(path, read.frame, sheet=sheet, first_row=read.first_data_row)
    return read


def _read_fast(path: Path, delimiter: str) -> tuple[pd.DataFrame, bool] | None:
    """The multi-threaded pyarrow parser, for well-formed UTF-8 files (the common case), and
    whether a line may hold an over-long cell (see csv_scan).

    It skips blank lines (which would shift Excel row numbers) and gives no row number for a
    ragged row or a bad byte: such files return None and take the exact, slower path."""
    if not path.stat().st_size:
        return None
    with path.open("rb") as handle:
        header = handle.readline().rstrip(b"\n")
    if not header.strip(b"\r"):
        return None  # pyarrow would skip a blank first line: the exact parser decides
    # pyarrow -> pandas costs per column: a very wide table is faster with the C parser.
    if header.count(delimiter.encode()) > _WIDE:
        return None
    # A second byte-order mark in the header (two exports pasted): pyarrow keeps it as text,
    # the exact parser does not. Found by fuzzing.
    if header.find(codecs.BOM_UTF8, 3 if header.startswith(codecs.BOM_UTF8) else 0) >= 0:
        return None
    scanned = scan(path, delimiter, current().cell_chars)
    if scanned.exact:
        return None
    frame = read_arrow_csv(path, delimiter, multiline=scanned.multiline)
    if frame is None:
        return None
    return frame, scanned.long_line


def _finish(
    path: Path, frame: pd.DataFrame, sheet: str | None, keep_blank: bool = False
) -> Delimited:
    """Header checks, HXL row, repeated header: the same for both parsers."""
    if not isinstance(frame.index, pd.RangeIndex):
        # More fields than the header on the first record: pandas took the first columns as
        # the index and shifted every answer left. Found by fuzzing; said before any check
        # that reads the shifted columns.
        width = len(frame.columns)
        raise InputError(
            path,
            "input.ragged-row",
            fields=width + frame.index.nlevels,
            width=width,
            sheet=sheet,
            row=2,
        )
    warnings = []
    if _row_index(frame):
        # R's write.csv and pandas' to_csv write the row number as an unnamed first column.
        frame = frame.drop(columns=frame.columns[0])
        where = Position(file=path.name, sheet=sheet, row=1, column=None)
        warnings.append(InputWarning("input.row-index-dropped", where, {}))
    frame = check_header(path, frame, sheet, keep_blank=keep_blank)
    hxl = is_hxl(frame)
    if hxl:
        frame = frame.iloc[1:].reset_index(drop=True)
    check_repeated_header(path, frame, 3 if hxl else 2, sheet)
    return Delimited(frame=frame, hxl=hxl, warnings=warnings)


def _row_index(frame: pd.DataFrame) -> bool:
    """An unnamed first column holding 1, 2, 3... (or 0, 1, 2...): a row index, not data."""
    if len(frame.columns) < 2 or not len(frame):
        return False
    if not re.fullmatch(r"Unnamed: 0|", str(frame.columns[0]).strip()):
        return False
    values = frame.iloc[:, 0].str.strip()
    start = 0 if values.iat[0] == "0" else 1
    expected = pd.Series(range(start, start + len(values)), index=values.index).astype(str)
    return bool((values == expected).all())


def _decode(path: Path, raw: bytes, encoding: str, sheet: str | None, *, lenient: bool) -> str:
    try:
        return raw.decode(encoding, errors="replace" if lenient else "strict")
    except UnicodeDecodeError as exc:
        # utf-8-sig counts positions after its BOM.
        start = exc.start + (
            3 if encoding == "utf-8-sig" and raw.startswith(b"\xef\xbb\xbf") else 0
        )
        row = raw[:start].count(b"\n") + 1
        raise InputError(
            path,
            "input.not-cp1252-utf8" if _is_cp1252(raw) else "input.bad-encoding",
            encoding=encoding,
            byte=f"0x{raw[start]:02x}",
            sheet=sheet,
            row=row,
        ) from None


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True
