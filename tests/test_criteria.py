"""Truth tables per criterion, and the visit rule, through the public API."""

from __future__ import annotations

import pytest
from conftest import GREEN, score_file, visit, write_csv

from minesite import InputError, load_checklists
from minesite.model import Outcome
from minesite.render.view import View

P, F, U, NA, NX = (
    Outcome.PASS,
    Outcome.FAIL,
    Outcome.UNKNOWN,
    Outcome.NOT_ASSESSED,
    Outcome.NOT_APPLICABLE,
)


def outcomes_of(tmp_path, row: dict[str, str]) -> tuple[dict[str, Outcome], object]:
    report = score_file(write_csv(tmp_path / "visits.csv", [row]))
    ids = [c.id for c in report.criteria]
    return {cid: Outcome(int(report.outcomes[0, j])) for j, cid in enumerate(ids)}, report


def test_green_baseline_passes_every_criterion(tmp_path):
    outcomes, report = outcomes_of(tmp_path, visit())
    # roadblock = no: SEC-07/08 do not apply.
    expected_not_pass = {"LEG-02": NX, "SEC-05": P, "SEC-07": NX, "SEC-08": NX}
    for cid, outcome in outcomes.items():
        assert outcome == expected_not_pass.get(cid, P), cid
    assert report.visits["status"].tolist() == ["green"]
    assert report.visits["decisive"].tolist() == [""]
    assert report.visits["unknown"].tolist() == [""]
    assert report.visits["not_assessed"].tolist() == [""]
    assert report.counts() == {"green": 1, "yellow": 0, "incomplete": 0, "red": 0}


def actor(slot: int = 1, **fields: str) -> dict[str, str]:
    """Answers of armed/security actor slot N (IPIS wide columns)."""
    names = {"name": "armed_group{n}", "type": "type_armed_group{n}"}
    return {names.get(k, f"{k}_armed_group{{n}}").format(n=slot): v for k, v in fields.items()}


LOCAL = "Groupe armé local"
FOREIGN = "Groupe armé étranger"
FARDC_OK = "FARDC - Pas d'ingérence constatée"
FARDC_NODATA = "FARDC - Pas de données sur les ingérences"
FARDC_BAD = "FARDC - Éléments indisciplinés"
PNC_BAD = "PNC - Éléments indisciplinés"
PNC_NODATA = "PNC - Pas de données sur les ingérences"
PMH_OK = "PMH - Pas d'ingérence constatée"
PRIVATE = "Sécurité privée"

SECURITY_CASES = [
    # (changes, {criterion: outcome})
    ({}, {"SEC-01": P, "SEC-02": P, "SEC-03": P, "SEC-04": P, "SEC-05": P}),
    (
        {"presence": "1", **actor(name="Raïa Mutomboki", type=LOCAL)},
        {"SEC-01": F, "SEC-02": P, "SEC-03": P, "SEC-04": P},
    ),
    ({"presence": "1", **actor(name="FDLR", type=FOREIGN)}, {"SEC-01": F}),
    ({"presence": "Oui", **actor(name="FDLR", type="Foreign armed group")}, {"SEC-01": F}),
    # A non-state armed group in the second slot fails even after a state force in slot 1.
    (
        {
            "presence": "1",
            **actor(name="FARDC", type=FARDC_OK),
            **actor(2, name="Mai-Mai", type=LOCAL),
        },
        {"SEC-01": F, "SEC-03": F, "SEC-02": P},
    ),
    # Evidence of an armed group beats a "no" to the presence question.
    ({"presence": "0", **actor(name="Mai-Mai", type=LOCAL)}, {"SEC-01": F}),
    (
        {"presence": "1", **actor(name="FARDC", type=FARDC_OK)},
        {"SEC-01": P, "SEC-02": P, "SEC-03": F},
    ),
    # Taxation by a security force is SEC-09 (profiles treat it apart from control, SEC-02).
    (
        {"presence": "1", **actor(name="FARDC", type=FARDC_OK, taxation="1")},
        {"SEC-01": P, "SEC-02": P, "SEC-09": F, "SEC-03": F},
    ),
    (
        {"presence": "1", **actor(name="FARDC", type=FARDC_OK, taxation="0")},
        {"SEC-02": P, "SEC-03": F},
    ),
    ({"presence": "1", **actor(name="FARDC", type=FARDC_BAD)}, {"SEC-01": P, "SEC-02": F}),
    ({"presence": "1", **actor(2, name="PNC", type=PNC_BAD)}, {"SEC-02": F}),
    ({"presence": "1", **actor(name="FARDC", type=FARDC_NODATA)}, {"SEC-02": U, "SEC-03": F}),
    ({"presence": "1", **actor(name="PNC", type=PNC_NODATA)}, {"SEC-02": U, "SEC-03": F}),
    # Private security is its own criterion (SEC-06, info), not "FARDC or PNC" (SEC-03).
    (
        {"presence": "1", **actor(name="Gardes", type=PRIVATE)},
        {"SEC-02": P, "SEC-03": P, "SEC-06": F},
    ),
    ({"presence": "1", **actor(name="Gardes", type=PRIVATE, digging="1")}, {"SEC-02": F}),
    (
        {"presence": "1", **actor(name="FARDC", type=FARDC_OK, forced_labour="1")},
        {"SEC-02": F, "HRA-01": F},
    ),
    # Taxation by a non-state armed group is SEC-01's business, not SEC-02's.
    (
        {"presence": "1", **actor(name="Mai-Mai", type=LOCAL, taxation="1")},
        {"SEC-01": F, "SEC-02": P},
    ),
    (
        {"presence": "1", **actor(name="PMH", type=PMH_OK)},
        {"SEC-01": P, "SEC-02": P, "SEC-03": P, "SEC-05": F},
    ),
    # Roadblocks or taxation on access routes and at trading points (SEC-07 / SEC-08).
    ({"roadblock": "1", "roadblock_actor": "Groupe armé"}, {"SEC-07": F, "SEC-08": P}),
    ({"roadblock": "1", "roadblock_actor": "FARDC"}, {"SEC-07": P, "SEC-08": F}),
    ({"roadblock": "1", "roadblock_actor": ""}, {"SEC-07": U, "SEC-08": U}),
    ({"roadblock": "", "roadblock_actor": "Forces négatives"}, {"SEC-07": F}),
    ({"roadblock": "", "roadblock_actor": ""}, {"SEC-07": U, "SEC-08": U}),
    ({"roadblock": "0"}, {"SEC-07": NX, "SEC-08": NX}),
    # Presence answered yes but no actor described: absence cannot be shown.
    (
        {"presence": "1", "type_armed_group1": ""},
        {"SEC-01": U, "SEC-02": U, "SEC-03": U, "SEC-04": P},
    ),
    ({"presence": "", "type_armed_group1": ""}, {"SEC-01": U, "SEC-04": U}),
    ({"presence": "dontknow", "type_armed_group1": ""}, {"SEC-01": U, "SEC-04": U}),
    ({"presence": "No data"}, {"SEC-01": U, "SEC-04": U}),
    ({"presence": "Oberved", "type_armed_group1": ""}, {"SEC-01": U, "SEC-04": U}),
    ({"presence": "1", **actor(name="X", type="Acteur inconnu")}, {"SEC-01": U}),
    # A category cell holding an armed group's words or name is read through the names.
    ({"presence": "1", **actor(name="X", type="Groupe armé locale inconnu")}, {"SEC-01": F}),
    ({"presence": "1", **actor(name="", type="Mai-Mai Yakutumba")}, {"SEC-01": F}),
    # An actor named but not categorised could be an armed group: never a pass...
    (
        {"presence": "1", **actor(name="Inconnus", type="")},
        {"SEC-01": U, "SEC-02": U, "SEC-03": U, "SEC-04": P, "HRA-01": P},
    ),
    # ...and a known group's name gives its category (derived from the name).
    (
        {"presence": "1", **actor(name="Raïa Mutomboki", type="")},
        {"SEC-01": F, "SEC-02": P, "SEC-03": P, "SEC-04": P, "HRA-01": P},
    ),
    # No presence column and no actor columns: the security criteria are not assessed.
    (
        {
            "presence": None,
            "type_armed_group1": None,
            "armed_group1": None,
            "taxation_armed_group1": None,
            "digging_armed_group1": None,
            "forced_labour_armed_group1": None,
            "armed_group2": None,
            "type_armed_group2": None,
            "taxation_armed_group2": None,
            "digging_armed_group2": None,
            "forced_labour_armed_group2": None,
        },
        {"SEC-01": NA, "SEC-02": NA, "SEC-03": NA, "SEC-04": NA, "HRA-01": NA},
    ),
]

CHILD_CASES = [
    ({"childunder15": "1"}, {"CHL-01": F, "CHL-03": P}),
    ({"childunder15": "Oui"}, {"CHL-01": F, "CHL-03": P}),
    ({"childunder15": "Observé"}, {"CHL-01": F}),
    ({"childunder15": "Non"}, {"CHL-01": P, "CHL-03": P}),
    ({"childunder15": ""}, {"CHL-01": U, "CHL-03": U}),
    ({"childunder15": "  "}, {"CHL-01": U, "CHL-03": U}),
    ({"childunder15": "dontknow"}, {"CHL-01": U, "CHL-03": U}),
    ({"childunder15": "Je ne sais pas"}, {"CHL-01": U, "CHL-03": U}),
    ({"childunder15": "no data"}, {"CHL-01": U, "CHL-03": U}),
    ({"childunder15": "Oberved"}, {"CHL-01": U, "CHL-03": U}),
    ({"childunder15": None}, {"CHL-01": NA, "CHL-03": NA}),
    ({"minors_15_17_work": "1"}, {"CHL-02": F}),
    ({"minors_15_17_work": ""}, {"CHL-02": U}),
    ({"minors_15_17_work": None}, {"CHL-02": NA}),
    ({"minors_hazardous_work": "Yes"}, {"CHL-04": F}),
    ({"minors_hazardous_work": "No"}, {"CHL-04": P}),
    ({"minors_hazardous_work": ""}, {"CHL-04": U}),
    # Hazardous tasks recorded for children or minors derive CHL-04 (ILO R190).
    ({"childunder15": "1", "childunder15work": "Creuser, Transport des minerais"}, {"CHL-04": F}),
    ({"minors_tasks": "Usage du mercure"}, {"CHL-04": F}),
    ({"minors_hazardous_work": "", "minors_tasks": "Concassage"}, {"CHL-04": F}),
    ({"minors_tasks": "Vendre, Cuisine"}, {"CHL-04": P}),
    ({"minors_hazardous_work": "", "minors_tasks": "Vendre"}, {"CHL-04": U}),
    ({"pregnant_women_work": "1"}, {"WOM-01": F}),
    ({"pregnant_women_work": "NSP"}, {"WOM-01": U}),
    ({"women": "1", "womenwork": "Transport des minerais, Prostitution"}, {"WOM-02": F}),
    ({"women": "Oui", "womenwork": "exploitation sexuelle"}, {"WOM-02": F}),
    ({"women": "1", "womenwork": "Lavage"}, {"WOM-02": P}),
    ({"women": "1", "womenwork": ""}, {"WOM-02": U}),
    ({"women": "1", "womenwork": "Je ne sais pas"}, {"WOM-02": U}),
    # The "no data" codes of the forms are no data in free-text columns too, never a "no".
    ({"women": "1", "womenwork": "dontknow"}, {"WOM-02": U}),
    ({"women": "1", "womenwork": "No data"}, {"WOM-02": U}),
    ({"women": "0", "womenwork": ""}, {"WOM-02": NX}),
    ({"women": "0", "womenwork": "Prostitution"}, {"WOM-02": NX}),
    ({"women": "", "womenwork": "Prostitution"}, {"WOM-02": F}),
    ({"women": "", "womenwork": "Lavage"}, {"WOM-02": U}),
    ({"women": "", "womenwork": ""}, {"WOM-02": U}),
    ({"sexual_violence": "1"}, {"WOM-03": F}),
    # A minor in prostitution: WOM-04 (red), from its question or a minors' task list.
    ({"minors_sexual_exploitation": "1"}, {"WOM-04": F}),
    ({"childunder15work": "Lavage, Prostitution"}, {"WOM-04": F, "CHL-04": P}),
    ({"minors_tasks": "prostitution"}, {"WOM-04": F}),
    ({"minors_sexual_exploitation": ""}, {"WOM-04": U}),
    ({"forced_or_bonded_labour": "1"}, {"HRA-02": F}),
    ({"forced_or_bonded_labour": "dontknow"}, {"HRA-02": U}),
    ({"serious_abuses": "Oui"}, {"HRA-03": F}),
    ({"serious_abuses": None}, {"HRA-03": NA}),
    ({"sexual_violence": ""}, {"WOM-03": U}),
    ({"presence": "1", **actor(name="Mai-Mai", type=LOCAL, forced_labour="1")}, {"HRA-01": F}),
    ({"presence": "1", **actor(name="Mai-Mai", type=LOCAL, forced_labour="0")}, {"HRA-01": P}),
    ({"presence": "1", **actor(2, name="PNC", type=PNC_BAD, forced_labour="Oui")}, {"HRA-01": F}),
    ({"presence": "0"}, {"HRA-01": P}),
    # Forced labour by an actor whose category was left blank is still forced labour.
    (
        {"presence": "1", **actor(name="Inconnus", type="", forced_labour="1")},
        {"HRA-01": F, "SEC-01": U, "SEC-02": U},
    ),
    ({"presence": "", "type_armed_group1": ""}, {"HRA-01": U}),
]

LEGAL_CASES = [
    ({"title_zone": "ZEA"}, {"LEG-01": P, "LEG-02": NX, "LEG-03": P}),
    ({"title_zone": "Zone d'exploitation artisanale"}, {"LEG-01": P}),
    ({"title_zone": "Aucun titre"}, {"LEG-01": F, "LEG-03": P, "LEG-02": NX}),
    ({"title_zone": "ZIN"}, {"LEG-01": P, "LEG-03": F}),
    ({"title_zone": "Aire protégée"}, {"LEG-03": F}),
    ({"title_zone": ""}, {"LEG-01": U, "LEG-03": U}),
    ({"title_zone": None, "title_agreement": None}, {"LEG-01": NA, "LEG-02": NA, "LEG-03": NA}),
    ({"title_zone": "PE", "title_agreement": "1"}, {"LEG-01": P, "LEG-02": P}),
    ({"title_zone": "PR", "title_agreement": "0"}, {"LEG-02": F}),
    ({"title_zone": "PE", "title_agreement": ""}, {"LEG-02": U}),
    ({"title_zone": "", "title_agreement": "0"}, {"LEG-02": F}),
    ({"title_zone": "", "title_agreement": "1"}, {"LEG-02": U}),
    ({"cooperative_agrement": "0"}, {"LEG-04": F}),
    ({"cooperative_agrement": ""}, {"LEG-04": U}),
    ({"cooperative_agrement": None}, {"LEG-04": NA}),
    ({"share_miners_with_card": "100%"}, {"LEG-05": P}),
    ({"share_miners_with_card": "100,0 %"}, {"LEG-05": P}),
    ({"share_miners_with_card": "99,5"}, {"LEG-05": F}),
    ({"share_miners_with_card": "85 %"}, {"LEG-05": F}),
    ({"share_miners_with_card": "0"}, {"LEG-05": F}),
    ({"share_miners_with_card": ""}, {"LEG-05": U}),
    ({"share_miners_with_card": "beaucoup"}, {"LEG-05": U}),
    ({"foreign_miners": "1"}, {"LEG-06": F}),
    ({"heavy_machinery": "Oui"}, {"LEG-06": F}),
    ({"foreign_miners": "", "heavy_machinery": "1"}, {"LEG-06": F}),
    ({"foreign_miners": "0", "heavy_machinery": ""}, {"LEG-06": U}),
    # Half the question missing: absence of foreigners is not shown.
    ({"foreign_miners": None, "heavy_machinery": "0"}, {"LEG-06": U}),
    ({"foreign_miners": None, "heavy_machinery": None}, {"LEG-06": NA}),
    ({"state_service1": "Division des mines"}, {"LEG-07": P}),
    ({"state_service1": "ANR", "state_service2": "SAESSCAM"}, {"LEG-07": P}),
    ({"state_service1": "", "state_service4": "SAEMAPE"}, {"LEG-07": P}),
    ({"state_service1": "ANR", "state_service2": "DGM"}, {"LEG-07": F}),
    ({"state_service1": ""}, {"LEG-07": U}),
    ({"state_service1": "dontknow"}, {"LEG-07": U}),
    ({"state_service1": "NSP", "state_service2": "SAEMAPE"}, {"LEG-07": P}),
    ({"is_3t_mine": "1", "traceability": "Pas de données"}, {"LEG-08": U}),
    # A blank traceability cell is no data, never "no programme" (LEG-08 is info).
    ({"is_3t_mine": "1", "traceability": ""}, {"LEG-08": U}),
    ({"is_3t_mine": "1", "traceability": "Aucun"}, {"LEG-08": F}),
    ({"is_3t_mine": "1", "traceability": "Better Mining"}, {"LEG-08": P}),
    ({"is_3t_mine": "0", "traceability": ""}, {"LEG-08": NX}),
    # Unknown whether the site is 3T: a programme named does not settle it, and a blank
    # traceability cell (read as "no programme") is not evidence of a failure either.
    ({"is_3t_mine": "", "traceability": "iTSCi"}, {"LEG-08": U}),
    ({"is_3t_mine": "", "traceability": ""}, {"LEG-08": U}),
    ({"is_3t_mine": "dontknow", "traceability": ""}, {"LEG-08": U}),
]


def _case_id(case) -> str:
    changes, expected = case
    text = ",".join(f"{k}={v!r}" for k, v in changes.items())[:60]
    return f"{'/'.join(expected)}[{text}]"


CASES = SECURITY_CASES + CHILD_CASES + LEGAL_CASES


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Every case that keeps all columns, scored together as one file (one row per case)."""
    rows = [
        visit(**changes, vid=f"case{i}")
        for i, (changes, _) in enumerate(CASES)
        if None not in changes.values()
    ]
    report = score_file(write_csv(tmp_path_factory.mktemp("batch") / "cases.csv", rows))
    ids = [c.id for c in report.criteria]
    return {
        vid: {cid: Outcome(int(report.outcomes[i, j])) for j, cid in enumerate(ids)}
        for i, vid in enumerate(report.visits["visit_id"])
    }


@pytest.mark.parametrize("number", range(len(CASES)), ids=[_case_id(c) for c in CASES])
def test_truth_table(tmp_path, batch, number):
    changes, expected = CASES[number]
    if None in changes.values():
        outcomes, _ = outcomes_of(tmp_path, visit(**changes))
    else:
        outcomes = batch[f"case{number}"]
    got = {cid: outcomes[cid] for cid in expected}
    assert got == expected


def test_a_case_scores_the_same_alone_and_in_a_batch(tmp_path, batch):
    for number in (1, 7, 30):
        changes, _ = CASES[number]
        alone, _ = outcomes_of(tmp_path, visit(**changes, vid=f"case{number}"))
        assert alone == batch[f"case{number}"]


def test_every_criterion_has_a_truth_table_row_that_fails_it():
    failed = {
        cid for changes, expected in CASES for cid, outcome in expected.items() if outcome == F
    }
    every = {c.id for checklist in load_checklists() for c in checklist.criteria}
    # SEC-04 and CHL-03 only check that an answer was given: they never fail, only go unknown.
    assert every - {"SEC-04", "CHL-03"} <= failed, sorted(every - failed)


def test_unrecognised_answer_is_unknown_and_listed_with_its_cell(tmp_path):
    rows = [visit(vid="V1"), visit(vid="V2", childunder15="Oberved")]
    report = score_file(write_csv(tmp_path / "visits.csv", rows))
    j = [c.id for c in report.criteria].index("CHL-01")
    assert Outcome(int(report.outcomes[1, j])) == U
    assert report.visits["status"].tolist() == ["green", "incomplete"]
    assert report.visits["reason"].tolist()[1] == "visit.incomplete"
    assert report.visits["could_be"].tolist()[1] == "red"
    cells = View(report, "en").unrecognised()
    assert {
        "criterion": "CHL-01",
        "answer": "Oberved",
        "file": "visits.csv",
        "sheet": None,
        "row": 3,
        "column": "childunder15",
    } in cells
    assert {c["row"] for c in cells} == {3}
    assert {c["criterion"] for c in cells} == {"CHL-01", "CHL-03"}


def test_unrecognised_gate_answer_is_listed(tmp_path):
    report = score_file(write_csv(tmp_path / "v.csv", [visit(women="Peut-être")]))
    cells = View(report, "en").unrecognised()
    assert [(c["criterion"], c["column"], c["row"], c["answer"]) for c in cells] == [
        ("WOM-02", "women", 2, "Peut-être")
    ]


def test_unrecognised_actor_category_is_listed_with_actor_column(tmp_path):
    row = visit(presence="1", armed_group2="X", type_armed_group2="Acteur inconnu")
    report = score_file(write_csv(tmp_path / "v.csv", [visit(vid="ok"), row]))
    cells = View(report, "en").unrecognised()
    assert cells, "an unrecognised category must be reported"
    assert {(c["row"], c["column"], c["answer"]) for c in cells} == {
        (3, "type_armed_group2", "Acteur inconnu")
    }
    assert report.visits["status"].tolist() == ["green", "incomplete"]


def test_blank_and_no_data_answers_are_not_unrecognised(tmp_path):
    rows = [visit(childunder15=""), visit(childunder15="no data"), visit(childunder15="dontknow")]
    report = score_file(write_csv(tmp_path / "v.csv", rows))
    assert View(report, "en").unrecognised() == []
    assert report.visits["status"].tolist() == ["incomplete"] * 3


def test_strict_raises_input_error_naming_file_row_column(tmp_path):
    rows = [visit(vid="V1"), visit(vid="V2"), visit(vid="V3", childunder15="Oberved")]
    path = write_csv(tmp_path / "visits.csv", rows)
    with pytest.raises(InputError) as raised:
        score_file(path, strict=True)
    error = raised.value
    assert (error.path.name, error.row, error.column) == ("visits.csv", 4, "childunder15")
    message = str(error)
    assert message.startswith("visits.csv, row 4, column childunder15:")
    assert '"Oberved"' in message
    assert 'did you mean "Observed"?' in message
    # Without strict the same file scores: the answer is unknown, not an error.
    assert score_file(path).visits["status"].tolist() == ["green", "green", "incomplete"]


def test_strict_passes_clean_file(tmp_path):
    report = score_file(write_csv(tmp_path / "v.csv", [visit()]), strict=True)
    assert report.visits["status"].tolist() == ["green"]


# --- the visit rule ---------------------------------------------------------------------------


def verdicts(tmp_path, rows):
    # drc: the legality criteria (LEG-04, LEG-06) are yellow there, info under icglr.
    report = score_file(write_csv(tmp_path / "visits.csv", rows), profile="drc")
    return report, report.visits.set_index("visit_id")


def test_red_beats_yellow_and_decisive_is_the_colour_of_the_visit(tmp_path):
    rows = [
        visit(vid="red", childunder15="1", cooperative_agrement="0", minors_hazardous_work="1"),
        visit(vid="yellow", cooperative_agrement="0", foreign_miners="1"),
        visit(vid="green"),
    ]
    _, v = verdicts(tmp_path, rows)
    assert v.loc["red", "status"] == "red"
    assert v.loc["red", "reason"] == "visit.red"
    assert v.loc["red", "decisive"] == "CHL-01 CHL-04"
    assert v.loc["yellow", "status"] == "yellow"
    assert v.loc["yellow", "reason"] == "visit.yellow"
    assert v.loc["yellow", "decisive"] == "LEG-04 LEG-06"
    assert v.loc["green", "status"] == "green"
    assert v.loc["green", "reason"] == "visit.green"


def test_red_failure_with_missing_evidence_stays_red(tmp_path):
    _, v = verdicts(tmp_path, [visit(vid="x", childunder15="1", cooperative_agrement="")])
    assert v.loc["x", "status"] == "red"
    assert v.loc["x", "decisive"] == "CHL-01"
    assert v.loc["x", "unknown"] == "LEG-04"


def test_unknown_with_status_effect_is_incomplete(tmp_path):
    _, v = verdicts(
        tmp_path, [visit(vid="x", childunder15="", presence="dontknow", type_armed_group1="")]
    )
    assert v.loc["x", "status"] == "incomplete"
    assert v.loc["x", "reason"] == "visit.incomplete"
    assert v.loc["x", "could_be"] == "red"
    assert v.loc["x", "decisive"] == "" and v.loc["x", "failed"] == ""
    assert set(v.loc["x", "unknown"].split()) >= {"CHL-01", "CHL-03", "SEC-01", "SEC-04"}


def test_not_assessed_with_status_effect_is_incomplete(tmp_path):
    _, v = verdicts(tmp_path, [visit(vid="x", cooperative_agrement=None)])
    assert v.loc["x", "status"] == "incomplete"
    assert v.loc["x", "reason"] == "visit.incomplete"
    assert v.loc["x", "could_be"] == "yellow"
    assert v.loc["x", "not_assessed"] == "LEG-04"
    assert v.loc["x", "unknown"] == ""


def test_info_criterion_is_never_decisive(tmp_path):
    pmh = {"presence": "1", "armed_group1": "PMH", "type_armed_group1": PMH_OK}
    report, v = verdicts(tmp_path, [visit(vid="pmh", **pmh)])
    j = [c.id for c in report.criteria].index("SEC-05")
    assert Outcome(int(report.outcomes[0, j])) == F
    assert v.loc["pmh", "status"] == "green"
    assert v.loc["pmh", "decisive"] == ""
    # With another yellow failure the info criterion is still not decisive.
    report, v = verdicts(tmp_path, [visit(vid="pmh", cooperative_agrement="0", **pmh)])
    assert v.loc["pmh", "decisive"] == "LEG-04"


def test_info_criterion_unknown_does_not_block_green(tmp_path):
    report = score_file(
        write_csv(tmp_path / "v.csv", [visit()]), checklists=[_info_only_checklist(tmp_path)]
    )
    assert report.visits["status"].tolist() == ["green"]


def _info_only_checklist(tmp_path):
    path = tmp_path / "info.toml"
    path.write_text(
        'id = "info"\ntitle = "Info"\nversion = "1"\n[columns]\nmissing_col = []\n'
        '[[criteria]]\nid = "INF-01"\ntitle = "t"\nseverity = "info"\ncolumn = "missing_col"\n'
        'answers = "yes-no"\nfail = ["yes"]\npass = ["no"]\n'
        '[[criteria]]\nid = "INF-02"\ntitle = "t"\nseverity = "yellow"\ncolumn = "childunder15"\n'
        'answers = "yes-no"\nfail = ["yes"]\npass = ["no"]\n',
        encoding="utf-8",
    )
    return path


def test_rows_without_colour_and_excel_row_numbers(tmp_path):
    blank = dict.fromkeys(GREEN, "")
    rows = [
        visit(vid="v2"),
        visit(vid="off", visit_onsite="0", childunder15="1"),
        {**visit(vid="qual", childunder15=""), "project": "Qualification status"},
        blank,
        visit(vid="v6", childunder15="1"),
    ]
    report = score_file(write_csv(tmp_path / "visits.csv", rows))
    v = report.visits
    assert v["row"].tolist() == [2, 3, 4, 5, 6]
    assert v["status"].tolist() == ["green", None, None, None, "red"]
    assert v["reason"][1] == "row.not-onsite"
    assert v["reason"][2] == "row.qualification"
    assert v["reason"][3] == "row.empty"
    assert v["decisive"].tolist()[1:4] == ["", "", ""]
    assert report.counts() == {"green": 1, "yellow": 0, "incomplete": 0, "red": 1}
    assert report.no_colour() == {"row.not-onsite": 1, "row.qualification": 1, "row.empty": 1}
    assert sum(report.counts().values()) + sum(report.no_colour().values()) == len(rows)
