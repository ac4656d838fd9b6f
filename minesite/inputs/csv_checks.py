"""Checks a delimited table must pass, whichever parser read it: headers (blank, repeated),
ragged rows and mixed delimiters, a HXL row, a header pasted again inside the data."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from minesite.errors import InputError

NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def check_header(
    path: Path, frame: pd.DataFrame, sheet: str | None, *, keep_blank: bool = False
) -> pd.DataFrame:
    """Blank headers over blank columns dropped (trailing delimiters); a blank header over data
    is an error, unless `keep_blank` (a --columns mapping names the blank header): the first
    one is kept, named as written (blank)."""
    seen: set[str] = set()
    blank_headers = []
    kept = None
    for position, name in enumerate(frame.columns, start=1):
        header = str(name)
        if re.fullmatch(r"Unnamed: \d+", header):
            if (frame[name] != "").any():
                if keep_blank and kept is None:
                    kept = name
                    continue
                raise InputError(
                    path, "input.data-without-header", number=position, sheet=sheet, row=1
                )
            blank_headers.append(name)  # a trailing delimiter, not a column
            continue
        # pandas renames a repeated header "x" to "x.1"; a repeated header is ambiguous evidence.
        base = re.sub(r"\.\d+$", "", header)
        if base != header and base in seen:
            raise InputError(path, "input.header-twice", sheet=sheet, row=1, column=base)
        seen.add(header)
    frame = frame.drop(columns=blank_headers)
    return frame.rename(columns={kept: ""}) if kept is not None else frame


def check_short_rows(path: Path, text: str, delimiter: str, width: int, sheet: str | None) -> None:
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
                for other in NAMES:
                    if other != delimiter and len(next(csv.reader([line], delimiter=other))) > 1:
                        raise InputError(
                            path,
                            "input.mixed-delimiters",
                            row_delimiter=NAMES[other],
                            header_delimiter=NAMES.get(delimiter, delimiter),
                            sheet=sheet,
                            row=row,
                        )
                raise InputError(
                    path,
                    "input.ragged-row",
                    fields=len(fields),
                    width=width,
                    sheet=sheet,
                    row=row,
                )
    except csv.Error as exc:
        raise InputError(
            path, "input.unreadable-csv", reason=str(exc), sheet=sheet, row=row + 1
        ) from None


def is_hxl(frame: pd.DataFrame) -> bool:
    """Kobo writes HXL hashtags (`#loc+name`) as a second header row when the form has them."""
    if not len(frame):
        return False
    cells = [str(v).strip() for v in frame.iloc[0]]
    tagged = [c for c in cells if c]
    return bool(tagged) and all(c.startswith("#") for c in tagged)


def check_repeated_header(
    path: Path, frame: pd.DataFrame, first_row: int, sheet: str | None
) -> None:
    """A data row that repeats the header (two exports concatenated) is not a visit."""
    if len(frame.columns) < 2 or not len(frame):
        return
    headers = [str(c).strip() for c in frame.columns]
    # Only rows whose first or second cell repeats its header can be a repeated header.
    # By position: a header written twice makes frame[name] a frame, not a column.
    maybe = (frame.iloc[:, 0].str.strip() == headers[0]) | (
        frame.iloc[:, 1].str.strip() == headers[1]
    )
    if not maybe.any():
        return
    rows = frame[maybe.to_numpy()]
    same = sum(rows.iloc[:, j].str.strip() == h for j, h in enumerate(headers))
    hits = same[same >= max(2, int(0.8 * len(headers)))]
    if len(hits):
        raise InputError(
            path,
            "input.header-repeated",
            sheet=sheet,
            row=int(hits.index[0]) + first_row,
        )
