"""Read a delimited text table (CSV, French Excel `;` CSV, Kobo/ODK CSV) into a frame of strings."""

from __future__ import annotations

import csv
import io
import mmap
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from minesite.errors import InputError
from minesite.inputs.detect import Sniffed
from minesite.limits import check_cell_length, check_cells, current, longest_line

_PANDAS_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_PANDAS_EOF = re.compile(r"EOF inside string starting at row (\d+)")
_WIDE = 1000
"""Columns above which the C parser beats pyarrow (its per-column conversion dominates)."""
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class Delimited:
    """A text table as strings, and where its data starts."""

    frame: pd.DataFrame
    hxl: bool
    """A HXL hashtag row (`#loc+name`...) sat under the header and was dropped."""

    @property
    def first_data_row(self) -> int:
        """Excel row number of the first data row."""
        return 3 if self.hxl else 2


def read_delimited(
    path: Path, sniffed: Sniffed, *, data: bytes | None = None, sheet: str | None = None
) -> Delimited:
    """All cells as strings, blank kept blank; header is row 1, data from row 2 (3 after HXL).

    `data` reads a member of an archive (named `sheet` in errors) instead of the file."""
    encoding = sniffed.encoding or "utf-8"
    delimiter = sniffed.delimiter or ","
    if data is None and encoding in ("utf-8", "utf-8-sig"):
        fast = _read_fast(path, delimiter)
        if fast is not None:
            return _checked(path, _finish(path, fast, sheet), None, sheet)
    raw = path.read_bytes() if data is None else data
    text = _decode(path, raw, encoding, sheet)
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
        raise InputError(path, "the file is empty", sheet=sheet) from None
    except pd.errors.ParserError as exc:
        match = _PANDAS_LINE.search(str(exc))
        if match:
            expected, row, seen = match.groups()
            raise InputError(
                path,
                f"{seen} fields where the header has {expected} (ragged row)",
                sheet=sheet,
                row=int(row),
            ) from None
        unclosed = _PANDAS_EOF.search(str(exc))
        if unclosed:
            # pandas counts records from 0 with the header as record 0: Excel row = n + 1.
            raise InputError(
                path,
                'a quoted field opened here is never closed (a stray " in the data?)',
                sheet=sheet,
                row=int(unclosed.group(1)) + 1,
            ) from None
        raise InputError(path, f"not a readable CSV: {exc}", sheet=sheet) from None
    _check_short_rows(path, text, delimiter, len(frame.columns), sheet)
    return _checked(path, _finish(path, frame, sheet), raw, sheet)


def _checked(path: Path, read: Delimited, raw: bytes | None, sheet: str | None) -> Delimited:
    """Limits: cells in the table, characters in a cell (only looked for cell by cell when some
    line of the file is longer than the limit, so a normal file costs one byte scan)."""
    check_cells(path, read.frame, sheet=sheet)
    limit = current().cell_chars
    if raw is None:
        if path.stat().st_size <= limit:
            return read
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view,
        ):
            longest = longest_line(view)
    else:
        longest = longest_line(raw) if len(raw) > limit else 0
    if longest > limit:
        check_cell_length(path, read.frame, sheet=sheet, first_row=read.first_data_row)
    return read


def _read_fast(path: Path, delimiter: str) -> pd.DataFrame | None:
    """The multi-threaded pyarrow parser, for well-formed UTF-8 files (the common case).

    It skips blank lines (which would shift Excel row numbers) and gives no row number for a
    ragged row or a bad byte: such files return None and take the exact, slower path."""
    with path.open("rb") as handle:
        if not path.stat().st_size:
            return None
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            if view.find(b"\n\n") >= 0 or view.find(b"\n\r\n") >= 0:
                return None
            if _irregular_quotes(view, delimiter):
                return None
            # pyarrow -> pandas costs per column: a very wide table is faster with the C parser.
            end = view.find(b"\n")
            if view[: end if end >= 0 else len(view)].count(delimiter.encode()) > _WIDE:
                return None
    try:
        return pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            engine="pyarrow",
            compression=None,  # the bytes decide, never the extension (.zip, .gz)
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
        return None


def _irregular_quotes(view: mmap.mmap, delimiter: str) -> bool:
    """Quotes that are not well-formed CSV quoting: pyarrow and the C parser read such lines
    differently (found by fuzzing: `"1";"` then a line end gave pyarrow an extra blank row where
    the C parser reports the unclosed quote). In well-formed CSV the k-th quote opens a field
    (even k: after a delimiter, a line start or an escaping quote) or closes it (odd k: before a
    delimiter, a line end or an escaped quote). Vectorised; a file without quotes costs one scan."""
    import numpy as np

    if view.find(b'"') < 0:
        return False
    data = np.frombuffer(view, dtype=np.uint8)
    try:
        at = np.flatnonzero(data == 34)
        if len(at) % 2:
            return True
        boundary = np.zeros(256, dtype=bool)
        boundary[[ord(delimiter), 10, 13, 34]] = True
        opening, closing = at[0::2], at[1::2]
        before = np.where(opening > 0, data[np.maximum(opening - 1, 0)], 10)
        after = np.where(closing + 1 < len(data), data[np.minimum(closing + 1, len(data) - 1)], 10)
        return not (boundary[before].all() and boundary[after].all())
    finally:
        del data  # release the buffer before the mmap closes


def _finish(path: Path, frame: pd.DataFrame, sheet: str | None) -> Delimited:
    """Header checks, HXL row, repeated header: the same for both parsers."""
    frame = _check_header(path, frame, sheet)
    hxl = _is_hxl(frame)
    if hxl:
        frame = frame.iloc[1:].reset_index(drop=True)
    _check_repeated_header(path, frame, 3 if hxl else 2, sheet)
    return Delimited(frame=frame, hxl=hxl)


def _decode(path: Path, raw: bytes, encoding: str, sheet: str | None) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        hint = (
            "; it looks like Windows-1252 (French Excel): save it as CSV UTF-8"
            if _is_cp1252(raw)
            else "; save it as CSV UTF-8"
        )
        raise InputError(
            path,
            f"not valid {encoding} text (byte 0x{raw[exc.start]:02x}){hint}",
            sheet=sheet,
            row=row,
        ) from None


def _is_cp1252(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _check_header(path: Path, frame: pd.DataFrame, sheet: str | None) -> pd.DataFrame:
    seen: set[str] = set()
    blank_headers = []
    for position, name in enumerate(frame.columns, start=1):
        header = str(name)
        if re.fullmatch(r"Unnamed: \d+", header):
            if (frame[name] != "").any():
                raise InputError(
                    path, f"column {position} has data but no header", sheet=sheet, row=1
                )
            blank_headers.append(name)  # a trailing delimiter, not a column
            continue
        # pandas renames a repeated header "x" to "x.1"; a repeated header is ambiguous evidence.
        base = re.sub(r"\.\d+$", "", header)
        if base != header and base in seen:
            raise InputError(path, "the header appears twice", sheet=sheet, row=1, column=base)
        seen.add(header)
    return frame.drop(columns=blank_headers)


def _check_short_rows(path: Path, text: str, delimiter: str, width: int, sheet: str | None) -> None:
    """pandas pads a row with too few fields silently; a ragged row is an error, so count them.

    A row written with another delimiter than the header (two exports pasted together) is
    reported as mixed delimiters."""
    row = 0
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row, fields in enumerate(reader, 1):
            if fields and len(fields) < width and any(f.strip() for f in fields):
                line = delimiter.join(fields)
                for other in _NAMES:
                    if other != delimiter and len(next(csv.reader([line], delimiter=other))) > 1:
                        raise InputError(
                            path,
                            f"mixed delimiters: this row is {_NAMES[other]}-separated, the "
                            f"header {_NAMES.get(delimiter, delimiter)}-separated",
                            sheet=sheet,
                            row=row,
                        )
                raise InputError(
                    path,
                    f"{len(fields)} fields where the header has {width} (ragged row)",
                    sheet=sheet,
                    row=row,
                )
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV: {exc}", sheet=sheet, row=row + 1) from None


def _is_hxl(frame: pd.DataFrame) -> bool:
    """Kobo writes HXL hashtags (`#loc+name`) as a second header row when the form has them."""
    if not len(frame):
        return False
    cells = [str(v).strip() for v in frame.iloc[0]]
    tagged = [c for c in cells if c]
    return bool(tagged) and all(c.startswith("#") for c in tagged)


def _check_repeated_header(
    path: Path, frame: pd.DataFrame, first_row: int, sheet: str | None
) -> None:
    """A data row that repeats the header (two exports concatenated) is not a visit."""
    if len(frame.columns) < 2 or not len(frame):
        return
    headers = [str(c).strip() for c in frame.columns]
    # Only rows whose first or second cell repeats its header can be a repeated header.
    first, second = frame.columns[0], frame.columns[1]
    maybe = (frame[first].str.strip() == headers[0]) | (frame[second].str.strip() == headers[1])
    if not maybe.any():
        return
    rows = frame[maybe.to_numpy()]
    same = sum(rows[c].str.strip() == h for c, h in zip(rows.columns, headers, strict=True))
    hits = same[same >= max(2, int(0.8 * len(headers)))]
    if len(hits):
        raise InputError(
            path,
            "the header row is repeated inside the data (two exports pasted together?)",
            sheet=sheet,
            row=int(hits.index[0]) + first_row,
        )


def describe(encoding: str | None, delimiter: str | None) -> str:
    """'utf-8, semicolon-separated'."""
    return f"{encoding}, {_NAMES.get(delimiter or ',', delimiter)}-separated"
