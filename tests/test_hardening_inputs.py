"""Red team 2 (research/review-2/redteam.md) against the CSV readers, the mappings and the
cadastre: H3-H5, M1, M2, L2, L4, L5, L7, L8, L10. Each test failed before its fix."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLES, invoke, visit, write_csv

from minesite import read_inspections
from minesite.cadastre import coordinates, load_config
from minesite.errors import ChecklistError, InputError

ROOT = Path(__file__).resolve().parent.parent
CADASTRE = ROOT / "tests" / "data" / "cadastre-squares.geojson"


def one_line_error(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    for word in words:
        assert word in line, line
    return line


def test_deep_wkt_is_an_unreadable_coordinate_not_a_segfault():
    """H3: 30,000 nested GEOMETRYCOLLECTION( overflowed GEOS's recursive reader (SIGSEGV)."""
    deep = "GEOMETRYCOLLECTION(" * 30000 + "POINT(28 -3)" + ")" * 30000
    visits = pd.DataFrame({"longitude": ["", "", ""], "latitude": ["", "", ""]})
    visits["geom"] = [deep, "POINT (28.5 -2.5)", "point z (1 2 3)"]
    x, y, blank, unreadable = coordinates(visits)
    assert list(unreadable) == [True, False, False]
    assert (x[1], y[1], x[2], y[2]) == (28.5, -2.5, 1.0, 2.0)


@pytest.mark.parametrize("wkt", ["POINT EMPTY", "LINESTRING(1 2, 3 4)", "POINT(nan nan)", "POINT"])
def test_point_empty_and_other_shapes_are_unreadable_coordinates(tmp_path, wkt):
    """M1: `POINT EMPTY` (what GIS tools write for a missing point) stopped the whole batch."""
    path = tmp_path / "m1.csv"
    path.write_text(
        f'vid,pcode,visit_date,longitude,latitude,geom\nV1,p1,2026-01-01,,,"{wkt}"\n',
        encoding="utf-8",
    )
    result = invoke("validate", path, "--cadastre", CADASTRE, "--format", "json")
    assert result.exit_code == 1, result.output
    (item,) = json.loads(result.stdout)["visits"]
    assert any("unreadable" in str(f) for f in item["unknown"] + item["failed"]), item


def test_a_stray_cp1252_byte_does_not_turn_a_red_visit_yellow(tmp_path):
    """H4: one \\xe9 anywhere re-decoded the UTF-8 file as cp1252 (`armé` -> `armÃ©`)."""
    rows = [
        visit(vid="FV-004", presence="1", type_armed_group1="Groupe armé local"),
        visit(vid="FV-002", name="Mabingo"),
    ]
    clean = write_csv(tmp_path / "d01.csv", rows)
    mixed = tmp_path / "d01_mixed.csv"
    mixed.write_bytes(clean.read_bytes().replace(b"Mabingo", b"Mabing\xe9"))

    def statuses(path: Path) -> list:
        result = invoke("validate", path, "--format", "json")
        return [v["status"] for v in json.loads(result.stdout)["visits"]]

    assert statuses(mixed) == statuses(clean)
    assert statuses(clean)[0] == "red"
    (warning,) = read_inspections([mixed]).warnings
    assert warning.code == "input.invalid-utf8" and warning.position.row == 3


def test_a_real_cp1252_file_is_still_cp1252(tmp_path):
    path = write_csv(tmp_path / "fr.csv", [visit(name="Kéla Mabingo")], encoding="cp1252")
    inspection = read_inspections([path])
    assert "Kéla Mabingo" in inspection.visits.to_string()
    assert not inspection.warnings


@pytest.mark.parametrize("body", ["\n\n", ",,\n,,\n", "  ,\t,\n"])
def test_blank_rows_only_is_bad_input_never_all_green(tmp_path, body):
    """H5: blank or delimiter-only rows read "Every visit is green" and exit 0."""
    path = tmp_path / "blank.csv"
    path.write_text("vid,pcode,childunder15\n" + body, encoding="utf-8")
    one_line_error(invoke("validate", path), "no data row")
    result = invoke("score", path, "-o", tmp_path / "o.csv", "--fail-on", "yellow")
    one_line_error(result, "no data row")


def test_trailing_blank_lines_are_dropped_and_inner_ones_bounded(tmp_path, monkeypatch):
    """M2 (c10): a million trailing newlines became a million 'empty row' visits (118 s, 4 GB)."""
    sample = (SAMPLES / "field-visits.csv").read_text(encoding="utf-8")
    path = tmp_path / "c10.csv"
    path.write_text(sample + "\n" * 200_000, encoding="utf-8")
    rows = len(read_inspections([SAMPLES / "field-visits.csv"]).visits)
    assert len(read_inspections([path]).visits) == rows
    inner = tmp_path / "inner.csv"
    head, _, tail = sample.partition("\n")
    inner.write_text(head + "\n" + "\n" * 50 + tail, encoding="utf-8")
    monkeypatch.setenv("MINESITE_MAX_BLANK_ROWS", "10")
    one_line_error(invoke("validate", inner), "50 blank rows", "MINESITE_MAX_BLANK_ROWS")


def test_columns_are_limited_before_any_parser_builds_them(tmp_path, monkeypatch):
    """M2 (c06b): a 59 MB header of 6,000,000 columns took 6 GB and 150 s."""
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(3000)) + "\n" + "1," * 2999 + "1\n")
    monkeypatch.setenv("MINESITE_MAX_COLUMNS", "2000")
    one_line_error(invoke("validate", path), "3,000 columns", "MINESITE_MAX_COLUMNS")


def test_a_first_line_longer_than_csvs_field_limit_is_one_line(tmp_path):
    """L2 (c06c): `csv.Error: field larger than field limit` was an internal error."""
    import csv

    previous = csv.field_size_limit(131_072)  # the default: other tests may have raised it
    path = tmp_path / "l2d.csv"
    path.write_text("A" * 140_000 + "\n1\n")
    try:
        result = invoke("validate", path)
    finally:
        csv.field_size_limit(previous)
    assert "internal error" not in result.stderr and result.exit_code in (1, 2)


def mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "visits = 3\n",
        "actors = [1, 2]\n",
        "[actors.wide]\ncategory = 3\n",
        '[actors.wide]\ncategory = "{x}"\n',
        '[actors.wide]\ncategory = "type_{n"\n',
        '[actors.wide]\ncategory = "{n}_{n}"\n',
        '[actors.wide]\ncategory = "{n!r}"\n',
        "[[visits]]\nx = 1\n",
        "[actors]\nrepeat = 5\n",
        "[actors]\nwides = {}\n",
    ],
)
def test_mapping_type_errors_are_one_line(tmp_path, text):
    """L2: seven such mappings were internal errors."""
    result = invoke("validate", SAMPLES / "field-visits.csv", "--columns", mapping(tmp_path, text))
    one_line_error(result, "m.toml")


def test_mapping_widths_are_limited(tmp_path):
    """M2 (t16): `{n:>999999999}` ran str.format on an untrusted spec: 8 GB in 40 s."""
    for spec in ("{n:>99999999}", "{n:099999999d}"):
        path = mapping(tmp_path, f'[actors.wide]\ncategory = "{spec}"\n')
        one_line_error(
            invoke("validate", SAMPLES / "field-visits.csv", "--columns", path), "m.toml"
        )
    zero_padded = mapping(tmp_path, '[actors.wide]\ncategory = "type_armed_group{n:02d}"\n')
    rows = [visit(vid="V1", type_armed_group01="Groupe armé local", presence="1")]
    data = write_csv(tmp_path / "padded.csv", rows)
    inspection = read_inspections([data], columns=zero_padded)
    assert inspection.actors["category"].tolist() == ["Groupe armé local"]


@pytest.mark.parametrize(
    "text",
    [
        'properties = 3\n[classes]\nzea = ["ZEA"]\n',
        'active = 3\n[properties]\nclass = "type"\n',
        '[properties]\nclass = "type"\nname = ["a"]\n',
        "[properties]\nclass = \"type\"\n[location]\nbbox = 'abcd'\n",
        '[properties]\nclass = "type"\n[classes]\nzea = 3\n',
        '[properties]\nclass = "type"\n[active]\nstatuses = 3\n',
        '[properties]\nclass = "type"\n[location]\nbbox = [nan, nan, nan, nan]\n',
        '[properties]\nclass = "type"\n[location]\nbbox = [1, 2, 3]\n',
    ],
)
def test_cadastre_config_type_errors_are_one_line(tmp_path, text):
    """L2 (six internal errors) and L10 (a NaN bbox silently turned the country check off)."""
    path = mapping(tmp_path, text)
    with pytest.raises(ChecklistError):
        load_config(path)
    result = invoke("validate", SAMPLES / "field-visits.csv", "--cadastre", CADASTRE)
    assert result.exit_code in (0, 1)
    result = invoke(
        "validate", SAMPLES / "field-visits.csv", "--cadastre", CADASTRE, "--cadastre-config", path
    )
    one_line_error(result, "m.toml")


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "FeatureCollection", "crs": {"properties": [1]}, "features": []}',
        '{"type": "FeatureCollection", "features": [{"properties": {"n": ' + "9" * 5000 + "}}]}",
        '{"type": "FeatureCollection", "features": [{"properties": [1], "geometry": null}]}',
        '{"type": "FeatureCollection", "features": [7]}',
    ],
)
def test_geojson_oddities_are_one_line(tmp_path, text):
    path = tmp_path / "t.geojson"
    path.write_text(text, encoding="utf-8")
    one_line_error(
        invoke("validate", SAMPLES / "field-visits.csv", "--cadastre", path), "t.geojson"
    )


def test_a_bom_inside_a_header_does_not_drop_the_column(tmp_path):
    """L4: `\\ufeffpcode` was not pcode, so the visits had no site id."""
    path = tmp_path / "l4.csv"
    path.write_bytes(b"vid,\xef\xbb\xbfpcode,visit_date,childunder15\nV1,site1,2026-01-01,0\n")
    result = invoke("validate", path, "--format", "json")
    assert json.loads(result.stdout)["visits"][0]["site_id"] == "site1"


def test_the_same_export_twice_is_read_once_and_named(tmp_path):
    """L5: `score real.csv real.csv` counted every visit twice."""
    one = write_csv(tmp_path / "a.csv", [visit(vid="V1"), visit(vid="V2")])
    two = tmp_path / "b.csv"
    two.write_bytes(one.read_bytes())
    inspection = read_inspections([one, two])
    assert inspection.visits["vid"].tolist() == ["V1", "V2"]
    (warning,) = inspection.warnings
    assert warning.code == "input.repeated-visit" and warning.params["count"] == 2
    with pytest.raises(InputError):
        read_inspections([one, two], strict=True)
    other = write_csv(tmp_path / "c.csv", [visit(vid="V2", childunder15="1")])
    with pytest.raises(InputError) as caught:
        read_inspections([one, other])
    assert caught.value.code == "input.repeated-visit-differs" and caught.value.row == 2


def test_a_nul_byte_after_the_first_256_kb_is_binary(tmp_path):
    """L7: NUL bytes were refused in the first 256 KB only, and stayed in site_name after."""
    sample = (SAMPLES / "field-visits.csv").read_bytes()
    head, _, rest = sample.partition(b"\n")
    lines = [head] + [rest.split(b"\n")[0]] * 2000
    lines[1999] = lines[1999] + b"\x00"  # Excel row 2000
    data = b"\n".join(lines) + b"\n"
    assert data.index(b"\x00") > 256 * 1024
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    one_line_error(invoke("validate", path), "NUL", "row 2000")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_is_named_as_such(tmp_path):
    """L8: `validate <(cat x.csv)` said "the file is empty" (the pipe was read several times)."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    one_line_error(invoke("validate", fifo), "not a regular file")


def test_misleading_messages_now_say_what_is_wrong(tmp_path):
    """L8: an encrypted XLSX was an ".xls", `sep=;` a ragged row, a utf-8-sig byte misplaced."""
    ole = tmp_path / "secret.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 508 + "EncryptedPackage".encode("utf-16-le"))
    one_line_error(invoke("validate", ole), "password")
    sep = tmp_path / "sep.csv"
    sep.write_text("sep=;\nvid;pcode\nV1;p1\n", encoding="utf-8")
    one_line_error(invoke("validate", sep), "sep=;", "row 1")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfvid,pcode\nV1,M\xe9\xff\xfe\n")
    with pytest.raises(InputError) as caught:
        read_inspections([bom], strict=True)
    assert caught.value.code == "input.invalid-utf8"


def test_odk_zip_repeat_tables_not_used_are_never_parsed(tmp_path):
    """o02: every repeat table was parsed into memory, used or not."""
    path = tmp_path / "odk.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("form.csv", "SubmissionDate,KEY,vid,childunder15\n2026-01-01,uuid:1,V1,0\n")
        z.writestr("form-other.csv", 'PARENT_KEY,KEY,x\nuuid:1,k1,"never closed\n')
    inspection = read_inspections([path])
    assert inspection.visits["vid"].tolist() == ["V1"]
    assert "form-other.csv" in inspection.sources[0].dialect


def test_every_code_the_readers_raise_has_french_and_english_words():
    """Codes, not English sentences, at every error call site of the readers, limits, cadastre
    and outputs; each code in the catalog in both languages."""
    import re

    from minesite.render.i18n import catalog

    sources = [*(ROOT / "minesite" / "inputs").glob("*.py")]
    sources += [ROOT / "minesite" / name for name in ("limits.py", "output.py")]
    sources += [*(ROOT / "minesite").glob("cadastre*.py"), ROOT / "minesite/render/pdf_text.py"]
    codes = set()
    for path in sources:
        codes |= set(
            re.findall(r'"((?:input|limit|output|cadastre|pdf)\.[a-z0-9-]+)"', path.read_text())
        )
    assert len(codes) > 60
    codes.discard("cadastre.toml")  # a file name, not a code
    missing = sorted(c for c in codes if set(catalog().get(c, {})) != {"en", "fr"})
    assert not missing
    calls = re.compile(r'(?:InputError|ChecklistError|UsageError)\(\s*(?:[a-z_.]+,\s*)?f?"([^"]*)"')
    for path in sources:
        for first in calls.findall(path.read_text()):
            assert re.fullmatch(r"[a-z]+\.[a-z0-9-]+", first), (path.name, first)
