"""Site status over time: validity, expiry to blue, blue to red, red held, escalation, conflicts."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import minesite
from minesite.errors import MinesiteError
from minesite.policy import Policy, load_policy
from minesite.scoring import score
from minesite.sites import assess

# Every column the security and child-labour checklists read, so a clean visit is green.
CLEAN = {
    "visit_onsite": "1",
    "presence": "0",
    "type_armed_group1": "Aucun",
    "taxation_armed_group1": "",
    "forced_labour_armed_group1": "",  # HRA-01 is not assessed without it
    "childunder15": "0",
    "minors_15_17_work": "0",
    "minors_hazardous_work": "0",
    "pregnant_women_work": "0",
    "sexual_violence": "0",
    "women": "0",
    "womenwork": "",
    "childunder15work": "",
    "minors_sexual_exploitation": "0",
    "forced_or_bonded_labour": "0",
    "serious_abuses": "0",
    "roadblock": "0",
    "roadblock_actor": "",
}
GREEN: dict[str, str] = {}
YELLOW = {"presence": "1", "type_armed_group1": "FARDC - Pas d’ingérence constatée"}
RED = {"presence": "1", "type_armed_group1": "Groupe armé local"}
CHILD = {"childunder15": "1"}
UNKNOWN = {"presence": "", "type_armed_group1": ""}
HEADER = ["vid", "pcode", "name", "visit_date", "project", "qualification", *CLEAN]


def scored(tmp_path: Path, visits: list[tuple[str, dict[str, str]]]):
    """Verdicts of the visits (site S1), scored with the security and child-labour checklists."""
    path = write(tmp_path, visits)
    inspection = minesite.read_inspections([path])
    # drc: FARDC present (SEC-03) is yellow there, an RCM info under icglr.
    checklists = minesite.load_checklists(["armed-groups", "child-labor"], profile="drc")
    return score(inspection, checklists)


def write(tmp_path: Path, visits: list[tuple[str, dict[str, str]]]) -> Path:
    path = tmp_path / "visits.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for i, (day, answers) in enumerate(visits, start=1):
            writer.writerow(
                {
                    "vid": f"V{i}",
                    "pcode": "S1",
                    "name": "Site one",
                    "visit_date": day,
                    **CLEAN,
                    **answers,
                }
            )
    return path


def site(
    tmp_path: Path,
    visits: list[tuple[str, dict[str, str]]],
    as_of: str,
    policy: Policy | None = None,
) -> dict[str, object]:
    verdicts = scored(tmp_path, visits)
    sites = assess(verdicts, dt.date.fromisoformat(as_of), policy or load_policy()).sites
    return sites.set_index("site_id").loc["S1"].to_dict()


def test_green_is_valid_twelve_months(tmp_path):
    result = site(tmp_path, [("2025-03-31", GREEN)], "2026-03-30")
    assert result["status"] == "green"
    assert result["valid_until"] == "2026-03-31"
    assert result["next_inspection_due"] == "2026-03-31"
    assert result["decided_by_visit"] == "V1"


def test_expired_green_turns_blue(tmp_path):
    result = site(tmp_path, [("2025-03-31", GREEN)], "2026-04-01")
    assert result["status"] == "blue"
    assert result["reason"] == "site.expired"
    assert result["valid_until"] == "2026-03-31"
    assert result["blue_since"] == "2026-03-31"


def test_overdue_yellow_stays_yellow_flagged_overdue(tmp_path):
    # ICGLR: 3 months to remedy; an overdue yellow stays yellow (it no longer expires to blue).
    within = site(tmp_path, [("2025-11-30", YELLOW)], "2026-02-27")
    assert (within["status"], bool(within["overdue"])) == ("yellow", False)
    assert within["remediation_deadline"] == "2026-02-28"  # month arithmetic clamps
    late = site(tmp_path, [("2025-11-30", YELLOW)], "2026-03-01")
    assert (late["status"], bool(late["overdue"])) == ("yellow", True)
    assert late["reason"] == "site.latest-visit"
    drc = site(tmp_path, [("2025-11-30", YELLOW)], "2026-03-01", load_policy("drc-2012-practice"))
    assert drc["remediation_deadline"] == "2026-05-30"
    assert (drc["status"], bool(drc["overdue"])) == ("yellow", False)


def test_blue_for_more_than_three_years_turns_red(tmp_path):
    visits = [("2021-01-15", GREEN)]
    assert site(tmp_path, visits, "2025-01-15")["status"] == "blue"
    result = site(tmp_path, visits, "2025-01-16")
    assert result["status"] == "red"
    assert result["reason"] == "site.time-expired"


def test_red_stays_red_until_a_later_visit_shows_the_red_finding_passes(tmp_path):
    # The later visit leaves the security answers blank: SEC-01 is unknown, not passed.
    held = site(tmp_path, [("2025-01-10", RED), ("2025-07-10", UNKNOWN)], "2025-08-01")
    assert held["status"] == "red"
    assert (held["reason"], held["since_visit"]) == ("site.red-held", "V1")
    # A passing visit before the 6-month minimum does not lift it either.
    early = site(tmp_path, [("2025-01-10", RED), ("2025-06-10", GREEN)], "2025-07-01")
    assert (early["status"], early["reason"]) == ("red", "site.red-held")
    lifted = site(tmp_path, [("2025-01-10", RED), ("2025-07-10", GREEN)], "2025-08-01")
    assert lifted["status"] == "green"
    assert lifted["decided_by_visit"] == "V2"


def test_red_site_next_inspection_is_six_months_later(tmp_path):
    result = site(tmp_path, [("2025-01-10", RED)], "2025-02-01")
    assert result["status"] == "red"
    assert result["next_inspection_due"] == "2025-07-10"
    assert result["valid_until"] == ""


def test_same_yellow_criterion_twice_escalates_to_red(tmp_path):
    result = site(tmp_path, [("2025-01-10", YELLOW), ("2025-06-10", YELLOW)], "2025-07-01")
    assert result["status"] == "red"
    assert result["reason"] == "site.escalated"
    assert "SEC-03" in result["criteria"].split()
    # Before the remediation deadline (3 months), the repeat is not an escalation.
    early = site(tmp_path, [("2025-01-10", YELLOW), ("2025-03-10", YELLOW)], "2025-04-01")
    assert early["status"] == "yellow"
    policy = Policy(escalate_repeated_yellow=False)
    kept = site(tmp_path, [("2025-01-10", YELLOW), ("2025-06-10", YELLOW)], "2025-07-01", policy)
    assert kept["status"] == "yellow"


def test_visits_after_the_as_of_date_are_ignored(tmp_path):
    result = site(tmp_path, [("2025-01-10", GREEN), ("2025-06-10", RED)], "2025-03-01")
    assert result["status"] == "green"
    assert result["decided_by_visit"] == "V1"


def test_a_site_without_an_onsite_visit_is_blue(tmp_path):
    result = site(tmp_path, [("2025-01-10", {"visit_onsite": "0"})], "2025-03-01")
    assert result["status"] == "blue"
    assert result["reason"] == "site.not-inspected"


def test_latest_onsite_visit_decides(tmp_path):
    result = site(
        tmp_path,
        [("2024-01-10", RED), ("2024-08-10", GREEN), ("2024-09-10", {"visit_onsite": "0", **RED})],
        "2024-10-01",
    )
    assert result["status"] == "green"
    assert result["decided_by_visit"] == "V2"


def test_published_green_against_a_red_visit_is_a_conflict(tmp_path):
    published = {"project": "Qualification status", "qualification": "Vert", **UNKNOWN}
    assessment = assess(
        scored(tmp_path, [("2025-01-10", published), ("2025-06-10", CHILD)]),
        dt.date(2025, 7, 1),
        load_policy(),
    )
    found = assessment.conflicts
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["kind"], row["published"], row["status"]) == ("conflict", "green", "red")
    assert row["criteria"] == "CHL-01"
    assert row["published_row"] == 2 and row["visit_row"] == 3
    sites = assessment.sites.set_index("site_id")
    assert sites.loc["S1", "published_qualification"] == "green"
    assert sites.loc["S1", "conflict"] == "conflict"


def test_published_green_next_to_an_incomplete_visit_is_unverifiable(tmp_path):
    published = {"project": "Qualification status", "qualification": "Vert", **UNKNOWN}
    assessment = assess(
        scored(tmp_path, [("2025-01-10", published), ("2025-06-10", UNKNOWN)]),
        dt.date(2025, 7, 1),
        load_policy(),
    )
    assert assessment.conflicts["kind"].tolist() == ["unverifiable"]
    assert assessment.sites.set_index("site_id").loc["S1", "conflict"] == "unverifiable"


def test_no_conflict_outside_the_window_or_when_published_is_not_better(tmp_path):
    published = {"project": "Qualification status", "qualification": "Vert", **UNKNOWN}
    day, policy = dt.date(2025, 7, 1), load_policy()
    far = scored(tmp_path, [("2023-01-10", published), ("2025-06-10", RED)])
    assert assess(far, day, policy).conflicts.empty
    rouge = {"project": "Qualification status", "qualification": "Rouge", **UNKNOWN}
    agree = scored(tmp_path, [("2025-01-10", rouge), ("2025-06-10", RED)])
    assert assess(agree, day, policy).conflicts.empty


def test_policy_file_is_validated(tmp_path):
    assert load_policy().green_valid_months == 12
    assert load_policy("icglr").yellow_remediation_months == 3
    assert load_policy("drc-2012-practice").yellow_remediation_months == 6
    assert load_policy("icglr").red_minimum_months == 6
    bad = tmp_path / "policy.toml"
    bad.write_text("green_valid_month = 12\n", encoding="utf-8")
    with pytest.raises(MinesiteError) as caught:
        load_policy(path=bad)
    assert caught.value.code == "checklist.unknown-key"
    assert "green_valid_months" in str(caught.value)
