"""Workbooks as spreadsheets and R write them: a row-number column A, a blank header mapped."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from typer.testing import CliRunner

import minesite
from minesite.cli import app

runner = CliRunner()
HEADER = ["vid", "pcode", "visit_date", "visit_onsite", "childunder15"]
ROWS = [["V1", "s1", "2026-03-10", "1", "1"], ["V2", "s2", "2026-03-11", "1", "0"]]


def workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    book.close()
    return path


def statuses(result: minesite.Result) -> list[str]:
    return result.visits["status"].tolist()


def test_a_row_number_column_a_is_dropped_and_said(tmp_path):
    plain = workbook(tmp_path / "plain.xlsx", HEADER, ROWS)
    plain = minesite.run(plain, checklists=["child-labor"])
    rows = [[i, *row] for i, row in enumerate(ROWS, start=1)]  # numbers, as R writes them
    indexed = workbook(tmp_path / "indexed.xlsx", ["", *HEADER], rows)
    result = minesite.run(indexed, checklists=["child-labor"])
    assert statuses(result) == statuses(plain) and statuses(result)[0] == "red"
    assert "row-index-dropped" in " ".join(n.code for n in result.notes)
    out = runner.invoke(app, ["validate", str(indexed), "-c", "child-labor", "--lang", "fr"])
    assert out.exit_code == 1 and "Traceback" not in out.output


def test_a_blank_column_a_that_is_not_a_row_number_is_still_an_error(tmp_path):
    rows = [[7, *ROWS[0]], [3, *ROWS[1]]]
    path = workbook(tmp_path / "odd.xlsx", ["", *HEADER], rows)
    out = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert out.exit_code == 2 and "column 1 has data but no header" in out.stderr


def test_a_mapping_names_the_blank_header_of_a_workbook(tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text('[visits]\npcode = [""]\n', encoding="utf-8")
    header = ["vid", "", "visit_date", "visit_onsite", "childunder15"]
    path = workbook(tmp_path / "blank.xlsx", header, ROWS)
    refused = runner.invoke(app, ["validate", str(path), "-c", "child-labor", "--lang", "en"])
    assert refused.exit_code == 2 and "column 2 has data but no header" in refused.stderr
    result = minesite.run(path, checklists=["child-labor"], columns=mapping)
    assert result.visits["site_id"].tolist() == ["s1", "s2"]
    assert statuses(result)[0] == "red"
    two = workbook(tmp_path / "two.xlsx", [*header, ""], [[*r, "x"] for r in ROWS])
    out = runner.invoke(app, ["validate", str(two), "--columns", str(mapping), "--lang", "en"])
    assert out.exit_code == 2 and "column 6" in out.stderr


def test_data_past_the_last_header_is_never_dropped_silently(tmp_path):
    path = workbook(tmp_path / "wide.xlsx", HEADER, [[*r, "", "oui"] for r in ROWS])
    out = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert out.exit_code == 2 and "column 7 has data but no header" in out.stderr
