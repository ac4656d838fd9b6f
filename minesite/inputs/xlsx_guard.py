"""What an XLSX reader would allocate, measured by a streaming XML parse before calamine opens it.

Calamine allocates every cell of a sheet's range (A1 to its farthest cell) and reserves the
shared-strings table from its declared `uniqueCount`: a 1.6 KB workbook with one value in
XFD1048576, or `uniqueCount="4000000000"`, aborted the process. The guard finds the sheets as
calamine does (through `xl/workbook.xml` and its relationships, any part name, any case) and also
every part whose root element is a sheet, parses them with expat (any quoting or whitespace, any
namespace prefix, cells without `r` placed by their row), and measures the range of the cells
that hold a value. It also records formula cells, whose cached value may be stale.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from minesite.errors import InputError
from minesite.inputs.xlsx_expat import elements, local, parse, parser_for, root
from minesite.inputs.xlsx_fast import canonical_extent
from minesite.limits import check_blank_rows, check_columns, current

SPARSE_FLOOR = 100_000
"""A sheet whose range spans fewer cells than this is never refused as sparse (a real export
spanning more holds at least one value in 20 cells)."""
SHEET_ROOTS = {"worksheet", "chartsheet", "dialogsheet", "macrosheet"}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Formulas:
    """Formula cells of one sheet: column index (0 = A) -> (count, first Excel row)."""

    columns: dict[int, tuple[int, int]] = field(default_factory=dict)

    def add(self, row: int, column: int) -> None:
        count, first = self.columns.get(column, (0, row))
        self.columns[column] = (count + 1, min(first, row))


@dataclass
class Scan:
    """What the guard learnt: formula cells per sheet name, and whether Excel is asked to
    recalculate on load (`fullCalcOnLoad`: the cached values are known to be stale)."""

    formulas: dict[str, Formulas] = field(default_factory=dict)
    recalculate: bool = False


@dataclass
class Guard:
    """A workbook's sheets still to measure, measured sheet by sheet before calamine reads
    each (the next one while calamine parses this one: it lets go of the GIL)."""

    path: Path
    archive: zipfile.ZipFile
    scan: Scan
    pending: dict[str, list[zipfile.ZipInfo]]
    """Sheet name -> its parts not yet measured."""

    measured: set[str] = field(default_factory=set)

    def check(self, sheet: str, names: list[str]) -> None:
        """Measure the parts of `sheet`, and every part calamine lists under no name of `names`
        (an unlisted part it might follow); a sheet unknown here measures every part left."""
        if sheet in self.pending or sheet in self.measured:
            wanted = [n for n in self.pending if n == sheet or n not in names]
        else:
            wanted = list(self.pending)
        for name in wanted:
            self.measured.add(name)
            for info in self.pending.pop(name):
                if not _fast_accepts(self.archive, info):
                    self.scan.formulas[name] = _check_sheet(self.path, self.archive, info, name)


def guard_workbook(path: Path, archive: zipfile.ZipFile) -> Guard:
    """Refuse a workbook whose shared-strings table declares more strings than a reader can
    hold; the sheets, whose range may be too large (or too sparse) to allocate, are measured
    by `Guard.check` before each is read."""
    by_name: dict[str, list[zipfile.ZipInfo]] = {}
    for info in archive.infolist():
        by_name.setdefault(info.filename.lower(), []).append(info)
    scan = Scan()
    sheets = {part.lower(): name for part, name in _related_sheets(path, archive, scan).items()}
    for info in archive.infolist():
        top = root(path, archive, info) if info.filename.lower().endswith(".xml") else None
        if top is None:
            continue
        name, attrs = top
        if name in SHEET_ROOTS:
            sheets.setdefault(info.filename.lower(), info.filename)
        elif name == "sst":
            _check_shared_strings(path, info, attrs)
    pending: dict[str, list[zipfile.ZipInfo]] = {}
    for part, sheet in sheets.items():
        pending.setdefault(sheet, []).extend(by_name.get(part, []))
    return Guard(path, archive, scan, pending)


def _fast_accepts(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """The canonical byte scan (inputs/xlsx_fast.py) bounds the range from above and finds no
    formula: when those bounds pass every check, the exact parse would pass too. A declared
    dimension too large for the checks is measured once more from the cells."""
    bounds = canonical_extent(archive, info, values_needed=_values_needed)
    if bounds is not None and not _within_limits(*bounds):
        bounds = canonical_extent(archive, info, trust_dimension=False)
    return bounds is not None and _within_limits(*bounds)


def _values_needed(rows: int, columns: int) -> int:
    """The fewest values with which a range of rows x columns passes `_within_limits`."""
    area = rows * columns
    return max(-(-area // 20) if area > SPARSE_FLOOR else 0, rows - current().blank_rows)


def _within_limits(rows: int, columns: int, values: int) -> bool:
    limits = current()
    area = rows * columns
    return (
        columns <= limits.columns
        and area <= limits.xlsx_cells
        and (area <= SPARSE_FLOOR or area <= 20 * values)
        and rows <= limits.blank_rows + values  # never more blank rows than the limit
    )


def _related_sheets(path: Path, archive: zipfile.ZipFile, scan: Scan) -> dict[str, str]:
    """Part name -> sheet name of every sheet `xl/workbook.xml` lists, found through
    `xl/_rels/workbook.xml.rels` as calamine finds them."""
    targets: dict[str, str] = {}

    def relationship(name: str, attrs: dict[str, str]) -> None:
        kind = attrs.get("Type", "").rstrip("/").rpartition("/")[2].lower()
        if name == "Relationship" and kind.endswith("sheet") and "Id" in attrs:
            target = attrs.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attrs["Id"]] = posixpath.normpath(part)

    elements(path, archive, "xl/_rels/workbook.xml.rels", relationship)
    names: dict[str, str] = {}

    def workbook(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet" and attrs.get("id") in targets:
            names[targets[attrs["id"]]] = attrs.get("name", targets[attrs["id"]])
        elif name == "calcPr" and attrs.get("fullCalcOnLoad", "").lower() in ("1", "true"):
            scan.recalculate = True

    elements(path, archive, "xl/workbook.xml", workbook)
    # A relationship no <sheet> names is still parsed: calamine may follow it.
    return {part: names.get(part, part) for part in targets.values()}


def _check_shared_strings(path: Path, info: zipfile.ZipInfo, attrs: dict[str, str]) -> None:
    """`uniqueCount` is reserved up front: it must fit the part (an `<si/>` takes 5 bytes) and
    the limit; `count` (references from cells) cannot exceed the cells a table may hold."""
    limits = current()
    capacity = info.file_size // 5 + 1
    for name, bound, limit, variable in (
        (
            "uniqueCount",
            min(limits.shared_strings, capacity),
            limits.shared_strings,
            "MINESITE_MAX_SHARED_STRINGS",
        ),
        ("count", limits.cells, limits.cells, "MINESITE_MAX_CELLS"),
    ):
        raw = attrs.get(name)
        if raw is None:
            continue
        value = int(raw.strip()) if raw.strip().isdigit() else -1
        if not 0 <= value <= bound:
            raise InputError(
                path,
                "limit.shared-strings",
                sheet=info.filename,
                attribute=name,
                value=raw[:40],
                capacity=capacity,
                limit=limit,
                variable=variable,
            )


def _check_sheet(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str
) -> Formulas:
    """Range of the cells holding a value (<v> or inline <is>), refused when too large or
    sparse; formula cells recorded."""
    rows = columns = count = valued_rows = 0
    row_element = 0  # number of the current <row>: calamine places cells without `r` by it
    row = last_valued_row = 0  # row of the current cell
    column = -1  # index of the current cell (0 = A)
    has_value = False
    formulas = Formulas()
    column_numbers: dict[str, int] = {}

    def start(name: str, attrs: list[str]) -> None:
        nonlocal rows, columns, count, row, column, has_value, valued_rows, last_valued_row
        nonlocal row_element
        tag = name if ":" not in name else local(name)
        if tag == "c":
            has_value = False
            ref = ""
            for i in range(0, len(attrs), 2):
                if _is_r(attrs[i]):
                    ref = attrs[i + 1].strip()
            if ref:
                digits = ref.lstrip(_LETTERS)
                letters = ref[: len(ref) - len(digits)].upper()
                number = column_numbers.get(letters)
                if number is None:
                    number = column_numbers[letters] = _column(letters)
                column = number - 1
                row = _row(digits) if digits.isdigit() else row_element
            else:
                column += 1
                row = row_element
        elif tag in ("v", "is"):
            if not has_value:
                has_value = True
                count += 1
                if row != last_valued_row:
                    valued_rows, last_valued_row = valued_rows + 1, row
                rows = max(rows, row)
                columns = max(columns, column + 1)
        elif tag == "f":
            formulas.add(row, column)
        elif tag == "row":
            column = -1
            given = next((attrs[i + 1] for i in range(0, len(attrs), 2) if _is_r(attrs[i])), None)
            given = given.strip() if given is not None else ""
            row_element = _row(given) if given.isdigit() else row_element + 1
            row = row_element

    parser = parser_for(path, info.filename)
    parser.StartElementHandler = start
    parse(path, archive, info, parser)
    limits = current()
    check_columns(path, columns, sheet=sheet)
    area = rows * columns
    sparse = area > SPARSE_FLOOR and area > 20 * count
    if area > limits.xlsx_cells or sparse:
        raise InputError(
            path,
            "limit.xlsx-sparse" if sparse else "limit.xlsx-range",
            sheet=sheet,
            cells=count,
            columns=columns,
            rows=rows,
            area=area,
            limit=limits.xlsx_cells,
            variable="MINESITE_MAX_XLSX_CELLS",
        )
    check_blank_rows(path, rows - valued_rows, sheet=sheet)
    return formulas


def _is_r(name: str) -> bool:
    """An attribute r in any namespace (`x:r` too: calamine may take it for the place); a
    namespace declaration `xmlns:r` is none (the byte scan and calamine pass it by)."""
    return name == "r" or (local(name) == "r" and not name.startswith("xmlns:"))


def _row(digits: str) -> int:
    # A 5,000-digit row number is no row (and int() refuses it): any such row is out of range.
    return int(digits) if len(digits) <= 9 else 10**9


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        if not "A" <= letter <= "Z":
            return 0
        number = number * 26 + ord(letter) - 64
    return number
