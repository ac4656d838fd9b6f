"""Fuzzed inputs through the CLI: every case ends in a result (exit 0/1) or one clean error line
(exit 2), never a traceback, never an "internal error", never a hang."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inspections"
CHECKLISTS = ROOT / "checklists"
runner = CliRunner()
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WORK = Path(tempfile.mkdtemp(prefix="minesite-fuzz-"))


def assert_clean(result) -> None:  # noqa: ANN001
    """Exit 0/1 with a result, or exit 2 with exactly one stderr line; no traceback."""
    stderr = result.stderr
    assert "Traceback" not in stderr + result.stdout
    assert "internal error" not in stderr, stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code in (0, 1):
        assert result.stdout.strip(), "no result printed"
    else:
        assert result.exit_code == 2, (result.exit_code, stderr)
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1, stderr
        assert lines[0].startswith("minesite: ")


def validate(path: Path, *extra: str):
    result = runner.invoke(app, ["validate", str(path), "--format", "json", *extra])
    assert_clean(result)
    return result


def write(name: str, data: bytes) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


# --- CSV -----------------------------------------------------------------------------------

HEADERS = [
    "vid",
    "pcode",
    "name",
    "visit_date",
    "visit_onsite",
    "presence",
    "type_armed_group1",
    "childunder15",
    "latitude",
    "longitude",
    "_uuid",
    "_index",
    "KEY",
    "SubmissionDate",
    "fid",
]
ANSWERS = ["1", "0", "Oui", "Non", "", "no data", "2026-03-02", "FARDC", "-3,0417", "28.4312"]
text_cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
) | st.sampled_from(['"', '""', 'a"b', "x\ny", "\x00", "=1+1", "é;à", "\r\n", "\ufeff"])
cell = st.sampled_from(ANSWERS) | text_cell
header_name = st.sampled_from(HEADERS) | text_cell


@st.composite
def csv_bytes(draw) -> bytes:  # noqa: ANN001
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    header = draw(st.lists(header_name, min_size=1, max_size=8))
    width = len(header)
    rows = draw(
        st.lists(
            st.lists(cell, min_size=max(0, width - 2), max_size=width + 2),  # ragged sometimes
            max_size=6,
        )
    )
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        if quote:
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        return delimiter.join(cells)

    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(line(r) for r in [header, *rows]) + draw(st.sampled_from(["", newline]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        # latin-1 / binary garbage spliced in somewhere
        garbage = draw(st.binary(min_size=1, max_size=8))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + garbage + data[at:]
    return data


@FUZZ
@given(data=csv_bytes())
def test_random_csv_never_crashes(data):
    validate(write("fuzz.csv", data))


def test_csv_with_10000_columns():
    header = ",".join(["vid", "pcode"] + [f"c{i}" for i in range(10_000)])
    row = ",".join(["V1", "P1"] + ["1"] * 10_000)
    validate(write("wide.csv", f"{header}\n{row}\n".encode()))


def test_one_very_long_cell_over_the_limit_names_row_and_column(monkeypatch):
    monkeypatch.setenv("MINESITE_MAX_CELL_KB", "64")
    data = b"vid,pcode,name\nV1,P1,ok\nV2,P2," + b"x" * 100_000 + b"\n"
    result = validate(write("long.csv", data))
    assert result.exit_code == 2
    assert "long.csv, row 3, column name: cell of 100,000 characters" in result.stderr
    assert "MINESITE_MAX_CELL_KB" in result.stderr
    # The same cell in a quoted, cp1252 file (exact parser path).
    latin = b'vid;pcode;name\n"V1";"P1";"' + b"\xe9" * 100_000 + b'"\n'
    result = validate(write("long-fr.csv", latin))
    assert result.exit_code == 2 and "row 2, column name" in result.stderr


def test_a_long_cell_under_the_limit_is_read():
    data = b"vid,pcode,visit_date,presence,name\nV1,P1,2026-03-02,0," + b"y" * 200_000 + b"\n"
    assert validate(write("long-ok.csv", data)).exit_code == 1


def test_file_and_cells_limits(monkeypatch):
    path = write("small.csv", (SAMPLES / "field-visits.csv").read_bytes())
    monkeypatch.setenv("MINESITE_MAX_FILE_MB", "0.001")
    result = validate(path)
    assert result.exit_code == 2 and "MINESITE_MAX_FILE_MB" in result.stderr
    monkeypatch.delenv("MINESITE_MAX_FILE_MB")
    monkeypatch.setenv("MINESITE_MAX_CELLS", "10")
    result = validate(path)
    assert result.exit_code == 2 and "cells, over the 10 limit" in result.stderr
    monkeypatch.setenv("MINESITE_MAX_CELLS", "many")
    result = validate(path)
    assert result.exit_code == 2 and "MINESITE_MAX_CELLS" in result.stderr


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x00\x00",
        b"\xff\xfe" + "vid,pcode\nV1,P1\n".encode("utf-16-le"),
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbfvid\n",
        b"vid,pcode\n" + b"\n" * 5,
        b'vid,pcode\n"V1,P1\n',
        b"vid,vid\nV1,V2\n",
        b",\n1,2\n",
        b"\r\r\r",
        b"a\x00b,c\n",
        b"PK\x03\x04garbage",
        "vid;pcode\nV1;€\n".encode("cp1252"),
        b"a\x0bb,a\x0bb\n1,2\n",  # a header with a vertical tab, twice: still one error line
        "vid,x\u2028y,x\u2028y\n1,2,3\n".encode(),
        b'"vid"\n"1";"\r"',  # irregular quotes: pyarrow and the C parser disagreed
        b"presence",  # a header without data rows
    ],
)
def test_csv_corner_cases(data):
    validate(write("corner.csv", data))


# --- XLSX ----------------------------------------------------------------------------------


def _workbooks() -> list[bytes]:
    from openpyxl import Workbook

    books = []
    for rows in (
        [["vid", "pcode", "presence", "childunder15"], ["V1", "P1", 0, 0], ["V2", "P2", 1, None]],
        [["_uuid", "_index", "vid", "presence"], ["u1", 1, "V1", "1"]],
        [[None, None], [None, "x"]],
    ):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.create_sheet("second").append(["a", "b"])
        buffer = io.BytesIO()
        book.save(buffer)
        books.append(buffer.getvalue())
    books.append((SAMPLES / "kobo-visits.xlsx").read_bytes())
    return books


WORKBOOKS = _workbooks()


@st.composite
def damaged(draw, sources: list[bytes]) -> bytes:  # noqa: ANN001
    data = bytearray(draw(st.sampled_from(sources)))
    how = draw(st.sampled_from(["truncate", "flip", "both", "none"]))
    if how in ("flip", "both"):
        for at in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=6)):
            data[at] ^= 1 << draw(st.integers(0, 7))
    if how in ("truncate", "both"):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@FUZZ
@given(data=damaged(WORKBOOKS))
def test_damaged_xlsx_never_crashes(data):
    if not data.strip():
        data = b"PK"
    validate(write("fuzz.xlsx", data))


# --- ODK zips ------------------------------------------------------------------------------

ODK = (SAMPLES / "odk-visits.zip").read_bytes()


@FUZZ
@given(data=damaged([ODK]))
def test_damaged_odk_zip_never_crashes(data):
    if not data.strip():
        data = b"PK"
    validate(write("fuzz.zip", data))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_decompressing():
    bomb = _zip({"visits.csv": b"vid,pcode\n" + b"0" * (8 << 20)})
    assert len(bomb) < 100_000
    result = validate(write("bomb.zip", bomb))
    assert result.exit_code == 2
    assert "bomb.zip" in result.stderr and "MINESITE_MAX_ZIP_RATIO" in result.stderr


def test_xlsx_bomb_is_refused_before_calamine_opens_it():
    members = {}
    with zipfile.ZipFile(io.BytesIO(WORKBOOKS[0])) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    members["xl/sharedStrings.xml"] = b"<sst>" + b" " * (8 << 20) + b"</sst>"
    result = validate(write("bomb.xlsx", _zip(members)))
    assert result.exit_code == 2 and "MINESITE_MAX_ZIP_RATIO" in result.stderr


def test_unzipped_total_limit(monkeypatch):
    monkeypatch.setenv("MINESITE_MAX_UNZIPPED_MB", "0.0001")
    result = validate(write("odk.zip", ODK))
    assert result.exit_code == 2 and "MINESITE_MAX_UNZIPPED_MB" in result.stderr


def test_path_traversal_member_is_read_never_extracted(tmp_path):
    with zipfile.ZipFile(io.BytesIO(ODK)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    root = next(n for n in members if n.endswith(".csv") and b"PARENT_KEY" not in members[n][:4000])
    members = {("../../evil.csv" if n == root else n): d for n, d in members.items()}
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    path = folder / "traversal.zip"
    path.write_bytes(_zip(members))
    before = set(tmp_path.rglob("*"))
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        validate(path)
    finally:
        os.chdir(cwd)
    assert set(tmp_path.rglob("*")) == before
    assert not (tmp_path / "evil.csv").exists()


# --- TOML checklists -----------------------------------------------------------------------

toml_scalar = (
    st.text(max_size=10)
    | st.integers(-5, 5)
    | st.booleans()
    | st.sampled_from(["red", "yellow", "info", "answer", "any_actor", "yes-no", "SEC-01"])
)
toml_value = st.recursive(toml_scalar, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
toml_key = st.sampled_from(
    ["id", "title", "version", "criteria", "severity", "rule", "columns", "fail", "pass", "en"]
) | st.from_regex(r"[a-z_]{1,8}", fullmatch=True)


def _toml_literal(value) -> str:  # noqa: ANN001
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml_literal(v) for v in value) + "]"


@st.composite
def checklist_text(draw) -> str:  # noqa: ANN001
    base = (CHECKLISTS / "armed-groups.toml").read_text(encoding="utf-8").splitlines()
    mode = draw(st.sampled_from(["edit", "random"]))
    if mode == "random":
        top = draw(st.dictionaries(toml_key, toml_value, max_size=5))
        lines = [f"{k} = {_toml_literal(v)}" for k, v in top.items()]
        for _ in range(draw(st.integers(0, 2))):
            lines.append("[[criteria]]")
            crit = draw(st.dictionaries(toml_key, toml_value, max_size=6))
            lines += [f"{k} = {_toml_literal(v)}" for k, v in crit.items()]
        return "\n".join(lines)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(base) - 1))
        line = base[at]
        action = draw(st.sampled_from(["delete", "value", "key", "raw"]))
        if action == "delete":
            del base[at]
        elif action == "value" and "=" in line:
            base[at] = line.split("=", 1)[0] + "= " + _toml_literal(draw(toml_value))
        elif action == "key" and "=" in line:
            base[at] = draw(toml_key) + " =" + line.split("=", 1)[1]
        else:
            base[at] = draw(st.text(max_size=20))
    return "\n".join(base)


@FUZZ
@given(text=checklist_text())
def test_random_checklist_never_crashes(text):
    path = WORK / "fuzz-checklist.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["checklists", "check", str(path)])
    assert_clean(result)
    if result.exit_code == 0:  # a valid checklist must also score a file
        validate(SAMPLES / "field-visits.csv", "-c", str(path))


def test_deeply_nested_toml_is_one_line():
    path = write("deep.toml", b"x = " + b"[" * 5000 + b"]" * 5000)
    assert_clean(runner.invoke(app, ["checklists", "check", str(path)]))
    path = write("big.toml", b"# " + b"x" * (2 << 20))
    result = runner.invoke(app, ["checklists", "check", str(path)])
    assert_clean(result)
    assert "MINESITE_MAX_TOML_KB" in result.stderr


# --- GeoJSON cadastre ----------------------------------------------------------------------

coordinate = st.floats(allow_nan=True, allow_infinity=True) | st.floats(-200, 200)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | coordinate | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
ring = st.lists(st.tuples(coordinate, coordinate), min_size=0, max_size=6).map(
    lambda pts: [list(p) for p in pts] + ([list(pts[0])] if pts else [])
)
geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["Polygon", "MultiPolygon", "Point", "LineString", "GeometryCollection", "Nope"]
        ),
        "coordinates": st.one_of(
            st.lists(ring, max_size=2),
            st.lists(st.lists(ring, max_size=2), max_size=2),
            json_value,
        ),
    }
)
feature = st.fixed_dictionaries(
    {
        "type": st.just("Feature"),
        "properties": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {
                    "name": json_value,
                    "group": st.sampled_from(["ZEA", "PE", "PR", "ZIN", "x"]) | json_value,
                    "statut": json_value,
                }
            ),
        ),
        "geometry": geometry | json_value,
    }
)
geojson = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {
            "type": st.just("FeatureCollection"),
            "features": st.lists(feature | json_value, max_size=3),
        }
    ),
)


@FUZZ
@given(document=geojson)
def test_random_geojson_never_crashes(document):
    path = WORK / "fuzz.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    validate(SAMPLES / "field-visits.csv", "--cadastre", str(path))


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "FeatureCollection", "features": ' + b"[" * 80 + b"]" * 80 + b"}",
        b"{",
        b"\xff\xfe{}",
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        b'{"type": "Polygon", "coordinates": [[[1e308, 1e308], [-1e308, 0], [0, 1e308], '
        b"[1e308, 1e308]]]}}]}",
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        b'{"type": "Polygon", "coordinates": [[[NaN, Infinity], [0, 0], [1, 1], [NaN, 1]]]}}]}',
        b'{"type": "FeatureCollection", "crs": 5, "features": [1]}',
    ],
)
def test_geojson_corner_cases(data):
    path = write("corner.geojson", data)
    result = validate(SAMPLES / "field-visits.csv", "--cadastre", str(path))
    assert result.exit_code == 2


@FUZZ
@given(data=csv_bytes())
@example(data=b"\xef\xbb\xbf\xef\xbb\xbf,vid\n")  # a second BOM in the header
@example(data=b"\xef\xbb\xbf\xef\xbb\xbf\n")
def test_fast_and_exact_csv_parsers_agree(data):
    """The pyarrow fast path must read exactly what the exact C parser reads, or step aside."""
    from minesite.errors import InputError
    from minesite.inputs.delimited import _finish, _read_fast, read_delimited
    from minesite.inputs.detect import sniff

    path = write("differential.csv", data)
    try:
        sniffed = sniff(path)
    except InputError:
        return
    if sniffed.kind != "csv" or sniffed.encoding not in ("utf-8", "utf-8-sig"):
        return
    read = _read_fast(path, sniffed.delimiter)
    if read is None:
        return
    try:
        fast = _finish(path, read[0], None).frame
    except InputError:
        fast = None
    try:
        exact = read_delimited(path, sniffed, data=data).frame
    except InputError:
        exact = None
    assert (fast is None) == (exact is None), (fast, exact)
    if exact is not None:
        assert list(fast.columns) == list(exact.columns)
        assert fast.values.tolist() == exact.values.tolist()


def test_irregular_quotes_take_the_exact_parser():
    from minesite.inputs.delimited import _read_fast

    for data in (b'"vid"\n"1";"\r"', b'"vid"\n"1";"\n"', b'vid\na"b\n'):
        assert _read_fast(write("quotes.csv", data), ",") is None
    assert _read_fast(write("ok.csv", b'vid,a\n"say ""hi""",""\n'), ",") is not None


def test_sparse_xlsx_range_is_refused_before_calamine_allocates_it():
    """One value in A1048576 (calamine hung for minutes, 2 GB) or XFD1048576 (the process
    aborted with SIGABRT) in a 5 KB workbook."""
    from openpyxl import Workbook

    for far in ("A1048576", "XFD1048576"):
        book = Workbook()
        book.active.append(["vid", "presence"])
        book.active.append(["V1", "0"])
        book.active[far] = "x"
        buffer = io.BytesIO()
        book.save(buffer)
        result = validate(write(f"far-{far}.xlsx", buffer.getvalue()))
        assert result.exit_code == 2 and "cells spread over" in result.stderr
        assert "MINESITE_MAX_XLSX_CELLS" in result.stderr


def test_a_blank_line_ended_by_a_lone_cr_keeps_its_row():
    """Found by the differential test: pyarrow skipped the blank line `\\r` after `\\r\\n`,
    shifting every later Excel row number by one."""
    from minesite.inputs.delimited import _read_fast

    path = write("lone-cr.csv", b'"0"\r\n\r\xc2\x80\n')
    assert _read_fast(path, ",") is None


def test_one_field_too_many_on_the_first_record_is_a_ragged_row(tmp_path):
    """pandas took the first column as the index and shifted every answer one column left:
    `childunder15 = 1` read from the next column, silently. Found by fuzzing."""
    path = tmp_path / "extra.csv"
    path.write_text(
        "vid,name,pcode,visit_date,childunder15\nA,x,s,2024-01-01,0,1\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert "row 2: 6 fields where the header has 5" in result.stderr


def test_two_fields_too_many_that_repeat_the_header_are_a_ragged_row(tmp_path):
    """With two fields more, pandas made a two-level index, and the repeated-header check read
    the shifted cells first: an internal error. Found by fuzzing."""
    path = tmp_path / "extra.csv"
    path.write_bytes(b'\xc3\xa9;\xc3\xa0;";"\n1;1;\xc3\xa9;\xc3\xa0;1')
    result = runner.invoke(app, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert "row 2: 5 fields where the header has 3" in result.stderr
