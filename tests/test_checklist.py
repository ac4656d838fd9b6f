"""Bundled checklists load; profiles change severities; invalid checklists fail with one line."""

from __future__ import annotations

import pytest
from conftest import invoke

from minesite import ChecklistError, load_checklists
from minesite.errors import UsageError
from minesite.model import Severity

GOOD = """\
id = "mine"
title = { fr = "Ma liste", en = "My list" }
version = "1"

[columns]
road = ["Route", "Road"]

[answers.traffic]
ok = ["Bon", "Good"]
bad = ["Mauvais", "Bad"]

[[criteria]]
id = "MY-01"
title = "Child labour"
severity = "red"
column = "childunder15"
answers = "yes-no"
fail = ["yes"]
pass = ["no"]

[[criteria]]
id = "MY-02"
title = "Road"
severity = "yellow"
column = "road"
answers = "traffic"
fail = ["bad"]
pass = ["ok"]
"""


def severities(checklists) -> dict[str, Severity]:
    return {c.id: c.severity for checklist in checklists for c in checklist.criteria}


def test_bundled_checklists_load_in_order():
    checklists = load_checklists()
    assert [c.id for c in checklists] == ["armed-groups", "legal-authority", "child-labor"]
    ids = list(severities(checklists))
    assert len(ids) == len(set(ids)) == 21
    for checklist in checklists:
        assert checklist.version
        assert set(checklist.title) == {"fr", "en"}
        for criterion in checklist.criteria:
            assert criterion.checklist == checklist.id
            assert criterion.title_in("fr") and criterion.title_in("en")


def test_default_severities_follow_the_design():
    got = severities(load_checklists())
    assert {k for k, v in got.items() if v == Severity.RED} == {
        "SEC-01",
        "SEC-02",
        "LEG-03",
        "CHL-01",
        "CHL-04",
        "WOM-03",
        "HRA-01",
    }
    assert {k for k, v in got.items() if v == Severity.INFO} == {"SEC-05"}


@pytest.mark.parametrize("profile", ["icglr", "drc-2012-practice"])
def test_profiles(profile):
    default = severities(load_checklists())
    changed = severities(load_checklists(profile=profile))
    diff = {cid for cid in default if default[cid] != changed[cid]}
    if profile == "icglr":
        assert diff == set()
    else:
        assert diff == {"SEC-02", "CHL-01", "CHL-04"}
        assert all(changed[cid] == Severity.YELLOW for cid in diff)


def test_profile_applies_to_a_single_checklist():
    only = severities(load_checklists(["child-labor"], profile="drc-2012-practice"))
    assert only["CHL-01"] == only["CHL-04"] == Severity.YELLOW
    assert only["WOM-03"] == Severity.RED


def test_unknown_profile_is_a_usage_error():
    with pytest.raises(
        UsageError, match=r'unknown profile "drc-2012".*did you mean "drc-2012-practice"'
    ):
        load_checklists(profile="drc-2012")


def test_unknown_checklist_id_is_a_usage_error():
    with pytest.raises(UsageError, match=r'unknown checklist "armed-group".*"armed-groups"'):
        load_checklists(["armed-group"])


def test_good_checklist_from_a_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    [checklist] = load_checklists([path])
    assert checklist.id == "mine"
    assert [c.id for c in checklist.criteria] == ["MY-01", "MY-02"]
    assert checklist.criteria[1].vocabulary.canonical["mauvais"] == "bad"


# (replace this, with this) in GOOD, the error must name criterion and key, message contains.
BAD = {
    "misspelt key": (
        'severity = "yellow"\ncolumn = "road"',
        'severty = "yellow"\ncolumn = "road"',
        "MY-02",
        "severty",
        'did you mean "severity"?',
    ),
    "unknown rule kind": (
        'severity = "yellow"\ncolumn = "road"',
        'severity = "yellow"\nrule = "answers"\ncolumn = "road"',
        "MY-02",
        "rule",
        'unknown rule kind "answers" (did you mean "answer"?)',
    ),
    "duplicate id": ('id = "MY-02"', 'id = "MY-01"', "MY-01", "id", "duplicate criterion id"),
    "fail and pass": (
        'fail = ["bad"]\npass = ["ok"]',
        'fail = ["bad"]\npass = ["ok", "bad"]',
        "MY-02",
        "pass",
        "'bad' is in both fail and pass",
    ),
    "unknown vocabulary": (
        'answers = "traffic"',
        'answers = "trafic"',
        "MY-02",
        "answers",
        'no [answers.trafic] table (did you mean "traffic"?)',
    ),
    "answer not in vocabulary": (
        'fail = ["bad"]',
        'fail = ["bda"]',
        "MY-02",
        "fail",
        '"bda" is not an answer of [answers.traffic] (did you mean "bad"?)',
    ),
    "bad severity": (
        'severity = "yellow"',
        'severity = "orange"',
        "MY-02",
        "severity",
        "severity must be one of red, yellow, info",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_invalid_criterion_names_file_criterion_and_key(tmp_path, case):
    old, new, criterion, key, message = BAD[case]
    assert old in GOOD
    path = tmp_path / "broken.toml"
    path.write_text(GOOD.replace(old, new, 1 if case != "duplicate id" else -1), encoding="utf-8")
    with pytest.raises(ChecklistError) as raised:
        load_checklists([path])
    error = raised.value
    assert (error.path.name, error.criterion, error.key) == ("broken.toml", criterion, key)
    text = str(error)
    assert text.startswith(f"broken.toml, criterion {criterion}, key {key}: ")
    assert message in text
    assert "\n" not in text


def test_raw_answer_under_two_canonical_answers(tmp_path):
    path = tmp_path / "twice.toml"
    path.write_text(GOOD.replace('bad = ["Mauvais", "Bad"]', 'bad = ["Mauvais", "bon"]'), "utf-8")
    with pytest.raises(ChecklistError) as raised:
        load_checklists([path])
    text = str(raised.value)
    assert text.startswith("twice.toml, key answers.traffic.bad: ")
    assert '"bon" is listed under both ok and bad' in text


def test_unknown_top_level_key(tmp_path):
    path = tmp_path / "top.toml"
    path.write_text(GOOD.replace('version = "1"', 'versoin = "1"'), "utf-8")
    with pytest.raises(
        ChecklistError, match=r'^top\.toml, key versoin: unknown key \(did you mean "version"\?\)'
    ):
        load_checklists([path])


def test_bad_toml_syntax(tmp_path):
    path = tmp_path / "syntax.toml"
    path.write_text(GOOD.replace('version = "1"', 'version = "1'), "utf-8")
    with pytest.raises(ChecklistError) as raised:
        load_checklists([path])
    assert str(raised.value).startswith("syntax.toml: not valid TOML")
    assert "line 3" in str(raised.value)


def test_profile_naming_an_unknown_criterion(tmp_path):
    path = tmp_path / "prof.toml"
    path.write_text(GOOD + '\n[profiles.lenient]\nseverity = { "MY-03" = "yellow" }\n', "utf-8")
    with pytest.raises(ChecklistError) as raised:
        load_checklists([path])
    assert (raised.value.criterion, raised.value.key) == ("MY-03", "profiles.lenient.severity")


def test_profile_of_a_custom_checklist(tmp_path):
    path = tmp_path / "prof.toml"
    path.write_text(GOOD + '\n[profiles.lenient]\nseverity = { "MY-01" = "yellow" }\n', "utf-8")
    assert severities(load_checklists([path], profile="lenient"))["MY-01"] == Severity.YELLOW
    assert severities(load_checklists([path]))["MY-01"] == Severity.RED
    with pytest.raises(UsageError):
        load_checklists([path], profile="drc-2012-practice")


def test_id_shared_with_a_bundled_checklist(tmp_path):
    path = tmp_path / "clash.toml"
    path.write_text(GOOD.replace('id = "MY-01"', 'id = "CHL-01"'), "utf-8")
    with pytest.raises(ChecklistError) as raised:
        load_checklists(["child-labor", path])
    assert (raised.value.criterion, raised.value.key) == ("CHL-01", "id")


# --- CLI ------------------------------------------------------------------------------------


def test_cli_checklists_list():
    result = invoke("checklists", "list", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["armed-groups", "child-labor", "legal-authority"]
    assert "2026.1" in lines[0] and "drc-2012-practice" in lines[0]


def test_cli_checklists_show():
    result = invoke("checklists", "show", "armed-groups", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for cid in ("SEC-01", "SEC-02", "SEC-03", "SEC-04", "SEC-05"):
        assert cid in out
    assert "profile drc-2012-practice: SEC-02 -> yellow" in out


def test_cli_checklists_show_unknown_id():
    result = invoke("checklists", "show", "armed-group")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "armed-groups" in result.stderr


def test_cli_checklists_check_good(tmp_path):
    path = tmp_path / "GOOD.toml"
    path.write_text(GOOD, encoding="utf-8")
    result = invoke("checklists", "check", path)
    assert result.exit_code == 0, result.output
    assert "ok, mine 1, 2 criteria" in result.stdout
    assert result.stderr == ""


def test_cli_checklists_check_bad(tmp_path):
    path = tmp_path / "BAD.toml"
    path.write_text(GOOD.replace("severity", "severty", 1), encoding="utf-8")
    result = invoke("checklists", "check", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "BAD.toml, criterion MY-01, key severty" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["armed-groups", "legal-authority", "child-labor"])
def test_cli_checklists_check_bundled(name):
    from minesite.checklists import bundled_paths

    result = invoke("checklists", "check", bundled_paths()[name])
    assert result.exit_code == 0, result.output


def test_cli_checklists_check_missing_file(tmp_path):
    result = invoke("checklists", "check", tmp_path / "nope.toml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["minesite: nope.toml: file not found"]
