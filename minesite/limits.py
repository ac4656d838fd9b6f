"""Input limits: how big, how wide and how compressed an input may be before minesite refuses it.

Every limit lives here, has a default generous enough for the largest real batch (1,000,000
visits) and is raised with an environment variable; a violation is an InputError naming the file
(and sheet, row, column when known) and the variable to set:

| variable | default | what |
|---|---|---|
| MINESITE_MAX_FILE_MB | 2048 | size of one input file on disk |
| MINESITE_MAX_CELLS | 500000000 | rows x columns of one table |
| MINESITE_MAX_CELL_KB | 1024 | characters in one cell |
| MINESITE_MAX_UNZIPPED_MB | 8192 | declared uncompressed size of a zip (XLSX, ODK zip) |
| MINESITE_MAX_ZIP_RATIO | 250 | uncompressed / compressed size of one zip member over 1 MB |
| MINESITE_MAX_GEOJSON_MB | 512 | size of a cadastre GeoJSON |
| MINESITE_MAX_GEOJSON_DEPTH | 64 | nesting of a cadastre GeoJSON |
| MINESITE_MAX_TOML_KB | 1024 | size of a checklist or mapping TOML |
| MINESITE_MAX_SHARED_STRINGS_MB | 1024 | declared size of an XLSX's shared strings |
"""

from __future__ import annotations

import mmap
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from minesite.errors import InputError

MB = 1 << 20
RATIO_FLOOR = MB
"""Members smaller than this are never refused for their compression ratio."""


@dataclass(frozen=True)
class Limits:
    """The limits in force (read from the environment on every call of `current()`)."""

    file_bytes: int
    cells: int
    cell_chars: int
    unzipped_bytes: int
    zip_ratio: float
    geojson_bytes: int
    geojson_depth: int
    toml_bytes: int
    shared_strings_bytes: int


_DEFAULTS = {
    "MINESITE_MAX_FILE_MB": 2048,
    "MINESITE_MAX_CELLS": 500_000_000,
    "MINESITE_MAX_CELL_KB": 1024,
    "MINESITE_MAX_UNZIPPED_MB": 8192,
    "MINESITE_MAX_ZIP_RATIO": 250,
    "MINESITE_MAX_GEOJSON_MB": 512,
    "MINESITE_MAX_GEOJSON_DEPTH": 64,
    "MINESITE_MAX_TOML_KB": 1024,
    "MINESITE_MAX_SHARED_STRINGS_MB": 1024,
}


def _number(name: str) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return float(_DEFAULTS[name])
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        from minesite.errors import UsageError

        raise UsageError(f'{name}="{raw}": expected a positive number')
    return value


def current() -> Limits:
    """The limits, each from its environment variable or its default."""
    return Limits(
        file_bytes=int(_number("MINESITE_MAX_FILE_MB") * MB),
        cells=int(_number("MINESITE_MAX_CELLS")),
        cell_chars=int(_number("MINESITE_MAX_CELL_KB") * 1024),
        unzipped_bytes=int(_number("MINESITE_MAX_UNZIPPED_MB") * MB),
        zip_ratio=_number("MINESITE_MAX_ZIP_RATIO"),
        geojson_bytes=int(_number("MINESITE_MAX_GEOJSON_MB") * MB),
        geojson_depth=int(_number("MINESITE_MAX_GEOJSON_DEPTH")),
        toml_bytes=int(_number("MINESITE_MAX_TOML_KB") * 1024),
        shared_strings_bytes=int(_number("MINESITE_MAX_SHARED_STRINGS_MB") * MB),
    )


def _raise_hint(variable: str) -> str:
    return f"set {variable} to raise the limit"


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


def check_file_size(path: Path) -> None:
    """An input file larger than MINESITE_MAX_FILE_MB."""
    limit = current().file_bytes
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file
    if size > limit:
        raise InputError(
            path,
            f"file of {_mb(size)} exceeds the {_mb(limit)} limit; "
            + _raise_hint("MINESITE_MAX_FILE_MB"),
        )


def check_zip(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Declared sizes of the members to be read, checked before anything is decompressed."""
    limits = current()
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.zip_ratio:
                raise InputError(
                    path,
                    f"zip member expands {ratio:,.0f} times ({_mb(info.file_size)}), over the "
                    f"{limits.zip_ratio:g}x limit (zip bomb?); "
                    + _raise_hint("MINESITE_MAX_ZIP_RATIO"),
                    sheet=info.filename,
                )
        if info.filename.lower().endswith("sharedstrings.xml") and (
            info.file_size > limits.shared_strings_bytes
        ):
            # Every XLSX reader holds the shared strings in memory whole.
            raise InputError(
                path,
                f"XLSX shared strings of {_mb(info.file_size)}, over the "
                f"{_mb(limits.shared_strings_bytes)} limit; "
                + _raise_hint("MINESITE_MAX_SHARED_STRINGS_MB"),
                sheet=info.filename,
            )
    if total > limits.unzipped_bytes:
        raise InputError(
            path,
            f"zip expands to {_mb(total)}, over the {_mb(limits.unzipped_bytes)} limit; "
            + _raise_hint("MINESITE_MAX_UNZIPPED_MB"),
        )


def check_zip_file(path: Path) -> int:
    """Open `path` as a zip and check every member's declared size (XLSX before calamine);
    returns the largest declared member size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"a damaged zip or XLSX file: {exc}") from None
    check_zip(path, members)
    return max((m.file_size for m in members), default=0)


def check_cells(path: Path, frame, *, sheet: str | None = None) -> None:  # noqa: ANN001
    """Rows x columns of one table."""
    limit = current().cells
    cells = len(frame) * len(frame.columns)
    if cells > limit:
        raise InputError(
            path,
            f"{len(frame):,} rows x {len(frame.columns):,} columns = {cells:,} cells, over the "
            f"{limit:,} limit; " + _raise_hint("MINESITE_MAX_CELLS"),
            sheet=sheet,
        )


def longest_line(data: bytes | mmap.mmap) -> int:
    """Bytes in the longest line (a cell is never longer than the line holding it, unless it
    spans lines)."""
    import numpy as np

    view = np.frombuffer(data, dtype=np.uint8)
    if not len(view):
        return 0
    ends = np.flatnonzero(view == 10)
    if not len(ends):
        return len(view)
    bounds = np.concatenate(([-1], ends, [len(view)]))
    return int(np.diff(bounds).max())


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
                f"header of {len(str(column)):,} characters, over the {limit:,} limit; "
                + _raise_hint("MINESITE_MAX_CELL_KB"),
                sheet=sheet,
                row=first_row - 1,
            )
    for position, column in enumerate(frame.columns):
        lengths = frame.iloc[:, position].astype(str).str.len()
        if len(lengths) and lengths.max() > limit:
            at = int(lengths.to_numpy().argmax())
            raise InputError(
                path,
                f"cell of {int(lengths.iat[at]):,} characters, over the {limit:,} limit; "
                + _raise_hint("MINESITE_MAX_CELL_KB"),
                sheet=sheet,
                row=at + first_row,
                column=str(column)[:80],
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
            f"{kind.upper() if kind == 'toml' else 'GeoJSON'} file of {_mb(size)} exceeds the "
            f"{_mb(limit)} limit; " + _raise_hint(variable),
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
            f"JSON nested {depth} levels deep, over the {limit} limit; "
            + _raise_hint("MINESITE_MAX_GEOJSON_DEPTH"),
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


_CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
SPARSE_FLOOR = 2_000_000
"""A sheet whose range spans fewer cells than this is never refused as sparse."""


def check_xlsx_ranges(path: Path) -> None:
    """XLSX readers allocate every cell of a sheet's range (A1 to its farthest cell): a 5 KB
    file with one value in A1048576 or XFD1048576 made calamine hang or abort. Each worksheet's
    cell references are scanned (streamed, before calamine opens the file); a range over
    MINESITE_MAX_CELLS, or a sparse range (over 2,000,000 cells and 20 times the cells present),
    is refused."""
    limits = current()
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                rows, columns, count = _sheet_extent(archive, info)
                area = rows * columns
                sparse = area > SPARSE_FLOOR and area > 20 * count
                if area > limits.cells or sparse:
                    what = f"{count:,} cells spread over {columns:,} columns x {rows:,} rows"
                    raise InputError(
                        path,
                        f"{what} ({area:,} cells for a reader to allocate), over the "
                        f"{'sparse-sheet' if sparse else f'{limits.cells:,}-cell'} limit; delete "
                        "the stray far cells in Excel, or " + _raise_hint("MINESITE_MAX_CELLS"),
                        sheet=name,
                    )
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise InputError(path, f"a damaged XLSX file: {exc}") from None
    except (NotImplementedError, RuntimeError) as exc:
        raise InputError(path, f"an unreadable XLSX file: {exc}") from None


def _sheet_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """Farthest row, farthest column and number of <c> cells of one worksheet XML."""
    rows = columns = count = 0
    tail = b""
    with archive.open(info) as stream:
        while True:
            block = stream.read(1 << 22)
            data = tail + block
            cut = data.rfind(b"<") if block else -1  # a tag may straddle two blocks
            scan, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            r, c, n = _extent(scan)
            rows, columns, count = max(rows, r), max(columns, c), count + n
            if not block:
                return rows, columns, count


_ROWS = [re.compile(rb'<c r="[A-Z]{1,3}(\d{%d})"' % d) for d in range(7, 0, -1)]
_COLUMNS = [re.compile(rb'<c r="([A-Z]{%d})\d' % n) for n in range(3, 0, -1)]


def _extent(scan: bytes) -> tuple[int, int, int]:
    """Extent of the cells in one block. References of equal length compare as bytes, so the
    longest references are searched first and only their maximum is converted (fast: the
    general per-cell parse ran slower than calamine itself)."""
    count = scan.count(b"<c ") + scan.count(b"<c>")
    if scan.count(b'<c r="') != count:  # r not the first attribute: parse every cell
        rows = columns = 0
        for letters, number in _CELL_REF.findall(scan):
            rows, columns = max(rows, int(number)), max(columns, _column(letters))
        return rows, columns, count
    rows = next((int(max(m)) for p in _ROWS if (m := p.findall(scan))), 0)
    columns = next((_column(max(m)) for p in _COLUMNS if (m := p.findall(scan))), 0)
    return rows, columns, count


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
