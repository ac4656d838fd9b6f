"""Behaviour on a real IPIS open-data slice (tests/data/ipis-slice.csv, 872 rows)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import SLICE, invoke, score_file

from minesite.model import Outcome

NSAG = {"Groupe armé local", "Groupe armé étranger"}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The slice as the stdlib csv module reads it: one dict per record, in file order."""
    with SLICE.open(encoding="utf-8", newline="") as handle:
        return pd.DataFrame(list(csv.DictReader(handle)), dtype=object)


@pytest.fixture(scope="module")
def report():
    return score_file(SLICE)


@pytest.fixture(scope="module")
def security_report():
    return score_file(SLICE, checklists=["armed-groups", "child-labor"])


def scored_visits(raw: pd.DataFrame) -> pd.Series:
    return (raw["visit_onsite"].str.strip() != "0") & (
        raw["project"].str.strip().str.casefold() != "qualification status"
    )


def test_every_row_is_accounted_for(raw, report):
    assert 800 < len(raw) <= 872  # 872 lines of data; a quoted field spans two of them
    assert len(report.visits) == len(raw)
    assert report.visits["row"].tolist() == list(range(2, len(raw) + 2))
    coloured = sum(report.counts().values())
    no_colour = sum(report.no_colour().values())
    assert coloured + no_colour == len(raw)
    assert report.visits["visit_id"].tolist() == raw["vid"].tolist()
    # Off-site and qualification rows are the rows without a colour.
    assert (report.visits["status"].notna().to_numpy() == scored_visits(raw).to_numpy()).all()


def test_dialect_detected(report):
    assert report.inspection.sources[0].dialect.startswith("IPIS open data CSV")


def test_non_state_armed_group_is_red(raw, report):
    armed = pd.Series(False, index=raw.index)
    for n in (1, 2, 3):
        armed |= raw[f"type_armed_group{n}"].str.strip().isin(NSAG)
    selected = armed & scored_visits(raw)
    assert selected.sum() > 50  # the slice really has such visits
    statuses = report.visits.loc[selected.to_numpy(), "status"]
    assert (statuses == "red").all()
    decisive = report.visits.loc[selected.to_numpy(), "decisive"].str.split()
    assert decisive.map(lambda ids: "SEC-01" in ids).all()


def test_child_under_15_is_red_under_default_profile(raw, report):
    child = (raw["childunder15"].str.strip() == "1") & scored_visits(raw)
    assert child.sum() > 10
    assert (report.visits.loc[child.to_numpy(), "status"] == "red").all()
    j = [c.id for c in report.criteria].index("CHL-01")
    assert (report.outcomes[child.to_numpy(), j] == Outcome.FAIL).all()


def test_child_under_15_is_yellow_or_worse_under_drc_2012_practice(raw):
    lenient = score_file(SLICE, profile="drc-2012-practice")
    child = (raw["childunder15"].str.strip() == "1") & scored_visits(raw)
    statuses = lenient.visits.loc[child.to_numpy(), "status"]
    assert statuses.isin(["yellow", "red"]).all()
    assert (statuses == "yellow").any()


@pytest.mark.parametrize("which", ["all", "security"])
def test_blank_child_labour_or_presence_is_never_green(raw, report, security_report, which):
    scored = security_report if which == "security" else report
    blank = (raw["childunder15"].str.strip() == "") | (raw["presence"].str.strip() == "")
    selected = (blank & scored_visits(raw)).to_numpy()
    statuses = scored.visits.loc[selected, "status"]
    assert selected.sum() > 0
    assert (statuses != "green").all()
    assert statuses.notna().all()


def test_armed_groups_alone_give_green_only_with_evidence(raw, security_report):
    # ipis-open-data: IPIS records no roadblock question (SEC-07/08 are out of that scope).
    armed = score_file(SLICE, checklists=["armed-groups"], profile="ipis-open-data")
    counts = armed.counts()
    # No yellow: FARDC present (SEC-03) is recorded (info) under the RCM criteria.
    assert counts["green"] > 0 and counts["red"] > 0 and counts["incomplete"] > 0
    green = (armed.visits["status"] == "green").to_numpy()
    assert raw.loc[green, "presence"].str.strip().isin({"0", "1"}).all()
    for n in (1, 2, 3):
        assert not raw.loc[green, f"type_armed_group{n}"].str.strip().isin(NSAG).any()
    # IPIS has no column for minors 15-17, pregnant women, sexual violence: never green.
    assert security_report.counts()["green"] == 0


def test_no_visit_is_green_with_every_checklist(report):
    # IPIS has no column for cooperatives, cards, minors 15-17...:
    # missing evidence never scores green.
    assert report.counts()["green"] == 0
    assert "LEG-04" in [c.id for c in report.not_assessed()]
    assert (report.visits["status"].dropna() != "green").all()


def test_cli_counts_on_the_slice(report):
    import json

    result = invoke(
        "validate", SLICE, "-c", "armed-groups", "-c", "child-labor", "--format", "json"
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["rows_read"] == len(report.visits)
    assert len(doc["visits"]) == len(report.visits)
    assert len({v["row"] for v in doc["visits"]}) == len(report.visits)
    assert (
        doc["summary"]["counts"]
        == score_file(SLICE, checklists=["armed-groups", "child-labor"]).counts()
    )
