"""The command line: exit codes, JSON document, site filter, language, profiles."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ARMED_ONLY, ROOT, SAMPLES, invoke, score_file, visit, write_csv


def armed_only_file(tmp_path, rows):
    return write_csv(tmp_path / "armed.csv", [{k: r.get(k, "") for k in ARMED_ONLY} for r in rows])


def run_json(*args):
    result = invoke("validate", *args, "--format", "json")
    assert result.stderr == "", result.stderr
    return result, json.loads(result.stdout)


def test_exit_0_when_every_visit_is_green(tmp_path):
    rows = [visit(vid=f"V{i}", presence="0", type_armed_group1="Aucun") for i in range(3)]
    path = armed_only_file(tmp_path, rows)
    result = invoke("validate", path, "-c", "armed-groups", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Every visit is green" in result.stdout
    # The same file with every checklist is not green: the other criteria are not assessed.
    assert invoke("validate", path).exit_code == 1


def test_exit_1_when_a_visit_is_not_green(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(), visit(vid="V2", womenwork="Prostitution")])
    assert invoke("validate", path).exit_code == 1


def test_exit_2_on_bad_input_and_bad_options(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit()])
    assert invoke("validate", tmp_path / "none.csv").exit_code == 2
    result = invoke("validate", path, "--profile", "lenient")
    assert result.exit_code == 2
    assert result.stderr.startswith('minesite: unknown profile "lenient"')
    assert len(result.stderr.splitlines()) == 1
    result = invoke("validate", path, "-c", "armed-group")
    assert result.exit_code == 2
    assert 'did you mean "armed-groups"' in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_json_document(tmp_path):
    rows = [
        visit(vid="G", pcode="s1"),
        visit(vid="R", pcode="s2", childunder15="1"),
        visit(vid="Y", pcode="s3", childunder15=""),
        visit(vid="OFF", pcode="s4", visit_onsite="0"),
    ]
    result, doc = run_json(write_csv(tmp_path / "v.csv", rows))
    assert result.exit_code == 1
    assert set(doc) == {"summary", "visits", "sites", "conflicts"}
    summary = doc["summary"]
    assert summary["rows_read"] == 4
    assert summary["visits_coloured"] == 3
    assert summary["counts"] == {"green": 1, "yellow": 0, "incomplete": 1, "red": 1}
    assert summary["rows_without_colour"][0]["reason"] == "row.not-onsite"
    assert summary["profile"] == "icglr"
    assert [c["id"] for c in summary["checklists"]] == [
        "armed-groups",
        "legal-authority",
        "child-labor",
    ]
    keys = {"visit_id", "site_id", "row", "status", "reason", "reason_text", "decisive"}
    keys |= {"could_be", "failed", "unknown", "not_assessed"}
    for item in doc["visits"]:
        assert keys <= set(item)
    by_id = {item["visit_id"]: item for item in doc["visits"]}
    assert [item["row"] for item in doc["visits"]] == [2, 3, 4, 5]
    assert by_id["G"]["status"] == "green" and by_id["G"]["failed"] == []
    assert by_id["G"]["reason"] == "visit.green"
    red = by_id["R"]
    assert (red["status"], red["site_id"], red["decisive"]) == ("red", "s2", ["CHL-01"])
    assert red["reason"] == "visit.red"
    [finding] = [f for f in red["failed"] if f["criterion"] == "CHL-01"]
    assert finding["outcome"] == "fail"
    assert finding["severity"] == "red"
    assert (finding["answer"], finding["file"], finding["row"], finding["column"]) == (
        "1",
        "v.csv",
        3,
        "childunder15",
    )
    # A blank answer is not a violation: the visit is incomplete, not yellow.
    blank = by_id["Y"]
    assert blank["status"] == "incomplete" and blank["decisive"] == []
    assert blank["failed"] == []
    assert [f["criterion"] for f in blank["unknown"]] == ["CHL-01", "CHL-03"]
    assert blank["unknown"][0]["column"] == "childunder15" and blank["unknown"][0]["row"] == 4
    assert blank["reason"] == "visit.incomplete" and blank["could_be"] == "red"
    assert "could be red" in blank["reason_text"]
    off = by_id["OFF"]
    assert off["status"] is None
    assert off["reason"] == "row.not-onsite"
    assert "visit_onsite" in off["reason_text"]
    assert off["failed"] == [] and off["unknown"] == [] and off["decisive"] == []


def test_json_is_strict_json(tmp_path):
    """No NaN/Infinity tokens: other tools (jq, JavaScript) must parse the document."""
    rows = [visit(), dict.fromkeys(visit(), ""), visit(vid="OFF", visit_onsite="0")]
    result = invoke("validate", write_csv(tmp_path / "v.csv", rows), "--format", "json")

    def reject(token):
        raise AssertionError(f"non-standard JSON token {token}")

    doc = json.loads(result.stdout, parse_constant=reject)
    assert [v["status"] for v in doc["visits"]] == ["green", None, None]


@pytest.mark.parametrize(
    "path",
    [SAMPLES / "ipis-sample.csv", SAMPLES / "field-visits.csv", ROOT / "tests/data/ipis-slice.csv"],
)
def test_every_input_row_appears_once_and_counts_match_the_api(path):
    _, doc = run_json(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        import csv

        records = sum(1 for _ in csv.reader(handle)) - 1
    rows = [item["row"] for item in doc["visits"]]
    assert sorted(rows) == list(range(2, records + 2))
    summary = doc["summary"]
    assert summary["rows_read"] == records
    assert (
        summary["visits_coloured"] + sum(r["count"] for r in summary["rows_without_colour"])
        == records
    )
    report = score_file(path)
    assert summary["counts"] == report.counts()
    assert sum(report.counts().values()) == summary["visits_coloured"]
    statuses = [item["status"] for item in doc["visits"]]
    assert statuses == report.visits["status"].tolist()


def test_site_filter(tmp_path):
    rows = [visit(vid="A", pcode="s1"), visit(vid="B", pcode="s2", childunder15="1")]
    path = write_csv(tmp_path / "v.csv", rows)
    _, doc = run_json(path, "--site", "s2")
    assert [v["visit_id"] for v in doc["visits"]] == ["B"]
    result = invoke("validate", path, "--site", "s2", "--lang", "en")
    assert "s2" in result.stdout
    assert "Visit A " not in result.stdout
    # An unknown site id is an error, never "every visit is green".
    result = invoke("validate", path, "--site", "nowhere", "--format", "json")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and result.stdout == ""
    # The exit code comes from the chosen site alone.
    assert invoke("validate", path, "--site", "s2").exit_code == 1
    assert invoke("validate", path, "--site", "s1").exit_code == 0


def test_french_report(tmp_path):
    rows = [
        visit(vid="A", sexual_violence=None),
        visit(vid="B", childunder15="1", sexual_violence=None),
        visit(vid="C", cooperative_agrement="0", sexual_violence=None),
    ]
    path = write_csv(tmp_path / "v.csv", rows)
    result = invoke("validate", path, "--lang", "fr")
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())  # rich wraps long lines
    for word in ("ROUGE", "JAUNE", "INCOMPLET", "VERT", "Critères non évalués", "pourrait être"):
        assert word in out, word
    assert "Aucun enfant de moins de 15 ans" in out
    # The evidence cell is named in French too.
    assert "(v.csv, ligne 3, colonne childunder15)" in out
    assert " row " not in out and "column " not in out
    english = " ".join(invoke("validate", path, "--lang", "en").stdout.split())
    assert "RED" in english and "ROUGE" not in english
    assert "Criteria not assessed" in english
    assert "(v.csv, row 3, column childunder15)" in english
    assert "No child under 15 works" in english


def test_french_json_titles(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(childunder15="1")])
    _, doc = run_json(path, "--lang", "fr")
    titles = {f["criterion"]: f["title"] for f in doc["visits"][0]["failed"]}
    assert titles["CHL-01"] == "Aucun enfant de moins de 15 ans ne travaille sur le site"


def test_profile_drc_2012_practice_turns_child_labour_yellow(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(vid="K", childunder15="1")])
    _, default = run_json(path)
    _, lenient = run_json(path, "--profile", "drc-2012-practice")
    assert default["visits"][0]["status"] == "red"
    assert default["visits"][0]["decisive"] == ["CHL-01"]
    assert lenient["visits"][0]["status"] == "yellow"
    assert lenient["visits"][0]["decisive"] == ["CHL-01"]
    assert lenient["summary"]["profile"] == "drc-2012-practice"
    [finding] = [f for f in lenient["visits"][0]["failed"] if f["criterion"] == "CHL-01"]
    assert finding["severity"] == "yellow"


def test_profile_does_not_soften_armed_groups(tmp_path):
    armed = {"presence": "1", "armed_group1": "Mai-Mai", "type_armed_group1": "Groupe armé local"}
    path = write_csv(tmp_path / "v.csv", [visit(**armed)])
    _, lenient = run_json(path, "--profile", "drc-2012-practice")
    assert lenient["visits"][0]["status"] == "red"
    assert lenient["visits"][0]["decisive"] == ["SEC-01"]


def test_checklist_option_restricts_criteria(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(cooperative_agrement="0")])
    _, doc = run_json(path, "-c", "child-labor")
    assert [c["id"] for c in doc["summary"]["checklists"]] == ["child-labor"]
    assert doc["visits"][0]["status"] == "green"
    # National legality is info under icglr, yellow under drc.
    _, doc = run_json(path, "-c", "legal-authority", "-c", "child-labor", "--profile", "drc")
    assert doc["visits"][0]["status"] == "yellow"


def test_python_dash_m_help():
    result = subprocess.run(
        [sys.executable, "-m", "minesite", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for command in ("validate", "checklists"):
        assert command in result.stdout


def test_python_dash_m_validate_bad_input_exit_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "minesite", "validate", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "minesite: none.csv: file not found"
    assert "Traceback" not in result.stderr


def test_shell_completion_is_offered():
    from typer.testing import CliRunner

    from minesite.cli import app

    listed = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in listed.output and "--show-completion" in listed.output
    shown = CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="minesite")
    assert shown.exit_code == 0 and "complete" in shown.output and "minesite" in shown.output
