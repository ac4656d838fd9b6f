"""The XLSX guard's byte scan over many blocks: the values it stops counting once the declared
range has enough, and the sheets whose later blocks make that count too small."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hardening_xlsx import HEADER, MAIN, workbook

from minesite.errors import InputError
from minesite.inputs import xlsx_fast, xlsx_plain
from minesite.inputs.workbook import read_sheets

SHEET = "xl/worksheets/sheet1.xml"


def _sheet(rows: int, dimension: str, tail: str = "") -> str:
    cells = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, rows + 1))
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:{dimension}"/><sheetData>'
        f"{HEADER}{cells}{tail}</sheetData></worksheet>"
    )


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(xlsx_fast, "_BLOCK", 1 << 10)


def test_counting_stops_once_the_declared_range_has_the_values_it_needs(tmp_path, small_blocks):
    path = workbook(tmp_path / "b.xlsx", _sheet(400, "A400"))
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
        every = xlsx_fast.canonical_extent(archive, info)
        enough = xlsx_fast.canonical_extent(archive, info, values_needed=lambda r, c: 100)
    assert every == (400, 1, 400)
    assert enough is not None and enough[:2] == (400, 1) and 100 <= enough[2] < 400


def _outcome(path):
    try:
        (sheet,) = read_sheets(path)
    except InputError as error:
        return error.code
    return len(sheet.frame)


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "limit.xlsx-sparse"),
        ('<row r="50000"><c r="A50000"><v>1</v></c></row>', "limit.blank-rows"),
        ('<row r="420"><c r="A420"><v>7</v></c></row>', 419),
    ],
)
def test_a_later_block_outside_the_range_is_judged_as_in_one_block(
    tmp_path, monkeypatch, tail, expected
):
    """Cells past the dimension after the counting stopped: the same verdict as a scan that
    counted every value (one block), refusal code or rows read."""
    path = workbook(tmp_path / "t.xlsx", _sheet(400, "A400", tail))
    whole = _outcome(path)
    monkeypatch.setattr(xlsx_fast, "_BLOCK", 1 << 10)
    assert _outcome(path) == whole == expected


_PIECES = [
    '<c r="',
    '<row r="',
    " r=",
    "r",
    " ",
    "\t",
    "\n",
    '"',
    "'",
    ":",
    "=",
    "<",
    ">",
    "/",
    "s",
    "n",
    "m",
    "l",
    "x",
    "w",
    "o",
    "c",
    "A",
    "B",
    "W",
    "X",
    "Z",
    "AA",
    "AB",
    "ZZ",
    "0",
    "1",
    "5",
    "9",
    "50001",
    "50002",
    "49999",
    "500010",
    '"/>',
    '" t="s">',
    "xmlns:r=",
    "mlns:r=",
    "<f>",
    "<f ",
    "<!--",
    "<?x",
    "\x00",
    "<v>1</v>",
    "</c>",
    "x:c ",
    ":row",
    ":sheetData",
    "<c/>",
    "<c>",
    '<c r="B2"/>',
    '<c r="W50001">',
    "</row>",
    "é",
]


@settings(max_examples=800, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_PIECES), max_size=30),
    letters=st.sampled_from(["A", "W", "Z", "AB", "ZZ", "XFD", "ZZZ"]),
    digits=st.sampled_from(["1", "9", "10", "50001", "99", "1048576", "9999999"]),
)
def test_the_one_pass_pattern_finds_what_the_byte_scan_finds(pieces, letters, digits):
    """RE2 has no look-around: the one-pass pattern of xlsx_plain, written without it, calls a
    block plain exactly when none of the byte scan's patterns (Python's re) matches in it and
    no cell lies outside the declared range; never plain when the last tag is not closed."""
    scan = "".join(pieces).encode()
    inside = xlsx_fast._within(letters.encode(), digits.encode())
    python = b"\x00" in scan or any(p.search(scan) for p in xlsx_fast._ODD) or inside.search(scan)
    pattern = xlsx_plain.odd_or_outside(letters.encode(), digits.encode())
    closed = b"<" in scan and scan.rfind(b">") > scan.rfind(b"<")
    assert xlsx_plain.plain(scan, pattern) == (closed and not python)


def test_a_namespace_declared_on_a_cell_is_no_place_for_it(tmp_path):
    """Found reviewing the one-pass scan: `xmlns:r="XFD1048576"` on a cell passed the byte scan
    (rightly: it declares a namespace) and the exact parse took it for the cell's place and
    refused the sheet; both now read the cell where its `r` says."""
    from minesite.inputs.xlsx_guard import _check_sheet, _fast_accepts

    cell = '<row r="2"><c r="A2" xmlns:r="XFD1048576"><v>1</v></c></row>'
    sheet = f'<worksheet xmlns="{MAIN}"><dimension ref="A1:A2"/><sheetData>'
    path = workbook(tmp_path / "ns.xlsx", sheet + HEADER + cell + "</sheetData></worksheet>")
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
        assert _fast_accepts(archive, info)
        _check_sheet(path, archive, info, "s")  # no refusal


def test_bytes_that_are_not_utf8_are_seen_by_the_one_pass_scan():
    """The block goes to RE2 as binary (Latin-1: every byte a character); as a UTF-8 string an
    invalid byte would match nothing, and a cell place made of it would pass."""
    pattern = xlsx_plain.odd_or_outside(b"Z", b"99")
    assert not xlsx_plain.plain(b'<row r="2"><c r="\xff"/></row>', pattern)
    assert not xlsx_plain.plain(b'<row r="2"><x \xff:r="1"/></row>', pattern)
    assert xlsx_plain.plain(b'<row r="2"><c r="B2"><v>\xff</v></c></row>', pattern)
