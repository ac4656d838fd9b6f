"""`minesite checklists xlsform`: an XLSForm whose answers minesite reads without mapping."""

from pathlib import Path

import pandas as pd
import pytest
from pyxform.xls2xform import xls2xform_convert
from typer.testing import CliRunner

from minesite.checklists import load_checklists, shared_vocabularies
from minesite.checklists.vocabulary import lookup
from minesite.cli import app
from minesite.xlsform import build, choice_name


def _convert(path: Path, tmp_path: Path) -> str:
    xml = tmp_path / "form.xml"
    warnings = xls2xform_convert(path, xml, validate=False)
    assert not [w for w in warnings if "error" in w.lower()]
    return xml.read_text(encoding="utf-8")


def test_generated_form_converts_with_pyxform(tmp_path):
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(app, ["checklists", "xlsform", str(out)])
    assert result.exit_code == 0, result.output
    xml = _convert(out, tmp_path)
    assert 'lang="Français (fr)"' in xml and 'lang="English (en)"' in xml
    assert "/data/armed_actors/forced_labour" in xml
    assert "/data/visit_onsite  = '1' and  /data/presence  = '1'" in xml
    survey = pd.read_excel(out, sheet_name="survey", dtype=str, engine="calamine").fillna("")
    names = survey["name"].tolist()
    for column in ("vid", "pcode", "visit_date", "latitude", "longitude", "childunder15"):
        assert column in names
    repeat = names.index("armed_actors")
    assert survey["type"].iat[repeat] == "begin_repeat"
    inside = names[repeat + 1 : names.index("armed_actors", repeat + 1)]
    assert inside[:2] == ["category", "name"] and "pit_ownership" in inside
    assert set(pd.read_excel(out, sheet_name=None, engine="calamine")) == {
        "survey",
        "choices",
        "settings",
    }


def test_choices_map_back_to_canonical_answers(tmp_path):
    form = build(load_checklists())
    vocabularies = shared_vocabularies()
    names = {(r["list_name"], r["name"]) for r in form.choices}
    assert ("actor_category", "nsag_local") in names
    assert ("actor_category", "fardc_undisciplined") in names
    assert ("yes_no", "1") in names and ("title_zone", "no_title") in names
    for row in form.choices:
        vocabulary = vocabularies[row["list_name"].replace("_", "-")]
        assert lookup(vocabulary, row["name"]) in vocabulary.raw
    assert choice_name(vocabularies["yes-no"], "unknown") == "dontknow"


def test_only_selected_checklists_and_skip_logic(tmp_path):
    out = tmp_path / "child.xlsx"
    result = CliRunner().invoke(app, ["checklists", "xlsform", str(out), "-c", "child-labor"])
    assert result.exit_code == 0, result.output
    survey = pd.read_excel(out, sheet_name="survey", dtype=str, engine="calamine").fillna("")
    names = survey["name"].tolist()
    assert "title_zone" not in names and "presence" in names  # HRA-01 reads the actors
    womenwork = survey[survey["name"] == "womenwork"].iloc[0]
    assert "${women} = '1'" in womenwork["relevant"]
    _convert(out, tmp_path)
    legal = build(load_checklists(["legal-authority"]))
    agreement = next(r for r in legal.survey if r["name"] == "title_agreement")
    assert "${title_zone} = ''" in agreement["relevant"]
    assert "${title_zone} = 'pe'" in agreement["relevant"]


def test_never_overwrites_without_force(tmp_path):
    out = tmp_path / "form.xlsx"
    out.write_bytes(b"precious")
    result = CliRunner().invoke(app, ["checklists", "xlsform", str(out)])
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_bytes() == b"precious"
    result = CliRunner().invoke(app, ["checklists", "xlsform", str(out), "--force"])
    assert result.exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("name", ["form.xls", "form.csv"])
def test_xlsx_only(tmp_path, name):
    result = CliRunner().invoke(app, ["checklists", "xlsform", str(tmp_path / name)])
    assert result.exit_code == 2


def test_answers_of_the_form_score_without_mapping(tmp_path):
    """A submission written with the form's names and choice values scores green when clean."""
    form = build(load_checklists())
    values = {"vid": "K1", "pcode": "site1", "name": "Site", "visit_date": "2026-03-01"}
    values |= {"latitude": "-2.05", "longitude": "28.05", "title_zone": "zea"}
    values |= {"share_miners_with_card": "100", "state_service1": "SAEMAPE"}
    values |= {"traceability": "iTSCi", "womenwork": "Lavage"}
    yes_questions = {"visit_onsite", "title_agreement", "cooperative_agrement", "is_3t_mine"}
    yes_questions.add("women")
    top, depth = [], 0
    for question in form.survey:
        depth += {"begin_repeat": 1, "end_repeat": -1}.get(question["type"], 0)
        if depth == 0 and question["type"] != "end_repeat":
            top.append(question["name"])
    row = {}
    for name in top:
        row[name] = values.get(name, "1" if name in yes_questions else "0")
    path = tmp_path / "kobo.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output


def _form_submission(form) -> tuple[dict[str, str], list[str]]:
    """A clean answer to every top-level question of the form, and the repeat's questions."""
    values = {"vid": "uuid-1", "pcode": "site1", "name": "Site", "visit_date": "2026-03-01"}
    values |= {"latitude": "-2.05", "longitude": "28.05", "title_zone": "zea"}
    values |= {"share_miners_with_card": "100", "state_service1": "SAEMAPE"}
    values |= {"traceability": "iTSCi", "womenwork": "Lavage", "presence": "1"}
    yes = {"visit_onsite", "title_agreement", "cooperative_agrement", "is_3t_mine", "women"}
    top, repeat, depth = [], [], 0
    for question in form.survey:
        depth += {"begin_repeat": 1, "end_repeat": -1}.get(question["type"], 0)
        if question["type"] in ("begin_repeat", "end_repeat", "begin_group", "end_group"):
            continue
        (repeat if depth else top).append(question["name"])
    row = {name: values.get(name, "1" if name in yes else "0") for name in top}
    return row, repeat


@pytest.mark.parametrize(
    "category, expected",
    # FARDC present without interference (SEC-03) is recorded, not decisive, under icglr;
    # presence "yes" beside an actor answered "none" is contradictory: unknown, never a pass.
    [("nsag_local", "red"), ("fardc_no_interference", "green"), ("none", "incomplete")],
)
def test_kobo_xlsx_export_with_the_actor_repeat_scores_like_canonical_columns(
    tmp_path, category, expected
):
    """An XLSX export of a submission to the generated form (main sheet + armed_actors repeat
    sheet, Kobo layout) gives the same verdict as the same answers in canonical columns."""
    from openpyxl import Workbook

    form = build(load_checklists())
    row, repeat = _form_submission(form)
    actor = dict.fromkeys(repeat, "0") | {"category": category, "name": "Acteur"}
    workbook = Workbook()
    main = workbook.active
    main.title = "Inspection"
    header = [*row, "_id", "_uuid", "_submission_time", "_index"]
    main.append(header)
    main.append([*row.values(), "1", row["vid"], "2026-03-01T10:00:00", "1"])
    sheet = workbook.create_sheet("armed_actors")
    sheet.append(
        [f"armed_actors/{n}" for n in actor] + ["_index", "_parent_table_name", "_parent_index"]
    )
    sheet.append([*actor.values(), "1", "Inspection", "1"])
    kobo = tmp_path / "kobo.xlsx"
    workbook.save(kobo)
    canonical = tmp_path / "canonical.csv"
    wide = {
        "type_armed_group1": category if category != "none" else "Aucun",
        "armed_group1": "Acteur",
    }
    flags = {f"{n}_armed_group1": "0" for n in repeat if n not in ("category", "name")}
    pd.DataFrame([row | wide | flags]).to_csv(canonical, index=False)
    verdicts = []
    for path in (kobo, canonical):
        result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        import json

        visit = json.loads(result.output)["visits"][0]
        unknown = [f["criterion"] for f in visit["unknown"]]
        verdicts.append((visit["status"], visit["decisive"], unknown))
    assert verdicts[0] == verdicts[1]
    assert verdicts[0][0] == expected


def test_new_criteria_get_questions(tmp_path):
    """HRA-02, HRA-03, WOM-04, SEC-07/08 and the task lists that derive CHL-04 are asked, with
    labels in both languages and the roadblock's actor shown only after a roadblock."""
    form = build(load_checklists())
    survey = {row["name"]: row for row in form.survey}
    for name in ("forced_or_bonded_labour", "serious_abuses", "minors_sexual_exploitation"):
        assert survey[name]["type"] == "select_one yes_no"
        assert survey[name]["label::Français (fr)"] and survey[name]["label::English (en)"]
    assert survey["roadblock"]["type"] == "select_one yes_no"
    assert survey["roadblock_actor"]["type"] == "select_one actor_category"
    assert "${roadblock} = '1'" in survey["roadblock_actor"]["relevant"]
    for name in ("minors_tasks", "childunder15work"):
        assert survey[name]["type"] == "text" and survey[name]["required"] == ""
    names = {(r["list_name"], r["name"]) for r in form.choices}
    assert {("actor_category", n) for n in ("nsag", "anr", "park_guard", "pmh_no_data")} <= names
    out = tmp_path / "form.xlsx"
    assert CliRunner().invoke(app, ["checklists", "xlsform", str(out)]).exit_code == 0
    xml = _convert(out, tmp_path)
    assert "/data/roadblock_actor" in xml and "/data/serious_abuses" in xml


def test_xlsform_output_name_error_is_a_code(tmp_path):
    result = CliRunner().invoke(app, ["checklists", "xlsform", str(tmp_path / "form.xls")])
    assert result.exit_code == 2
    assert result.stderr.strip() == "minesite: form.xls: an XLSForm is written as .xlsx"


def test_the_form_asks_what_the_dossier_prints(tmp_path):
    types = {row["name"]: row["type"] for row in build(load_checklists()).survey}
    assert types["site_gps"] == "geopoint" and types["latitude"] == "calculate"
    assert types["team"] == types["team_members"] == "text"
    assert {types[p] for p in ("photo_site", "photo_security", "photo_children")} == {"image"}
    # Kobo exports the geopoint beside its calculated latitude and longitude: one column each.
    path = tmp_path / "export.csv"
    path.write_text(
        "vid,pcode,visit_date,childunder15,site_gps,_site_gps_latitude,_site_gps_longitude,"
        "latitude,longitude\n"
        "A,s,2026-03-01,0,-2.7 28.7 0 5,-2.7,28.7,-2.7,28.7\n",
        encoding="utf-8",
    )
    args = ["validate", str(path), "--format", "json", "--as-of", "2026-06-30"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 1, out.stderr
