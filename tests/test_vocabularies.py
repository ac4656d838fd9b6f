"""Actor categories and names as real exports write them (review-2/domain.md E1, E3; issue 13),
through small CSV files scored by the public API and the CLI."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import invoke, score_file, visit, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minesite.checklists import shared_vocabularies
from minesite.model import Outcome


def scored(tmp_path, *rows, profile: str = "icglr"):
    rows = [visit(vid="ok"), *rows, visit(vid="also-ok", presence="0", type_armed_group1="0")]
    report = score_file(write_csv(tmp_path / "v.csv", rows), profile=profile)
    return report


def outcome(report, position: int, criterion: str) -> Outcome:
    j = [c.id for c in report.criteria].index(criterion)
    return Outcome(int(report.outcomes[position, j]))


def evidence(report, position: int, criterion: str):
    return report.verdicts.evidence[report.verdicts.criterion_index(criterion)], np.array(
        [position]
    )


@pytest.mark.parametrize(
    "category",
    [
        "Groupe armé",
        "Armed group",
        "Forces négatives",
        "Maï-Maï",
        "Mai-Mai",
        "Rebelles",
        "Groupe armé local",
        "Groupe armé étranger",
    ],
)
def test_non_state_armed_group_as_exports_write_it_is_red(tmp_path, category):
    """t2.csv of review-2: these categories gave SEC-01 unknown, a yellow visit."""
    row = visit(vid="nsag", presence="1", armed_group1="", type_armed_group1=category)
    report = scored(tmp_path, row)
    assert outcome(report, 1, "SEC-01") == Outcome.FAIL
    assert report.visits["status"].tolist()[1] == "red"
    assert report.verdicts.unrecognised.empty
    assert outcome(report, 0, "SEC-01") == outcome(report, 2, "SEC-01") == Outcome.PASS


def test_nsag_label_is_red_through_the_cli(tmp_path):
    rows = [
        visit(vid="A"),
        visit(vid="B", presence="1", armed_group1="Yakutumba", type_armed_group1="Maï-Maï"),
        visit(vid="C", presence="1", armed_group1="", type_armed_group1="Forces négatives"),
    ]
    result = invoke("validate", write_csv(tmp_path / "t2.csv", rows), "--format", "json")
    assert result.exit_code == 1
    visits = json.loads(result.stdout)["visits"]
    assert [v["status"] for v in visits][1:] == ["red", "red"]
    assert all("SEC-01" in v["decisive"] for v in visits[1:])


@pytest.mark.parametrize(
    "category, failed, unknown",
    [
        ("FARDC", {"SEC-03"}, {"SEC-02", "SEC-09"}),  # no data on interference
        ("PNC", {"SEC-03"}, {"SEC-02", "SEC-09"}),
        ("ANR", {"SEC-03"}, set()),
        ("Garde du parc (ICCN)", set(), set()),
        ("PMH", {"SEC-05"}, {"SEC-02", "SEC-09"}),
        ("Sécurité privée", {"SEC-06"}, set()),
    ],
)
def test_state_forces_as_exports_write_them(tmp_path, category, failed, unknown):
    row = visit(vid="x", presence="1", armed_group1="", type_armed_group1=category)
    report = scored(tmp_path, row)
    security = ["SEC-01", "SEC-02", "SEC-03", "SEC-05", "SEC-06", "SEC-09"]
    got = {c: outcome(report, 1, c) for c in security}
    assert {c for c, o in got.items() if o == Outcome.FAIL} == failed
    assert {c for c, o in got.items() if o == Outcome.UNKNOWN} == unknown
    assert report.verdicts.unrecognised.empty
    assert report.visits["status"].tolist()[1] != "red"


def test_park_guards_digging_fail_sec_02(tmp_path):
    row = visit(presence="1", type_armed_group1="Gardes parc", digging_armed_group1="1")
    assert outcome(scored(tmp_path, row), 1, "SEC-02") == Outcome.FAIL


def test_zero_is_no_actor_in_an_earlier_ipis_release(tmp_path):
    row = visit(vid="old", presence="0", armed_group1="", type_armed_group1="0")
    report = scored(tmp_path, row)
    assert [outcome(report, 1, c) for c in ("SEC-01", "SEC-02", "HRA-01")] == [Outcome.PASS] * 3
    assert report.visits["status"].tolist()[1] == "green"


def test_a_conduct_flag_on_a_nameless_no_actor_slot_is_not_lost(tmp_path):
    """Category 0 (no actor) but forced labour and taxation recorded on the slot: someone did
    it, so the slot is an actor of unknown category, never 'no actor'."""
    row = visit(
        vid="flag",
        presence="1",
        armed_group1="",
        type_armed_group1="0",
        forced_labour_armed_group1="1",
        taxation_armed_group1="1",
    )
    report = scored(tmp_path, row)
    assert outcome(report, 1, "HRA-01") == Outcome.FAIL
    assert report.visits["status"].tolist()[1] == "red"
    # Who taxes is unknown: an armed group or a security force could be.
    assert outcome(report, 1, "SEC-01") == Outcome.UNKNOWN
    assert outcome(report, 1, "SEC-09") == Outcome.UNKNOWN
    found, at = evidence(report, 1, "HRA-01")
    assert found.flags_at(at) == [("taxation", "forced_labour")]


@pytest.mark.parametrize("no_data", ["NA", "N/A", "No data", "n/a"])
def test_no_data_in_actor_columns_is_blank_not_a_phantom_actor(tmp_path, no_data):
    row = visit(vid="na", presence="0", armed_group1=no_data, type_armed_group1=no_data)
    report = scored(tmp_path, row)
    for criterion in ("SEC-01", "SEC-02", "SEC-03", "SEC-09", "HRA-01"):
        assert outcome(report, 1, criterion) == Outcome.PASS, criterion
    assert report.verdicts.unrecognised.empty
    # Presence "yes" with only such a slot: no actor is described, absence is not shown.
    row = visit(vid="na", presence="1", armed_group1=no_data, type_armed_group1=no_data)
    assert outcome(scored(tmp_path, row), 1, "SEC-01") == Outcome.UNKNOWN


@pytest.mark.parametrize(
    "name, category, criterion",
    [
        ("FDLR", "nsag-foreign", "SEC-01"),
        ("FDLR/Rudi", "nsag-foreign", "SEC-01"),
        ("ADF", "nsag-foreign", "SEC-01"),
        ("CODECO ", "nsag-local", "SEC-01"),
        ("Raïa Mutomboki", "nsag-local", "SEC-01"),
        ("Maï-Maï Yakutumba", "nsag-local", "SEC-01"),
        ("NDC-Rénové", "nsag-local", "SEC-01"),
        ("Jeunesse Autodéfense Zaïre", "nsag-local", "SEC-01"),
        ("FARDC", "fardc-no-data", "SEC-03"),
        ("Police Nationale Congolaise (sauf PMH)", "pnc-no-data", "SEC-03"),
        ("Police des Mines (PMH)", "pmh-no-data", "SEC-05"),
    ],
)
def test_a_blank_category_comes_from_a_known_name(tmp_path, name, category, criterion):
    row = visit(vid="named", presence="1", armed_group1=name, type_armed_group1="")
    report = scored(tmp_path, row)
    assert outcome(report, 1, criterion) == Outcome.FAIL
    found, at = evidence(report, 1, criterion)
    # The evidence says the category was derived from the name, and names the actor.
    assert found.derived_at(at).tolist() == [True]
    assert found.category_at(at).tolist() == [category]
    assert found.name_at(at).tolist() == [name]
    [actor] = found.actor_at(at)
    assert report.inspection.actors["visit"].iat[actor] == 1


def test_a_recorded_category_is_not_derived_and_an_unknown_name_stays_unknown(tmp_path):
    recorded = visit(vid="r", presence="1", armed_group1="FDLR", type_armed_group1="Groupe armé")
    unknown = visit(vid="u", presence="1", armed_group1="Shishikara", type_armed_group1="")
    report = scored(tmp_path, recorded, unknown)
    found, at = evidence(report, 1, "SEC-01")
    assert found.derived_at(at).tolist() == [False]
    assert found.category_at(at).tolist() == ["nsag"]
    assert outcome(report, 2, "SEC-01") == Outcome.UNKNOWN
    found, at = evidence(report, 2, "SEC-01")
    assert found.derived_at(at).tolist() == [False]


def test_armed_group_name_with_taxation_is_evidence_a_report_can_show(tmp_path):
    row = visit(
        presence="1",
        armed_group1="Raïa Mutomboki",
        type_armed_group1="Groupe armé local",
        taxation_armed_group1="1",
    )
    found, at = evidence(scored(tmp_path, row), 1, "SEC-01")
    assert found.name_at(at).tolist() == ["Raïa Mutomboki"]
    assert found.flags_at(at) == [("taxation",)]
    assert found.raw_at(at).tolist() == ["Groupe armé local"]


# --- property: a recognised non-state armed group on an on-site visit is red -----------------

_VOCABULARIES = shared_vocabularies()
NSAG = ("nsag", "nsag-local", "nsag-foreign")
NSAG_CATEGORIES = [r for c in NSAG for r in _VOCABULARIES["actor-category"].raw[c]]
NSAG_NAMES = [r for c in NSAG for r in _VOCABULARIES["actor-name"].raw[c]]
PROFILES = ["icglr", "drc", "drc-2012-practice", "ipis-open-data"]


@st.composite
def armed_group_visit(draw) -> dict[str, str]:
    """An on-site visit with any other answers, and a non-state armed group in some actor slot,
    recorded by its category or (category blank, "none" or no data) by a name that contains a
    known one."""
    row = visit(vid="V")
    for column in ("childunder15", "womenwork", "cooperative_agrement", "title_zone"):
        row[column] = draw(st.sampled_from(["", "0", "1", "dontknow", row[column]]))
    row["presence"] = draw(st.sampled_from(["1", "0", "", "Oui", "No data"]))
    slot = draw(st.sampled_from([1, 2]))
    other = 3 - slot
    row[f"type_armed_group{other}"] = draw(
        st.sampled_from(["", "Aucun", "0", "FARDC", "FARDC - Éléments indisciplinés", "NA"])
    )
    spell = draw(st.sampled_from([str, str.upper, str.lower]))
    if draw(st.booleans()):
        row[f"type_armed_group{slot}"] = spell(draw(st.sampled_from(NSAG_CATEGORIES)))
        row[f"armed_group{slot}"] = draw(st.sampled_from(["", "NA", "Inconnus", "FDLR"]))
    else:
        name = draw(st.sampled_from(NSAG_NAMES))
        prefix = draw(st.sampled_from(["", "Jeunesse ", "Groupe "]))
        suffix = draw(st.sampled_from(["", " Yakutumba", " (ex-Morgan)", "/Rudi"]))
        row[f"armed_group{slot}"] = spell(f"{prefix}{name}{suffix}")
        row[f"type_armed_group{slot}"] = draw(st.sampled_from(["", "N/A", "No data", "Aucun", "0"]))
    for flag in ("taxation", "digging", "forced_labour"):
        row[f"{flag}_armed_group{slot}"] = draw(st.sampled_from(["", "0", "1"]))
    return row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(armed_group_visit(), min_size=1, max_size=5), st.sampled_from(PROFILES))
def test_a_recognised_armed_group_on_an_onsite_visit_is_red(rows, profile):
    with tempfile.TemporaryDirectory() as folder:
        report = score_file(write_csv(Path(folder) / "v.csv", rows), profile=profile)
    j = [c.id for c in report.criteria].index("SEC-01")
    for position, row in enumerate(rows):
        assert report.visits["status"].iat[position] == "red", row
        assert Outcome(int(report.outcomes[position, j])) == Outcome.FAIL, row


def test_a_named_actor_is_never_no_actor(tmp_path):
    """'Aucun' beside a known group's name is the group; beside another name, an actor of
    unknown category; a name that says none names nobody."""
    rows = [
        visit(vid="fdlr", presence="1", armed_group1="FDLR", type_armed_group1="Aucun"),
        visit(vid="who", presence="1", armed_group1="Inconnus", type_armed_group1="Aucun"),
        visit(vid="none", presence="0", armed_group1="Aucun", type_armed_group1="Aucun"),
        visit(vid="other", presence="1", armed_group1="ADF", type_armed_group1="Autre"),
    ]
    report = scored(tmp_path, *rows)
    assert [outcome(report, p, "SEC-01") for p in (1, 2, 3, 4)] == [
        Outcome.FAIL,
        Outcome.UNKNOWN,
        Outcome.PASS,
        Outcome.FAIL,
    ]
    found, at = evidence(report, 1, "SEC-01")
    assert found.derived_at(at).tolist() == [True]
