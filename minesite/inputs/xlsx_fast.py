"""The XLSX guard's common case: a sheet written the canonical way (Excel, openpyxl, xlsxwriter,
KoboToolbox) measured with byte patterns, about four times faster than the expat parse.

The patterns are only trusted once the bytes are shown to be canonical, block by block: UTF-8,
no comment, CDATA, DTD or processing instruction, no namespace prefix on a cell element, every
`<c` start tag beginning `<c r="LETTERS DIGITS"` and every attribute named `r` one of those or a
row's (so no second `r` hides in a tag), `<v>` and `<is>` without attributes, no formula. The
range measured is an upper bound (every cell counts, valued or not) and the count of values an
exact or larger count, so when the fast scan accepts a sheet the exact parse would too; in every
other case (not canonical, or a range it would refuse) the caller runs the exact parse.
"""

from __future__ import annotations

import re
import zipfile

_BLOCK = 1 << 22
# Each pattern starts with a literal the regex engine skips to: searched one by one, the whole set
# costs a few scans of the block. A match means the byte patterns might not read the sheet as an
# XML parser does: a cell tag not starting `<c r="`, a cell reference that is not LETTERS DIGITS,
# an `r` spaced from its `=`, attributes on <v> or <is>, a formula, a prefixed sheet element.
_ODD = [
    re.compile(pattern)
    for pattern in (
        rb"<c(?:[\t\n\r/>]| (?!r=\"))",
        rb'<c r="(?![A-Z]{1,3}[0-9]{1,7}"[ />])',
        rb"r[ \t\n\r]+=",
        rb"<v[ \t\n\r/]",
        rb"<is[ \t\n\r/]",
        rb"<f[ \t\n\r/>]",
        rb":(?:c[ \t\n\r/>]|row|v[ \t\n\r/>]|is[ \t\n\r/>]|f[ \t\n\r/>]|sheetData)",
    )
]
_ENCODING = re.compile(rb'^<\?xml[^>]*encoding=["\']([-\w]+)["\']')
_ROWS = [re.compile(rb'<c r="[A-Z]{1,3}(\d{%d})"' % d) for d in range(7, 0, -1)]
_WIDE = [re.compile(rb'<c r="([A-Z]{%d})\d' % n) for n in (3, 2)]


def canonical_extent(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> tuple[int, int, int] | None:
    """(rows, columns, values) bounds of a canonical sheet, or None when it is not canonical."""
    rows = columns = values = 0
    tail = b""
    first = True
    with archive.open(info) as stream:
        while True:
            block = stream.read(_BLOCK)
            data = tail + block
            cut = data.rfind(b"<") if block else -1  # a tag never straddles two blocks
            scan, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            measured = _block(scan, first)
            if measured is None:
                return None
            first = False
            r, c, n = measured
            rows, columns, values = max(rows, r), max(columns, c), values + n
            if not block:
                return rows, columns, values


def _block(scan: bytes, first: bool) -> tuple[int, int, int] | None:
    if first:
        scan = scan.removeprefix(b"\xef\xbb\xbf")
        declared = _ENCODING.match(scan)
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        if scan.startswith(b"<?xml"):
            scan = scan[scan.find(b"?>") + 2 :]
    if b"\x00" in scan or b"<!" in scan or b"<?" in scan:
        return None  # UTF-16, a comment, CDATA, a DTD, a processing instruction
    if any(pattern.search(scan) for pattern in _ODD):
        return None
    if b"\tr=" in scan or b"\nr=" in scan or b"\rr=" in scan:
        return None
    if scan.count(b" r=") != scan.count(b'<c r="') + scan.count(b'<row r="'):
        return None  # a second r in a tag (calamine may read the last), or r= in a text
    rows = next((int(max(m)) for p in _ROWS if (m := p.findall(scan))), 0)
    # Columns: an upper bound is enough, so single letters count as Z without being read.
    wide = next((_column(max(m)) for p in _WIDE if (m := p.findall(scan))), 0)
    columns = wide or (26 if b'<c r="' in scan else 0)
    return rows, columns, scan.count(b"<v>") + scan.count(b"<is>")


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
