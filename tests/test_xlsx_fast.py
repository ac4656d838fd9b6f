"""The XLSX guard's byte scan over many blocks: the values it stops counting once the declared
range has enough, and the sheets whose later blocks make that count too small."""

from __future__ import annotations

import zipfile

import pytest
from test_hardening_xlsx import HEADER, MAIN, workbook

from minesite.errors import InputError
from minesite.inputs import xlsx_fast
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
