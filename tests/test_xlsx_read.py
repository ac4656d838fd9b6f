"""The XLSX reader's cell-to-text rule, column by column (numbers formatted as one array)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from test_hardening_xlsx import HEADER, workbook

from minesite.errors import InputError
from minesite.inputs.workbook import _column, _text, read_sheets

EDGES = [1.0, -0.0, 2.5, 1e20, 2.0**53, 2.0**53 + 2, 0.1 + 0.2, 1e-7, -4.17834064, 13.0, -1e300]
EDGES += [-0.0001, 0.00001, 123456789.25, 1e12 + 0.5, 999999999.5]  # where Arrow writes or not


def _numbers(path, numbers: list[float]):
    """A sheet `vid` of numbers written exactly (repr in <v>), as Excel stores a double."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}"><v>{n!r}</v></c></row>' for i, n in enumerate(numbers, 2)
    )
    return workbook(path, HEADER + rows)


def test_numbers_read_as_a_form_would_hold_them(tmp_path):
    (sheet,) = read_sheets(_numbers(tmp_path / "n.xlsx", EDGES))
    assert sheet.frame["vid"].tolist() == [
        "1",
        "0",
        "2.5",
        "100000000000000000000",
        "9007199254740992",
        "9007199254740994",
        "0.30000000000000004",
        "1e-07",
        "-4.17834064",
        "13",
        str(int(-1e300)),
        "-0.0001",
        "1e-05",
        "123456789.25",
        "1000000000000.5",
        "999999999.5",
    ]


def test_a_column_of_numbers_dates_and_booleans(tmp_path):
    book = Workbook()
    book.active.append(["vid", "mixed"])
    for i, value in enumerate(
        ["x", 3.0, True, dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4), "", 0.5]
    ):
        book.active.append([f"V{i}", value])
    book.save(tmp_path / "m.xlsx")
    (sheet,) = read_sheets(tmp_path / "m.xlsx")
    assert sheet.frame["mixed"].tolist() == [
        "x",
        "3",
        "True",
        "2020-01-02",
        "2020-01-02T03:04:00",
        "",
        "0.5",
    ]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30))
def test_a_column_of_floats_reads_back_as_each_float_alone(tmp_path_factory, numbers):
    """Whole numbers without '.0', others by repr: the same as a cell read one at a time."""
    (sheet,) = read_sheets(_numbers(tmp_path_factory.mktemp("f") / "f.xlsx", numbers))
    expected = [str(int(n)) if n.is_integer() else repr(n) for n in numbers]
    assert sheet.frame["vid"].tolist() == expected


_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e10, max_value=1e10).map(lambda x: round(x, 3)),
    st.integers(-(2**60), 2**60).map(float),
    st.sampled_from([1e-4, 9.99e-5, 1e9, 999999999.5, 1e12 + 0.5, 123456789.25, 1e-05]),
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
    """Numbers go through Arrow where it writes them as Python does (fractions between 1e-4
    and 1e9), the rest cell by cell: whatever the mix, each cell reads as `_text` says."""
    assert list(_column(cells)) == [_text(cell) for cell in cells]


def test_every_column_is_text_of_the_str_dtype(tmp_path):
    """Columns of strings go to Arrow as they are; the mixed ones through the cell rule."""
    book = Workbook()
    book.active.append(["vid", "name", "mixed"])
    book.active.append(["V1", "Eumba", "a"])
    book.active.append(["V2", "Kamituga", 2.0])
    book.save(tmp_path / "t.xlsx")
    (sheet,) = read_sheets(tmp_path / "t.xlsx")
    assert [str(dtype) for dtype in sheet.frame.dtypes] == ["str", "str", "str"]
    assert sheet.frame.to_dict("list") == {
        "vid": ["V1", "V2"],
        "name": ["Eumba", "Kamituga"],
        "mixed": ["a", "2"],
    }


def test_the_garbage_collector_is_left_as_it_was_found(tmp_path):
    """The reader pauses cyclic collection while it reads, and restores it on every way out."""
    import gc

    good = _numbers(tmp_path / "n.xlsx", [1.0])
    twice = tmp_path / "twice.xlsx"
    book = Workbook()
    book.active.append(["vid", "vid"])  # refused while the sheet is turned to text
    book.active.append(["V1", "V2"])
    book.save(twice)
    read_sheets(good)
    assert gc.isenabled()
    with pytest.raises(InputError) as refused:
        read_sheets(twice)
    assert refused.value.code == "input.header-twice" and gc.isenabled()
    gc.disable()
    try:
        read_sheets(good)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_sheets_come_in_workbook_order_and_the_first_refusal_is_the_first_sheets(tmp_path):
    """Calamine parses the next sheet while this one is turned to text: neither the order of
    the sheets nor which refusal is reported depends on it."""
    book = Workbook()
    book.active.title = "one"
    book.active.append(["vid"])
    book.active.append(["V1"])
    for name in ("two", "three"):
        sheet = book.create_sheet(name)
        sheet.append(["vid", "site"])
        sheet.append([f"{name}-1", "S"])
    book.save(tmp_path / "ok.xlsx")
    sheets = read_sheets(tmp_path / "ok.xlsx")
    assert [s.name for s in sheets] == ["one", "two", "three"]
    assert sheets[2].frame["vid"].tolist() == ["three-1"]
    for name in ("two", "three"):
        book[name]["B1"] = "vid"  # the header twice
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as refused:
        read_sheets(tmp_path / "bad.xlsx")
    assert refused.value.code == "input.header-twice"
    assert refused.value.sheet == "two"
