"""Never silently wrong, one meaning per option, codes at the core and words at the edge."""

from __future__ import annotations

import ast
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, invoke, visit, write_csv

from minesite.render.i18n import catalog

FIELD = SAMPLES / "field-visits.csv"


def _rewrite(tmp_path: Path, name: str, edit) -> Path:  # noqa: ANN001
    lines = FIELD.read_text(encoding="utf-8").splitlines()
    target = tmp_path / name
    target.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [("visit_date", "Date visite", "visit_date"), ("pcode", "code", "pcode")],
)
def test_a_renamed_key_column_is_an_error_naming_it(tmp_path, old, new, code):
    path = _rewrite(tmp_path, "renamed.csv", lambda ls: [ls[0].replace(old, new), *ls[1:]])
    for command in (["validate", path], ["score", path, "-o", tmp_path / "o.csv"]):
        out = invoke(*command, "--lang", "en")
        assert out.exit_code == 2
        assert out.stderr.count("\n") == 1
        assert f"({code})" in out.stderr and f'did you mean "{new}"' in out.stderr
        assert "--columns" in out.stderr
    assert not (tmp_path / "o.csv").exists()


def test_a_blank_date_never_reads_as_not_inspected(tmp_path):
    def blank(lines: list[str]) -> list[str]:
        header = lines[0].split(",")
        at = header.index("visit_date")
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            if cells[0] == "FV-004":
                cells[at] = ""
            out.append(",".join(cells))
        return out

    path = _rewrite(tmp_path, "blank.csv", blank)
    out = invoke("validate", path, "--format", "json", "--lang", "en", "--as-of", "2026-06-30")
    document = json.loads(out.stdout)
    sites = {s["site_id"]: s for s in document["sites"]}
    assert (sites["demo00004"]["status"], sites["demo00004"]["reason"]) == (
        "red",
        "site.undated-red",
    )
    inspected = {s for s, item in sites.items() if item["reason"] == "site.not-inspected"}
    assert inspected == {"demo00006"}  # the off-site row only, as without the blank
    notes = [n for n in document["summary"]["notes"] if n["code"] == "note.blank-date"]
    assert notes[0]["params"]["row"] == 5 and notes[0]["params"]["column"] == "visit_date"


def test_a_file_without_visit_id_or_onsite_flag_says_so(tmp_path):
    row = visit()
    row.pop("vid")
    row.pop("visit_onsite")
    path = write_csv(tmp_path / "v.csv", [row])
    out = invoke("validate", path, "--format", "json", "--as-of", "2026-06-30")
    codes = {n["code"] for n in json.loads(out.stdout)["summary"]["notes"]}
    assert codes >= {"note.no-visit-id", "note.no-onsite"}


def test_site_filter_unknown_id_is_an_error_with_a_hint():
    out = invoke("validate", FIELD, "--site", "DEMO00004", "--lang", "en")
    assert out.exit_code == 2 and 'did you mean "demo00004"' in out.stderr
    for command, output in (("score", "x.csv"), ("report", "x.pdf")):
        out = invoke(command, FIELD, "-o", output, "--site", "nosuchsite")
        assert out.exit_code == 2 and "nosuchsite" in out.stderr


def test_site_filter_decides_the_exit_code_and_is_shown():
    green = invoke(
        "validate", FIELD, "--site", "demo00001", "--lang", "en", "--as-of", "2026-06-30"
    )
    assert green.exit_code == 0
    assert "filter: site demo00001 only" in " ".join(green.stdout.split())
    assert "Mukungwe" not in green.stdout
    red = invoke("validate", FIELD, "--site", "demo00004", "--format", "json")
    document = json.loads(red.stdout)
    assert red.exit_code == 1 and {v["site_id"] for v in document["visits"]} == {"demo00004"}
    assert document["summary"]["site"] == "demo00004"


@pytest.mark.parametrize("command", ["validate", "score", "report"])
def test_as_of_is_validated_by_every_command(tmp_path, command):
    output = ["-o", tmp_path / ("x.csv" if command == "score" else "x.pdf")]
    out = invoke(
        command,
        FIELD,
        *(output if command != "validate" else []),
        "--as-of",
        "30/06/2026",
        "--lang",
        "fr",
    )
    assert out.exit_code == 2
    assert "AAAA-MM-JJ" in out.stderr and out.stderr.count("\n") == 1


def _cli(*args: str, lang_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": lang_env, "LC_ALL": lang_env}
    return subprocess.run(
        [sys.executable, "-m", "minesite", *args], capture_output=True, env=env, check=False
    )


def test_json_is_byte_identical_whatever_the_locale_for_one_lang():
    args = ("validate", str(SAMPLES / "ipis-sample.csv"), "--format", "json", "--lang", "fr")
    args = (*args, "--as-of", "2026-06-30")
    french = _cli(*args, lang_env="fr_FR.UTF-8")
    plain = _cli(*args, lang_env="C.UTF-8")
    assert french.returncode == plain.returncode == 1
    assert french.stdout == plain.stdout


def _codes(value):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        return {k: _codes(v) for k, v in value.items() if not k.endswith("text") and k != "title"}
    if isinstance(value, list):
        return [_codes(v) for v in value]
    return value


def test_codes_do_not_change_with_the_language():
    args = ("validate", SAMPLES / "ipis-sample.csv", "--format", "json", "--as-of", "2026-06-30")
    french = json.loads(invoke(*args, "--lang", "fr").stdout)
    english = json.loads(invoke(*args, "--lang", "en").stdout)
    assert _codes(french) == _codes(english)
    assert french["visits"][0]["reason_text"] != english["visits"][0]["reason_text"]


# Words that only English sentences use (French shares "site", "date", "page"...).
ENGLISH = re.compile(
    r"\b(the|and|with|without|every|visit|visits|failed|passed|rows?|column|sheet|written|"
    r"reading|scoring|writing|not inspected|unknown|incomplete|green|yellow|red|blue|"
    r"criterion|criteria|answer|blank|conflicts?|published|expired|since|no data|separated|"
    r"titles|labels|repeat|joined|workbook)\b",
    re.IGNORECASE,
)


FILE_NAME = re.compile(r"\S+\.(?:csv|pdf|html|xlsx|json|parquet)\b")


def _english_words(text: str, allowed: set[str]) -> set[str]:
    found = set()
    for line in FILE_NAME.sub("", text).splitlines():
        for name in allowed:  # file names and input values may hold any word
            line = line.replace(name, "")
        found.update(m.group(0).lower() for m in ENGLISH.finditer(line))
    return found


def test_french_mode_has_no_english_sentence(tmp_path):
    # Input values (file names, answers, titles of the checklists, dialect names) are not ours.
    allowed = {"field-visits.csv", "ipis-sample.csv", "out.csv", "out.pdf", str(tmp_path)}
    allowed |= {"visit_onsite", "visit_date", "type_armed_group1", "childunder15"}
    for sample in (FIELD, SAMPLES / "ipis-sample.csv"):
        out = invoke("validate", sample, "--lang", "fr", "--as-of", "2026-06-30")
        assert not _english_words(out.stdout + out.stderr, allowed), sample.name
    out = invoke("score", FIELD, "-o", tmp_path / "out.csv", "--lang", "fr")
    assert not _english_words(out.stdout + out.stderr, allowed)
    out = invoke("report", FIELD, "-o", tmp_path / "out.pdf", "--lang", "fr")
    assert out.exit_code == 0 and not _english_words(out.stderr, allowed)
    error = invoke("validate", tmp_path / "missing.csv", "--lang", "fr")
    assert error.exit_code == 2 and not _english_words(error.stderr, allowed | {"missing.csv"})


CODE = re.compile(r"^[a-z][a-z0-9\-]*(?:\.[a-z0-9\-]+)+$")
ERRORS = {"InputError", "ChecklistError", "UsageError", "MinesiteError"}


def _error_codes() -> dict[str, str]:
    """Every code a literal passes to an error class in the package -> where."""
    found = {}
    for path in (ROOT / "minesite").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ERRORS:
                continue
            position = 0 if node.func.id == "UsageError" else 1
            if len(node.args) <= position:
                continue
            for value in _literals(node.args[position]):
                found[value] = f"{path.name}:{node.lineno}"
    return found


def _literals(arg: ast.AST) -> list[str]:
    """The string constants an argument can be (both branches of `a if c else b`)."""
    if isinstance(arg, ast.IfExp):
        return _literals(arg.body) + _literals(arg.orelse)
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    return []


def test_every_error_code_is_in_the_catalog_in_both_languages():
    entries = catalog()
    missing = sorted(
        f"{code} ({where})" for code, where in _error_codes().items() if code not in entries
    )
    assert not missing


def test_error_calls_pass_codes_not_sentences():
    """An error built from an English sentence would reach a French reader as English."""
    sentences = sorted(
        f"{where}: {code}" for code, where in _error_codes().items() if not CODE.match(code)
    )
    assert not sentences


def test_every_catalog_entry_has_both_languages_and_the_same_fields():
    fields = string.Formatter()
    for code, entry in catalog().items():
        assert set(entry) == {"fr", "en"}, code
        names = [{f for _, f, _, _ in fields.parse(entry[lang]) if f} for lang in ("fr", "en")]
        assert names[0] == names[1], code


def test_api_result_equals_cli_json():
    import datetime as dt

    import minesite
    from minesite.render.view import View

    result = minesite.run(FIELD, as_of=dt.date(2026, 6, 30))
    cli = json.loads(
        invoke(
            "validate", FIELD, "--format", "json", "--lang", "en", "--as-of", "2026-06-30"
        ).stdout
    )
    assert cli == json.loads(json.dumps(View(result, "en").document(), default=str))


def test_option_errors_are_one_line_in_the_chosen_language():
    out = _cli("validate", str(FIELD), "--lang", "fr", "--nosuch", lang_env="C.UTF-8")
    assert out.returncode == 2
    line = out.stderr.decode()
    assert line.count("\n") == 1 and "option inconnue --nosuch" in line
    out = _cli("score", str(FIELD), "-o", "x.csv", "--fail-on", "pink", lang_env="C.UTF-8")
    assert out.returncode == 2 and out.stderr.decode().count("\n") == 1


def test_version_is_printed():
    out = invoke("--version")
    assert out.exit_code == 0 and out.stdout.startswith("minesite 0.")


def test_blank_rows_are_an_error_and_no_visit_is_not_all_green(tmp_path):
    blank = tmp_path / "blank.csv"
    blank.write_text("vid,pcode,visit_date,childunder15\n,,,\n,,,\n", encoding="utf-8")
    out = invoke("validate", blank, "--lang", "en")
    assert out.exit_code == 2 and "nothing to score" in out.stderr
    off = tmp_path / "off.csv"
    off.write_text(
        "vid,pcode,visit_date,visit_onsite,childunder15\nA,s1,2024-01-01,0,\n", encoding="utf-8"
    )
    out = invoke("validate", off, "--lang", "en")
    assert out.exit_code == 1 and "No on-site visit was scored" in out.stdout


def test_every_label_a_renderer_asks_for_is_in_the_catalog():
    asked = re.compile(r"""\b(?:w|words)\(\s*["']([a-z0-9_\-]+)["']""")
    missing = set()
    for path in (ROOT / "minesite" / "render").glob("*.py"):
        for key in asked.findall(path.read_text(encoding="utf-8")):
            if f"ui.{key}" not in catalog():
                missing.add(f"{path.name}: {key}")
    assert not missing


def test_a_frame_of_blank_rows_is_an_error():
    import pandas as pd

    import minesite

    frame = pd.DataFrame({k: ["", ""] for k in ("vid", "pcode", "visit_date", "childunder15")})
    with pytest.raises(minesite.InputError) as caught:
        minesite.run(inspection=minesite.inspection_from_frames(frame))
    assert caught.value.code == "input.all-rows-blank"


def test_an_r_row_index_is_dropped_and_the_summary_says_so(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        '"","vid","pcode","visit_date","childunder15"\n'
        '"1","A","s","2024-01-01","0"\n"2","B","s","2024-02-01","1"\n',
        encoding="utf-8",
    )
    out = invoke("validate", path, "--format", "json", "--as-of", "2026-06-30")
    document = json.loads(out.stdout)
    assert [v["visit_id"] for v in document["visits"]] == ["A", "B"]
    notes = {n["code"]: n for n in document["summary"]["notes"]}
    assert notes["input.row-index-dropped"]["position"]["row"] == 1


def test_a_readers_warning_reaches_the_summary(tmp_path):
    path = tmp_path / "bad-byte.csv"
    path.write_bytes(
        "vid,pcode,visit_date,type_armed_group1\nA,s,2024-01-01,Groupe armé local\n".encode()
        + b"B,s,2024-01-02,\xe9\n"
    )
    out = invoke("validate", path, "--format", "json", "--as-of", "2026-06-30")
    codes = {n["code"] for n in json.loads(out.stdout)["summary"]["notes"]}
    assert "input.invalid-utf8" in codes
