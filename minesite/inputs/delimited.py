"""Read a delimited text table (CSV, French Excel `;` CSV) into a frame of strings."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from minesite.errors import InputError
from minesite.inputs.detect import Sniffed

_PANDAS_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read_delimited(path: Path, sniffed: Sniffed) -> pd.DataFrame:
    """All cells as strings, blank kept blank; header is Excel row 1, data row i is row i + 2."""
    encoding = sniffed.encoding or "utf-8"
    try:
        frame = pd.read_csv(
            path,
            sep=sniffed.delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding=encoding,
            engine="c",
        )
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid {encoding} text ({exc.reason} at byte {exc.start}); save it as CSV UTF-8",
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "the file is empty") from None
    except pd.errors.ParserError as exc:
        match = _PANDAS_LINE.search(str(exc))
        if match:
            expected, row, seen = match.groups()
            raise InputError(
                path, f"{seen} fields where the header has {expected} (ragged row)", row=int(row)
            ) from None
        raise InputError(path, f"not a readable CSV: {exc}") from None
    width = len(frame.columns)
    frame = _check_header(path, frame)
    _check_short_rows(path, sniffed, width)
    return frame


def _check_header(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    seen: set[str] = set()
    blank_headers = []
    for position, name in enumerate(frame.columns, start=1):
        header = str(name)
        if re.fullmatch(r"Unnamed: \d+", header):
            if (frame[name] != "").any():
                raise InputError(path, f"column {position} has data but no header", row=1)
            blank_headers.append(name)  # a trailing delimiter, not a column
            continue
        # pandas renames a repeated header "x" to "x.1"; a repeated header is ambiguous evidence.
        base = re.sub(r"\.\d+$", "", header)
        if base != header and base in seen:
            raise InputError(path, "the header appears twice", row=1, column=base)
        seen.add(header)
    return frame.drop(columns=blank_headers)


def _check_short_rows(path: Path, sniffed: Sniffed, width: int) -> None:
    """pandas pads a row with too few fields silently; a ragged row is an error, so count them."""
    row = 0
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    with path.open(encoding=sniffed.encoding or "utf-8", newline="") as handle:
        try:
            for row, fields in enumerate(csv.reader(handle, delimiter=sniffed.delimiter or ","), 1):
                if fields and len(fields) < width and any(f.strip() for f in fields):
                    raise InputError(
                        path,
                        f"{len(fields)} fields where the header has {width} (ragged row)",
                        row=row,
                    )
        except csv.Error as exc:
            raise InputError(path, f"not a readable CSV: {exc}", row=row + 1) from None
