"""Terminal layout: wrapped lines keep their indent, a pipe gets whole lines, history rows say
what each value is."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

import minesite
from minesite.cli import app
from minesite.render.terminal import render

ROOT = Path(__file__).resolve().parent.parent
FIELD = ROOT / "sample_inspections" / "field-visits.csv"
IPIS = ROOT / "sample_inspections" / "ipis-sample.csv"


def _terminal(path: Path, width: int) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    render(minesite.run([path], as_of=dt.date(2026, 6, 30)), console, lang="fr")
    return out.getvalue().splitlines()


def test_a_wrapped_finding_continues_under_its_text_not_at_column_0():
    lines = _terminal(FIELD, 60)
    start = next(i for i, s in enumerate(lines) if s.startswith("  ✗ SEC-01"))
    follow = lines[start + 1]
    assert follow.startswith("    ") and follow.strip()  # under the text, past the mark
    sites = next(i for i, s in enumerate(lines) if " ROUGE  demo00004" in s)
    assert lines[sites + 1].startswith("        ")  # under the text, past the badge


def test_piped_output_is_not_hard_wrapped():
    result = CliRunner().invoke(app, ["validate", str(FIELD), "--lang", "fr"])
    lines = result.output.splitlines()
    assert max(len(s) for s in lines) > 100
    whole = next(s for s in lines if "SEC-01 Aucun groupe armé non étatique" in s)
    assert "ligne 5, colonne type_armed_group1)" in whole


def test_site_history_rows_label_their_values():
    result = CliRunner().invoke(app, ["validate", str(IPIS), "--lang", "fr"])
    rows = [s for s in result.output.splitlines() if s.startswith("  · Date : ")]
    assert rows and all(" · Visite : " in s and " · Couleur : " in s for s in rows)
    assert any("Critères non respectés : " in s for s in rows)
