"""The four visit statuses, site status from them, conflicts on evidence only (DESIGN §2)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from conftest import GREEN, invoke, score_file, visit, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minesite
from minesite.model import RANK, Outcome

AS_OF = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("changes", "status", "could_be"),
    [
        ({}, "green", "green"),
        ({"childunder15": ""}, "incomplete", "red"),
        # WOM-02 (prostitution among women's tasks) is a yellow criterion under icglr.
        ({"womenwork": ""}, "incomplete", "yellow"),
        ({"womenwork": "Prostitution"}, "yellow", "yellow"),
        ({"womenwork": "Prostitution", "childunder15": ""}, "yellow", "red"),
        ({"childunder15": "1"}, "red", "red"),
        ({"childunder15": "1", "womenwork": ""}, "red", "red"),
        ({"childunder15": "1", "womenwork": "Prostitution"}, "red", "red"),
    ],
)
def test_truth_table_of_the_four_statuses(tmp_path, changes, status, could_be):
    result = score_file(write_csv(tmp_path / "v.csv", [visit(**changes)]), as_of=AS_OF)
    row = result.visits.iloc[0]
    assert (row["status"], row["could_be"]) == (status, could_be)
    assert row["reason"] == f"visit.{status}"


def test_incomplete_lists_its_unknowns_with_their_cells_and_exits_1(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(childunder15="")])
    out = invoke("validate", path, "--format", "json", "--lang", "en", "--as-of", "2026-06-30")
    assert out.exit_code == 1
    item = json.loads(out.stdout)["visits"][0]
    assert item["status"] == "incomplete"
    unknown = {f["criterion"]: f for f in item["unknown"]}
    assert unknown["CHL-01"]["column"] == "childunder15" and unknown["CHL-01"]["row"] == 2
    assert item["could_be_text"].startswith("could be red: CHL-01")
    assert item["failed"] == []


def test_fail_on_yellow_counts_incomplete_and_fail_on_rouge_is_french(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(childunder15="")])
    out = tmp_path / "out.csv"
    assert invoke("score", path, "-o", out, "--fail-on", "yellow").exit_code == 1
    assert invoke("score", path, "-o", out, "--force", "--fail-on", "rouge").exit_code == 0
    assert invoke("score", path, "-o", out, "--force", "--fail-on", "JAUNE").exit_code == 1


def _site_rows(*visits: dict[str, str]) -> list[dict[str, str]]:
    return [{**GREEN, **v} for v in visits]


def test_incomplete_latest_visit_gives_blue_and_never_lifts_red(tmp_path):
    rows = _site_rows(
        {"vid": "A", "visit_date": "2025-01-10", "childunder15": "1"},
        {"vid": "B", "visit_date": "2025-12-10", "childunder15": ""},
    )
    result = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF)
    site = result.sites.iloc[0]
    assert (site["status"], site["reason"]) == ("red", "site.red-held")
    assert site["since_visit"] == "A" and site["criteria"] == "CHL-01"
    alone = score_file(write_csv(tmp_path / "w.csv", rows[1:]), as_of=AS_OF).sites.iloc[0]
    assert (alone["status"], alone["reason"]) == ("blue", "site.incomplete")
    assert "CHL-01" in alone["criteria"]


def test_red_is_lifted_only_by_a_passing_visit_after_the_minimum(tmp_path):
    early = _site_rows(
        {"vid": "A", "visit_date": "2025-01-10", "childunder15": "1"},
        {"vid": "B", "visit_date": "2025-03-10"},
    )
    held = score_file(write_csv(tmp_path / "a.csv", early), as_of=AS_OF).sites.iloc[0]
    assert held["status"] == "red"  # two months later: within the 6-month minimum
    late = _site_rows(
        {"vid": "A", "visit_date": "2025-01-10", "childunder15": "1"},
        {"vid": "B", "visit_date": "2025-08-10"},
    )
    lifted = score_file(write_csv(tmp_path / "b.csv", late), as_of=AS_OF).sites.iloc[0]
    assert (lifted["status"], lifted["reason"]) == ("green", "site.latest-visit")


def test_overdue_yellow_stays_yellow_and_is_flagged(tmp_path):
    rows = _site_rows({"vid": "A", "visit_date": "2025-01-10", "womenwork": "Prostitution"})
    site = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF).sites.iloc[0]
    assert site["status"] == "yellow" and bool(site["overdue"])
    assert site["remediation_deadline"] == "2025-04-10"
    drc = score_file(
        write_csv(tmp_path / "w.csv", rows), as_of=AS_OF, profile="drc-2012-practice"
    ).sites.iloc[0]
    assert drc["remediation_deadline"] == "2025-07-10"


def test_conflicts_only_on_a_failed_criterion_unverifiable_apart(tmp_path):
    published = {
        "vid": "Q",
        "project": "Qualification status",
        "qualification": "Vert",
        "visit_date": "2026-01-15",
    }
    rows = [
        {**GREEN, "vid": "A", "pcode": "s1", "visit_date": "2026-01-10", "childunder15": ""},
        {"pcode": "s1", **published},
        {**GREEN, "vid": "B", "pcode": "s2", "visit_date": "2026-01-10", "childunder15": "1"},
        {"pcode": "s2", **published, "vid": "Q2"},
    ]
    result = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF)
    kinds = dict(zip(result.conflicts["site_id"], result.conflicts["kind"], strict=True))
    assert kinds == {"s1": "unverifiable", "s2": "conflict"}
    conflict = result.conflicts.set_index("site_id").loc["s2"]
    assert conflict["criteria"] == "CHL-01"


def test_forced_labour_criterion_is_not_assessed_without_its_column(tmp_path):
    row = visit(presence="1", armed_group1="FDLR", type_armed_group1="Groupe armé étranger")
    row.pop("forced_labour_armed_group1")
    row.pop("forced_labour_armed_group2")
    result = score_file(write_csv(tmp_path / "v.csv", [row]), as_of=AS_OF)
    assert result.outcome(0, "HRA-01") == Outcome.NOT_ASSESSED
    assert result.outcome(0, "SEC-01") == Outcome.FAIL
    assert "HRA-01" in [c.id for c in result.not_assessed()]


def test_failed_actor_criterion_names_the_actor_and_its_conduct(tmp_path):
    row = visit(
        presence="1",
        armed_group1="Raïa Mutomboki",
        type_armed_group1="Groupe armé local",
        taxation_armed_group1="1",
        cooperative_agrement="0",
        childunder15="1",
    )
    result = score_file(write_csv(tmp_path / "v.csv", [row]), as_of=AS_OF)
    found = result.findings.set_index("criterion")
    assert found.loc["SEC-01", "actor_name"] == "Raïa Mutomboki"
    assert found.loc["SEC-01", "actor_conduct"] == "taxation"
    out = invoke("validate", tmp_path / "v.csv", "--lang", "fr", "--as-of", "2026-06-30")
    text = " ".join(out.stdout.split())
    # Every failure is shown, the yellow one on the red visit included.
    assert "LEG-04" in text and "CHL-01" in text
    assert "rouge : SEC-01 Raïa Mutomboki (Groupe armé local) : taxe les creuseurs" in text


def test_inspection_from_frames_scores_like_the_file(tmp_path):
    rows = [visit(), visit(vid="V2", childunder15="1")]
    path = write_csv(tmp_path / "v.csv", rows)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    from_frame = minesite.run(inspection=minesite.inspection_from_frames(frame), as_of=AS_OF)
    from_file = minesite.run(path, as_of=AS_OF)
    columns = ["visit_id", "status", "reason", "failed", "unknown", "row"]
    pd.testing.assert_frame_equal(from_frame.visits[columns], from_file.visits[columns])
    assert repr(from_file).startswith("<Result 2 rows (red 1, yellow 0, incomplete 0, green 1)")
    assert len(repr(from_file)) < 200


def test_status_is_an_ordered_categorical(tmp_path):
    rows = [visit(), visit(vid="V2", childunder15="1"), visit(vid="V3", childunder15="")]
    result = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF)
    status = result.status_frame()
    assert status.cat.ordered and status.max() == "red" and status.min() == "green"


WORSE = {
    "childunder15": ["0", "", "1"],
    "womenwork": ["Lavage", "", "Prostitution"],
    "minors_hazardous_work": ["0", "", "1"],
    "presence": ["0", "", "1"],
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries({k: st.integers(0, 2) for k in WORSE}),
    st.sampled_from(sorted(WORSE)),
)
def test_worsening_an_answer_never_improves_the_status(tmp_path_factory, levels, column):
    """Answers ordered pass < blank < fail: moving one answer right never lowers the rank
    (green < incomplete < yellow < red), and a blank answer is never green."""
    tmp = tmp_path_factory.mktemp("worse")
    base = {k: WORSE[k][v] for k, v in levels.items()}
    worse = {**base, column: WORSE[column][min(levels[column] + 1, 2)]}
    rows = [visit(vid="A", **base), visit(vid="B", **worse)]
    statuses = score_file(write_csv(tmp / "v.csv", rows), as_of=AS_OF).visits["status"].tolist()
    assert RANK[statuses[1]] >= RANK[statuses[0]]
    if "" in base.values():
        assert statuses[0] != "green"


def test_a_site_no_team_could_enter_says_why_and_an_off_site_armed_group_reaches_it(tmp_path):
    off = {"visit_onsite": "0", "visit_date": "2025-05-01"}
    rows = [
        {**GREEN, **off, "vid": "A", "pcode": "s1", "visit_onsite_novisitreason": "Insécurité"},
        {
            **GREEN,
            **off,
            "vid": "B",
            "pcode": "s2",
            "presence": "1",
            "armed_group1": "Raïa Mutomboki",
            "type_armed_group1": "Groupe armé local",
            "visit_onsite_novisitreason": "Third-party information",
        },
    ]
    result = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF)
    reasons = dict(zip(result.sites["site_id"], result.sites["reason"], strict=True))
    assert reasons == {
        "s1": "site.not-visited-insecurity",
        "s2": "site.armed-group-reported-off-site",
    }
    assert set(result.sites["status"]) == {"blue"}
    out = invoke("validate", tmp_path / "v.csv", "--lang", "fr", "--as-of", "2026-06-30")
    text = " ".join(out.stdout.split())
    assert "l’équipe n’a pas pu s’y rendre (Insécurité)" in text
    assert "signalé depuis l’extérieur (visite B) : SEC-01 Raïa Mutomboki" in text


def test_rejected_submissions_are_counted_not_scored(tmp_path):
    rows = [
        {**GREEN, "vid": "A", "_validation_status": "validation_status_approved"},
        {
            **GREEN,
            "vid": "B",
            "childunder15": "1",
            "_validation_status": "validation_status_not_approved",
        },
        {**GREEN, "vid": "C", "ReviewState": "rejected"},
    ]
    result = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF)
    assert result.visits["status"].tolist() == ["green", None, None]
    assert result.no_colour() == {"row.rejected": 2}


def test_each_actor_finding_names_its_own_conduct_flags_in_column_order(tmp_path):
    rows = [
        visit(
            vid="V1",
            pcode="S1",
            presence="1",
            armed_group1="FDLR",
            type_armed_group1="Groupe armé étranger",
            taxation_armed_group1="1",
            forced_labour_armed_group1="oui",
        ),
        visit(
            vid="V2",
            pcode="S2",
            presence="1",
            armed_group1="FARDC",
            type_armed_group1="FARDC",
            forced_labour_armed_group1="1",
        ),
        visit(vid="V3", pcode="S3", presence="1", armed_group1="Mai", taxation_armed_group1="0"),
    ]
    result = score_file(write_csv(tmp_path / "v.csv", rows), as_of=AS_OF)
    found = result.findings
    keys = zip(found["visit_id"], found["criterion"], strict=True)
    conduct = dict(zip(keys, found["actor_conduct"], strict=True))
    assert conduct[("V1", "SEC-01")] == "taxation forced_labour"
    assert conduct[("V2", "HRA-01")] == "forced_labour"
    on_v3 = [key for key in conduct if key[0] == "V3"]
    assert on_v3 and all(conduct[key] == "" for key in on_v3)


def test_a_french_site_reason_lists_its_findings_with_french_separators(tmp_path):
    from minesite.render.tabular import site_table
    from minesite.render.view import View

    row = visit(
        presence="1",
        armed_group1="FDLR",
        type_armed_group1="Groupe armé étranger",
        taxation_armed_group1="1",
        childunder15="1",
    )
    result = score_file(write_csv(tmp_path / "v.csv", [row]), as_of=AS_OF)
    french = site_table(result, View(result, "fr"))["reason_text"].iat[0]
    english = site_table(result, View(result, "en"))["reason_text"].iat[0]
    assert french.startswith("rouge") and " ; CHL-01" in french, french
    assert english.startswith("red") and "; CHL-01" in english and " ; " not in english, english


def test_the_terminal_summary_names_its_files_with_the_label_separator(tmp_path):
    """'Fichiers : v.csv : 1 ligne' in French (a space before each colon), 'v.csv: 1 row'."""
    path = write_csv(tmp_path / "v.csv", [visit()])
    french = invoke("validate", path, "--lang", "fr").stdout
    english = invoke("validate", path, "--lang", "en").stdout
    assert "Fichiers : v.csv : 1 ligne," in french, french[:300]
    assert "Files: v.csv: 1 row," in english, english[:300]
    two = write_csv(tmp_path / "w.csv", [visit(vid="V1"), visit(vid="V2")])
    assert "w.csv : 2 lignes," in invoke("validate", two, "--lang", "fr").stdout
    assert "w.csv: 2 rows," in invoke("validate", two, "--lang", "en").stdout
