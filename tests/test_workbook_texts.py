"""The cells of a workbook as text: a column converted at once (numbers through Arrow) reads
cell for cell as the one rule `_text` says, whatever the mix of types in it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from minesite.inputs.workbook import _column, _text, read_sheets

_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e10, max_value=1e10).map(lambda x: round(x, 3)),
    st.integers(-(2**60), 2**60).map(float),
    st.sampled_from([1e-4, 9.99e-5, 1e9, 999999999.5, -0.0, 2.0**53, 2.0**53 + 2, 0.1, 1e-05]),
    st.text(max_size=5),
    st.none(),
    st.booleans(),
    st.integers(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CELLS, max_size=60))
def test_a_column_reads_as_its_cells_one_by_one(cells):
    assert list(_column(cells)) == [_text(cell) for cell in cells]


def test_numbers_and_text_in_one_column_of_a_workbook(tmp_path):
    """What calamine hands over for numbers (floats, whole or not, small or large) beside text
    and dates, through the reader."""
    cells = [
        7,
        2.5,
        -0.0001,
        0.00001,
        123456789.25,
        1e12 + 0.5,
        2**53 + 2,
        "x",
        None,
        dt.datetime(2026, 3, 1),
        1e-300,
        12.0,
    ]
    book = Workbook()
    book.active.append(["vid", "n"])
    for i, cell in enumerate(cells):
        book.active.append([f"V{i}", cell])
    book.save(tmp_path / "n.xlsx")
    (sheet,) = read_sheets(tmp_path / "n.xlsx")
    assert sheet.frame["n"].tolist() == [
        "7",
        "2.5",
        "-0.0001",
        "1e-05",
        "123456789.25",
        "1000000000000.5",
        "9007199254740994",
        "x",
        "",
        "2026-03-01",
        "1e-300",
        "12",
    ]
