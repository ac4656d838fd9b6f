"""The XLSX guard's common case: a sheet written the canonical way (Excel, openpyxl, xlsxwriter,
KoboToolbox) measured with byte patterns, several times faster than the expat parse.

The patterns are only trusted once the bytes are shown to be canonical, block by block: UTF-8,
no comment, CDATA, DTD or processing instruction, no namespace prefix on a cell element, every
`<c` start tag beginning `<c r="LETTERS DIGITS"` and no other attribute named `r` than a cell's
or a row's first one, no formula. The range is the sheet's `<dimension>` once every cell
reference is shown to lie inside it (one search per block), or else measured from the
references; the count of values is an exact or larger count, up to the number the checks ask
for (past it, later blocks are not counted). So when the fast scan accepts a sheet the exact
parse would too; in every other case (not canonical, or a range it would refuse)
the caller runs the exact parse.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

from minesite.inputs import xlsx_plain
from minesite.inputs.inflate_ahead import inflated

_BLOCK = 1 << 23
# Each pattern starts with a literal the regex engine skips to: searched one by one, the whole set
# costs a few scans of the block. A match means the byte patterns might not read the sheet as an
# XML parser does: an attribute `r` other than the first of a cell or row (spaced, after a tab,
# prefixed, or a second one), a formula, a prefixed sheet element, a comment, CDATA or DTD, a
# processing instruction.
_ODD = [
    re.compile(pattern)
    for pattern in (
        rb"r(?<=[ \t\n\r:\"']r)[ \t\n\r]*=(?<!<c r=)(?<!<row r=)(?<!xmlns:r=)",
        rb"<f[ \t\n\r/>]",
        rb":(?:c[ \t\n\r/>]|row|v[ \t\n\r/>]|is[ \t\n\r/>]|f[ \t\n\r/>]|sheetData)",
        rb"<!",
        rb"<\?",
    )
]
_REFERENCE = rb'r="[A-Z]{1,3}[0-9]{1,7}"[ />]'
_CELL = re.compile(rb"<c(?:[\t\n\r/>]| (?!%s))" % _REFERENCE)
"""A cell tag not starting `<c r="LETTERS DIGITS"`."""
_ENCODING = re.compile(rb'^<\?xml[^>]*encoding=["\']([-\w]+)["\']')
_DIMENSION = re.compile(
    rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([1-9][0-9]{0,6})"'
)
_ROWS = [re.compile(rb'<c r="[A-Z]{1,3}(\d{%d})"' % d) for d in range(7, 0, -1)]
_WIDE = [re.compile(rb'<c r="([A-Z]{%d})\d' % n) for n in (3, 2)]


def canonical_extent(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    trust_dimension: bool = True,
    values_needed: Callable[[int, int], int] | None = None,
) -> tuple[int, int, int] | None:
    """(rows, columns, values) bounds of a canonical sheet, or None when it is not canonical.

    With `trust_dimension`, the bounds are the `<dimension>` the sheet declares when no cell lies
    outside it (a block with such a cell is measured); without, every block is measured.
    `values_needed(rows, columns)` is the count of values past which the caller's checks ask no
    more: once the declared range has them, the values of later blocks are not counted (the count
    is then a lower bound, which can only send the sheet to the exact parse)."""
    rows = columns = values = 0
    tail = b""
    inside: re.Pattern[bytes] | None = None  # a cell tag outside the declared dimension
    plain = ""  # the same and every odd construct, in one RE2 pattern
    claimed = (0, 0)
    first = True
    with inflated(archive, info, _BLOCK) as blocks:
        for block in blocks:
            data = tail + block
            cut = data.rfind(b"<") if block else -1  # a tag never straddles two blocks
            scan, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if first:
                first = False
                scan = _prolog(scan)
                if scan is None:
                    return None
                declared = _DIMENSION.search(scan, 0, 1 << 16) if trust_dimension else None
                if declared:
                    letters, digits = declared.groups()
                    claimed = (int(digits), _column(letters))
                    inside = _within(letters, digits)
                    plain = xlsx_plain.odd_or_outside(letters, digits)
            counting = (
                values_needed is None
                or inside is None
                or values < values_needed(max(rows, claimed[0]), max(columns, claimed[1]))
            )
            if plain and xlsx_plain.plain(scan, plain):
                measured = (*claimed, _values(scan) if counting else 0)
            else:
                measured = _block(scan, inside, claimed, counting)
            if measured is None:
                return None
            r, c, n = measured
            rows, columns, values = max(rows, r), max(columns, c), values + n
            if not block:
                return rows, columns, values
    raise AssertionError("the blocks end with an empty one")  # pragma: no cover


def _prolog(scan: bytes) -> bytes | None:
    """The first block without its BOM and XML declaration; None when it is not UTF-8."""
    scan = scan.removeprefix(b"\xef\xbb\xbf")
    declared = _ENCODING.match(scan)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    if scan.startswith(b"<?xml"):
        scan = scan[scan.find(b"?>") + 2 :]
    return scan


def _block(
    scan: bytes, inside: re.Pattern[bytes] | None, claimed: tuple[int, int], counting: bool
) -> tuple[int, int, int] | None:
    if b"\x00" in scan:
        return None  # UTF-16
    if any(pattern.search(scan) for pattern in _ODD):
        return None
    values = _values(scan) if counting else 0
    if inside is not None and not inside.search(scan):
        return (*claimed, values)  # every cell canonical and inside the declared range
    if _CELL.search(scan):
        return None
    rows = next((int(max(m)) for p in _ROWS if (m := p.findall(scan))), 0)
    # Columns: an upper bound is enough, so single letters count as Z without being read.
    wide = next((_column(max(m)) for p in _WIDE if (m := p.findall(scan))), 0)
    columns = wide or (26 if b'<c r="' in scan else 0)
    return rows, columns, values


def _values(scan: bytes) -> int:
    return scan.count(b"<v>") + scan.count(b"<is>")  # a cell holds at most one


def _within(letters: bytes, digits: bytes) -> re.Pattern[bytes]:
    """A cell tag that is not canonical or lies outside A1:{letters}{digits}."""
    short = f"[A-Z]{{1,{len(letters) - 1}}}|" if len(letters) > 1 else ""
    column = short + xlsx_plain.at_most(letters.decode(), "A", "Z")
    row = (f"[1-9][0-9]{{0,{len(digits) - 2}}}|" if len(digits) > 1 else "") + xlsx_plain.at_most(
        digits.decode(), "0", "9", first="1"
    )
    reference = f'r="(?:{column})(?:{row})"[ />]'.encode()
    return re.compile(rb"<c(?:[\t\n\r/>]| (?!%s))" % reference)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
