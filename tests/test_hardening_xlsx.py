"""Red team 2 (research/review-2/redteam.md) against the XLSX reader: H1 (guard bypasses), H2
(shared-strings uniqueCount), M6 (formula caches), and zip limits. Workbooks are written here as
raw XML, as an attacker (or a tool that is not Excel) would."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import invoke

from minesite import read_inspections
from minesite.errors import InputError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>vid</t></is></c></row>'


def workbook(
    path: Path,
    sheet: str,
    *,
    part: str = "xl/worksheets/sheet1.xml",
    sst: str = f'<sst xmlns="{MAIN}"/>',
    calc: str = "",
) -> Path:
    """An XLSX whose single sheet is `sheet` (the XML inside <sheetData>), stored at `part`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name="visits" sheetId="1" r:id="rId1"/></sheets>{calc}</workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="{part[3:]}"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        body = sheet if sheet.lstrip().startswith("<") and "worksheet" in sheet else None
        z.writestr(
            part, body or f'<worksheet xmlns="{MAIN}"><sheetData>{sheet}</sheetData></worksheet>'
        )
        z.writestr("xl/sharedStrings.xml", sst)
    return path


FAR = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
BYPASSES = {
    "sheet outside xl/worksheets": (HEADER + FAR, "xl/data/sheet1.xml"),
    "upper-case extension": (HEADER + FAR, "xl/worksheets/sheet1.XML"),
    "namespace prefix": (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        + (HEADER + FAR).replace("<", "<x:").replace("<x:/", "</x:")
        + "</x:sheetData></x:worksheet>",
        "xl/worksheets/sheet1.xml",
    ),
    "single quotes": (HEADER + FAR.replace('r="XFD1048576"', "r='XFD1048576'"), None),
    "newline after <c": (HEADER + FAR.replace("<c r=", "<c\nr="), None),
    "spaces around =": (HEADER + FAR.replace('r="XFD1048576"', 'r = "XFD1048576"'), None),
    "character reference in r": (
        HEADER + FAR.replace('r="XFD1048576"', 'r="&#88;FD1048576"'),
        None,
    ),
    "cell placed after a far row (found by the campaign)": (
        HEADER + '<row r="1048575"><c r="A2"><v>1</v></c></row><row><c><v>1</v></c>'
        '<c r="XFD3"><v>1</v></c></row>',
        None,
    ),
    "cell placed by its row": (
        HEADER + '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>',
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(BYPASSES))
def test_far_cell_is_refused_whatever_the_xml_spelling(tmp_path, case):
    """H1: each of these passed the regex guard, and calamine then aborted (SIGABRT) or hung."""
    sheet, part = BYPASSES[case]
    path = workbook(tmp_path / "far.xlsx", sheet, part=part or "xl/worksheets/sheet1.xml")
    result = invoke("validate", path)
    assert result.exit_code == 2, result.output
    assert "cells spread over" in result.stderr and "MINESITE_MAX_XLSX_CELLS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def two_sheets(path: Path, second: str, *, listed: bool) -> Path:
    """A workbook whose first sheet is fine and whose second part is `second` (the XML inside
    <sheetData>), listed in the workbook or only present in the zip."""
    workbook(path, HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>V1</t></is></c></row>')
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if listed:
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b"</sheets>", b'<sheet name="actors" sheetId="2" r:id="rId3"/></sheets>'
        )
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            f'<Relationship Id="rId3" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>'
            "</Relationships>".encode(),
        )
    parts["xl/worksheets/sheet2.xml"] = (
        f'<worksheet xmlns="{MAIN}"><sheetData>{second}</sheetData></worksheet>'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("listed", [True, False], ids=["listed", "unlisted"])
def test_a_later_sheet_is_measured_before_calamine_reads_it(tmp_path, listed):
    # Sheets are measured one by one, the next while calamine parses this one: a far cell in
    # the second sheet, or in a sheet part the workbook does not list, is still refused.
    path = two_sheets(tmp_path / "two.xlsx", HEADER + FAR, listed=listed)
    result = invoke("validate", path)
    assert result.exit_code == 2, result.output
    assert "cells spread over" in result.stderr and "MINESITE_MAX_XLSX_CELLS" in result.stderr


def test_empty_styled_cells_do_not_hide_a_sparse_range(tmp_path):
    """x14b: empty formatted cells counted as "cells present" made a far value look dense."""
    empty = "".join(f'<c r="{_letters(c)}{{row}}" s="1"/>' for c in range(1, 16385))
    rows = "".join(f'<row r="{r}">{empty.format(row=r)}</row>' for r in range(2, 12))
    far = '<row r="200"><c r="XFD200" t="inlineStr"><is><t>x</t></is></c></row>'
    path = workbook(tmp_path / "styled.xlsx", HEADER + rows + far)
    with pytest.raises(InputError) as caught:
        read_inspections([path])
    assert caught.value.code == "limit.xlsx-sparse"


def _letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


@pytest.mark.parametrize(
    ("attributes", "refused"),
    [
        ('count="1" uniqueCount="4000000000"', True),
        ('count="4000000000000" uniqueCount="1"', True),
        ('uniqueCount="-1"', True),
        ('count="3" uniqueCount="1"', False),
    ],
)
def test_shared_strings_counts_are_bounded(tmp_path, attributes, refused):
    """H2: calamine reserved uniqueCount strings up front: 4e9 aborted the process (96 GB)."""
    sst = f'<sst xmlns="{MAIN}" {attributes}><si><t>vid</t></si></sst>'
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>'
    path = workbook(tmp_path / "sst.xlsx", sheet, sst=sst)
    result = invoke("validate", path, "--format", "json")
    assert ("shared strings declare" in result.stderr) == refused, result.stderr
    assert result.exit_code == 2 or not refused


def test_a_dtd_in_a_sheet_is_refused_before_any_entity_is_expanded(tmp_path):
    sheet = (
        f'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet xmlns="{MAIN}"><sheetData>'
        f"{HEADER}</sheetData></worksheet>"
    )
    with pytest.raises(InputError) as caught:
        read_inspections([workbook(tmp_path / "dtd.xlsx", sheet)])
    assert caught.value.code == "input.xlsx-doctype"


def formula_book(path: Path, calc: str = "") -> Path:
    """FV-001 green by its cached values, but childunder15 is the formula =1 cached as 0."""
    header = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABC", ("vid", "pcode", "childunder15"), strict=True)
    )
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>FV-001</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>p1</t></is></c><c r="C2"><f>1</f><v>0</v></c></row>'
    )
    return workbook(path, f'<row r="1">{header}</row>{row}', calc=calc)


def test_formula_cells_are_named_and_strict_refuses_them(tmp_path):
    """M6: a stale formula cache scored green what Excel shows as a child under 15."""
    path = formula_book(tmp_path / "formula.xlsx")
    (warning,) = read_inspections([path]).warnings
    assert warning.code == "input.formula-cells"
    assert (warning.position.sheet, warning.position.row, warning.position.column) == (
        "visits",
        2,
        "childunder15",
    )
    assert "formula" in warning.render("en") and "formule" in warning.render("fr")
    result = invoke("validate", path, "--strict")
    assert result.exit_code == 2
    assert 'sheet "visits", row 2, column childunder15' in result.stderr


def test_a_workbook_that_asks_for_recalculation_says_its_cache_is_stale(tmp_path):
    path = formula_book(tmp_path / "recalc.xlsx", calc='<calcPr fullCalcOnLoad="1"/>')
    (warning,) = read_inspections([path]).warnings
    assert warning.code == "input.formula-cells-stale"


def test_zip_member_count_is_limited_before_the_directory_is_parsed(tmp_path, monkeypatch):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("root.csv", "KEY,vid\nuuid:1,V1\n")
        for i in range(40):
            z.writestr(f"files/photo{i}.jpg", b"x")
    monkeypatch.setenv("MINESITE_MAX_ZIP_MEMBERS", "20")
    result = invoke("validate", path)
    assert result.exit_code == 2 and "MINESITE_MAX_ZIP_MEMBERS" in result.stderr


def test_many_small_members_add_up_to_the_unzipped_limit(tmp_path, monkeypatch):
    """o02: 2,500 members just under the 1 MB ratio floor passed every check and took 8 GB."""
    path = tmp_path / "odk.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("root.csv", "KEY,vid\nuuid:1,V1\n")
        for i in range(30):
            z.writestr(f"t{i}.csv", "PARENT_KEY,KEY,x\n" + "uuid:1,k,a\n" * 20000)
    monkeypatch.setenv("MINESITE_MAX_UNZIPPED_MB", "2")
    result = invoke("validate", path)
    assert result.exit_code == 2 and "MINESITE_MAX_UNZIPPED_MB" in result.stderr


def test_the_fuzz_crash_corpus_stays_fixed():
    """Every input the campaigns ever crashed on (fuzz/crashes/) now ends cleanly."""
    from test_fuzz import assert_clean

    corpus = sorted((Path(__file__).parent.parent / "fuzz" / "crashes").iterdir())
    assert corpus
    for path in corpus:
        assert_clean(invoke("validate", path, "--format", "json"))


def test_a_zip_whose_directory_claims_an_unknown_version_is_damaged(tmp_path):
    """Found by the campaign: one flipped byte made zipfile raise NotImplementedError."""
    path = workbook(tmp_path / "v.xlsx", HEADER)
    data = bytearray(path.read_bytes())
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 6] = 213  # "version needed to extract": 21.3
    path.write_bytes(bytes(data))
    result = invoke("validate", path)
    assert result.exit_code == 2 and "damaged" in result.stderr


def test_the_fast_scan_never_accepts_what_the_exact_parse_refuses(tmp_path):
    """The canonical byte scan (inputs/xlsx_fast.py) is trusted only as an upper bound: over the
    campaign's workbook variants, whenever it accepts a sheet the expat parse accepts it too."""
    import io
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "fuzz"))
    from generators import xlsx

    from minesite.inputs.xlsx_guard import _check_sheet, _fast_accepts

    accepted = 0
    for seed in range(400):
        _, data, _ = xlsx(random.Random(f"fast-{seed}"))
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = [i for i in archive.infolist() if "sheet" in i.filename.lower()]
            for info in infos:
                if _fast_accepts(archive, info):
                    accepted += 1
                    _check_sheet(tmp_path / "x.xlsx", archive, info, "s")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            continue  # a damaged zip: neither scan runs
    rng = random.Random(7)
    for seed in range(400):  # canonical, far and empty cells anywhere, a true or false dimension
        cells = []
        for _ in range(rng.randint(1, 40)):
            column = rng.choice(["XFD", "AA"]) if rng.random() < 0.03 else rng.choice("ABCZ")
            row = rng.choice([100000, 1048576]) if rng.random() < 0.03 else rng.randint(1, 300)
            body = rng.choice(["<v>1</v>", "<is><t>x</t></is>", "", ""])
            cells.append(f'<c r="{column}{row}">{body}</c>' if body else f'<c r="{column}{row}"/>')
        data = HEADER + '<row r="2">' + "".join(cells) + "</row>"
        if seed % 2:
            end = rng.choice(["A1", "C2", "Z300", "AA299", "Z99", "B1048576", "XFD1048576"])
            data = f'<worksheet xmlns="{MAIN}"><dimension ref="A1:{end}"/><sheetData>{data}'
            data += "</sheetData></worksheet>"
        path = workbook(tmp_path / f"c{seed}.xlsx", data)
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
            if _fast_accepts(archive, info):
                accepted += 1
                _check_sheet(path, archive, info, "s")
    assert accepted > 100


def test_a_canonical_sheet_is_measured_by_the_fast_scan(tmp_path):
    from openpyxl import Workbook

    from minesite.inputs.xlsx_fast import canonical_extent

    book = Workbook()
    for row in range(1, 101):
        book.active.append([f"r{row}", row, "x"])
    book.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as archive:
        bounds = canonical_extent(archive, archive.getinfo("xl/worksheets/sheet1.xml"))
        measured = canonical_extent(
            archive, archive.getinfo("xl/worksheets/sheet1.xml"), trust_dimension=False
        )
    assert bounds == (100, 3, 300)  # openpyxl's <dimension ref="A1:C100">, checked
    assert measured == (100, 26, 300)  # single letters count as Z


@pytest.mark.parametrize(
    "dimension",
    ["A1", "A1:C2", "A1:B10", "A1:C9", "A1:AB1"],
)
def test_a_dimension_smaller_than_the_cells_is_not_believed(tmp_path, dimension):
    """The declared <dimension> bounds the sheet only when no cell lies outside it."""
    from minesite.inputs.xlsx_fast import canonical_extent

    cells = '<row r="10"><c r="C10"><v>1</v></c></row>'
    sheet = f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'
    path = workbook(tmp_path / "d.xlsx", sheet + HEADER + cells + "</sheetData></worksheet>")
    with zipfile.ZipFile(path) as archive:
        rows, columns, _ = canonical_extent(archive, archive.getinfo("xl/worksheets/sheet1.xml"))
    assert rows >= 10 and columns >= 3


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A2" x:r="XFD1048576" xmlns:x="urn:x"><v>1</v></c>',
        '<c r="A2" t="n"r="XFD1048576"><v>1</v></c>',
        '<c r="A2" t="n"\tr="XFD1048576"><v>1</v></c>',
    ],
)
def test_a_second_r_attribute_is_not_left_to_the_fast_scan(tmp_path, cell):
    """Found reworking the fast scan: `x:r` (which the exact parse reads as the cell's place)
    passed the old count of ` r=`; every other attribute r sends the sheet to the exact parse."""
    from minesite.inputs.xlsx_guard import _fast_accepts

    path = workbook(tmp_path / "r.xlsx", HEADER + f'<row r="2">{cell}</row>')
    with zipfile.ZipFile(path) as archive:
        assert not _fast_accepts(archive, archive.getinfo("xl/worksheets/sheet1.xml"))


def test_a_dimension_larger_than_the_cells_is_measured_not_refused(tmp_path):
    """A writer that declares the whole grid (A1:XFD1048576) over a few cells: the fast scan
    measures the cells instead of sending the sheet to the exact parse, and reads it."""
    from minesite.inputs.xlsx_guard import _fast_accepts

    sheet = f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
    cells = '<row r="2"><c r="A2" t="inlineStr"><is><t>V1</t></is></c></row>'
    path = workbook(tmp_path / "wide.xlsx", sheet + HEADER + cells + "</sheetData></worksheet>")
    with zipfile.ZipFile(path) as archive:
        assert _fast_accepts(archive, archive.getinfo("xl/worksheets/sheet1.xml"))
    assert read_inspections([path]).visits["vid"].tolist() == ["V1"]
