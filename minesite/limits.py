"""Input limits: how big, how wide and how compressed an input may be before minesite refuses it.

Every limit lives here, has a default generous enough for the largest real batch (1,000,000
visits) and is raised with an environment variable; a violation is an InputError naming the file
(and sheet, row, column when known) and the variable to set:

| variable | default | what |
|---|---|---|
| MINESITE_MAX_FILE_MB | 2048 | size of one input file on disk |
| MINESITE_MAX_CELLS | 500000000 | rows x columns of one table |
| MINESITE_MAX_XLSX_CELLS | 40000000 | rows x columns of a sheet's range (what calamine allocates) |
| MINESITE_MAX_COLUMNS | 20000 | columns of one table |
| MINESITE_MAX_BLANK_ROWS | 10000 | blank rows inside one table (trailing ones are dropped) |
| MINESITE_MAX_CELL_KB | 1024 | characters in one cell |
| MINESITE_MAX_UNZIPPED_MB | 4096 | declared uncompressed size of the members read from a zip |
| MINESITE_MAX_ZIP_MEMBERS | 10000 | members of a zip |
| MINESITE_MAX_ZIP_RATIO | 250 | uncompressed / compressed size of one zip member over 1 MB |
| MINESITE_MAX_SHARED_STRINGS_MB | 1024 | declared size of an XLSX's shared strings |
| MINESITE_MAX_SHARED_STRINGS | 50000000 | strings an XLSX's shared-strings table declares |
| MINESITE_MAX_GEOJSON_MB | 512 | size of a cadastre GeoJSON |
| MINESITE_MAX_GEOJSON_DEPTH | 64 | nesting of a cadastre GeoJSON |
| MINESITE_MAX_TOML_KB | 1024 | size of a checklist or mapping TOML |
| MINESITE_MAX_SLOT_WIDTH | 4 | digits of the actor number in a `--columns` template (`{n:02d}`) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from minesite.errors import InputError, UsageError

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The limits in force (read from the environment on every call of `current()`)."""

    file_bytes: int
    cells: int
    xlsx_cells: int
    columns: int
    blank_rows: int
    cell_chars: int
    unzipped_bytes: int
    zip_members: int
    zip_ratio: float
    geojson_bytes: int
    geojson_depth: int
    toml_bytes: int
    shared_strings_bytes: int
    shared_strings: int
    slot_width: int


_DEFAULTS = {
    "MINESITE_MAX_FILE_MB": 2048,
    "MINESITE_MAX_CELLS": 500_000_000,
    "MINESITE_MAX_XLSX_CELLS": 40_000_000,
    "MINESITE_MAX_COLUMNS": 20_000,
    "MINESITE_MAX_BLANK_ROWS": 10_000,
    "MINESITE_MAX_CELL_KB": 1024,
    "MINESITE_MAX_UNZIPPED_MB": 4096,
    "MINESITE_MAX_ZIP_MEMBERS": 10_000,
    "MINESITE_MAX_ZIP_RATIO": 250,
    "MINESITE_MAX_GEOJSON_MB": 512,
    "MINESITE_MAX_GEOJSON_DEPTH": 64,
    "MINESITE_MAX_TOML_KB": 1024,
    "MINESITE_MAX_SHARED_STRINGS_MB": 1024,
    "MINESITE_MAX_SHARED_STRINGS": 50_000_000,
    "MINESITE_MAX_SLOT_WIDTH": 4,
}


def _number(name: str) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return float(_DEFAULTS[name])
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise UsageError("limit.bad-value", variable=name, value=raw)
    return value


def current() -> Limits:
    """The limits, each from its environment variable or its default."""
    return Limits(
        file_bytes=int(_number("MINESITE_MAX_FILE_MB") * MB),
        cells=int(_number("MINESITE_MAX_CELLS")),
        xlsx_cells=int(_number("MINESITE_MAX_XLSX_CELLS")),
        columns=int(_number("MINESITE_MAX_COLUMNS")),
        blank_rows=int(_number("MINESITE_MAX_BLANK_ROWS")),
        cell_chars=int(_number("MINESITE_MAX_CELL_KB") * 1024),
        unzipped_bytes=int(_number("MINESITE_MAX_UNZIPPED_MB") * MB),
        zip_members=int(_number("MINESITE_MAX_ZIP_MEMBERS")),
        zip_ratio=_number("MINESITE_MAX_ZIP_RATIO"),
        geojson_bytes=int(_number("MINESITE_MAX_GEOJSON_MB") * MB),
        geojson_depth=int(_number("MINESITE_MAX_GEOJSON_DEPTH")),
        toml_bytes=int(_number("MINESITE_MAX_TOML_KB") * 1024),
        shared_strings_bytes=int(_number("MINESITE_MAX_SHARED_STRINGS_MB") * MB),
        shared_strings=int(_number("MINESITE_MAX_SHARED_STRINGS")),
        slot_width=int(_number("MINESITE_MAX_SLOT_WIDTH")),
    )


def mb(size: int) -> float:
    """Bytes as megabytes, rounded for a message."""
    return round(size / MB, 1)


def check_file_size(path: Path) -> None:
    """An input file larger than MINESITE_MAX_FILE_MB."""
    limit = current().file_bytes
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file
    if size > limit:
        raise InputError(
            path, "limit.file-size", size=mb(size), limit=mb(limit), variable="MINESITE_MAX_FILE_MB"
        )


def check_cells(path: Path, frame, *, sheet: str | None = None) -> None:  # noqa: ANN001
    """Rows x columns of one table."""
    check_table_cells(path, len(frame), len(frame.columns), sheet=sheet)


def check_table_cells(path: Path, rows: int, columns: int, *, sheet: str | None = None) -> None:
    """Rows x columns of one table, counted before it is read whole (a file read in ranges)."""
    limit = current().cells
    cells = rows * columns
    if cells > limit:
        raise InputError(
            path,
            "limit.cells",
            sheet=sheet,
            rows=rows,
            columns=columns,
            cells=cells,
            limit=limit,
            variable="MINESITE_MAX_CELLS",
        )


def check_columns(path: Path, columns: int, *, sheet: str | None = None, row: int = 1) -> None:
    """Columns of one table (a 59 MB header of 6,000,000 columns took 6 GB)."""
    limit = current().columns
    if columns > limit:
        raise InputError(
            path,
            "limit.columns",
            sheet=sheet,
            row=row,
            columns=columns,
            limit=limit,
            variable="MINESITE_MAX_COLUMNS",
        )


def check_blank_rows(path: Path, blank: int, *, sheet: str | None = None) -> None:
    """Blank rows inside one table: each would become a row of every output."""
    limit = current().blank_rows
    if blank > limit:
        raise InputError(
            path,
            "limit.blank-rows",
            sheet=sheet,
            rows=blank,
            limit=limit,
            variable="MINESITE_MAX_BLANK_ROWS",
        )


def has_long_line(data: bytes, limit: int) -> bool:
    """Is some line longer than `limit` bytes? (A cell is never longer than the line holding
    it, unless it spans lines.) A line that long holds an aligned window of limit/2 bytes with
    no newline: one short search per window, not a scan of every byte. Shorter lines may answer
    yes too; the caller then measures every cell."""
    step = max(1, limit // 2)
    size = len(data)
    if size <= limit:
        return False
    # Whole windows only: a line longer than 2 x step holds one, wherever it starts.
    starts = range(0, size - step + 1, step)
    return any(data.find(b"\n", start, start + step) < 0 for start in starts)


def check_cell_length(
    path: Path,
    frame,  # noqa: ANN001 - pandas DataFrame of strings
    *,
    sheet: str | None = None,
    first_row: int = 2,
) -> None:
    """No cell longer than MINESITE_MAX_CELL_KB; names the first such cell."""
    limit = current().cell_chars
    for column in frame.columns:
        if len(str(column)) > limit:
            raise InputError(
                path,
                "limit.header-length",
                sheet=sheet,
                row=first_row - 1,
                length=len(str(column)),
                limit=limit,
                variable="MINESITE_MAX_CELL_KB",
            )
    for position, column in enumerate(frame.columns):
        lengths = frame.iloc[:, position].astype(str).str.len()
        if len(lengths) and lengths.max() > limit:
            at = int(lengths.to_numpy().argmax())
            raise InputError(
                path,
                "limit.cell-length",
                sheet=sheet,
                row=at + first_row,
                column=str(column)[:80],
                length=int(lengths.iat[at]),
                limit=limit,
                variable="MINESITE_MAX_CELL_KB",
            )


def check_text_size(path: Path, size: int, kind: str) -> None:
    """A GeoJSON ('geojson') or TOML ('toml') file over its size limit."""
    limits = current()
    limit, variable = (
        (limits.geojson_bytes, "MINESITE_MAX_GEOJSON_MB")
        if kind == "geojson"
        else (limits.toml_bytes, "MINESITE_MAX_TOML_KB")
    )
    if size > limit:
        raise InputError(
            path,
            "limit.text-size",
            kind="GeoJSON" if kind == "geojson" else "TOML",
            size=mb(size),
            limit=mb(limit),
            variable=variable,
        )


def json_depth(value: object) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def check_json_depth(path: Path, value: object) -> None:
    limit = current().geojson_depth
    depth = json_depth(value)
    if depth > limit:
        raise InputError(
            path,
            "limit.json-depth",
            depth=depth,
            limit=limit,
            variable="MINESITE_MAX_GEOJSON_DEPTH",
        )


def read_toml(path: Path) -> dict:
    """Parse a TOML file no larger than MINESITE_MAX_TOML_KB.

    Raises what `path.read_text` and `tomllib.loads` raise; a file nested too deeply for the
    parser becomes a TOMLDecodeError, not a RecursionError."""
    import tomllib

    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    check_text_size(path, size, "toml")
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None
