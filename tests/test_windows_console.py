"""Windows consoles (cp850, cp1252) with stdout redirected to a file, accents in paths."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inspections" / "field-visits.csv"


@pytest.mark.parametrize("encoding", ["cp850", "cp1252"])
def test_french_report_on_a_windows_code_page_redirected_to_a_file(tmp_path, encoding):
    folder = tmp_path / "dossier é"
    folder.mkdir()
    source = folder / "visites été.csv"
    shutil.copy(SAMPLE, source)
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "100"}
    env.pop("MINESITE_DEBUG", None)
    report = tmp_path / "rapport.txt"
    for path in (SAMPLE, source):
        with report.open("wb") as stdout:
            done = subprocess.run(
                [sys.executable, "-m", "minesite", "validate", str(path), "--lang", "fr"],
                stdout=stdout,
                stderr=subprocess.PIPE,
                env=env,
                cwd=ROOT,
                timeout=60,
            )
        assert done.returncode == 1, done.stderr.decode(encoding, "replace")
        assert b"Traceback" not in done.stderr and not done.stderr.strip()
        text = report.read_bytes().decode(encoding)  # readable in the console's code page
        assert "ROUGE" in text.upper() and "FV-004" in text
        assert path.name in text  # the file name, accents included (or replaced, never a crash)
        assert "Mukungwe" in text


@pytest.mark.parametrize("encoding", ["cp850", "cp1252"])
def test_errors_on_a_windows_code_page(tmp_path, encoding):
    missing = tmp_path / "dossier é" / "absent «été».csv"
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run(
        [sys.executable, "-m", "minesite", "validate", str(missing), "--lang", "fr"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.decode(encoding).strip().splitlines()
    assert len(lines) == 1 and "absent" in lines[0], lines
