"""The fast CSV read path: what it reads equals what the exact parser and the plain pandas
definitions give (wide actors melted, blank cells by Python's `str.strip`)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minesite import InputError, inspection_from_frames, read_inspections

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Python whitespace (ASCII, NBSP, ideographic, the separators U+001C..U+001F, NEL) and look-alikes
# that are not whitespace (zero-width space, word joiner, BOM).
SPACES = " \t\u00a0\u3000\u2007\u202f\u1680\u2028\x1c\x1f\x85\u200b\u2060\ufeff"


def _actors(rows: list[dict[str, str]], tmp_path) -> pd.DataFrame:  # noqa: ANN001
    path = tmp_path / "actors.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return read_inspections([path]).actors


def test_unicode_spaces_are_blank_and_look_alikes_are_answers(tmp_path):
    rows = [
        {"vid": "V1", "armed_group1": "\u00a0", "armed_group2": "\u3000 "},
        {"vid": "V2", "armed_group1": "\u200b", "armed_group2": "\x1c\x85"},
        {"vid": "V3", "armed_group1": "", "armed_group2": " FDLR\u3000"},
    ]
    actors = _actors(rows, tmp_path)
    assert actors[["visit", "slot"]].values.tolist() == [[1, 1], [2, 2]]
    assert actors["name"].tolist() == ["\u200b", " FDLR\u3000"]


def test_a_slot_without_some_field_gives_missing_cells_in_visit_then_slot_order(tmp_path):
    rows = [
        {"vid": "V1", "armed_group1": "A", "type_armed_group1": "t", "armed_group2": "B"},
        {"vid": "V2", "armed_group1": "", "type_armed_group1": "", "armed_group2": "C"},
        {"vid": "V3", "armed_group1": "", "type_armed_group1": "u", "armed_group2": ""},
    ]
    actors = _actors(rows, tmp_path)
    assert actors[["visit", "slot"]].values.tolist() == [[0, 1], [0, 2], [1, 2], [2, 1]]
    assert actors["name"].tolist() == ["A", "B", "C", ""]
    assert actors["category"].isna().tolist() == [False, True, True, False]
    assert str(actors["name"].dtype) == "str" and str(actors["visit"].dtype) == "int64"


def _melted_by_hand(frame: pd.DataFrame, slots: int) -> list[tuple[int, int, str, str]]:
    """The definition: one row per (visit, slot) with a cell that is not blank by str.strip."""
    rows = []
    for visit in range(len(frame)):
        for slot in range(1, slots + 1):
            cells = [frame[f"armed_group{slot}"][visit], frame[f"type_armed_group{slot}"][visit]]
            if any(c.strip() for c in cells):
                rows.append((visit, slot, *cells))
    return rows


@FAST
@given(
    cells=st.lists(
        st.tuples(*[st.text(alphabet=SPACES + "ab", max_size=3) for _ in range(4)]),
        min_size=1,
        max_size=12,
    ),
    as_object=st.booleans(),
)
def test_wide_actors_melt_as_defined(cells, as_object):
    frame = pd.DataFrame(
        cells, columns=["armed_group1", "type_armed_group1", "armed_group2", "type_armed_group2"]
    )
    frame = frame.astype(object if as_object else "str")
    actors = inspection_from_frames(frame.assign(vid=range(len(frame)))).actors
    got = actors[["visit", "slot", "name", "category"]].values.tolist()
    assert [tuple(r) for r in got] == _melted_by_hand(frame, 2)


def _needs_exact_by_hand(data: bytes, delimiter: str) -> bool:
    """The definition: a blank line or a line ended by a lone CR outside quotes, or quotes that
    do not alternate opening (after a boundary) and closing (before one)."""
    inside = False
    for at, byte in enumerate(data):
        if byte == 34:
            inside = not inside
        elif at and not inside and data[at - 1 : at + 1] in (b"\n\n", b"\n\r", b"\r\r"):
            return True
    boundary = {ord(delimiter), 10, 13, 34}
    quotes = [i for i, byte in enumerate(data) if byte == 34]
    for k, at in enumerate(quotes):
        if k % 2 == 0:
            neighbour = data[at - 1] if at else 10
        else:
            neighbour = data[at + 1] if at + 1 < len(data) else 10
        if neighbour not in boundary:
            return True
    return len(quotes) % 2 == 1


_FIELD = st.one_of(
    st.text(alphabet='ab;,"', max_size=3),  # unquoted, sometimes with a stray quote
    st.text(alphabet='ab;,"\n', max_size=4).map(lambda t: '"' + t.replace('"', '""') + '"'),
)
_CSV = st.lists(st.lists(_FIELD, min_size=1, max_size=4), max_size=6).flatmap(
    lambda rows: st.tuples(st.just(rows), st.sampled_from(["\n", "\r\n", "\r", ""]))
)


def _multiline_by_hand(data: bytes) -> bool:
    """A line break inside quotes (after an odd number of them)."""
    inside = False
    for byte in data:
        if byte == 34:
            inside = not inside
        elif byte in (10, 13) and inside:
            return True
    return False


@FAST
@given(
    csv_rows=_CSV,
    window=st.integers(1, 9),
    limit=st.integers(1, 12),
    delimiter=st.sampled_from([",", ";"]),
)
def test_the_windowed_byte_scan_says_what_whole_file_searches_say(
    tmp_path_factory, monkeypatch, csv_rows, window, limit, delimiter
):
    from minesite.inputs import csv_scan
    from minesite.limits import has_long_line

    monkeypatch.setattr(csv_scan, "_WINDOW", window)
    rows, end = csv_rows
    raw = end.join(delimiter.join(row) for row in rows).encode()
    path = tmp_path_factory.mktemp("scan") / "scan.csv"
    path.write_bytes(raw)
    found = csv_scan.scan(path, delimiter, limit)
    assert found.exact == _needs_exact_by_hand(raw, delimiter)
    if not found.exact:
        assert found.long_line == has_long_line(raw, limit)
        assert found.multiline == _multiline_by_hand(raw)


@pytest.mark.parametrize(
    "data",
    [
        b"vid,a,a,a.1\n1,2,3,4\n",  # a repeated header, and one named like its renaming
        b"vid,,x,\n1,,2,\n",  # blank headers (trailing delimiter)
        b"\xef\xbb\xbfvid,a\n1,2\n",  # a byte-order mark
        b'vid,note\n1,"two\nlines"\n2,"a ""quote"""\n',  # quoted line feed and quotes
        b"vid\n1\n2\n",  # one column
        b"vid,a\n",  # header only
        b"vid,a\r\n1,2\r\n",  # CRLF
        b"vid,a,b,c,d,e\n007,2022-02-21,1.50,True,NaN,null\n",  # text stays text
        "vid,armé\n1,\u00a0\n".encode(),
        b'vid,note\n1,"para one\n\npara two"\n2,x\n',  # a blank line inside quotes
        b'vid,note\r\n1,"a\r\n\r\nb"\r\n2,"c\rd\r\re"\r\n',  # CRLF and lone CRs inside quotes
    ],
)
def test_the_fast_parser_reads_what_the_exact_parser_reads(tmp_path, data):
    from minesite.inputs.delimited import _read_fast, read_delimited
    from minesite.inputs.detect import sniff

    path = tmp_path / "fast.csv"
    path.write_bytes(data)
    sniffed = sniff(path)
    fast = _read_fast(path, sniffed.delimiter)
    assert fast is not None  # these files are the fast parser's to read
    exact = pd.read_csv(
        io.StringIO(data.decode("utf-8-sig")),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
    )
    assert list(fast[0].columns) == list(exact.columns)
    assert fast[0].values.tolist() == exact.values.tolist()
    assert all(str(t) == "str" for t in fast[0].dtypes)
    # The whole read, checks included, agrees with the exact path (given the bytes).
    try:
        whole = read_delimited(path, sniffed).frame
    except InputError as error:
        with pytest.raises(InputError) as again:
            read_delimited(path, sniffed, data=data)
        assert again.value.code == error.code
    else:
        pd.testing.assert_frame_equal(whole, read_delimited(path, sniffed, data=data).frame)


@FAST
@given(
    rows=st.lists(
        st.lists(
            st.sampled_from(["", "a", "a.1", "Unnamed: 1", " ", '"q"', "x\ny", "é"]),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=5,
    ),
    bom=st.booleans(),
)
def test_arrow_reader_equals_pandas_pyarrow_engine(tmp_path_factory, rows, bom):
    """Same frame as pandas' own pyarrow engine (names, dtypes, cells), or both give up."""
    from minesite.inputs.arrow_csv import read_arrow_csv

    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path = tmp_path_factory.mktemp("arrow") / "t.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode())
    ours = read_arrow_csv(path, ",")
    try:
        theirs = pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        theirs = None
    assert (ours is None) == (theirs is None)
    if ours is not None:
        pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


@pytest.mark.parametrize("name", ["visits.csv.gz", "visits.bz2", "visits.zst"])
def test_a_plain_csv_named_like_an_archive_reads_as_text(tmp_path, name):
    """pyarrow decompresses by the file name when given one: the bytes decide, never the name."""
    rows = b"vid,pcode,armed_group1\nV1,P1,FDLR\nV2,P2,\n"
    (tmp_path / name).write_bytes(rows)
    (tmp_path / "visits.csv").write_bytes(rows)
    named = read_inspections([tmp_path / name])
    plain = read_inspections([tmp_path / "visits.csv"])
    pd.testing.assert_frame_equal(named.visits, plain.visits)
    pd.testing.assert_frame_equal(named.actors, plain.actors)


def test_line_breaks_in_quoted_values_across_pyarrow_blocks_keep_the_fast_parser(tmp_path):
    """pyarrow cuts a file into 1 MB blocks at line breaks and gave up when a cut fell inside a
    quoted value (then the exact parser read the file, ~7x slower); it now reads again minding
    the quotes, and reads what the exact parser reads."""
    from minesite.inputs.delimited import _read_fast, read_delimited
    from minesite.inputs.detect import sniff

    rows = "".join(f'V{i},"note {i}\nx",1\n' for i in range(60_000))
    data = ("vid,note,presence\n" + rows).encode()
    path = tmp_path / "notes.csv"
    path.write_bytes(data)
    fast = _read_fast(path, ",")
    assert fast is not None
    exact = read_delimited(path, sniff(path), data=data).frame
    pd.testing.assert_frame_equal(fast[0], exact)
