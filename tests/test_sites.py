"""Site status over time: validity, expiry to blue, blue to red, red held, escalation, conflicts."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from minesite import load_checklists, read_inspections, score
from minesite.sites import Policy, conflicts, load_policy, site_statuses

# Every column the security and child-labour checklists read, so a clean visit is green.
CLEAN = {
    "visit_onsite": "1",
    "presence": "0",
    "type_armed_group1": "Aucun",
    "taxation_armed_group1": "",
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
    # drc-national: FARDC present (SEC-03) is yellow there, an RCM info under icglr.
    checklists = load_checklists(["armed-groups", "child-labor"], profile="drc-national")
    return score(read_inspections([path]), checklists)


def site(
    tmp_path: Path,
    visits: list[tuple[str, dict[str, str]]],
    as_of: str,
    policy: Policy | None = None,
) -> dict[str, object]:
    report = scored(tmp_path, visits)
    sites = site_statuses(report, dt.date.fromisoformat(as_of), policy)
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
    assert "expired on 2026-03-31" in result["reason"]


def test_yellow_is_valid_six_months_then_blue(tmp_path):
    assert site(tmp_path, [("2025-08-31", YELLOW)], "2026-02-27")["status"] == "yellow"
    result = site(tmp_path, [("2025-08-31", YELLOW)], "2026-03-01")
    assert result["status"] == "blue"
    assert result["valid_until"] == "2026-02-28"  # month arithmetic clamps to the month's end


def test_blue_for_more_than_three_years_turns_red(tmp_path):
    visits = [("2021-01-15", GREEN)]
    assert site(tmp_path, visits, "2025-01-15")["status"] == "blue"
    result = site(tmp_path, visits, "2025-01-16")
    assert result["status"] == "red"
    assert "more than 3 years" in result["reason"]


def test_red_stays_red_until_a_later_visit_shows_the_red_finding_passes(tmp_path):
    # The later visit leaves the security answers blank: SEC-01 is unknown, not passed.
    held = site(tmp_path, [("2025-01-10", RED), ("2025-06-10", UNKNOWN)], "2025-07-01")
    assert held["status"] == "red"
    assert held["reason"].startswith("red since visit V1")
    lifted = site(tmp_path, [("2025-01-10", RED), ("2025-06-10", GREEN)], "2025-07-01")
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
    assert "SEC-03" in result["reason"] and "escalated" in result["reason"]
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
    assert result["reason"] == "not inspected on site"


def test_latest_onsite_visit_decides(tmp_path):
    result = site(
        tmp_path,
        [("2025-01-10", RED), ("2025-02-10", GREEN), ("2025-03-10", {"visit_onsite": "0", **RED})],
        "2025-04-01",
    )
    assert result["status"] == "green"
    assert result["decided_by_visit"] == "V2"


def test_published_green_against_a_red_visit_is_a_conflict(tmp_path):
    published = {"project": "Qualification status", "qualification": "Vert", **UNKNOWN}
    report = scored(tmp_path, [("2025-01-10", published), ("2025-06-10", CHILD)])
    found = conflicts(report, dt.date(2025, 7, 1))
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["published"], row["status"], row["decisive"]) == ("green", "red", "CHL-01")
    assert row["published_row"] == 2 and row["visit_row"] == 3
    sites = site_statuses(report, dt.date(2025, 7, 1)).set_index("site_id")
    assert sites.loc["S1", "published_qualification"] == "green"
    assert "published green" in sites.loc["S1", "conflict"]


def test_no_conflict_outside_the_window_or_when_published_is_not_better(tmp_path):
    published = {"project": "Qualification status", "qualification": "Vert", **UNKNOWN}
    far = scored(tmp_path, [("2023-01-10", published), ("2025-06-10", RED)])
    assert conflicts(far, dt.date(2025, 7, 1)).empty
    rouge = {"project": "Qualification status", "qualification": "Rouge", **UNKNOWN}
    agree = scored(tmp_path, [("2025-01-10", rouge), ("2025-06-10", RED)])
    assert conflicts(agree, dt.date(2025, 7, 1)).empty


def test_policy_file_is_validated(tmp_path):
    assert load_policy().green_valid_months == 12
    bad = tmp_path / "policy.toml"
    bad.write_text("green_valid_month = 12\n", encoding="utf-8")
    try:
        load_policy(bad)
    except Exception as exc:  # noqa: BLE001
        assert "green_valid_months" in str(exc)
    else:
        raise AssertionError("an unknown policy key must be an error")
