"""Smoke test: the bundled sample scores end to end through the CLI."""

from pathlib import Path

from typer.testing import CliRunner

from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_sample_field_visits_scores_every_colour():
    result = CliRunner().invoke(
        app, ["validate", str(ROOT / "sample_inspections/field-visits.csv")]
    )
    assert result.exit_code == 1
    assert "Mukungwe" in result.output
