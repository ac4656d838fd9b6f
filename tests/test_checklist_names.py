"""`minesite checklists check` catches every verdict-changing typo: each mutation of a bundled
checklist below names something that does not exist, and would have changed a verdict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, invoke, score_file, visit, write_csv

from minesite.checklists import load_checklist
from minesite.errors import ChecklistError
from minesite.render.i18n import catalog

CHECKLISTS = ROOT / "checklists"

# (file, text in the file, replacement, key named in the error, words of the message)
MUTATIONS = {
    # ux.md defect 2: this one turned an armed-group visit green and passed `check`.
    "fail category": (
        "armed-groups",
        'fail_categories = ["nsag", "nsag-local", "nsag-foreign"]',
        'fail_categories = ["nsag", "nsag-locale", "nsag-foreign"]',
        "fail_categories",
        '"nsag-locale" is not an answer of [answers.actor-category] (did you mean "nsag-local"?)',
    ),
    "concerned category": (
        "armed-groups",
        'categories = ["nsag", "nsag-local", "nsag-foreign"]',
        'categories = ["nsag", "nsag-local", "nsag-foreing"]',
        "categories",
        '(did you mean "nsag-foreign"?)',
    ),
    "unknown category": (
        "armed-groups",
        'unknown_categories = ["fardc-no-data", "pnc-no-data", "pmh-no-data"]\nfail = ["yes"]',
        'unknown_categories = ["fardc-nodata", "pnc-no-data", "pmh-no-data"]\nfail = ["yes"]',
        "unknown_categories",
        '(did you mean "fardc-no-data"?)',
    ),
    "conduct flag": (
        "armed-groups",
        '"digging", "forced_labour", "pillaging"',
        '"diging", "forced_labour", "pillaging"',
        "flags",
        'unknown actor field "diging" (see [actors] in columns.toml) (did you mean "digging"?)',
    ),
    "presence column": (
        "armed-groups",
        'presence = "presence"',
        'presence = "presense"',
        "presence",
        'unknown column "presense"',
    ),
    "actor field read": (
        "child-labor",
        'column = "category"',
        'column = "categroy"',
        "column",
        '(did you mean "category"?)',
    ),
    "flag vocabulary": (
        "child-labor",
        'flag_answers = "yes-no"',
        'flag_answers = "yesno"',
        "flag_answers",
        'no [answers.yesno] table (did you mean "yes-no"?)',
    ),
    "names vocabulary": (
        "armed-groups",
        'names = "actor-name"',
        'names = "actor-names"',
        "names",
        '(did you mean "actor-name"?)',
    ),
    "visit column": (
        "child-labor",
        'column = "childunder15"',
        'column = "childunder_15"',
        "column",
        '(did you mean "childunder15"?)',
    ),
    "a header variant instead of the column": (
        "child-labor",
        'column = "childunder15"',
        'column = "child_under_15"',
        "column",
        '"child_under_15" is a header variant of childunder15: name the column childunder15',
    ),
    "one of several columns": (
        "legal-authority",
        '"state_service3", "state_service4"]',
        '"state_service3", "state_servise4"]',
        "column",
        '(did you mean "state_service4"?)',
    ),
    "task column": (
        "child-labor",
        'tasks = ["childunder15work", "minors_tasks"]\ntask_answers = "hazardous-task"',
        'tasks = ["childunder15work", "minor_tasks"]\ntask_answers = "hazardous-task"',
        "tasks",
        '(did you mean "minors_tasks"?)',
    ),
    "task vocabulary": (
        "child-labor",
        'task_answers = "hazardous-task"',
        'task_answers = "hazardous-tasks"',
        "task_answers",
        '(did you mean "hazardous-task"?)',
    ),
    "skip-logic column": (
        "child-labor",
        'relevant = { column = "women",',
        'relevant = { column = "woman",',
        "relevant.column",
        '(did you mean "women"?)',
    ),
    "skip-logic answer": (
        "child-labor",
        'answers = "yes-no", is = ["yes"] }',
        'answers = "yes-no", is = ["oui"] }',
        "relevant.is",
        '"oui" is not an answer of [answers.yes-no]',
    ),
    "skip-logic key": (
        "legal-authority",
        'relevant = { column = "is_3t_mine", answers = "yes-no", is = ["yes"] }',
        'relevant = { column = "is_3t_mine", answer = "yes-no", is = ["yes"] }',
        "relevant.answer",
        '(did you mean "answers"?)',
    ),
    # Rules that compute yes/no: a fail list outside yes/no would never fail.
    "computed answer": (
        "legal-authority",
        'min = 100\nfail = ["no"]',
        'min = 100\nfail = ["non"]',
        "fail",
        '"non" is not an answer of [answers.yes-no] (did you mean "no"?)',
    ),
    "pass answer": (
        "child-labor",
        'answers = "yes-no"\nfail = ["yes"]\npass = ["no"]',
        'answers = "yes-no"\nfail = ["yes"]\npass = ["non"]',
        "pass",
        '"non" is not an answer of [answers.yes-no]',
    ),
    "threshold not a number": (
        "legal-authority",
        "min = 100",
        'min = "100"',
        "min",
        "must be a finite number",
    ),
    "threshold not finite": ("legal-authority", "min = 100", "min = nan", "min", "finite number"),
    "blank reading": (
        "legal-authority",
        'column = "traceability"',
        'column = "traceability"\nblank = "non"',
        "blank",
        'blank must be "yes", "no" or "unknown"',
    ),
    "phrases": (
        "legal-authority",
        'values = ["iTSCi",',
        'values = ["", "iTSCi",',
        "values",
        "must be a list of strings",
    ),
    "flag vocabulary without yes": (
        "child-labor",
        'flag_answers = "yes-no"',
        'flag_answers = "title-zone"',
        "flag_answers",
        '[answers.title-zone] has no answer "yes", which this rule reads',
    ),
    "task vocabulary that fails nothing": (
        "child-labor",
        'task_answers = "hazardous-task"\nfail = ["yes"]\npass = ["no"]',
        'task_answers = "hazardous-task"\nfail = ["no"]\npass = ["yes"]',
        "task_answers",
        "[answers.hazardous-task] gives yes, none of which fails the criterion",
    ),
    "criterion vocabulary": (
        "legal-authority",
        'answers = "title-zone"\nfail = ["none"]',
        'answers = "title-zones"\nfail = ["none"]',
        "answers",
        'no [answers.title-zones] table (did you mean "title-zone"?)',
    ),
    "skip-logic vocabulary": (
        "legal-authority",
        'answers = "title-zone", is = ["pe", "pr"]',
        'answers = "titlezone", is = ["pe", "pr"]',
        "relevant.answers",
        '(did you mean "title-zone"?)',
    ),
    "no-data phrases": (
        "child-labor",
        'unknown_values = ["Je ne sais pas",',
        'unknown_values = ["  ", "Je ne sais pas",',
        "unknown_values",
        "must be a list of strings",
    ),
    "profile severity": (
        "child-labor",
        'severity = { "CHL-01" = "yellow" }',
        'severity = { "CHL-01" = "yelow" }',
        "profiles.drc-2012-practice.severity",
        'severity must be one of red, yellow, info (did you mean "yellow"?)',
    ),
    "profile basis of an unchanged criterion": (
        "child-labor",
        'basis = { "CHL-01" = "IPIS',
        'basis = { "CHL-04" = "IPIS',
        "profiles.drc-2012-practice.basis",
        "a basis (text) is given for a criterion whose severity the profile does not change",
    ),
    "profile scope": (
        "armed-groups",
        'exclude = ["SEC-07", "SEC-08"]',
        'exclude = ["SEC-07", "SEC-8"]',
        "profiles.ipis-open-data.exclude",
        'no such criterion (did you mean "SEC-08"?)',
    ),
    "profile key": (
        "armed-groups",
        'exclude = ["SEC-07", "SEC-08"]',
        'exclude_criteria = ["SEC-07", "SEC-08"]',
        "profiles.ipis-open-data.exclude_criteria",
        '(did you mean "exclude"?)',
    ),
    "raised without a text": (
        "legal-authority",
        'basis = { "LEG-01" = "Code minier art. 1 pt 19 bis, 109-111: artisanal exploitation '
        'only inside a ZEA", ',
        "basis = { ",
        "profiles.drc.basis",
        "raises this criterion from info to yellow: cite the text",
    ),
}


def mutated(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (CHECKLISTS / f"{name}.toml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", MUTATIONS)
def test_check_refuses_a_name_that_does_not_exist(tmp_path, case):
    name, old, new, key, words = MUTATIONS[case]
    result = invoke("checklists", "check", mutated(tmp_path, name, old, new))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert f"{name}.toml" in line and f"key {key}:" in line
    assert words in line


def test_the_reported_typo_would_have_turned_an_armed_group_green(tmp_path):
    """ux.md defect 2, end to end: the same visit, the good file and the mutated one."""
    _, old, new, _, _ = MUTATIONS["fail category"]
    row = visit(presence="1", armed_group1="Raïa Mutomboki", type_armed_group1="Groupe armé local")
    path = write_csv(tmp_path / "v.csv", [row])
    good = score_file(path, checklists=["armed-groups"])
    assert good.visits["status"].tolist() == ["red"]
    result = invoke("validate", path, "-c", mutated(tmp_path, "armed-groups", old, new))
    assert result.exit_code == 2
    assert "nsag-locale" in result.stderr


def test_a_checklist_declares_the_columns_it_introduces(tmp_path):
    text = (
        'id = "road"\ntitle = "Road"\nversion = "1"\n[columns]\nroad_state = ["État de la route"]\n'
        '[[criteria]]\nid = "RD-01"\ntitle = "t"\nseverity = "yellow"\ncolumn = "road_state"\n'
        'answers = "yes-no"\nfail = ["no"]\npass = ["yes"]\n'
    )
    path = tmp_path / "road.toml"
    path.write_text(text, encoding="utf-8")
    assert invoke("checklists", "check", path).exit_code == 0
    path.write_text(text.replace('column = "road_state"', 'column = "road_sate"'), "utf-8")
    with pytest.raises(ChecklistError) as raised:
        load_checklist(path)
    french = raised.value.render("fr")
    assert "colonne inconnue « road_sate »" in french
    assert "vouliez-vous dire « road_state »" in french


@pytest.mark.parametrize("name", ["armed-groups", "legal-authority", "child-labor"])
def test_french_errors_for_checklists(tmp_path, name):
    path = mutated(tmp_path, name, 'version = "2026.2"', 'versoin = "2026.2"')
    with pytest.raises(ChecklistError) as raised:
        load_checklist(path)
    assert raised.value.render("fr") == (
        f"{name}.toml, clé versoin : clé inconnue (vouliez-vous dire « version » ?)"
    )


def test_every_code_raised_by_the_checklist_modules_is_in_the_catalog():
    sources = [*(ROOT / "minesite" / "checklists").glob("*.py")]
    sources += [ROOT / "minesite" / n for n in ("_resources.py", "xlsform.py", "rules.py")]
    codes = set()
    for source in sources:
        codes |= set(re.findall(r'"((?:checklist|usage)\.[a-z0-9.-]+)"', source.read_text()))
    assert len(codes) > 30
    entries = catalog()
    missing = sorted(c for c in codes if c not in entries or set(entries[c]) != {"fr", "en"})
    assert missing == []
