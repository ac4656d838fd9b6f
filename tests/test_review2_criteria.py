"""The criteria defects of review-2/domain.md section 1.2 (E3-E10), each reproduced with a
three-row CSV scored through the CLI: a clean visit, the visit of the defect, a control."""

from __future__ import annotations

import json

import pytest
from conftest import invoke, visit, write_csv


def run(tmp_path, rows, *options: str) -> list[dict]:
    """The visits of `validate --format json` (rows: a clean visit first, then those given)."""
    path = write_csv(tmp_path / "three.csv", [visit(vid="clean"), *rows])
    result = invoke("validate", path, "--format", "json", *options)
    assert result.exit_code in (0, 1), result.output
    visits = json.loads(result.stdout)["visits"]
    assert visits[0]["status"] == "green", visits[0]
    return visits


def failed(found: dict) -> set[str]:
    return {f["criterion"] for f in found["failed"]}


def test_e8_a_minor_in_hazardous_work_is_red_through_chl04(tmp_path):
    """CHL-02 yes and CHL-04 left blank gave yellow; the tasks recorded make it red."""
    rows = [
        visit(vid="digs", minors_15_17_work="1", minors_hazardous_work="", minors_tasks="Creuser"),
        visit(vid="sells", minors_15_17_work="1", minors_hazardous_work="0", minors_tasks="Vendre"),
    ]
    digs, sells = run(tmp_path, rows, "--profile", "drc")[1:]
    assert digs["status"] == "red"
    assert {"CHL-02", "CHL-04"} <= failed(digs)
    chl04 = next(f for f in digs["failed"] if f["criterion"] == "CHL-04")
    assert chl04["column"] == "minors_tasks" and chl04["answer"] == "Creuser"
    # Selling is not hazardous: national law still bars a minor from the site (yellow).
    assert sells["status"] == "yellow" and failed(sells) == {"CHL-02"}


def test_e8_children_under_15_digging_also_fail_chl04(tmp_path):
    row = visit(vid="ipis", childunder15="1", childunder15work="Lavage, Creuser sous terre")
    [_, found] = run(tmp_path, [row])
    assert found["status"] == "red" and {"CHL-01", "CHL-04"} <= failed(found)


def test_e9_a_minor_in_prostitution_is_red(tmp_path):
    rows = [
        visit(vid="minor", minors_tasks="Prostitution"),
        visit(vid="women", womenwork="Tâches ménagères et prostitution"),
    ]
    minor, women = run(tmp_path, rows)[1:]
    assert minor["status"] == "red" and "WOM-04" in failed(minor)
    assert women["status"] == "yellow" and failed(women) == {"WOM-02"}


@pytest.mark.parametrize("column", ["forced_or_bonded_labour", "serious_abuses"])
def test_e10_forced_labour_by_anyone_and_serious_abuses_are_red(tmp_path, column):
    [_, found] = run(tmp_path, [visit(vid="abuse", **{column: "Oui"})])
    assert found["status"] == "red"
    assert failed(found) == {"HRA-02" if column == "forced_or_bonded_labour" else "HRA-03"}


def test_e3_private_security_is_not_fardc_or_pnc(tmp_path):
    row = visit(
        vid="guards", presence="1", armed_group1="Gardes", type_armed_group1="Sécurité privée"
    )
    [_, found] = run(tmp_path, [row], "--profile", "drc")
    assert found["status"] == "green"
    assert failed(found) == {"SEC-06"}  # recorded (info), not SEC-03


def test_e4_an_armed_group_roadblock_on_the_access_route_is_red(tmp_path):
    rows = [
        visit(vid="nsag", roadblock="1", roadblock_actor="Maï-Maï"),
        visit(vid="fardc", roadblock="1", roadblock_actor="FARDC"),
    ]
    nsag, fardc = run(tmp_path, rows, "--profile", "drc")[1:]
    assert nsag["status"] == "red" and failed(nsag) == {"SEC-07"}
    # A security force's roadblock: yellow in national practice, red under the RCM.
    assert fardc["status"] == "yellow" and failed(fardc) == {"SEC-08"}
    assert run(tmp_path, rows[1:])[1]["status"] == "red"


def test_e6_e7_state_service_and_traceability_never_decide(tmp_path):
    """LEG-07 and LEG-08 made 506 IPIS visits yellow, blank cells read as 'no'."""
    rows = [
        visit(vid="3t", is_3t_mine="1", traceability="", state_service1="ANR"),
        visit(vid="3t-no", is_3t_mine="1", traceability="Aucun", state_service1=""),
    ]
    for found in run(tmp_path, rows, "--profile", "drc")[1:]:
        assert found["status"] == "green", found
    found = run(tmp_path, rows[:1], "--profile", "drc")[1]
    outcomes = {f["criterion"]: f["outcome"] for f in found["failed"] + found["unknown"]}
    # A blank traceability cell is no data, never "no programme"; "ANR" is no mining service.
    assert outcomes["LEG-08"] == "unknown" and outcomes["LEG-07"] == "fail"


def test_e5_drc_2012_practice_lowers_only_what_its_evidence_shows(tmp_path):
    taxing = {"presence": "1", "armed_group1": "FARDC", "type_armed_group1": "FARDC"}
    rows = [
        visit(vid="tax", **taxing, taxation_armed_group1="1"),
        visit(vid="dig", **taxing, digging_armed_group1="1"),
    ]
    tax, dig = run(tmp_path, rows, "--profile", "drc-2012-practice")[1:]
    assert "SEC-09" in failed(tax) and tax["status"] != "red"
    assert "SEC-02" in failed(dig) and dig["status"] == "red"
