"""A workbook the command line opens ahead (beside its imports) reads as one the reader opens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_hardening_xlsx import FAR, HEADER, workbook
from typer.testing import CliRunner

from minesite.cli import app
from minesite.errors import InputError
from minesite.inputs.workbook import read_sheets
from minesite.inputs.workbook_open import workbooks_ahead

VISITS = [
    ("vid", "pcode", "visit_date", "visit_onsite", "presence", "childunder15"),
    ("V1", "S1", "2026-03-01", "1", "0", "0"),
    ("V2", "S2", "2026-03-02", "1", "1", "0"),
]


def _book(path, rows, actors=()):
    book = Workbook()
    sheet = book.active
    sheet.title = "visits"
    for row in rows:
        sheet.append(row)
    if actors:
        other = book.create_sheet("actors")
        for row in actors:
            other.append(row)
    book.save(path)
    return path


def _frames(sheets):
    return [(s.name, s.header_row, s.frame.to_dict("list")) for s in sheets]


def test_a_workbook_opened_ahead_reads_as_one_the_reader_opens(tmp_path):
    path = _book(tmp_path / "two.xlsx", VISITS, actors=[("name", "visit"), ("FDLR", "V2")])
    plain = read_sheets(path)
    with workbooks_ahead([path]):
        ahead = read_sheets(path)
    assert _frames(ahead) == _frames(plain)
    assert [s.name for s in ahead] == ["visits", "actors"]


def test_a_workbook_rewritten_after_it_was_opened_ahead_is_read_as_it_is_now(tmp_path):
    path = _book(tmp_path / "v.xlsx", VISITS)
    with workbooks_ahead([path]):
        _book(path, [*VISITS, ("V3", "S3", "2026-03-03", "1", "0", "1")])
        stamp = os.stat(path)
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # a coarse clock
        sheets = read_sheets(path)
    assert sheets[0].frame["vid"].tolist() == ["V1", "V2", "V3"]


def test_a_far_cell_found_ahead_is_refused_by_the_read_as_without(tmp_path):
    path = workbook(tmp_path / "far.xlsx", HEADER + FAR)
    with pytest.raises(InputError) as without:
        read_sheets(path)
    with workbooks_ahead([path]), pytest.raises(InputError) as ahead:
        read_sheets(path)
    assert (ahead.value.code, ahead.value.render("en")) == (
        without.value.code,
        without.value.render("en"),
    )
    result = CliRunner().invoke(app, ["validate", str(path), "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.startswith("minesite: ") and "far.xlsx" in result.stderr


def test_a_workbook_opened_ahead_and_not_read_leaves_no_file_open(tmp_path):
    # The command may stop before reading it (an output that exists, a usage error).
    path = _book(tmp_path / "v.xlsx", VISITS).resolve()
    with workbooks_ahead([path]):
        assert path in _open_files()
    assert path not in _open_files()
    assert _frames(read_sheets(path))[0][2]["vid"] == ["V1", "V2"]


def _open_files() -> set:
    fds = Path("/proc/self/fd")
    if not fds.exists():
        pytest.skip("needs /proc")
    return {Path(os.path.realpath(fd)) for fd in fds.iterdir()}


def test_a_csv_named_xlsx_is_read_by_its_bytes(tmp_path):
    # Opening it ahead as a workbook fails; the reader then reads it as the CSV it is.
    path = tmp_path / "visits.xlsx"
    path.write_text("\n".join(",".join(row) for row in VISITS) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output  # incomplete visits
    summary = json.loads(result.stdout)["summary"]
    assert summary["rows_read"] == 2
    assert summary["files"][0]["dialect"].startswith("CSV")


def test_the_console_entry_point_reads_a_workbook_as_the_command_does(tmp_path):
    # `python -m minesite` opens the workbook ahead from its command line, before typer
    # parses it; the option value `-o` names is not an input.
    path = _book(tmp_path / "v.xlsx", VISITS, actors=[("name", "visit"), ("FDLR", "V2")])
    previous = _book(tmp_path / "out.xlsx", [("old",)])
    args = ["score", str(path), "-o", str(previous), "--force", "--as-of", "2026-06-01"]
    done = subprocess.run(
        [sys.executable, "-m", "minesite", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    console = read_sheets(previous)
    runner = CliRunner().invoke(app, [*args[:3], str(tmp_path / "again.xlsx"), *args[4:]])
    assert runner.exit_code == 0, runner.output
    assert _frames(console) == _frames(read_sheets(tmp_path / "again.xlsx"))
