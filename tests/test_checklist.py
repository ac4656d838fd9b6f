"""Bundled checklists load; profiles change severities; invalid checklists fail with one line."""

from __future__ import annotations

import pytest
from conftest import invoke

from minesite import ChecklistError, load_checklists
from minesite.checklists import scope_of
from minesite.errors import UsageError
from minesite.model import Severity
from minesite.render.i18n import text

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
    assert len(ids) == len(set(ids)) == 28
    for checklist in checklists:
        assert checklist.version
        assert set(checklist.title) == {"fr", "en"}
        assert checklist.profile == "icglr"
        for criterion in checklist.criteria:
            assert criterion.checklist == checklist.id
            assert criterion.title_in("fr") and criterion.title_in("en")
            assert criterion.basis, criterion.id


RCM_RED = {"SEC-01", "SEC-02", "SEC-07", "SEC-08", "SEC-09", "CHL-01", "CHL-04"}
RCM_RED |= {"WOM-03", "WOM-04", "HRA-01", "HRA-02", "HRA-03"}
NATIONAL = {"LEG-01", "LEG-02", "LEG-03", "LEG-04", "LEG-05", "LEG-06", "CHL-02", "WOM-01"}


def test_icglr_is_the_rcm_status_criteria():
    got = severities(load_checklists())
    assert {k for k, v in got.items() if v == Severity.RED} == RCM_RED
    assert {k for k, v in got.items() if v == Severity.YELLOW} == {"SEC-04", "CHL-03", "WOM-02"}
    # National legality, presence of state forces, traceability and state services: recorded.
    info = {k for k, v in got.items() if v == Severity.INFO}
    assert info == NATIONAL | {"SEC-03", "SEC-05", "SEC-06", "LEG-07", "LEG-08"}


def test_drc_national_adds_national_law_with_its_texts():
    got = severities(load_checklists(profile="drc"))
    assert {k for k in NATIONAL if got[k] == Severity.YELLOW} == NATIONAL - {"LEG-03"}
    assert got["LEG-03"] == got["SEC-01"] == Severity.RED
    assert got["SEC-03"] == Severity.YELLOW
    # A security force's roadblock is mitigated in national practice; an armed group's is not.
    assert (got["SEC-08"], got["SEC-07"]) == (Severity.YELLOW, Severity.RED)
    # No text makes a missing state service or traceability programme a breach.
    assert got["LEG-07"] == got["LEG-08"] == Severity.INFO
    for checklist in load_checklists(profile="drc"):
        profile = checklist.profiles["drc"]
        raised = [c for c in profile.severity if profile.severity[c] != Severity.INFO]
        assert all(profile.basis.get(c) for c in raised), checklist.id


def test_drc_2012_practice_is_narrowed_to_its_evidence():
    default = severities(load_checklists())
    changed = severities(load_checklists(profile="drc-2012-practice"))
    diff = {cid: changed[cid] for cid in default if default[cid] != changed[cid]}
    # FARDC present -> jaune, FARDC taxing -> jaune, children under 15 -> jaune (IPIS [R1]);
    # control and digging by a security force (SEC-02) and hazardous work (CHL-04) stay red.
    assert diff == {"SEC-03": "yellow", "SEC-09": "yellow", "CHL-01": "yellow"}
    assert changed["SEC-02"] == changed["CHL-04"] == Severity.RED


def test_ipis_open_data_is_a_scope_recorded_on_each_checklist():
    checklists = load_checklists(profile="ipis-open-data")
    kept = {c.id for checklist in checklists for c in checklist.criteria}
    assert kept == {
        "SEC-01", "SEC-02", "SEC-03", "SEC-04", "SEC-05", "SEC-06", "SEC-09",
        "LEG-07", "LEG-08", "CHL-01", "CHL-03", "WOM-02", "HRA-01",
    }  # fmt: skip
    assert sum(len(c.criteria) for c in checklists) == 13
    assert sum(c.criteria_total for c in checklists) == 28
    left_out = ("SEC-07", "SEC-08", *[f"LEG-0{i}" for i in range(1, 7)])
    left_out += ("CHL-02", "CHL-04", "WOM-01", "WOM-04", "WOM-03", "HRA-02", "HRA-03")
    assert scope_of(checklists) == (13, 28, left_out)
    assert text("profile.scope", "fr", n=13, m=28) == (
        "champ : 13 critères sur 28, une vue de suivi, pas une qualification"
    )
    assert scope_of(load_checklists())[:2] == (28, 28)
    by_id = {c.id: c for c in checklists}
    assert by_id["armed-groups"].scope_excluded == ("SEC-07", "SEC-08")
    assert all(c.scoped and c.profile == "ipis-open-data" for c in checklists)
    assert not any(c.scoped for c in load_checklists())


def test_profile_applies_to_a_single_checklist():
    only = severities(load_checklists(["child-labor"], profile="drc-2012-practice"))
    assert only["CHL-01"] == Severity.YELLOW
    assert only["CHL-04"] == only["WOM-03"] == Severity.RED


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
    assert "2026.2" in lines[0] and "drc-2012-practice" in lines[0]


def test_cli_checklists_show():
    result = invoke("checklists", "show", "armed-groups", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for cid in ("SEC-01", "SEC-02", "SEC-03", "SEC-04", "SEC-05", "SEC-07", "SEC-09"):
        assert cid in out
    assert "profile drc-2012-practice: SEC-03 -> yellow, SEC-09 -> yellow" in out


def test_cli_checklists_show_tells_a_reviewer_what_fails():
    """Failing answers, flags, unknown answers, columns as a form names them, the basis."""
    out = invoke("checklists", "show", "armed-groups", "--lang", "en").stdout
    sec02 = out[out.index("SEC-02") : out.index("SEC-09  ")]
    assert 'fails when an actor is: fardc-undisciplined ("FARDC - Éléments indisciplinés"' in sec02
    assert 'digging_armed_group{n} "Digs?"' in sec02  # the IPIS header and the form's label
    assert 'unknown when an actor is: fardc-no-data ("FARDC - Pas de données' in sec02
    assert "basis: OECD DDG Annex II risk 3" in sec02
    assert 'presence "Are armed actors' in sec02
    french = invoke("checklists", "show", "child-labor", "--lang", "fr").stdout
    chl04 = french[french.index("CHL-04") : french.index("WOM-01")]
    assert "CHL-04  rouge  Aucun mineur dans des tâches dangereuses" in chl04
    assert 'non respecté si : yes ("1", "Oui", "Yes", …)' in chl04
    assert "inconnu (jamais respecté)" in chl04
    assert "childunder15work « Tâches des enfants de moins de 15 ans" in chl04
    assert "[answers.hazardous-task]" in chl04 and "base : ILO C182" in chl04


def test_cli_checklists_show_names_the_scope_of_a_profile():
    out = invoke("checklists", "show", "legal-authority", "--lang", "en").stdout
    assert "profile ipis-open-data: -" in out
    assert "leaves out: LEG-01, LEG-02, LEG-03, LEG-04, LEG-05, LEG-06" in out
    assert "basis of LEG-04: Code minier art. 1 pt 19 bis" in out


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


def test_rules_and_inputs_import_no_checklist_loader():
    """No cycle: the rules read vocabularies only; the readers never pull in rules or schema."""
    import subprocess
    import sys

    code = (
        "import sys, minesite.inputs.columns\n"
        "assert 'minesite.rules' not in sys.modules\n"
        "import minesite.rules\n"
        "assert 'minesite.checklists.schema' not in sys.modules\n"
        "from minesite.checklists import load_checklists\n"
        "assert load_checklists()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_load_checklists_accepts_one_name():
    [checklist] = load_checklists("child-labor", profile="ipis-open-data")
    assert checklist.profile == "ipis-open-data"
    assert len(checklist.criteria) == 4 and checklist.criteria_total == 11


def test_checklist_answers_are_listed_with_the_separator_of_the_language():
    """French puts a space before ';' (the catalog's list separator), English does not."""
    french = invoke("checklists", "show", "armed-groups", "--lang", "fr").stdout
    english = invoke("checklists", "show", "armed-groups", "--lang", "en").stdout
    assert '…) ; nsag-foreign ("' in french and "…); nsag-foreign" not in french
    assert '…); nsag-foreign ("' in english
