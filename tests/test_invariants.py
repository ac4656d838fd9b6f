"""Invariants over generated IPIS-style inspection files: nothing lost, order-free verdicts,
missing data never green, a worse answer never a better colour, every output format agrees."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from minesite import load_checklists, read_inspections, score
from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = pd.read_csv(
    ROOT / "sample_inspections" / "field-visits.csv", dtype=str, keep_default_na=False
)
COLUMNS = list(SAMPLE.columns)
VALUES = {c: sorted(set(SAMPLE[c]) | {""}) for c in COLUMNS}
VALUES["visit_onsite"] = ["1", "1", "1", "0"]
VALUES["presence"] = ["0", "1", ""]
# Incomplete sits between green and yellow: missing evidence is worse than a pass.
RANK = {"green": 0, "incomplete": 1, "yellow": 2, "red": 3}
# (column, an answer that passes, an answer that fails)
WORSE = [
    ("childunder15", "0", "1"),
    ("minors_15_17_work", "0", "1"),
    ("minors_hazardous_work", "0", "1"),
    ("pregnant_women_work", "0", "1"),
    ("sexual_violence", "0", "1"),
    ("foreign_miners", "0", "1"),
    ("heavy_machinery", "0", "1"),
    ("cooperative_agrement", "1", "0"),
    ("presence", "0", "1"),
    ("type_armed_group1", "Aucun", "Groupe armé local"),
    ("title_zone", "ZEA", "ZIN"),
]
CHECKLISTS = load_checklists()
WORK = Path(tempfile.mkdtemp(prefix="minesite-invariants-"))
runner = CliRunner()
SETTINGS = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


ACTOR_SLOT = {"armed_group1", "type_armed_group1", "taxation_armed_group1"}
ACTOR_SLOT |= {"forced_labour_armed_group1"}


@st.composite
def tables(draw, min_rows: int = 1, max_rows: int = 8) -> pd.DataFrame:  # noqa: ANN001
    n = draw(st.integers(min_rows, max_rows))
    rows = []
    for i in range(n):
        row = {c: draw(st.sampled_from(VALUES[c])) for c in COLUMNS}
        row["vid"] = f"V{i:03d}"
        row["pcode"] = f"demo{draw(st.integers(0, 3)):05d}"
        row["visit_date"] = f"2026-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}"
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def write(frame: pd.DataFrame, name: str = "visits.csv") -> Path:
    path = WORK / name
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return path


def verdicts(frame: pd.DataFrame) -> dict[str, str | None]:
    report = score(read_inspections([write(frame)]), CHECKLISTS)
    visits = report.visits
    return {
        v: (s if isinstance(s, str) else None)
        for v, s in zip(visits["visit_id"], visits["status"], strict=True)
    }


def json_visits(path: Path) -> list[dict]:
    result = runner.invoke(
        app, ["validate", str(path), "--format", "json", "--as-of", "2026-12-31"]
    )
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["visits"]


@settings(SETTINGS, max_examples=4)
@given(frame=tables())
def test_rows_accounted_for_and_formats_agree(frame):
    path = write(frame)
    items = json_visits(path)
    # Nothing lost: one item per input row, with its Excel row (header = row 1).
    assert [i["visit_id"] for i in items] == list(frame["vid"])
    assert [i["row"] for i in items] == list(range(2, len(frame) + 2))
    colour = {i["visit_id"]: i["status"] for i in items}
    assert all(i["status"] in RANK or (i["status"] is None and i["reason"]) for i in items)

    # JSON, CSV and XLSX exports agree on every visit's colour.
    for suffix in (".csv", ".xlsx"):
        out = WORK / f"out{suffix}"
        result = runner.invoke(
            app, ["score", str(path), "-o", str(out), "--force", "--as-of", "2026-12-31"]
        )
        assert result.exit_code == 0, result.stderr
        if suffix == ".csv":
            table = pd.read_csv(
                out, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        else:
            table = pd.read_excel(
                out, sheet_name="visits", dtype=str, keep_default_na=False, engine="calamine"
            )
        assert list(table["row"].astype(int)) == list(range(2, len(frame) + 2))
        exported = {v: (s or None) for v, s in zip(table["visit_id"], table["status"], strict=True)}
        assert exported == colour, suffix


@SETTINGS
@given(frame=tables(), data=st.data())
def test_shuffling_rows_and_columns_changes_no_verdict(frame, data):
    order = data.draw(st.permutations(range(len(frame))))
    columns = data.draw(st.permutations(COLUMNS))
    assert verdicts(frame.iloc[list(order)][list(columns)]) == verdicts(frame)


@SETTINGS
@given(frame=tables(max_rows=4), data=st.data())
def test_blank_answer_never_makes_green(frame, data):
    before = verdicts(frame)
    column = data.draw(st.sampled_from([c for c in COLUMNS if c not in ("vid", "pcode")]))
    rows = data.draw(st.lists(st.integers(0, len(frame) - 1), min_size=1, max_size=len(frame)))
    blanked = frame.copy()
    blanked.loc[rows, column] = ""
    after = verdicts(blanked)
    assert set(after) == set(before)
    for visit, status in after.items():
        if status == "green" and before[visit] != "green":
            # The one exception: an actor slot is not asked when `presence` answers no actor.
            # A slot naming an armed group there contradicts it and is red; blanking it leaves
            # a consistent "no actor" answer, not missing data (found by Hypothesis).
            said = frame.set_index("vid").loc[visit]
            assert column in ACTOR_SLOT and said["presence"] == "0", (visit, column, before[visit])


@SETTINGS
@given(frame=tables(max_rows=4), data=st.data())
def test_failing_answer_never_improves_the_colour(frame, data):
    column, good, bad = data.draw(st.sampled_from(WORSE))
    row = data.draw(st.integers(0, len(frame) - 1))
    better, worse = frame.copy(), frame.copy()
    better.loc[row, column] = good
    worse.loc[row, column] = bad
    if column == "type_armed_group1":
        better.loc[row, "presence"] = worse.loc[row, "presence"] = "1"
    visit = frame.at[row, "vid"]
    before, after = verdicts(better)[visit], verdicts(worse)[visit]
    if before is None or after is None:
        assert before is None and after is None  # no colour (desk review) stays no colour
        return
    assert RANK[after] >= RANK[before], (column, good, bad, before, after)


def test_all_blank_row_is_never_green():
    frame = pd.DataFrame([dict.fromkeys(COLUMNS, "")], columns=COLUMNS)
    frame.loc[0, ["vid", "pcode", "visit_onsite"]] = ["V1", "demo00001", "1"]
    assert verdicts(frame)["V1"] != "green"


def test_json_output_is_strict_json_with_null_for_no_colour():
    """A desk-review row's status was written as bare NaN: not JSON (README promises null)."""
    result = runner.invoke(
        app, ["validate", str(ROOT / "sample_inspections" / "field-visits.csv"), "--format", "json"]
    )

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    document = json.load(io.StringIO(result.stdout), parse_constant=refuse)
    no_colour = [v for v in document["visits"] if v["status"] is None]
    assert no_colour and all(v["reason"] for v in no_colour)


def test_a_named_group_against_presence_no_is_red_and_its_blank_is_the_presence_answer():
    """Found by Hypothesis: presence "0" next to a named armed group is red (the group is
    evidence); with the slot blanked, the answer is "no actor"; with presence blank, never
    green."""
    row = {c: VALUES[c][0] for c in COLUMNS}
    row.update(vid="V1", pcode="demo00001", visit_onsite="1", visit_date="2026-01-10")
    row.update({c: "0" for c in COLUMNS if VALUES[c][0] == "" and "0" in VALUES[c]})
    named = pd.DataFrame([{**row, "presence": "0", "type_armed_group1": "Groupe armé local"}])
    assert verdicts(named)["V1"] == "red"
    unsaid = named.assign(presence="")
    assert verdicts(unsaid)["V1"] == "red"
    assert verdicts(unsaid.assign(type_armed_group1=""))["V1"] != "green"
