"""Properties of the verdict rule, with Hypothesis (each example is a small CSV file)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import GREEN, score_file, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minesite.model import Status

# Each example scores a whole file (about 0.1 s): several visits per example keep the number
# of visits checked high while the suite stays fast.
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SHUFFLE_SETTINGS = settings(SETTINGS, max_examples=25)

YES = ["1", "Oui", "Yes", "Observé"]
NO = ["0", "Non", "No", "Non observé"]
NO_DATA = ["", "  ", "dontknow", "No data", "Je ne sais pas"]
UNRECOGNISED = ["Oberved", "peut-être", "??", "2"]

# Column -> (passing answers, failing answers) for the criterion that reads it.
ANSWERS: dict[str, tuple[list[str], list[str]]] = {
    "childunder15": (NO, YES),
    "minors_15_17_work": (NO, YES),
    "minors_hazardous_work": (NO, YES),
    "pregnant_women_work": (NO, YES),
    "sexual_violence": (NO, YES),
    "foreign_miners": (NO, YES),
    "heavy_machinery": (NO, YES),
    "cooperative_agrement": (YES, NO),
    "title_agreement": (YES, NO),
    "title_zone": (["ZEA", "PE", "Autre titre"], ["Aucun titre", "ZIN"]),
    "share_miners_with_card": (["100", "100%", "100,0"], ["0", "50", "99,5 %"]),
    "womenwork": (["Lavage", "Vendre, Restauration"], ["Prostitution", "Transport, prostitution"]),
    "state_service1": (["SAEMAPE", "Division des mines"], ["ANR", "DGM"]),
    "traceability": (["iTSCi", "Better Mining"], ["Aucun"]),
    "type_armed_group1": (
        ["Aucun", "PMH - Pas d'ingérence constatée"],
        [
            "Groupe armé local",
            "FARDC - Éléments indisciplinés",
            "FARDC - Pas d'ingérence constatée",
        ],
    ),
    "taxation_armed_group1": (NO, YES),
    "forced_labour_armed_group1": (NO, YES),
}
FREE_TEXT = {"womenwork", "state_service1", "traceability"}
GATES = {"presence": ["0", "1", ""], "women": ["0", "1", ""], "is_3t_mine": ["0", "1", ""]}

# Columns a status-effect criterion always reads on the green visit (no skip logic applies).
ALWAYS_READ = [
    "presence",
    "childunder15",
    "minors_15_17_work",
    "minors_hazardous_work",
    "pregnant_women_work",
    "womenwork",
    "sexual_violence",
    "title_zone",
    "cooperative_agrement",
    "share_miners_with_card",
    "foreign_miners",
    "heavy_machinery",
    "women",
]
# state_service1 (LEG-07) and traceability (LEG-08) are info under every bundled profile.


def rank(status: str | None) -> int:
    assert status is not None
    return Status(status).rank


def score_rows(rows: list[dict[str, str]]):
    with tempfile.TemporaryDirectory() as folder:
        # drc: every criterion these columns feed has a status effect there.
        return score_file(write_csv(Path(folder) / "visits.csv", rows), profile="drc")


@st.composite
def answered_visit(draw) -> dict[str, str]:
    """An on-site visit with every column answered somehow (pass, fail, no data)."""
    row = dict(GREEN)
    row["armed_group1"] = "Acteur"
    for column, (passes, fails) in ANSWERS.items():
        row[column] = draw(st.sampled_from(passes + fails + ["", "dontknow"]))
    for column, values in GATES.items():
        row[column] = draw(st.sampled_from(values))
    return row


@st.composite
def missing_evidence(draw) -> dict[str, str]:
    """The green visit (with varied spellings) where some always-read answers are missing."""
    row = dict(GREEN)
    for column, (passes, _) in ANSWERS.items():
        if column in GREEN and GREEN[column] and column in ALWAYS_READ:
            row[column] = draw(st.sampled_from(passes))
    if draw(st.booleans()):
        # An armed actor described without (or with an unreadable) category.
        row.update(presence="1", armed_group1="Inconnus")
        row["type_armed_group1"] = draw(st.sampled_from(NO_DATA + UNRECOGNISED))
    else:
        chosen = draw(st.lists(st.sampled_from(ALWAYS_READ), min_size=1, max_size=4, unique=True))
        for column in chosen:
            # Free-text columns (tasks, services) have no vocabulary: any text is an answer,
            # so only missing data is missing evidence there.
            missing = NO_DATA if column in FREE_TEXT else NO_DATA + UNRECOGNISED
            row[column] = draw(st.sampled_from(missing))
    return row


@SETTINGS
@given(st.lists(missing_evidence(), min_size=1, max_size=6))
def test_missing_or_unrecognised_answer_is_never_green(rows):
    report = score_rows([dict(GREEN), *rows])
    statuses = report.visits["status"].tolist()
    could_be = report.visits["could_be"].tolist()
    assert statuses[0] == "green"  # the untouched visit, as a control
    for row, status, could in zip(rows, statuses[1:], could_be[1:], strict=True):
        changed = {k: v for k, v in row.items() if GREEN[k] != v}
        assert status in ("incomplete", "yellow", "red"), changed
        # An incomplete visit says what its missing answers could make it: never green.
        assert status != "incomplete" or could in ("yellow", "red"), changed


@st.composite
def worsened_pair(draw) -> tuple[dict[str, str], dict[str, str]]:
    before = draw(answered_visit())
    passing = [c for c, (passes, _) in ANSWERS.items() if before[c] in passes]
    if not passing:
        column = draw(st.sampled_from(list(ANSWERS)))
        before[column] = ANSWERS[column][0][0]
        passing = [column]
    column = draw(st.sampled_from(passing))
    after = {**before, column: draw(st.sampled_from(ANSWERS[column][1]))}
    return before, after


@SETTINGS
@given(st.lists(worsened_pair(), min_size=1, max_size=6))
def test_a_failing_answer_never_improves_the_colour(pairs):
    rows = [row for pair in pairs for row in pair]
    statuses = score_rows(rows).visits["status"].tolist()
    for i, (before, after) in enumerate(pairs):
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert rank(statuses[2 * i + 1]) >= rank(statuses[2 * i]), (changed, before)


@SHUFFLE_SETTINGS
@given(
    st.lists(answered_visit(), min_size=2, max_size=10).flatmap(
        lambda rows: st.tuples(st.just(rows), st.permutations(range(len(rows))))
    )
)
def test_shuffling_rows_changes_no_verdict(case):
    rows, order = case
    rows = [{**row, "vid": f"V{i}"} for i, row in enumerate(rows)]
    shuffled = [rows[i] for i in order]
    columns = ["visit_id", "status", "reason", "decisive", "unknown"]
    first = score_rows(rows).visits[columns].set_index("visit_id").sort_index()
    second = score_rows(shuffled).visits[columns].set_index("visit_id").sort_index()
    assert first.equals(second)
