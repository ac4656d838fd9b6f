"""Reading inspection files: encodings, line endings, XLSX, aliases, several files, bad input."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import GREEN, SAMPLES, invoke, score_file, visit, write_csv, write_xlsx

from minesite import InputError, read_inspections
from minesite.findings import visit_findings
from minesite.render.view import View

ROWS = [
    visit(vid="V1"),
    visit(vid="V2", childunder15="1", womenwork="Lavage,\nTransport"),
    visit(vid="V3", womenwork="Prostitution"),
    visit(vid="V4", childunder15=""),
    visit(vid="V5", visit_onsite="0"),
]
EXPECTED = ["green", "red", "yellow", "incomplete", None]


def statuses(report) -> list[str | None]:
    return report.visits["status"].tolist()


@pytest.mark.parametrize(
    "encoding, lineterminator",
    [("utf-8", "\n"), ("utf-8-sig", "\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\r\n")],
)
def test_csv_encodings_and_line_endings(tmp_path, encoding, lineterminator):
    path = write_csv(tmp_path / "v.csv", ROWS, encoding=encoding, lineterminator=lineterminator)
    report = score_file(path)
    assert statuses(report) == EXPECTED
    assert report.visits["visit_id"].tolist() == ["V1", "V2", "V3", "V4", "V5"]
    # The BOM never sticks to the first header.
    assert "vid" in report.inspection.visits.columns
    assert report.visits["row"].tolist() == [2, 3, 4, 5, 6]


def test_cp1252_semicolon_csv(tmp_path):
    rows = [visit(vid="V1", name="Kalimba Équateur"), visit(vid="V2", childunder15="Oui")]
    path = write_csv(tmp_path / "fr.csv", rows, encoding="cp1252", delimiter=";")
    report = score_file(path)
    assert statuses(report) == ["green", "red"]
    assert report.visits["site_name"][0] == "Kalimba Équateur"
    assert "cp1252" in report.inspection.sources[0].dialect


def test_utf16_csv(tmp_path):
    path = write_csv(tmp_path / "u16.csv", ROWS, encoding="utf-16")
    assert statuses(score_file(path)) == EXPECTED


def test_french_excel_csv_decimal_comma(tmp_path):
    rows = [
        visit(vid="A", share_miners_with_card="99,5"),
        visit(vid="B", share_miners_with_card="100,0"),
        visit(vid="C", share_miners_with_card="100,0 %"),
    ]
    path = write_csv(tmp_path / "fr.csv", rows, encoding="cp1252", delimiter=";")
    report = score_file(path, profile="drc")  # LEG-05 is yellow in national law
    assert statuses(report) == ["yellow", "green", "green"]
    assert report.visits["decisive"][0] == "LEG-05"


def test_embedded_newline_keeps_excel_rows(tmp_path):
    rows = [
        visit(vid="V1", womenwork="Lavage\nVendre"),
        visit(vid="V2", womenwork="a\r\nb\nc"),
        visit(vid="V3", childunder15="Oberved"),
    ]
    path = write_csv(tmp_path / "nl.csv", rows, lineterminator="\r\n")
    report = score_file(path)
    assert report.visits["row"].tolist() == [2, 3, 4]
    assert [(c["row"], c["column"]) for c in View(report, "en").unrecognised()] == [
        (4, "childunder15"),
        (4, "childunder15"),
    ]
    with pytest.raises(InputError) as raised:
        score_file(path, strict=True)
    assert raised.value.row == 4


def test_xlsx_gives_the_same_verdicts(tmp_path):
    csv_report = score_file(write_csv(tmp_path / "v.csv", ROWS))
    xlsx_report = score_file(write_xlsx(tmp_path / "v.xlsx", ROWS, sheet="données"))
    columns = ["visit_id", "site_id", "row", "status", "reason", "decisive", "unknown"]
    assert xlsx_report.visits[columns].equals(csv_report.visits[columns])
    assert (xlsx_report.outcomes == csv_report.outcomes).all()
    source = xlsx_report.inspection.sources[0]
    assert source.sheet == "données"
    assert "XLSX" in source.dialect
    findings = visit_findings(xlsx_report.verdicts, 1)
    assert findings and all(f.sheet == "données" and f.file == "v.xlsx" for f in findings)
    assert {f.row for f in findings} == {3}


def test_xlsx_numbers_and_sheet_in_errors(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "visits"
    header = list(GREEN)
    sheet.append(header)
    numeric = {k: (int(v) if v.isdigit() else v) for k, v in GREEN.items()}
    sheet.append([numeric[k] for k in header])
    bad = {**numeric, "vid": "V2", "childunder15": "Oberved"}
    sheet.append([bad[k] for k in header])
    path = tmp_path / "num.xlsx"
    workbook.save(path)
    assert statuses(score_file(path)) == ["green", "incomplete"]
    with pytest.raises(InputError) as raised:
        score_file(path, strict=True)
    assert str(raised.value).startswith('num.xlsx, sheet "visits", row 3, column childunder15:')


def test_xlsx_picks_the_sheet_with_known_columns(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "notes"
    notes.append(["remarque"])
    notes.append(["rien"])
    data = workbook.create_sheet("data")
    data.append(list(GREEN))
    data.append(list(visit(childunder15="1").values()))
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    report = score_file(path)
    assert report.inspection.sources[0].sheet == "data"
    assert statuses(report) == ["red"]


def test_sample_xlsx_matches_sample_csv():
    csv_report = score_file(SAMPLES / "ipis-sample.csv")
    xlsx_report = score_file(SAMPLES / "ipis-sample.xlsx")
    assert statuses(csv_report) == statuses(xlsx_report)
    assert csv_report.counts() == xlsx_report.counts()
    assert xlsx_report.inspection.sources[0].sheet == "visits"


def test_header_aliases(tmp_path):
    renames = {
        "pcode": "site_id",
        "childunder15": "Children under 15 working",
        "cooperative_agrement": "Coopérative agréée",
        "vid": "visit_id",
        "presence": "group/armed_presence",
    }
    rows = [
        {renames.get(k, k): v for k, v in visit(vid="A", childunder15="1").items()},
        {renames.get(k, k): v for k, v in visit(vid="B", cooperative_agrement="0").items()},
    ]
    report = score_file(write_csv(tmp_path / "alias.csv", rows), profile="drc")
    assert report.visits["site_id"].tolist() == ["site00001", "site00001"]
    assert report.visits["visit_id"].tolist() == ["A", "B"]
    assert statuses(report) == ["red", "yellow"]
    assert report.visits["decisive"].tolist() == ["CHL-01", "LEG-04"]
    # Findings name the header as written in the file.
    [finding] = [f for f in visit_findings(report.verdicts, 0) if f.criterion == "CHL-01"]
    assert (finding.column, finding.row) == ("Children under 15 working", 2)
    assert report.not_assessed() == []


def test_extra_column_mapping(tmp_path):
    mapping = tmp_path / "mine.toml"
    mapping.write_text('[visits]\nchildunder15 = ["Watoto kazini"]\n', encoding="utf-8")
    row = {
        ("Watoto kazini" if k == "childunder15" else k): v
        for k, v in visit(childunder15="1").items()
    }
    path = write_csv(tmp_path / "sw.csv", [row])
    inspection = read_inspections([path], columns=mapping)
    assert "childunder15" in inspection.visits.columns
    result = invoke("validate", path, "--columns", mapping, "--format", "json")
    assert result.exit_code == 1
    assert '"CHL-01"' in result.stdout


def test_several_files_keep_file_and_row(tmp_path):
    first = write_csv(tmp_path / "a.csv", [visit(vid="A1"), visit(vid="A2", childunder15="1")])
    second = write_xlsx(tmp_path / "b.xlsx", [visit(vid="B1", cooperative_agrement="0")])
    third = write_csv(
        tmp_path / "c.csv",
        [visit(vid="C1"), visit(vid="C2"), visit(vid="C3", childunder15="Oberved")],
    )
    report = score_file(first, second, third, profile="drc")
    v = report.visits
    files = [report.inspection.sources[s].path.name for s in v["source"]]
    assert list(zip(v["visit_id"], files, v["row"], v["status"], strict=True)) == [
        ("A1", "a.csv", 2, "green"),
        ("A2", "a.csv", 3, "red"),
        ("B1", "b.xlsx", 2, "yellow"),
        ("C1", "c.csv", 2, "green"),
        ("C2", "c.csv", 3, "green"),
        ("C3", "c.csv", 4, "incomplete"),
    ]
    assert [(c["file"], c["row"]) for c in View(report, "en").unrecognised()] == [("c.csv", 4)] * 2
    [finding] = [f for f in visit_findings(report.verdicts, 1) if f.criterion == "CHL-01"]
    assert (finding.file, finding.row) == ("a.csv", 3)


def test_several_files_with_actors_keep_actor_cells(tmp_path):
    first = write_csv(tmp_path / "a.csv", [visit(vid="A1"), visit(vid="A2")])
    armed = visit(
        vid="B1", presence="1", armed_group2="Mai-Mai", type_armed_group2="Groupe armé local"
    )
    second = write_csv(tmp_path / "b.csv", [visit(vid="B0"), armed])
    report = score_file(first, second)
    assert statuses(report) == ["green", "green", "green", "red"]
    [finding] = [f for f in visit_findings(report.verdicts, 3) if f.criterion == "SEC-01"]
    assert (finding.file, finding.row, finding.column, finding.answer) == (
        "b.csv",
        3,
        "type_armed_group2",
        "Groupe armé local",
    )


def test_one_row_per_input_row_and_blank_lines(tmp_path):
    path = tmp_path / "blank.csv"
    header = list(GREEN)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(list(GREEN.values()))
    writer.writerow([""] * len(header))
    writer.writerow(list(visit(vid="V2", childunder15="1").values()))
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = score_file(path)
    assert statuses(report) == ["green", None, "red"]
    assert report.visits["reason"][1] == "row.empty"
    assert report.visits["row"].tolist() == [2, 3, 4]


# --- bad input through the CLI: exit 2, one line on stderr naming the file --------------------


def _xlsx_bytes(tmp_path) -> bytes:
    return write_xlsx(tmp_path / "real.xlsx", [visit()]).read_bytes()


def _ragged(extra: bool) -> str:
    header = "vid,childunder15,womenwork"
    bad = "c,1,y,surplus" if extra else "c,1"
    # Records: header = row 1, a = row 2, b = row 3 (three physical lines), the bad one = row 4.
    return f'{header}\na,0,x\nb,0,"deux\nlignes\ntrois"\n{bad}\nd,0,z\n'


BAD_FILES = {
    "empty": (lambda tmp: b"", None, None, "empty"),
    "whitespace": (lambda tmp: b"  \n\n", None, None, "empty"),
    "binary": (lambda tmp: b"vid,childunder15\n\x00\x01\x02\x00garbage\x00", None, None, "binary"),
    "truncated xlsx": (lambda tmp: _xlsx_bytes(tmp)[:300], None, None, "XLSX"),
    "xls magic": (
        lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        None,
        None,
        ".xls",
    ),
    "pdf": (lambda tmp: b"%PDF-1.4\n%...", None, None, "PDF"),
    "too many fields": (lambda tmp: _ragged(True).encode(), 4, None, "ragged"),
    "too few fields": (lambda tmp: _ragged(False).encode(), 4, None, "ragged"),
    "no checklist column": (
        lambda tmp: b"pcode,visit_date,foo\nS1,2026-01-10,2\n",
        1,
        None,
        "none of the checklist columns",
    ),
    "no site id column": (
        lambda tmp: b"foo,visit_date,childunder15\n1,2026-01-10,0\n",
        1,
        None,
        "no site id column (pcode)",
    ),
    "no visit date column": (
        lambda tmp: b"vid,pcode,Date visite,childunder15\na,S1,2026-01-10,0\n",
        1,
        None,
        "no visit date column (visit_date)",
    ),
    "duplicated header": (
        lambda tmp: b"vid,childunder15,childunder15\na,0,0\n",
        1,
        "childunder15",
        "twice",
    ),
    "two aliases of one column": (
        lambda tmp: b"vid,childunder15,Children under 15 working\na,0,0\n",
        1,
        "Children under 15 working",
        "both mean childunder15",
    ),
    "data under a blank header": (
        lambda tmp: b"vid,childunder15,\na,0,oops\n",
        1,
        None,
        "no header",
    ),
}


def assert_one_line_error(result, name: str, row=None, column=None, words=None):
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"minesite: {name}"), line
    if row is not None:
        assert f"row {row}" in line
    if column is not None:
        assert f"column {column}" in line
    if words is not None:
        assert words in line
    assert "internal error" not in line
    return line


@pytest.mark.parametrize("case", BAD_FILES)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_bad_input_is_one_line_exit_2(tmp_path, case, suffix):
    content, row, column, words = BAD_FILES[case]
    data = content(tmp_path)
    # The extension does not matter: what the bytes are decides (a CSV named .xlsx is a CSV).
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(data)
    result = invoke("validate", path)
    assert_one_line_error(result, path.name, row, column, words)


def test_missing_file(tmp_path):
    result = invoke("validate", tmp_path / "absent.csv")
    assert_one_line_error(result, "absent.csv", words="file not found")


def test_a_folder_without_exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"PK")
    result = invoke("validate", folder)
    assert_one_line_error(result, "exports", words="the folder holds no export")


def test_good_file_then_bad_file_is_still_bad_input(tmp_path):
    good = write_csv(tmp_path / "good.csv", [visit()])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    result = invoke("validate", good, bad)
    assert_one_line_error(result, "bad.csv")


def test_xlsx_duplicated_header_names_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "visits"
    sheet.append(["vid", "childunder15", "childunder15"])
    sheet.append(["a", 0, 0])
    path = tmp_path / "dup.xlsx"
    workbook.save(path)
    result = invoke("validate", path)
    line = assert_one_line_error(result, "dup.xlsx", 1, "childunder15", "twice")
    assert 'sheet "visits"' in line


def test_strict_cli_error_is_one_line(tmp_path):
    path = write_csv(tmp_path / "v.csv", [visit(), visit(childunder15="Oberved")])
    result = invoke("validate", path, "--strict")
    line = assert_one_line_error(result, "v.csv", 3, "childunder15", '"Oberved"')
    assert 'did you mean "Observed"?' in line


def test_actor_columns_without_a_category_column(tmp_path):
    # A file describing actors (name, conduct) but not their category: cannot be green, no crash.
    rows = [
        # (an unknown name: a known group's name gives the category, see test_vocabularies)
        {"vid": "a", "presence": "1", "armed_group1": "Inconnus", "childunder15": "0"},
        {"vid": "b", "presence": "1", "armed_group1": "X", "forced_labour_armed_group1": "1"},
        {"vid": "c", "presence": "0", "armed_group1": "", "forced_labour_armed_group1": ""},
    ]
    rows = [{"pcode": f"S{i}", "visit_date": "2026-03-02", **r} for i, r in enumerate(rows)]
    report = score_file(
        write_csv(tmp_path / "v.csv", rows), checklists=["armed-groups", "child-labor"]
    )
    v = report.visits
    assert v["status"][0] == "incomplete"
    assert v["could_be"][0] == "red"
    assert {"SEC-01", "SEC-02"} <= set(v["unknown"][0].split())
    assert v["status"][1] == "red"
    assert v["decisive"][1] == "HRA-01"
    assert v["status"][2] == "incomplete"  # child labour not recorded on row c
    assert "SEC-01" not in v["unknown"][2].split()


def test_header_only_file_is_an_error_not_an_all_green_pass(tmp_path):
    # Exit 0 ("every visit green") on an export with no visit would read as a pass.
    path = tmp_path / "empty-table.csv"
    path.write_text(",".join(GREEN) + "\n", encoding="utf-8")
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "empty-table.csv" in result.stderr


def test_unclosed_quote_names_the_row_where_it_opens(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_bytes(b'vid,childunder15\n1,0\n2,"x\n3,1\n')
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "minesite: quote.csv, row 3: a quoted field opened here is never closed "
        '(a stray " in the data?)'
    )
