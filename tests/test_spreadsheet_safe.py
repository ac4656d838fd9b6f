"""The formula guard of CSV exports: every cell that could run as a formula gets a leading "'",
numbers and other text stay as they are, whatever the Arrow layout of the column."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from minesite.render.spreadsheet_safe import spreadsheet_safe

NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def expected(cell: str) -> str:
    """The rule, cell by cell, in plain Python."""
    # The whole cell is the number ("-0\n" is not: a spreadsheet would not read it as one).
    risky = cell[:1] in tuple("=+-@\t\r") and not NUMBER.fullmatch(cell)
    return "'" + cell if risky else cell


cells = st.text(alphabet=st.sampled_from(list("=+-@\t\r0123456789.,eE aé€\n")), max_size=6)


@given(st.lists(cells, max_size=30), st.integers(0, 5), st.booleans(), st.booleans())
def test_guard_matches_the_rule_cell_by_cell(values, skip, large, chunked):
    text = pa.array(values, type=pa.large_string() if large else pa.string())[skip:]
    column = pa.chunked_array([text[:3], text[3:]]) if chunked else text
    frame = pd.DataFrame({"cell": pd.arrays.ArrowStringArray(column.cast(pa.large_string()))})
    if not large:  # the guard also meets narrow Arrow strings (findings, sites)
        narrow = pd.array(column, dtype=pd.ArrowDtype(pa.string()))
        frame = pd.DataFrame({"cell": pd.Series(narrow)})
    guarded = spreadsheet_safe(frame).column("cell").to_pylist()
    assert guarded == [expected(v) for v in values[skip:]]


@given(st.lists(cells, min_size=1, max_size=10))
def test_categories_and_numbers_are_guarded_alike(values):
    frame = pd.DataFrame({"cell": pd.Categorical(values), "count": range(len(values))})
    table = spreadsheet_safe(frame)
    assert table.column("cell").to_pylist() == [expected(v) for v in values]
    assert table.column("count").to_pylist() == list(range(len(values)))


def test_csv_written_in_batches_is_the_csv_written_whole(tmp_path, monkeypatch):
    from minesite.render import spreadsheet_safe as guard

    frame = pd.DataFrame(
        {
            "n": range(7),
            "text": pd.array(["=1", "-3.2", "ok", "", "@x", "b", "c"], dtype="str"),
            "code": pd.Categorical(["x", "=y", "x", "z", "x", "y", "+1"]),
        }
    )
    guard.write_csv(frame, tmp_path / "whole.csv")
    monkeypatch.setattr(guard, "BATCH_ROWS", 2)
    guard.write_csv(frame, tmp_path / "batches.csv")
    guard.write_csv(frame.iloc[:0], tmp_path / "empty.csv")
    assert (tmp_path / "batches.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert (tmp_path / "empty.csv").read_bytes() == b'\xef\xbb\xbf"n";"text";"code"\n'
