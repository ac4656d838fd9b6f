"""Inputs as coordinators really get them (issue 15): delimiters that quotes hide, short cp1252
files, overrides, Kobo group separators and label exports, ODK Central media."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from conftest import invoke, visit

import minesite

KOBO_SYSTEM = ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]


def statuses(result) -> list[str | None]:
    return result.visits["status"].tolist()


def _csv(header: list[str], rows: list[list[str]], delimiter: str, **options) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", **options)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# --- 1. delimiters, quotes, short cp1252 files ---------------------------------------------
def test_narrow_kobo_labels_export_with_commas_in_labels_is_semicolon_separated(tmp_path):
    """More commas inside quoted labels than `;` between fields: today a false "mixed
    delimiters" (review-2 ecosystem §0)."""
    header = [
        "Identification/Code du site",
        "Visite/Date de la visite",
        "Enfants/Enfants de moins de 15 ans qui travaillent",
        "Remarques/Observations (acteurs, taxes, barrières, routes, marchés, puits, eau, santé,"
        " école, église, chef, village, moto, vélo, pirogue)",
        *KOBO_SYSTEM,
    ]
    rows = [
        ["demo1", "2026-03-10", "Oui", "RAS, rien", "1", "u1", "2026-03-10T10:00:00", "", "1"],
        ["demo2", "2026-03-11", "Non", "", "2", "u2", "2026-03-11T10:00:00", "", "2"],
    ]
    path = tmp_path / "kobo-labels.csv"
    path.write_text(_csv(header, rows, ";", quoting=csv.QUOTE_ALL), encoding="utf-8")
    result = minesite.run(path, checklists=["child-labor"])
    assert result.inspection.sources[0].dialect.startswith("KoboToolbox CSV (labels")
    assert statuses(result)[0] == "red"
    out = invoke("validate", path, "--lang", "en", "-c", "child-labor")
    assert out.exit_code == 1, out.stderr


def test_semicolon_file_with_a_quoted_header_full_of_commas(tmp_path):
    """`;` file whose quoted header holds commas: today "none of the checklist columns found"."""
    label = "Nom, prénom, fonction, service, équipe"
    header = ["vid", "pcode", "visit_date", label, "childunder15"]
    rows = [["V1", "s1", "2026-03-10", "Mulumba, Jean, inspecteur", "1"]]
    path = tmp_path / "fr.csv"
    path.write_text(_csv(header, rows, ";"), encoding="utf-8")
    result = minesite.run(path, checklists=["child-labor"])
    assert "semicolon-separated" in result.inspection.sources[0].dialect
    assert statuses(result) == ["red"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_with_the_others_inside_quoted_cells(tmp_path, delimiter):
    others = ",;\t|".replace(delimiter, "")
    row = visit(name=f"Kalimba {others} {others}")
    header = list(row)
    path = tmp_path / "v.csv"
    path.write_text(_csv(header, [list(row.values())], delimiter), encoding="utf-8")
    result = minesite.run(path)
    assert statuses(result) == ["green"]
    assert result.visits["site_name"].iat[0] == row["name"]


def test_single_column_file_and_header_only_are_read_as_before(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("vid\nV1\n", encoding="utf-8")
    out = invoke("validate", path, "--lang", "en")
    assert out.exit_code == 2 and "site" in out.stderr  # no pcode column, named


def test_quadratic_quotes_are_detected_quickly(tmp_path):
    """csv.Sniffer takes 80 s on 256 KB of such lines; the csv reader is linear."""
    path = tmp_path / "q.csv"
    path.write_text('vid,"a\n' * 60000, encoding="utf-8")
    from minesite.inputs.detect import sniff

    assert sniff(path).delimiter == ","


@pytest.mark.parametrize("where", ["start", "end"])
def test_short_cp1252_file_is_detected_and_read(tmp_path, where):
    names = ["Café", "Kalimba"] if where == "start" else ["Kalimba", "Mine à Kamituga"]
    lines = ["vid;pcode;name;visit_date;childunder15"]
    lines += [f"V{k};s{k};{n};2026-03-1{k};0" for k, n in enumerate(names, 1)]
    path = tmp_path / "court.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    result = minesite.run(path, checklists=["child-labor"])
    assert "cp1252" in result.inspection.sources[0].dialect
    assert result.visits["site_name"].tolist() == names


# --- 2. overrides: --delimiter, --encoding, --dayfirst/--monthfirst -------------------------
def _lines(path, lines: list[str], encoding: str = "utf-8", end: str = "\n"):
    path.write_bytes((end.join(lines) + end).encode(encoding))
    return path


def test_delimiter_option_reads_what_detection_cannot(tmp_path):
    path = _lines(
        tmp_path / "hash.csv", ["vid#pcode#visit_date#childunder15", "V1#s1#2026-03-10#1"]
    )
    assert invoke("validate", path, "-c", "child-labor", "--lang", "en").exit_code == 2
    out = invoke("validate", path, "-c", "child-labor", "--delimiter", "#", "--format", "json")
    assert out.exit_code == 1, out.stderr
    result = minesite.run(path, checklists=["child-labor"], reading=minesite.Reading(delimiter="#"))
    assert statuses(result) == ["red"]
    tabbed = _lines(
        tmp_path / "tab.csv", ["vid\tpcode\tvisit_date\tchildunder15", "V1\ts1\t2026-03-10\t0"]
    )
    detected = statuses(minesite.run(tabbed, checklists=["child-labor"]))
    for sign in ("tab", "\\t", "\t"):
        result = minesite.run(tabbed, checklists=["child-labor"], reading=minesite.Reading(sign))
        assert statuses(result) == detected


def test_encoding_option_reads_a_dos_file_detection_takes_for_cp1252(tmp_path):
    path = _lines(
        tmp_path / "dos.csv",
        ["vid;pcode;name;visit_date;childunder15", "V1;s1;Café;2026-03-10;0"],
        encoding="cp850",
    )
    assert minesite.run(path).visits["site_name"].iat[0] != "Café"
    out = invoke("validate", path, "--encoding", "cp850", "--format", "json")
    assert out.exit_code in (0, 1), out.stderr
    assert '"Café"' in out.stdout
    forced = minesite.run(path, reading=minesite.Reading(encoding="CP850"))
    assert forced.visits["site_name"].iat[0] == "Café"
    assert "cp850" in forced.inspection.sources[0].dialect


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        (
            "--encoding",
            "klingon",
            {"en": "unknown text encoding", "fr": "encodage de texte inconnu"},
        ),
        (
            "--encoding",
            "base64",
            {"en": "unknown text encoding", "fr": "encodage de texte inconnu"},
        ),
        ("--delimiter", ";;", {"en": "expected one character", "fr": "un seul caractère attendu"}),
        ("--delimiter", '"', {"en": "expected one character", "fr": "un seul caractère attendu"}),
    ],
)
@pytest.mark.parametrize("command", ["validate", "score", "report", "export icglr"])
def test_a_bad_override_is_a_one_line_usage_error(tmp_path, option, value, words, command):
    path = _lines(tmp_path / "v.csv", ["vid,pcode,visit_date,childunder15", "V1,s1,2026-03-10,0"])
    outputs = {"score": ["-o", tmp_path / "o.csv"], "report": ["-o", tmp_path / "o.html"]}
    outputs["export icglr"] = ["-o", tmp_path / "o.json"]
    for lang in ("en", "fr"):
        args = [*command.split(), path, *outputs.get(command, []), option, value, "--lang", lang]
        out = invoke(*args)
        assert out.exit_code == 2, (args, out.stdout)
        assert out.stderr.count("\n") == 1 and words[lang] in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


EARLY = ["02/03/2026", "03/03/2026", "05/03/2026", "07/03/2026"]


def _dated(tmp_path, name: str, delimiter: str, encoding: str):
    lines = [delimiter.join(["vid", "pcode", "name", "visit_date", "childunder15"])]
    lines += [
        delimiter.join([f"V{k}", f"s{k}", "Mine à Kamituga", d, "0"]) for k, d in enumerate(EARLY)
    ]
    return _lines(tmp_path / name, lines, encoding=encoding, end="\r\n")


def _dates(result) -> list[str]:
    return result.inspection.visits["visit_date"].tolist()


def _note(result) -> list[str]:
    return [n.code for n in result.notes if n.code.startswith("note.dates-")]


def test_french_excel_csv_early_in_the_month_is_day_first_and_says_so(tmp_path):
    """ux.md defect 7: French Excel dates 02/03/2026..07/03/2026 were refused outright."""
    path = _dated(tmp_path, "visites-excel-fr.csv", ";", "cp1252")
    result = minesite.run(path, checklists=["child-labor"])
    assert _dates(result) == ["2026-03-02", "2026-03-03", "2026-03-05", "2026-03-07"]
    assert _note(result) == ["note.dates-day-first-french-excel"]
    out = invoke("validate", path, "-c", "child-labor", "--lang", "fr")
    assert out.exit_code == 1, out.stderr
    assert "lues jour d’abord (2026-03-02), la convention d’Excel en français" in out.stdout
    month = minesite.run(path, checklists=["child-labor"], reading=minesite.Reading(dayfirst=False))
    assert _dates(month)[0] == "2026-02-03"
    assert _note(month) == ["note.dates-month-first-option"]


def test_french_excel_dates_that_show_their_order_need_no_note(tmp_path):
    path = _lines(
        tmp_path / "fr.csv",
        ["vid;pcode;visit_date;childunder15", "V1;s1;02/03/2026;0", "V2;s2;18/03/2026;0"],
        encoding="cp1252",
    )
    result = minesite.run(path, checklists=["child-labor"])
    assert _dates(result) == ["2026-03-02", "2026-03-18"] and not _note(result)


def test_ambiguous_dates_of_a_plain_csv_are_still_refused_unless_the_order_is_given(tmp_path):
    path = _dated(tmp_path, "plain.csv", ",", "utf-8")
    out = invoke("validate", path, "-c", "child-labor", "--lang", "en")
    assert out.exit_code == 2 and "ambiguous date" in out.stderr and "--dayfirst" in out.stderr
    out = invoke("validate", path, "-c", "child-labor", "--lang", "fr")
    assert out.exit_code == 2 and "date ambiguë" in out.stderr and "--monthfirst" in out.stderr
    day = minesite.run(path, checklists=["child-labor"], reading=minesite.Reading(dayfirst=True))
    assert _dates(day)[0] == "2026-03-02" and _note(day) == ["note.dates-day-first-option"]
    out = invoke("validate", path, "-c", "child-labor", "--monthfirst", "--lang", "en")
    assert out.exit_code == 1, out.stderr
    assert 'dates such as "02/03/2026" read month first (2026-02-03), as --monthfirst' in out.stdout
    bad = _lines(tmp_path / "us.csv", ["vid,pcode,visit_date,childunder15", "V1,s1,25/03/2026,0"])
    out = invoke("validate", bad, "-c", "child-labor", "--monthfirst", "--lang", "en")
    assert out.exit_code == 2 and "not a calendar date" in out.stderr


@pytest.mark.parametrize("command", ["score", "report", "export icglr"])
def test_every_command_that_reads_inspections_takes_the_overrides(tmp_path, command):
    path = _dated(tmp_path, "plain.csv", "#", "utf-8")
    suffix = {"score": ".csv", "report": ".html", "export icglr": ".json"}[command]
    args = [*command.split(), path, "-o", tmp_path / f"out{suffix}", "--lang", "en"]
    args += ["--partial"] if command == "export icglr" else []
    assert invoke(*args).exit_code == 2  # one column: no site id
    assert "ambiguous date" in invoke(*args, "--delimiter", "#").stderr
    out = invoke(*args, "--delimiter", "#", "--encoding", "utf-8", "--dayfirst")
    assert out.exit_code in (0, 1), out.stderr
    assert (tmp_path / f"out{suffix}").exists()


# --- 3. Kobo group separators, select-multiple as separate columns -------------------------
def _fixtures():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_dialect_fixtures

    return make_dialect_fixtures


def _verdicts(path):
    result = minesite.run(path, profile="drc")
    visits = result.visits.copy()
    visits["visit_id"] = visits["visit_id"].str.removeprefix("uuid:")
    return visits.set_index("visit_id")[["status", "decisive", "unknown", "not_assessed"]]


def _kobo(tmp_path, name, *, separator="/", separate=False, labels=False, legacy=False):
    fx = _fixtures()
    header, *rows = fx.kobo_table(fx.LABELS if labels else fx.XML, legacy=legacy)
    summary = "Femmes/Activités des femmes" if labels else "femmes/activites_femmes"
    if separate:  # Kobo "Separate columns": only the q/option 1/0 columns
        at = header.index(summary)
        header = header[:at] + header[at + 1 :]
        rows = [row[:at] + row[at + 1 :] for row in rows]
    header = [h.replace("/", separator) for h in header]
    path = tmp_path / name
    if legacy:
        path.write_text(fx.csv_text([header, *rows], delimiter=",", line="\r\n"), "utf-8")
    else:
        path.write_bytes(fx.kobo_csv_bytes([header, *rows]))
    return path


@pytest.fixture(scope="module")
def kobo_baseline(tmp_path_factory):
    return _verdicts(_kobo(tmp_path_factory.mktemp("kobo"), "kobo.csv"))


@pytest.mark.parametrize("separator", [":", ".", "-", "__", "/"])
@pytest.mark.parametrize("labels", [False, True])
def test_every_kobo_group_separator_gives_the_same_verdicts(
    tmp_path, kobo_baseline, separator, labels
):
    """Kobo's "Group separator" is free text: `:` `.` `-` `__` all gave exit 2 before."""
    got = _verdicts(_kobo(tmp_path, "k.csv", separator=separator, labels=labels))
    pd.testing.assert_frame_equal(got.sort_index(), kobo_baseline.sort_index())


@pytest.mark.parametrize("separator", ["/", ".", ":"])
@pytest.mark.parametrize("labels", [False, True])
def test_select_multiple_as_separate_columns_reads_as_the_single_column(
    tmp_path, kobo_baseline, separator, labels
):
    """Kobo "Separate columns" only: WOM-02 was not assessed and 2 green visits went yellow."""
    path = _kobo(tmp_path, "k.csv", separator=separator, separate=True, labels=labels)
    got = _verdicts(path)
    pd.testing.assert_frame_equal(got.sort_index(), kobo_baseline.sort_index())


def test_group_separator_option_when_no_header_shows_it(tmp_path, kobo_baseline):
    """Without meta:instanceID and geopoint parts nothing shows the separator: say it."""
    path = _kobo(tmp_path, "k.csv", separator=":")
    table = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline=""), delimiter=";"))
    keep = [j for j, h in enumerate(table[0]) if "instanceID" not in h and "_gps_" not in h]
    rows = [[r[j] for j in keep] for r in table[1:]]
    path.write_text(_csv([table[0][j] for j in keep], rows, ";"), "utf-8")
    assert invoke("validate", path, "--lang", "en").exit_code == 2
    got = minesite.run(path, profile="drc", reading=minesite.Reading(group_separator=":"))
    assert got.inspection.sources[0].headers["pcode"] == "identification:code_site"
    out = invoke("validate", path, "--group-separator", ":", "--profile", "drc")
    assert out.exit_code == 1, out.stderr
    for lang, words in (("en", "group separator"), ("fr", "séparateur de groupes")):
        out = invoke("validate", path, "--group-separator", " ", "--lang", lang)
        assert out.exit_code == 2 and words in out.stderr and out.stderr.count("\n") == 1


def test_legacy_separate_columns_true_false(tmp_path, kobo_baseline):
    path = _kobo(tmp_path, "legacy.csv", separate=True, legacy=True)
    got = _verdicts(path)
    pd.testing.assert_frame_equal(got.sort_index(), kobo_baseline.sort_index())


def test_a_group_of_yes_no_questions_written_1_0_is_not_a_select_multiple(tmp_path):
    rows = [visit(childunder15="1"), visit(vid="V2")]
    path = tmp_path / "g.csv"
    header = ["enfants/" + k if k.startswith("child") else k for k in rows[0]]
    path.write_text(_csv(header, [list(r.values()) for r in rows], ","), encoding="utf-8")
    assert statuses(minesite.run(path)) == ["red", "green"]


# --- 4. a Kobo labels export of minesite's own form ---------------------------------------
def _form_exports(tmp_path) -> dict[str, object]:
    """The same six visits as Kobo writes them from the generated form: XML values and headers,
    and labels (French, English) as headers and answers."""
    from minesite import load_checklists
    from minesite.xlsform import LANGS, build

    form = build(load_checklists(()))
    survey, depth = [], 0
    for row in form.survey:
        depth += {"begin_repeat": 1, "end_repeat": -1}.get(row["type"], 0)
        if depth == 0 and row["type"] not in ("end_repeat",):
            survey.append(row)
    lists: dict[str, list[dict[str, str]]] = {}
    for choice in form.choices:
        lists.setdefault(choice["list_name"], []).append(choice)
    fixed = {"latitude": "-3.1", "longitude": "28.4", "site_gps": "-3.1 28.4 0 0"}
    files = {}
    for mode in ("xml", "fr", "en"):
        label = f"label::{LANGS[mode]}" if mode != "xml" else "name"
        header = [row[label] for row in survey] + KOBO_SYSTEM
        rows = []
        for k in range(6):
            record = []
            for j, row in enumerate(survey):
                kind = row["type"].split()
                name = row["name"]
                if kind[0] == "select_one":
                    options = lists[kind[1]]
                    pick = k % len(options)
                    if kind[1] == "yes_no":  # no, with a yes (k=1) or a don't know (k=2)
                        pick = {1: 0 if j % 7 == 0 else 1, 2: 2 if j % 5 == 0 else 1}.get(k, 1)
                    choice = options[0] if name == "visit_onsite" else options[pick]
                    record.append(choice[label if mode != "xml" else "name"])
                elif name in fixed:
                    record.append(fixed[name])
                elif name in ("vid", "pcode"):
                    record.append(f"{name}{k}")
                elif name == "visit_date":
                    record.append(f"2026-03-1{k}")
                elif kind[0] == "decimal":
                    record.append(str(40 + 10 * k))
                else:
                    record.append("")
            record += [str(k), f"uuid{k}", "2026-03-20T10:00:00", "", str(k + 1)]
            rows.append(record)
        path = tmp_path / f"kobo-{mode}.csv"
        path.write_text(_csv(header, rows, ";", quoting=csv.QUOTE_ALL), encoding="utf-8")
        files[mode] = path
    return files


def test_kobo_labels_export_of_the_generated_form_scores_like_its_xml_export(tmp_path):
    """Kobo's default export (labels) of the generated form mapped 5 of 76 question labels: exit
    2, "none of the checklist columns found"."""
    files = _form_exports(tmp_path)
    xml = _verdicts(files["xml"])
    assert xml["status"].nunique() > 1
    assert "title_zone" not in " ".join(map(str, xml["not_assessed"]))
    for lang in ("fr", "en"):
        labelled = _verdicts(files[lang])
        pd.testing.assert_frame_equal(labelled.sort_index(), xml.sort_index())
    out = invoke("validate", files["fr"], "--lang", "fr")
    assert out.exit_code == 1, out.stderr


# --- 5. ODK Central "CSV zip with media" -----------------------------------------------------
def _odk_with(tmp_path, extra: dict[str, bytes], *, folder: str = ""):
    import zipfile
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "sample_inspections" / "odk-photos.zip"
    path = tmp_path / "odk-central.zip"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            new.writestr(folder + info.filename, old.read(info))
        for name, data in extra.items():
            new.writestr(folder + name, data)
    return path


FORM = "Inspection sites miniers"
ATTACHMENTS = {
    # a `file` question's CSV attachment, saved by French Excel, and a UTF-8 one with a KEY
    "media/travailleurs.csv": "Nom;Rôle\r\nMulumba;creuseur\r\nKéla;négociant\r\n".encode("cp1252"),
    "media/liste.csv": b"KEY,SubmissionDate,ReviewState\r\nx,2026-01-01,approved\r\n",
    f"files/{FORM}.csv": b"KEY,PARENT_KEY\r\n",
    f"{FORM} - audit.csv": b"event,node,start,end\r\nform start,,1,\r\n",
    # a repeat group named `audit`: a table of the export, not the client audit
    f"{FORM}-audit.csv": b"remarque,PARENT_KEY,KEY\r\nRAS,uuid:x,uuid:x/audit[1]\r\n",
}


@pytest.mark.parametrize("folder", ["", "export-2026-03/"])
def test_odk_central_media_csv_are_attachments_never_tables(tmp_path, folder):
    """A cp1252 CSV in media/ rejected the whole export; a UTF-8 one was parsed as a table."""
    from pathlib import Path

    from minesite.inputs.media import find_attachments

    baseline = Path(__file__).resolve().parent.parent / "sample_inspections" / "odk-photos.zip"
    expected = minesite.read_inspections([baseline])
    path = _odk_with(tmp_path, ATTACHMENTS, folder=folder)
    inspection = minesite.read_inspections([path])
    pd.testing.assert_frame_equal(
        inspection.visits.drop(columns="_source"), expected.visits.drop(columns="_source")
    )
    assert f"{FORM}-audit.csv" in inspection.sources[0].dialect  # a repeat, named, not read
    assert "media/" not in inspection.sources[0].dialect
    if not folder:  # the dossier still finds the photos in media/
        found = find_attachments(inspection)
        assert len(found) == 5 and all(a.warning is None for a in found)
    out = invoke("validate", path, "--lang", "en")
    assert out.exit_code == 1, out.stderr


# --- 6. --columns names any header, a blank one included -----------------------------------
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_mapping_names_any_header_including_a_blank_one(tmp_path, delimiter):
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[visits]\npcode = [""]\nvisit_date = ["  Date / visite (jj-mm) #1 "]\n', encoding="utf-8"
    )
    header = ["vid", "", "Date / visite (jj-mm) #1", "childunder15", ""]
    rows = [["V1", "s1", "2026-03-10", "1", ""], ["V2", "s2", "2026-03-11", "0", ""]]
    path = tmp_path / "blank.csv"
    path.write_text(_csv(header, rows, delimiter), encoding="utf-8")
    out = invoke("validate", path, "-c", "child-labor", "--lang", "en")
    assert out.exit_code == 2 and "column 2 has data but no header" in out.stderr
    out = invoke("validate", path, "-c", "child-labor", "--columns", mapping, "--format", "json")
    assert out.exit_code == 1, out.stderr
    result = minesite.run(path, checklists=["child-labor"], columns=mapping)
    assert result.visits["site_id"].tolist() == ["s1", "s2"]
    assert result.inspection.sources[0].headers["pcode"] == ""
    assert statuses(result)[0] == "red"


def test_a_mapping_of_the_blank_header_keeps_two_blank_headers_over_data_an_error(tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text('[visits]\npcode = [""]\n', encoding="utf-8")
    path = tmp_path / "two.csv"
    path.write_text("vid,,visit_date,\nV1,s1,2026-03-10,x\n", encoding="utf-8")
    out = invoke("validate", path, "--columns", mapping, "--lang", "fr")
    assert out.exit_code == 2 and "colonne 4" in out.stderr, out.stderr


# --- ux.md defect 13: other Office files are named, not "not a readable XLSX workbook" ----
@pytest.mark.parametrize(
    ("name", "members", "words"),
    [
        ("rapport.docx", {"[Content_Types].xml": "", "word/document.xml": ""}, "Word"),
        ("slides.pptx", {"[Content_Types].xml": "", "ppt/presentation.xml": ""}, "PowerPoint"),
        (
            "visites.ods",
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": ""},
            "OpenDocument",
        ),
    ],
)
def test_other_office_files_are_named(tmp_path, name, members, words):
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    for lang in ("en", "fr"):
        out = invoke("validate", path, "--lang", lang)
        assert out.exit_code == 2 and words in out.stderr and "XLSX" in out.stderr, out.stderr
        assert out.stderr.count("\n") == 1


def test_a_kobo_label_on_two_lines_keeps_the_export_recognised(tmp_path, kobo_baseline):
    path = _kobo(tmp_path, "k.csv", labels=True)
    text = path.read_text("utf-8").replace("Visite/Date de la visite", "Visite/Date de\nla visite")
    path.write_text(text, "utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[visits]\nvisit_date = ["Visite/Date de\\nla visite"]\n', "utf-8")
    result = minesite.run(path, columns=mapping, profile="drc")
    assert result.inspection.sources[0].dialect.startswith("KoboToolbox CSV (labels")
