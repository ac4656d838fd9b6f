"""`minesite score`: exports read back in every format, safe writes, formula injection."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inspections" / "ipis-sample.csv"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["score", *args])


def test_csv_export_opens_with_semicolons_and_keeps_every_row(tmp_path):
    out = tmp_path / "results.csv"
    result = run(str(SAMPLE), "-o", str(out), "--as-of", "2023-07-01")
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: French Excel reads accents right
    visits = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    source = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    assert len(visits) == len(source)
    assert list(visits["visit_id"]) == list(source["vid"])
    assert {"file", "sheet", "row", "site_id", "status", "decisive", "unknown", "reason"} <= set(
        visits.columns
    )
    sites = pd.read_csv(tmp_path / "results.sites.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert set(sites["site_id"]) == set(source["pcode"])
    assert {
        "status",
        "reason",
        "reason_text",
        "criteria",
        "valid_until",
        "remediation_deadline",
        "overdue",
        "next_inspection_due",
        "published_qualification",
        "conflict",
    } <= set(sites.columns)
    findings = pd.read_csv(
        tmp_path / "results.findings.csv", sep=";", dtype=str, encoding="utf-8-sig"
    )
    assert {"criterion", "severity", "outcome", "answer", "column", "row"} <= set(findings.columns)
    # The as-of date the sites were assessed at is in the summary table (codes as keys).
    summary = pd.read_csv(
        tmp_path / "results.summary.csv", sep=";", dtype=str, encoding="utf-8-sig"
    )
    values = dict(zip(summary["key"], summary["value"], strict=False))
    assert values["as_of"] == "2023-07-01"
    assert {"visits.red", "visits.incomplete", "sites.blue"} <= set(values)
    # A count has its number; a text row (profile, date, checklist) an empty cell, not "nan".
    lines = (tmp_path / "results.summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert '"profile";"icglr";' in lines and not any(line.endswith("nan") for line in lines)
    assert '"rows_read";"33";33' in lines
    assert "Rows read: 33" in result.output or "Lignes lues: 33" in result.output


def test_xlsx_export_has_one_sheet_per_table(tmp_path):
    out = tmp_path / "results.xlsx"
    assert run(str(SAMPLE), "-o", str(out)).exit_code == 0
    sheets = pd.read_excel(out, sheet_name=None, dtype=str, engine="calamine")
    assert {"visits", "sites", "findings", "conflicts", "summary"} <= set(sheets)
    assert len(sheets["visits"]) == 33


def test_json_and_parquet_agree_with_csv(tmp_path):
    for suffix in (".json", ".parquet", ".csv"):
        assert (
            run(str(SAMPLE), "-o", str(tmp_path / f"r{suffix}"), "--as-of", "2023-07-01").exit_code
            == 0
        )
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    from_json = [v["status"] for v in document["visits"]]
    from_parquet = pd.read_parquet(tmp_path / "r.parquet")["status"].tolist()
    from_csv = pd.read_csv(
        tmp_path / "r.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )["status"].tolist()
    assert from_json == from_parquet == from_csv


def test_existing_output_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("keep me", encoding="utf-8")
    result = run(str(SAMPLE), "-o", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run(str(SAMPLE), "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith('"file";')


def test_a_companion_file_that_exists_also_blocks_the_write(tmp_path):
    (tmp_path / "results.sites.csv").write_text("keep", encoding="utf-8")
    result = run(str(SAMPLE), "-o", str(tmp_path / "results.csv"))
    assert result.exit_code == 2
    assert not (tmp_path / "results.csv").exists()


def test_never_writes_over_an_input_even_with_force(tmp_path):
    copy = tmp_path / "visits.csv"
    copy.write_bytes(SAMPLE.read_bytes())
    result = run(str(copy), "-o", str(copy), "--force")
    assert result.exit_code == 2
    assert "input" in result.output
    assert copy.read_bytes() == SAMPLE.read_bytes()


def test_unknown_output_format_is_a_usage_error(tmp_path):
    result = run(str(SAMPLE), "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 2
    assert "must end in" in result.output


def test_fail_on_red_exits_one_after_writing(tmp_path):
    out = tmp_path / "r.csv"
    result = run(str(SAMPLE), "-o", str(out), "--fail-on", "red")
    assert result.exit_code == 1
    assert out.exists()


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+cmd", "-2+3", "@SUM(A1)"])
def test_formula_injection_is_neutralised(tmp_path, payload):
    source = tmp_path / "visits.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "vid",
                "pcode",
                "name",
                "visit_date",
                "presence",
                "type_armed_group1",
                "childunder15",
                "latitude",
            ]
        )
        writer.writerow(["V1", "S1", payload, "2025-01-01", "0", "Aucun", "0", "-3.25"])
    out = tmp_path / "r.csv"
    assert run(str(source), "-o", str(out), "-c", "armed-groups").exit_code == 0
    visits = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig")
    assert visits["site_name"].iat[0] == "'" + payload
    xlsx = tmp_path / "r.xlsx"
    assert run(str(source), "-o", str(xlsx), "-c", "armed-groups").exit_code == 0
    from openpyxl import load_workbook

    cell = load_workbook(xlsx)["visits"]["F2"]
    assert cell.value == payload and cell.data_type == "s"  # text, never a formula


def test_help_does_not_import_pandas():
    code = (
        "import sys; from minesite.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'pandas' not in sys.modules, 'pandas imported by --help'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout and "score" in done.stdout


ANSWERS = st.sampled_from(["0", "1", "", "Oui", "Non", "dontknow", "Oberved"])
CATEGORY = st.sampled_from(
    [
        "Aucun",
        "Groupe armé local",
        "FARDC - Éléments indisciplinés",
        "FARDC - Pas d’ingérence constatée",
        "",
        "Inconnu",
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            ANSWERS,
            CATEGORY,
            ANSWERS,
            st.sampled_from(["1", "0", ""]),
            st.sampled_from(["", "Qualification status", "IPIS"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_every_input_row_is_accounted_for_exactly_once(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("rows")
    source = folder / "visits.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "vid",
                "pcode",
                "visit_date",
                "presence",
                "type_armed_group1",
                "childunder15",
                "visit_onsite",
                "project",
            ]
        )
        for i, (presence, category, child, onsite, project) in enumerate(rows):
            writer.writerow(
                [f"V{i}", f"S{i % 3}", "2025-01-01", presence, category, child, onsite, project]
            )
    out = folder / "r.json"
    result = run(str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    visits = json.loads(out.read_text(encoding="utf-8"))["visits"]
    assert [v["visit_id"] for v in visits] == [f"V{i}" for i in range(len(rows))]
    assert [v["row"] for v in visits] == list(range(2, len(rows) + 2))
    for visit in visits:
        assert (visit["status"] == "") == bool(visit["reason"]) or visit["status"] != ""


@pytest.mark.parametrize("folder", [False, True])
def test_formula_in_an_answer_is_neutralised_in_the_findings(tmp_path, folder):
    # An answer outside the vocabulary is an unknown finding that quotes it: a categorical
    # column, checked on its distinct values.
    source = tmp_path / "in" / "visits.csv"
    source.parent.mkdir()
    rows = [["vid", "pcode", "visit_date", "presence", "type_armed_group1", "childunder15"]]
    rows += [
        [f"V{i}", "S1", "2025-01-01", "0", "Aucun", "=1+2" if i % 2 else "0"] for i in range(6)
    ]
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "r.csv"
    given = source.parent if folder else source
    assert run(str(given), "-o", str(out), "--as-of", "2025-06-01").exit_code == 0
    findings = pd.read_csv(
        tmp_path / "r.findings.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    answers = set(findings.loc[findings["criterion"] == "CHL-01", "answer"])
    assert answers == {"'=1+2"}
