"""The vectorised verdict helpers give what the per-row rules say (Hypothesis against a
reference written one row at a time)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from conftest import GREEN, score_file, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from minesite.checklists.vocabulary import (
    BLANK,
    canonical_answers,
    contained_answers,
    lookup,
    normalise,
    shared_vocabularies,
)
from minesite.inputs import Inspection, read_inspections
from minesite.model import Outcome, Severity
from minesite.pipeline import prepare
from minesite.scoring import score
from minesite.verdicts import decide, join_ids


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 130).flatmap(
        lambda width: arrays(bool, st.tuples(st.integers(0, 40), st.just(width)))
    )
)
def test_join_ids_joins_each_rows_ids(mask):
    """Patterns wider than 64 criteria take the other path; every row joins its own ids."""
    ids = np.array([f"C-{j:03d}" for j in range(mask.shape[1])], dtype=object)
    joined = join_ids(ids, mask)
    assert joined.tolist() == [" ".join(ids[row]) for row in mask]


def test_qualification_and_rejected_rows_ignore_case_spaces_and_blanks(tmp_path):
    rows = [
        {**GREEN, "vid": "A", "project": "  Qualification STATUS "},
        {**GREEN, "vid": "B", "project": ""},
        {**GREEN, "vid": "C", "project": "qualification status", "ReviewState": " Rejected"},
        {**GREEN, "vid": "D", "project": "Monitoring", "ReviewState": "REJECTED"},
        {**GREEN, "vid": "E", "project": "Monitoring", "ReviewState": ""},
    ]
    result = score_file(write_csv(tmp_path / "v.csv", rows))
    assert result.visits["status"].tolist() == [None, "green", None, None, "green"]
    assert result.visits["reason"].tolist()[:4] == [
        "row.qualification",
        "visit.green",
        "row.qualification",
        "row.rejected",
    ]


def _reference(criteria, outcomes: np.ndarray, no_colour: list[str]) -> list[tuple]:
    """The verdict of each row, one row at a time."""
    rows = []
    for row, reason in zip(outcomes, no_colour, strict=True):
        if reason:
            rows.append((None, reason, "", "", "", "", ""))
            continue
        pairs = list(zip(criteria, row, strict=True))
        effect = [(c, o) for c, o in pairs if c.severity in (Severity.RED, Severity.YELLOW)]
        failed = [c for c, o in effect if o == Outcome.FAIL]
        unknown = [c for c, o in effect if o == Outcome.UNKNOWN]
        absent = [c for c, o in effect if o == Outcome.NOT_ASSESSED]
        red = [c for c in failed if c.severity == Severity.RED]
        yellow = [c for c in failed if c.severity == Severity.YELLOW]
        status = "red" if red else "yellow" if yellow else "incomplete" if unknown + absent else ""
        status = status or "green"
        open_ = {c.severity for c in failed + unknown + absent}
        could = "red" if Severity.RED in open_ else "yellow" if Severity.YELLOW in open_ else ""
        rows.append(
            (
                status,
                f"visit.{status}",
                could or "green",
                " ".join(c.id for c in (red or yellow)),
                " ".join(c.id for c in failed),
                " ".join(c.id for c in unknown),
                " ".join(c.id for c in absent),
            )
        )
    return rows


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_decide_gives_each_row_the_verdict_of_its_outcomes(tmp_path_factory, data):
    rows = [
        {**GREEN, "vid": "A"},
        {**GREEN, "vid": "B", "project": "Qualification status"},
        {**GREEN, "vid": "C", "visit_onsite": "0"},
        {**GREEN, "vid": "D"},
    ]
    path = write_csv(tmp_path_factory.mktemp("v") / "v.csv", rows)
    inspection = read_inspections([path])
    checklists, _ = prepare((), data.draw(st.sampled_from(["icglr", "drc"])))
    criteria = [c for checklist in checklists for c in checklist.criteria]
    # No criterion, a few, or more than 64 (patterns wider than one word).
    criteria = data.draw(st.sampled_from([criteria, [], criteria[:3], criteria * 3]))
    outcomes = data.draw(
        arrays(np.int8, (len(rows), len(criteria)), elements=st.sampled_from(list(Outcome)))
    )
    visits = decide(inspection, criteria, outcomes)
    columns = ["status", "reason", "could_be", "decisive", "failed", "unknown", "not_assessed"]
    got = [tuple(None if v is None else str(v) for v in r) for r in visits[columns].to_numpy()]
    no_colour = ["", "row.qualification", "row.not-onsite", ""]
    assert got == _reference(criteria, outcomes, no_colour)
    assert visits["status"].dtype == object
    assert all(str(visits[c].dtype) == "str" for c in columns[1:])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(["Oui", " non ", "NON", "1", "0", "dontknow", "", "  ", "Peut-être"]),
            st.text(max_size=4),
        ),
        max_size=30,
    ),
    st.sampled_from(["str", object]),
)
def test_canonical_answers_look_each_cell_up(cells, dtype):
    """Arrow strings are hashed in Arrow, object columns by pandas, a column all missing not at
    all: each cell still gets its own lookup."""
    vocabulary = shared_vocabularies()["yes-no"]
    answers = canonical_answers(pd.Series(cells, dtype=dtype), vocabulary)
    expected = [BLANK if c is None else lookup(vocabulary, c) for c in cells]
    assert answers.text().tolist() == expected
    assert answers.codes.dtype == np.int16


@pytest.mark.parametrize(
    "first, second, expected, slot",
    [
        ("Groupe armé local", "Groupe armé local", Outcome.FAIL, 1),
        ("Aucun", "Groupe armé local", Outcome.FAIL, 2),
        ("Groupe inconnu", "Groupe armé local", Outcome.FAIL, 2),
        ("Groupe inconnu", "Aucun", Outcome.UNKNOWN, 1),
        ("Aucun", "Groupe inconnu", Outcome.UNKNOWN, 2),
        # Presence "yes" beside no actor described: unknown, the first slot shown.
        ("Aucun", "Aucun", Outcome.UNKNOWN, 1),
    ],
)
def test_the_worst_actor_of_a_visit_holds_the_evidence_first_slot_on_ties(
    tmp_path, first, second, expected, slot
):
    """A match beats an actor that leaves the answer unclear, which beats one that does not
    match; between equals the first slot counts."""
    rows = [
        {**GREEN, "vid": "A"},
        {
            **GREEN,
            "vid": "B",
            "presence": "1",
            # A named actor recorded as "Aucun" is someone of unknown category: no name here.
            "armed_group1": "" if first == "Aucun" else "Acteur un",
            "type_armed_group1": first,
            "armed_group2": "" if second == "Aucun" else "Acteur deux",
            "type_armed_group2": second,
        },
    ]
    result = score_file(write_csv(tmp_path / "v.csv", rows))
    j = result.verdicts.criterion_index("SEC-01")
    assert Outcome(int(result.outcomes[1, j])) == expected
    [actor] = result.verdicts.evidence[j].actor_at(np.array([1]))
    assert result.inspection.actors["slot"].iat[actor] == slot
    assert result.inspection.actors["visit"].iat[actor] == 1


def test_actor_rows_in_any_order_give_the_same_verdicts(tmp_path):
    """Actors not grouped by visit (rows shuffled) are grouped before each visit's worst actor
    is taken: the outcomes and verdicts do not change and every evidence names its own visit."""
    kinds = ["Groupe armé local", "Aucun", "Groupe inconnu", "FARDC", ""]
    rows = [
        {
            **GREEN,
            "vid": f"V{v}",
            "presence": "1",
            "armed_group1": f"Acteur {v}",
            "type_armed_group1": kinds[v % 5],
            "armed_group2": f"Autre {v}",
            "type_armed_group2": kinds[(v * 3 + 1) % 5],
            "taxation_armed_group2": "1" if v % 4 == 0 else "0",
        }
        for v in range(12)
    ]
    inspection = read_inspections([write_csv(tmp_path / "v.csv", rows)])
    checklists, _ = prepare((), "icglr")
    as_read = score(inspection, checklists)
    permutation = np.random.default_rng(7).permutation(len(inspection.actors))
    shuffled = Inspection(
        inspection.visits,
        inspection.actors.iloc[permutation].reset_index(drop=True),
        inspection.sources,
    )
    again = score(shuffled, checklists)
    assert np.array_equal(as_read.outcomes, again.outcomes)
    pd.testing.assert_frame_equal(as_read.visits, again.visits)
    for evidence in again.evidence:
        chosen = evidence.actor if evidence.actor is not None else np.full(len(rows), -1)
        for visit, actor in enumerate(chosen):
            if actor >= 0:
                assert shuffled.actors["visit"].iat[actor] == visit


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(["FDLR", "Maï-Maï Yakutumba", "fdlr/rudi", "FDLRX", "  ", "Aucun"]),
            st.text(max_size=6),
        ),
        max_size=30,
    )
)
def test_contained_answers_find_each_cells_first_known_name(cells):
    """Known names are looked for once per distinct text; each cell gets its own answer."""
    names = shared_vocabularies()["actor-name"]
    answers = contained_answers(pd.Series(cells, dtype="str"), names)
    expected = []
    for cell in cells:
        text = normalise(cell or "")
        found = [
            answer
            for answer, raws in names.raw.items()
            if text
            and any(re.search(rf"(?<!\w){re.escape(normalise(r))}(?!\w)", text) for r in raws)
        ]
        expected.append(found[0] if found else BLANK)
    assert answers.text().tolist() == expected
