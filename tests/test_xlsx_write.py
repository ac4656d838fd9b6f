"""The XLSX export's cells, written outside xlsxwriter: every value comes back as it went in,
typed, escaped, blank where it is missing; the package still opens with openpyxl and calamine."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from minesite.render.xlsx import write_xlsx

TEXTS = ["plain", "a & <b> > c", " leading", "trailing ", "_x0041_ literal", "bell\x07", "é ü 中"]


def _frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame(
        {
            "site_name": pd.Series(TEXTS, dtype="str"),
            "criterion": pd.Series(["SEC-01", "CHL-01"] * 3 + [None], dtype="category"),
            "answer": pd.Series(["1", "", None, "x", "y", "z", "0"], dtype=object),
            "latitude": ["-2.5", "", "inf", "nan", "1e-7", "3", "x"],
            "row": pd.array([2, None, 4, 5, 6, 7, 8], dtype="Int64"),
            "visit_date": ["2024-02-29", "", "1999-12-31", "2024-01-01", "bad", "", "2030-06-01"],
            "overdue": [True, False] * 3 + [True],
            "value": pd.Series([1, "two", 3.5, None, True, "", 7], dtype=object),
        },
        index=range(n),
    )


def test_cells_come_back_typed_and_escaped(tmp_path):
    out = tmp_path / "cells.xlsx"
    write_xlsx({"visits": _frame()}, out)
    sheet = load_workbook(out)["visits"]
    header = [c.value for c in sheet[1]]
    column = {
        name: [r[j].value for r in sheet.iter_rows(min_row=2)] for j, name in enumerate(header)
    }
    assert column["site_name"] == [
        "plain",
        "a & <b> > c",
        " leading",
        "trailing ",
        "_x005F_x0041_ literal",  # Excel shows the literal text; openpyxl does not unescape
        "bell_x0007_",
        "é ü 中",
    ]
    assert column["criterion"] == ["SEC-01", "CHL-01"] * 3 + [None]
    assert column["answer"] == ["1", None, None, "x", "y", "z", "0"]
    assert column["latitude"] == [-2.5, None, None, None, 1e-7, 3, None]
    assert column["row"] == [2, None, 4, 5, 6, 7, 8]
    assert column["visit_date"][0] == dt.datetime(2024, 2, 29)
    assert column["visit_date"][1:5] == [
        None,
        dt.datetime(1999, 12, 31),
        dt.datetime(2024, 1, 1),
        None,
    ]
    assert sheet["F2"].number_format == "yyyy-mm-dd" and sheet["F2"].is_date
    assert column["overdue"] == [True, False] * 3 + [True]
    assert column["value"] == [1, "two", 3.5, None, True, None, 7]
    assert sheet.auto_filter.ref == "A1:H8" and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b


def test_calamine_reads_the_export_as_written(tmp_path):
    out = tmp_path / "cells.xlsx"
    write_xlsx(
        {"visits": _frame(), "summary": pd.DataFrame({"key": ["rows_read"], "value": [7]})}, out
    )
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["visits", "summary"]
    rows = book.get_sheet_by_name("visits").to_python()
    assert len(rows) == 8 and rows[1][0] == "plain" and rows[2][1] == "CHL-01"
    assert book.get_sheet_by_name("summary").to_python() == [["key", "value"], ["rows_read", 7.0]]


def test_an_empty_table_is_a_header_with_its_filter(tmp_path):
    out = tmp_path / "empty.xlsx"
    write_xlsx({"conflicts": pd.DataFrame({"kind": pd.Series([], dtype="str"), "row": []})}, out)
    sheet = load_workbook(out)["conflicts"]
    assert [c.value for c in sheet[1]] == ["kind", "row"] and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:B2"


def test_continuation_sheets_hold_every_row_in_order(tmp_path):
    frame = pd.DataFrame({"visit_id": [f"V{i}" for i in range(10)], "row": range(2, 12)})
    write_xlsx({"visits": frame}, tmp_path / "big.xlsx", limit=4)
    book = load_workbook(tmp_path / "big.xlsx")
    assert book.sheetnames == ["visits", "visits (2)", "visits (3)"]
    ids = [r[0].value for name in book.sheetnames for r in book[name].iter_rows(min_row=2)]
    assert ids == [f"V{i}" for i in range(10)]
    assert book["visits (3)"]["B2"].value == 10 and book["visits (3)"].auto_filter.ref == "A1:B3"
