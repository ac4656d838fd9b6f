"""Every input dialect gives the verdicts of the canonical file; bad input fails on one line."""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from minesite import load_checklists, read_inspections, score
from minesite.cli import app
from minesite.errors import InputError
from minesite.inputs.workbook import read_sheets

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIALECTS = HERE / "data" / "dialects"
sys.path.insert(0, str(HERE))

import make_dialect_fixtures as fixtures  # noqa: E402

DETECTED = {
    "kobo.csv": "KoboToolbox CSV (XML names, utf-8, semicolon-separated)",
    "kobo-labels-hxl.csv": "KoboToolbox CSV (labels, utf-8, semicolon-separated, HXL row 2",
    "kobo-repeat.xlsx": 'KoboToolbox XLSX (XML names, actors from repeat sheet "acteurs_armes_',
    "kobo-legacy.csv": "KoboToolbox legacy CSV (XML names, utf-8, comma-separated)",
    "odk.zip": "ODK Central CSV zip (root table Inspection sites miniers.csv, actors from",
    "french-excel.csv": "French Excel CSV (cp1252, semicolon-separated, decimal comma)",
    "french-excel-utf8-bom.csv": "French Excel CSV (UTF-8 with BOM, semicolon-separated",
    "canonical.xlsx": "XLSX workbook",
}


def verdicts(path: Path, columns: Path | None = None) -> pd.DataFrame:
    # drc: FARDC present (Nyamurhale) is yellow there, an RCM info under icglr.
    report = score(read_inspections([path], columns=columns), load_checklists((), profile="drc"))
    visits = report.visits.copy()
    visits["visit_id"] = visits["visit_id"].str.removeprefix("uuid:")
    return visits.set_index("visit_id")[["status", "decisive", "unknown", "not_assessed"]]


@pytest.fixture(scope="module")
def canonical() -> pd.DataFrame:
    return verdicts(DIALECTS / "canonical.xlsx")


def test_canonical_fixture_covers_every_colour(canonical):
    statuses = canonical["status"].tolist()
    assert {"green", "yellow", "red"} <= set(statuses)
    assert canonical["status"].isna().sum() == 1  # the off-site visit


@pytest.mark.parametrize("name", sorted(DETECTED))
def test_every_dialect_gives_the_canonical_verdicts(name, canonical):
    got = verdicts(DIALECTS / name)
    pd.testing.assert_frame_equal(got.sort_index(), canonical.sort_index())


@pytest.mark.parametrize(("name", "dialect"), sorted(DETECTED.items()))
def test_dialect_is_detected_and_named(name, dialect):
    source = read_inspections([DIALECTS / name]).sources[0]
    assert source.dialect.startswith(dialect)
    result = CliRunner().invoke(app, ["validate", str(DIALECTS / name), "--lang", "en"])
    assert result.exit_code == 1
    assert "detected as" in result.output


@pytest.mark.parametrize(
    ("name", "disguise", "dialect"),
    [
        ("kobo.csv", "kobo-export.xlsx", "KoboToolbox CSV"),
        ("kobo-repeat.xlsx", "kobo-export.csv", "KoboToolbox XLSX"),
        ("odk.zip", "odk-export.csv", "ODK Central CSV zip"),
    ],
)
def test_bytes_decide_not_the_extension(tmp_path, name, disguise, dialect):
    path = tmp_path / disguise
    shutil.copy(DIALECTS / name, path)
    assert read_inspections([path]).sources[0].dialect.startswith(dialect)


def test_kobo_record_key_is_uuid_not_index():
    inspection = read_inspections([DIALECTS / "kobo.csv"])
    assert inspection.visits["vid"].tolist() == [v["uuid"] for v in fixtures.VISITS]
    assert inspection.sources[0].headers["vid"] == "_uuid"


def test_skipped_select_multiple_stays_blank_not_no():
    for name in ("kobo.csv", "kobo-legacy.csv", "odk.zip", "kobo-repeat.xlsx"):
        visits = read_inspections([DIALECTS / name]).visits
        assert visits["womenwork"].tolist()[:3] == ["lavage vente", "", "restauration"], name
        assert not any("/lavage" in str(c) for c in visits.columns), name


def test_hxl_row_is_dropped_and_rows_keep_their_excel_number():
    inspection = read_inspections([DIALECTS / "kobo-labels-hxl.csv"])
    assert len(inspection.visits) == 6
    assert inspection.visits["_row"].tolist() == [3, 4, 5, 6, 7, 8]
    assert inspection.visits["pcode"].iat[0] == "demo00001"


def test_french_dates_and_decimal_commas_are_normalised():
    visits = read_inspections([DIALECTS / "french-excel.csv"]).visits
    assert visits["visit_date"].tolist() == [v["visit_date"] for v in fixtures.VISITS]
    assert visits["latitude"].iat[0] == "-3.0417"
    assert visits["name"].iat[3] == "Mukungwe"


def test_repeat_actor_cell_names_the_repeat_sheet_and_row():
    inspection = read_inspections([DIALECTS / "kobo-repeat.xlsx"])
    actors = inspection.actors
    assert actors["visit"].tolist() == [2, 3, 3]
    assert actors["slot"].tolist() == [1, 1, 2]
    assert actors["category"].tolist() == [
        "fardc_no_interference",
        "nsag_local",
        "fardc_undisciplined",
    ]
    source, row, header = inspection.actor_cell(2, "category")
    assert source.sheet == "acteurs_armes_et_forces_de_secu"
    assert row == 4
    assert header == "securite/acteurs_armes_et_forces_de_securite/type_acteur"
    assert inspection.sources[0].sheet == fixtures.FORM_TITLE[:31]


def test_odk_actor_cell_names_the_repeat_table():
    inspection = read_inspections([DIALECTS / "odk.zip"])
    source, row, header = inspection.actor_cell(1, "taxation")
    assert source.sheet.endswith("-acteurs_armes_et_forces_de_securite.csv")
    assert (row, header) == (3, "taxe")


def test_ipis_wide_actor_layout_still_points_at_the_visit_row():
    inspection = read_inspections([ROOT / "sample_inspections" / "field-visits.csv"])
    actor = int(inspection.actors.index[inspection.actors["category"] == "Groupe armé local"][0])
    source, row, header = inspection.actor_cell(actor, "category")
    assert (source.sheet, row, header) == (None, 5, "type_armed_group1")


def test_coordinator_mapping_reads_a_new_export(tmp_path):
    text = (DIALECTS / "kobo.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "new-form.csv"
    renamed.write_bytes(
        text.replace('"enfants/enfants_moins_15"', '"enfants/q12_travail_enfants"').encode()
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[visits]\nchildunder15 = ["q12_travail_enfants"]\n', encoding="utf-8")
    without = verdicts(renamed)
    # Without the mapping the renamed column is absent: CHL-01 is not assessed, never passed.
    assert "CHL-01" in without.loc[fixtures.VISITS[0]["uuid"], "not_assessed"]
    assert without.loc[fixtures.VISITS[0]["uuid"], "status"] == "incomplete"
    pd.testing.assert_frame_equal(
        verdicts(renamed, columns=mapping).sort_index(),
        verdicts(DIALECTS / "canonical.xlsx").sort_index(),
    )
    result = CliRunner().invoke(
        app, ["validate", str(renamed), "--columns", str(mapping), "--format", "json"]
    )
    assert result.exit_code == 1


def test_committed_fixtures_are_up_to_date(tmp_path):
    built = fixtures.build(tmp_path)
    for name, path in built.items():
        committed = DIALECTS / path.name
        if path.suffix == ".xlsx":
            for new, old in zip(read_sheets(path), read_sheets(committed), strict=True):
                pd.testing.assert_frame_equal(new.frame, old.frame)
        else:
            assert path.read_bytes() == committed.read_bytes(), name


def test_kobo_csv_bytes_are_formpack_dialect():
    raw = (DIALECTS / "kobo.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n")[0].startswith(b'"identification/code_site";"')
    assert (DIALECTS / "french-excel.csv").read_bytes().count("é".encode("cp1252")) > 0


# --- bad input ---------------------------------------------------------------------------------


def fails(path: Path, *parts: str, columns: Path | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_inspections([path], columns=columns)
    message = str(caught.value)
    assert "\n" not in message
    for part in (path.name, *parts):
        assert part in message, (part, message)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert message in result.output
    return message


def rewrite_workbook(source: Path, target: Path, change) -> None:
    """Copy a workbook as strings, letting `change(sheet_name, frame)` edit each sheet."""
    with xlsxwriter.Workbook(target) as workbook:
        for sheet in read_sheets(source):
            frame = change(sheet.name, sheet.frame.copy())
            out = workbook.add_worksheet(sheet.name)
            out.write_row(0, 0, list(frame.columns))
            for r, row in enumerate(frame.itertuples(index=False), start=1):
                out.write_row(r, 0, list(row))


REPEAT_SHEET = fixtures.REPEAT[:31]
MAIN_SHEET = fixtures.FORM_TITLE[:31]


def test_kobo_xlsx_without_main_index(tmp_path):
    path = tmp_path / "no-index.xlsx"
    rewrite_workbook(
        DIALECTS / "kobo-repeat.xlsx",
        path,
        lambda name, f: f.drop(columns=["_index"]) if name == MAIN_SHEET else f,
    )
    fails(path, f'sheet "{MAIN_SHEET}"', "row 1", "column _index", "missing key column")


def test_kobo_xlsx_repeat_without_parent_index(tmp_path):
    path = tmp_path / "no-parent.xlsx"
    rewrite_workbook(
        DIALECTS / "kobo-repeat.xlsx",
        path,
        lambda name, f: f.drop(columns=["_parent_index"]) if name == REPEAT_SHEET else f,
    )
    fails(path, f'sheet "{REPEAT_SHEET}"', "row 1", "column _parent_index")


def test_kobo_xlsx_parent_index_pointing_nowhere(tmp_path):
    def orphan(name, frame):
        if name == REPEAT_SHEET:
            frame.loc[1, "_parent_index"] = "99"
        return frame

    path = tmp_path / "orphan.xlsx"
    rewrite_workbook(DIALECTS / "kobo-repeat.xlsx", path, orphan)
    fails(path, f'sheet "{REPEAT_SHEET}"', "row 3", "column _parent_index", '"99"')


def test_kobo_xlsx_visits_without_index_have_no_actors(tmp_path):
    """Found profiling: two visits with a blank `_index` were an internal error (a lookup
    among keys that are not unique); they read as visits without actors, and a repeat row
    whose `_parent_index` is blank is tied to no visit, named as such."""

    def blank(name, frame):
        if name == MAIN_SHEET:
            frame.loc[0:1, "_index"] = ""
        return frame

    path = tmp_path / "blank.xlsx"
    rewrite_workbook(DIALECTS / "kobo-repeat.xlsx", path, blank)
    whole = read_inspections([DIALECTS / "kobo-repeat.xlsx"])
    read = read_inspections([path])
    assert len(read.visits) == len(whole.visits) and len(read.actors) == len(whole.actors)

    def blank_parent(name, frame):
        if name == REPEAT_SHEET:
            frame.loc[1, "_parent_index"] = ""
        return frame

    rewrite_workbook(DIALECTS / "kobo-repeat.xlsx", path, blank_parent)
    fails(path, f'sheet "{REPEAT_SHEET}"', "row 3", "column _parent_index")


def test_odk_parent_key_pointing_nowhere(tmp_path):
    tables = fixtures.odk_tables()
    repeat = next(name for name in tables if name.endswith(f"{fixtures.REPEAT}.csv"))
    tables[repeat][2][4] = "uuid:deleted-submission"
    path = tmp_path / "orphan.zip"
    fixtures.write_odk_zip(path, tables)
    fails(path, f'sheet "{repeat}"', "row 3", "column PARENT_KEY", "uuid:deleted-submission")


def test_odk_zip_without_root_table(tmp_path):
    tables = fixtures.odk_tables()
    root = next(name for name in tables if not name.endswith(f"{fixtures.REPEAT}.csv"))
    del tables[root]
    path = tmp_path / "no-root.zip"
    fixtures.write_odk_zip(path, tables)
    fails(path, "no root table")


def test_odk_root_without_key(tmp_path):
    tables = fixtures.odk_tables()
    root = next(name for name in tables if not name.endswith(f"{fixtures.REPEAT}.csv"))
    at = tables[root][0].index("KEY")
    tables[root] = [row[:at] + row[at + 1 :] for row in tables[root]]
    path = tmp_path / "no-key.zip"
    fixtures.write_odk_zip(path, tables)
    fails(path, f'sheet "{root}"', "row 1", "column KEY", "missing key column")


def test_zip_of_something_else(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("files/photo.jpg", b"\xff\xd8")
    fails(path, "neither an XLSX workbook nor CSV tables")


def kobo_lines() -> list[str]:
    return (DIALECTS / "kobo.csv").read_bytes().decode("utf-8").split("\r\n")


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def test_mixed_delimiters(tmp_path):
    lines = kobo_lines()
    lines[3] = lines[3].replace('";"', '","')
    fails(write_lines(tmp_path / "mixed.csv", lines), "row 4", "mixed delimiters")


def test_header_repeated_mid_file(tmp_path):
    lines = kobo_lines()
    lines.insert(4, lines[0])
    fails(write_lines(tmp_path / "pasted.csv", lines), "row 5", "header row is repeated")


def test_duplicate_record_keys(tmp_path):
    lines = kobo_lines()
    lines.insert(3, lines[1])
    fails(write_lines(tmp_path / "twice.csv", lines), "row 4", "column _uuid", "(also on row 2)")


def french_lines() -> list[str]:
    return (DIALECTS / "french-excel.csv").read_bytes().decode("cp1252").split("\r\n")


def test_unparseable_date(tmp_path):
    lines = french_lines()
    lines[2] = lines[2].replace("11/03/2026", "31/02/2026")
    fails(
        write_lines(tmp_path / "bad-date.csv", lines, "cp1252"),
        "row 3",
        "column Date de la visite",
        "not a calendar date",
    )
    lines[2] = lines[2].replace("31/02/2026", "la semaine passée")
    fails(write_lines(tmp_path / "bad-date.csv", lines, "cp1252"), "row 3", "neither")


def test_ambiguous_date_of_french_excel_is_day_first_and_said(tmp_path):
    lines = french_lines()
    lines[1] = lines[1].replace("10/03/2026", "03/04/2026")
    # Other rows (13/03/2026...) show the file writes dd/mm: 03/04 is 3 April.
    visits = read_inspections([write_lines(tmp_path / "ok.csv", lines, "cp1252")]).visits
    assert visits["visit_date"].iat[0] == "2026-04-03"
    only = [lines[0], lines[1], lines[2]]
    # Alone, 03/04/2026 is ambiguous, but a French Excel file writes dd/mm: said, never guessed
    # silently (a plain CSV keeps the error: test_inputs_as_they_come.py).
    inspection = read_inspections([write_lines(tmp_path / "ambiguous.csv", only, "cp1252")])
    assert inspection.visits["visit_date"].iat[0] == "2026-04-03"
    (note,) = inspection.warnings
    assert note.code == "note.dates-day-first-french-excel"
    assert (note.position.row, note.position.column) == (2, "Date de la visite")


def test_cp1252_bytes_late_in_a_utf8_file(tmp_path):
    """H4: one stray cp1252 byte no longer re-decodes a UTF-8 file (a red visit read yellow)."""
    lines = kobo_lines()
    filler = lines[2]
    body = [lines[0], *([filler.replace(fixtures.VISITS[1]["uuid"], "")] * 1200)]
    text = "\r\n".join(body)
    assert len(text.encode()) > 256 * 1024
    stray = b"\r\n" + lines[3].replace("Nyamurhale", "Kéla").encode("cp1252")
    # An ASCII file with one cp1252 byte is a cp1252 file (decoding it so changes nothing else).
    ascii_path = tmp_path / "ascii-and-cp1252.csv"
    ascii_path.write_bytes(text.encode("utf-8") + stray)
    assert "Kéla" in read_inspections([ascii_path]).visits.to_string()
    path = tmp_path / "mixed-encoding.csv"
    path.write_bytes(text.replace("Sud-Kivu", "Sud-Kivu é").encode("utf-8") + stray)
    # The UTF-8 accents of the first 1,201 rows outnumber the one stray cp1252 byte: the file is
    # UTF-8 (never re-decoded as cp1252), and the cell with the stray byte is named.
    inspection = read_inspections([path])
    assert "Kéla" not in inspection.visits.to_string()
    (warning,) = inspection.warnings
    assert warning.code == "input.invalid-utf8" and warning.position.row == 1202
    assert "row 1202" in warning.render("en") and "ligne 1202" in warning.render("fr")
    with pytest.raises(InputError) as caught:
        read_inspections([path], strict=True)
    assert "row 1202" in str(caught.value)


def test_odk_root_table_alone_is_named_and_scored(tmp_path, canonical):
    with zipfile.ZipFile(DIALECTS / "odk.zip") as archive:
        path = tmp_path / "root.csv"
        path.write_bytes(archive.read("Inspection sites miniers.csv"))
    inspection = read_inspections([path])
    assert inspection.sources[0].dialect.startswith("ODK Central CSV (root table only")
    assert len(inspection.actors) == 0  # the actors are in the repeat table, not given
    # The first visit answers "no armed presence": with no actor, every actor criterion
    # (SEC-01..03 read the category, HRA-01 the forced-labour flag) passes.
    assert verdicts(path).loc[fixtures.VISITS[0]["uuid"], "status"] == "green"


def test_coordinator_mapping_for_repeat_actor_fields(tmp_path):
    def rename(name, frame):
        if name == REPEAT_SHEET:
            old = f"securite/{fixtures.REPEAT}/type_acteur"
            frame = frame.rename(columns={old: f"securite/{fixtures.REPEAT}/qui_est_la"})
        return frame

    path = tmp_path / "renamed-repeat.xlsx"
    rewrite_workbook(DIALECTS / "kobo-repeat.xlsx", path, rename)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[actors.repeat]\ncategory = ["qui_est_la"]\n', encoding="utf-8")
    assert "not read" in read_inspections([path]).sources[0].dialect
    pd.testing.assert_frame_equal(
        verdicts(path, columns=mapping).sort_index(),
        verdicts(DIALECTS / "canonical.xlsx").sort_index(),
    )


@pytest.mark.parametrize("space", [" ", "\t", "\u00a0", "\u3000", "\u2009"])
def test_keys_that_differ_only_by_surrounding_whitespace_are_one_key(tmp_path, space):
    """Keys are compared stripped as `str.strip` strips them: a key padded with any Unicode
    space is the same visit written twice."""
    header = "vid,pcode,name,visit_date,childunder15"
    rows = ["V1,S1,A,2026-03-01,0", f"{space}V1{space},S2,B,2026-03-02,0", ",S3,C,2026-03-03,0"]
    path = tmp_path / "padded.csv"
    path.write_text("\n".join([header, *rows, ",S4,D,2026-03-04,0"]) + "\n", encoding="utf-8")
    fails(path, "row 3", "column vid", "(also on row 2)")
    # Blank keys are not keys: two of them are no duplicate.
    path.write_text("\n".join([header, rows[0], *rows[2:], ",S4,D,2026-03-04,0"]) + "\n")
    assert len(read_inspections([path]).visits) == 3
