"""Output files: only where asked, never over an input or an existing file without --force,
never a half-written file in place of a good one."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inspections" / "field-visits.csv"
runner = CliRunner()
COMPANIONS = ["out.csv", "out.sites.csv", "out.findings.csv", "out.conflicts.csv"]


def one_line_error(result) -> str:  # noqa: ANN001
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr
    return lines[0]


def test_names_from_the_input_never_name_an_output_file(tmp_path):
    """Output names come from -o only (plus fixed suffixes): ids like ../../evil or /etc/x in
    the data end up as cell text, never as a path."""
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    frame["vid"] = ["../../evil", "/tmp/evil", "..\\..\\evil", "a/../../b", "C:\\x", "ok"]
    frame["pcode"] = frame["vid"]
    frame["name"] = "../../../../evil.csv"
    data = tmp_path / "in"
    data.mkdir()
    source = data / "..%2f..%2fevil.csv"
    frame.to_csv(source, index=False)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = {p for p in tmp_path.rglob("*") if not p.is_relative_to(out_dir)}
    for suffix in (".csv", ".xlsx", ".json", ".parquet"):
        result = runner.invoke(app, ["score", str(source), "-o", str(out_dir / f"r{suffix}")])
        assert result.exit_code == 0, result.output
    assert {p for p in tmp_path.rglob("*") if not p.is_relative_to(out_dir)} == before
    names = sorted(p.name for p in out_dir.iterdir())
    tables = ["conflicts", "findings", "sites", "summary"]
    expected = ["r.csv", "r.json", "r.parquet", "r.xlsx"]
    expected += [f"r.{t}.{s}" for t in tables for s in ("csv", "parquet")]
    assert names == sorted(expected)


def test_never_over_an_input_by_another_spelling_or_a_symlink(tmp_path):
    source = tmp_path / "visits.csv"
    source.write_bytes(SAMPLE.read_bytes())
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    for target in (tmp_path / "sub" / ".." / "visits.csv", link):
        (tmp_path / "sub").mkdir(exist_ok=True)
        line = one_line_error(
            runner.invoke(app, ["score", str(source), "-o", str(target), "--force"])
        )
        assert "input file" in line
    assert source.read_bytes() == SAMPLE.read_bytes()


def test_a_companion_over_an_input_is_refused(tmp_path):
    """out.sites.csv is written beside out.csv: it may not be an input either."""
    source = tmp_path / "out.sites.csv"
    source.write_bytes(SAMPLE.read_bytes())
    result = runner.invoke(app, ["score", str(source), "-o", str(tmp_path / "out.csv"), "--force"])
    assert "input file" in one_line_error(result)
    assert source.read_bytes() == SAMPLE.read_bytes()


def test_existing_outputs_untouched_without_force(tmp_path):
    for name in COMPANIONS:
        (tmp_path / name).write_text("old " + name)
    result = runner.invoke(app, ["score", str(SAMPLE), "-o", str(tmp_path / "out.csv")])
    assert "--force" in one_line_error(result)
    for name in COMPANIONS:
        assert (tmp_path / name).read_text() == "old " + name
    assert not list(tmp_path.glob(".*.part"))


def test_unwritable_targets_are_one_line_errors(tmp_path):
    folder = tmp_path / "results.csv"
    folder.mkdir()
    result = runner.invoke(app, ["score", str(SAMPLE), "-o", str(folder), "--force"])
    assert "is a folder" in one_line_error(result)
    result = runner.invoke(app, ["score", str(SAMPLE), "-o", str(tmp_path / "no" / "r.csv")])
    assert "does not exist" in one_line_error(result)
    result = runner.invoke(app, ["checklists", "xlsform", str(tmp_path / "no" / "form.xlsx")])
    assert "does not exist" in one_line_error(result)
    result = runner.invoke(app, ["checklists", "xlsform", str(folder.with_suffix(".xlsx"))])
    assert result.exit_code == 0
    result = runner.invoke(app, ["score", str(SAMPLE), "-o", "/proc/minesite-test.csv"])
    assert "cannot write" in one_line_error(result)


def test_killed_mid_write_leaves_the_old_output_intact(tmp_path):
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    big = pd.concat([frame] * 2000, ignore_index=True)
    big["vid"] = [f"V{i}" for i in range(len(big))]
    big["name"] = big["name"] + " " + "x" * 1500  # a long visits table: a wide write window
    source = tmp_path / "big.csv"
    big.to_csv(source, index=False)
    out = tmp_path / "out.csv"
    old = b"previous results;do not lose\n" * 100
    out.write_bytes(old)
    process = subprocess.Popen(
        [sys.executable, "-m", "minesite", "score", str(source), "-o", str(out), "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    pattern = str(tmp_path / ".out.csv.*.part")
    deadline = time.monotonic() + 60
    killed = False
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if glob.glob(pattern):
                os.kill(process.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.001)
    finally:
        if process.poll() is None and not killed:
            process.kill()
        process.wait()
    if not killed:
        pytest.skip("the write finished before it could be interrupted")
    assert process.returncode == -signal.SIGKILL
    assert out.read_bytes() == old  # byte-identical: the partial file never replaced it
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {
        "big.csv",
        "out.csv",
    }
