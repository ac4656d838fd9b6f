"""One large CSV read a range of rows at a time gives the outputs and the errors of one read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from minesite.cli import app
from minesite.errors import InputError
from minesite.inputs.columns import load_column_map
from minesite.inputs.ranges import plan_ranges
from minesite.inputs.reading import Reading

runner = CliRunner()
HEADER = (
    "vid,pcode,name,visit_date,visit_onsite,presence,armed_group1,type_armed_group1,"
    "taxation_armed_group1,type_armed_group2,childunder15,notes\n"
)
OUTPUTS = ("o.csv", "o.sites.csv", "o.findings.csv", "o.conflicts.csv", "o.summary.csv")


def visits(n: int, *, dates: str = "iso") -> list[str]:
    """n rows of a varied IPIS-shaped export: sites visited several times, wide actors."""
    kinds = ["Groupe armé local", "Aucun", "FARDC", "", "Forces négatives", "Bandits"]
    rows = []
    for i in range(n):
        day, month = 1 + i % 12, 1 + (i * 5) % 12
        date = f"2025-{month:02d}-{day:02d}" if dates == "iso" else f"{day:02d}/{month:02d}/2025"
        rows.append(
            f"V{i},codmine{i % 7:05d},Site {i % 7},{date},{1 - (i % 11 == 0)},{i % 2},"
            f"Groupe {i % 3},{kinds[i % 6]},{'oui' if i % 4 else ''},{kinds[(i + 2) % 6]},"
            f'{i % 3 == 0:d},"note {i}"\n'
        )
    return rows


def score(path: Path, out: Path, rows: int, monkeypatch: pytest.MonkeyPatch, *extra: str):
    monkeypatch.setenv("MINESITE_PARTITION_ROWS", str(rows))
    out.mkdir(exist_ok=True)
    args = ["score", str(path), "-o", str(out / "o.csv"), "--as-of", "2026-01-01"]
    return runner.invoke(app, [*args, "--lang", "en", *extra])


def outputs(folder: Path) -> dict[str, list[str]]:
    """Every output's lines; the summary without the note saying how the memory was bounded."""
    read = {name: (folder / name).read_text(encoding="utf-8-sig").splitlines() for name in OUTPUTS}
    read["o.summary.csv"] = [
        line for line in read["o.summary.csv"] if not line.startswith('"note.partitioned"')
    ]
    return read


def ranges_of(path: Path, rows: int) -> int:
    plan = plan_ranges(path, load_column_map(None), Reading(), 2 * rows)
    return 0 if plan is None else len(plan.bounds)


def same_as_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, *extra: str):
    """Score `text` in ranges of 6 rows and whole; both runs' exit codes and outputs."""
    path = tmp_path / "visits.csv"
    path.write_bytes(text.encode("utf-8"))
    ranged = score(path, tmp_path / "ranged", 3, monkeypatch, *extra)
    whole = score(path, tmp_path / "whole", 10**6, monkeypatch, *extra)
    return path, ranged, whole


def test_a_file_read_in_ranges_gives_the_outputs_of_one_read(tmp_path, monkeypatch):
    rows = visits(40, dates="dmy")
    # Only the last range shows the day first (25/..); blank rows inside, across a cut, and
    # blank rows at the end longer than a range (dropped, as one read drops them).
    cells = rows[-1].split(",")
    cells[3] = "25/09/2025"
    rows[-1] = ",".join(cells)
    blank = ",,,,,,,,,,,\n"
    rows[5:5] = [blank, " , ,,,,,,,,,,\n", blank]
    rows[20] = rows[20].replace('"note 17"', '"a note\non two lines"')
    text = HEADER + "".join(rows) + blank * 9
    path, ranged, whole = same_as_one_read(tmp_path, monkeypatch, text)
    assert ranges_of(path, 3) >= 6
    assert ranged.exit_code == whole.exit_code == 0, ranged.output
    assert outputs(tmp_path / "ranged") == outputs(tmp_path / "whole")
    assert "25/09/2025" not in (tmp_path / "ranged" / "o.csv").read_text(encoding="utf-8-sig")


def test_blank_rows_at_the_end_of_a_range_leave_the_next_ranges_actors_on_their_visits(
    tmp_path, monkeypatch
):
    # Blank rows ending a range are held over to the next one: its actors (melted while the
    # range before was scored) must still name their own visits.
    blank = " " * 90 + ",,,,,,,,,,,\n"  # as long as a visit: a cut often falls after one
    rows = [row for k, row in enumerate(visits(48)) for row in [row] + [blank] * (k % 3)]
    path, ranged, whole = same_as_one_read(tmp_path, monkeypatch, HEADER + "".join(rows))
    data = path.read_bytes()
    ends = [end for _, end in plan_ranges(path, load_column_map(None), Reading(), 6).bounds]
    assert sum(data[: end - 1].rsplit(b"\n", 1)[1].startswith(b"  ") for end in ends) >= 3
    assert ranged.exit_code == whole.exit_code == 0, ranged.output
    assert outputs(tmp_path / "ranged") == outputs(tmp_path / "whole")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda rows: rows.__setitem__(33, rows[2]), "V2"),  # a key given twice, far apart
        (lambda rows: rows.__setitem__(30, rows[30].replace("2025-", "2025/")), "2025/"),
        (lambda rows: rows.__setitem__(31, HEADER), "header"),  # two exports pasted
    ],
    ids=["duplicate-key", "bad-date", "repeated-header"],
)
def test_an_error_in_a_late_range_is_the_error_of_one_read(tmp_path, monkeypatch, change, said):
    rows = visits(40)
    change(rows)
    _, ranged, whole = same_as_one_read(tmp_path, monkeypatch, HEADER + "".join(rows))
    assert ranged.exit_code == whole.exit_code == 2
    assert ranged.output == whole.output
    assert said in ranged.output and len(ranged.output.strip().splitlines()) == 1


def test_dates_that_never_show_their_order_are_refused_as_in_one_read(tmp_path, monkeypatch):
    rows = visits(40, dates="dmy")  # days and months all 12 or less: 03/04 could be either
    _, ranged, whole = same_as_one_read(tmp_path, monkeypatch, HEADER + "".join(rows))
    assert ranged.exit_code == whole.exit_code == 2
    assert ranged.output == whole.output and "--dayfirst" in ranged.output
    _, ranged, whole = same_as_one_read(
        tmp_path, monkeypatch, HEADER + "".join(rows), "--monthfirst"
    )
    assert ranged.exit_code == whole.exit_code == 0
    assert outputs(tmp_path / "ranged") == outputs(tmp_path / "whole")


def test_too_many_blank_rows_are_counted_over_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setenv("MINESITE_MAX_BLANK_ROWS", "5")
    rows = visits(40)
    for at in (4, 12, 20, 28):  # two blank rows in each of four ranges: 8 in all
        rows[at:at] = [",,,,,,,,,,,\n"] * 2
    _, ranged, whole = same_as_one_read(tmp_path, monkeypatch, HEADER + "".join(rows))
    assert ranged.exit_code == whole.exit_code == 2
    assert ranged.output == whole.output and "8" in ranged.output


def test_a_ragged_row_in_a_late_range_is_named_as_in_one_read(tmp_path, monkeypatch):
    rows = visits(40)
    rows[35] = rows[35].rstrip("\n") + ",extra\n"
    path, ranged, whole = same_as_one_read(tmp_path, monkeypatch, HEADER + "".join(rows))
    assert ranges_of(path, 3) > 0  # met in its range: one read then names the row
    assert ranged.exit_code == whole.exit_code == 2 and ranged.output == whole.output
    assert "row 37" in ranged.output


@pytest.mark.parametrize("extra", [(), ("--encoding", "utf-8")], ids=["sniffed", "encoding"])
def test_a_byte_not_utf8_in_a_late_range_is_read_as_one_read_reads_it(tmp_path, monkeypatch, extra):
    rows = visits(40)
    text = (HEADER + "".join(rows)).encode("utf-8").replace(b"note 35", b"note \xe935")
    path = tmp_path / "visits.csv"
    path.write_bytes(text)
    ranged = score(path, tmp_path / "ranged", 3, monkeypatch, *extra)
    whole = score(path, tmp_path / "whole", 10**6, monkeypatch, *extra)
    assert ranged.exit_code == whole.exit_code
    if ranged.exit_code == 2:
        assert ranged.output == whole.output and "row 37" in ranged.output
    else:
        assert outputs(tmp_path / "ranged") == outputs(tmp_path / "whole")


def test_a_range_is_checked_as_utf8_as_it_is_read_not_only_when_sniffed(tmp_path):
    # Each range's bytes are checked when parsed (pyarrow checks no value itself): a file
    # rewritten after it was sniffed and cut cannot slip a byte that is not UTF-8 past.
    path = tmp_path / "visits.csv"
    text = (HEADER + "".join(visits(40))).encode("utf-8")
    path.write_bytes(text)
    planned = plan_ranges(path, load_column_map(None), Reading(), 6)
    assert planned is not None and len(planned.bounds) > 3
    path.write_bytes(text.replace(b"note 35", b"note \xe935"))  # same size
    with pytest.raises(InputError) as refused:
        list(planned.inspections())
    assert refused.value.code == "input.unreadable-csv"


@pytest.mark.parametrize(
    "header",
    [
        HEADER.replace("notes", ""),  # a blank header: one read decides over every row
        HEADER.replace("notes", "group/notes"),  # a select-multiple split in columns
    ],
    ids=["blank-header", "grouped-header"],
)
def test_headers_that_need_the_whole_table_read_it_whole(tmp_path, header):
    path = tmp_path / "visits.csv"
    path.write_text(header + "".join(visits(40)), encoding="utf-8")
    assert ranges_of(path, 3) == 0


CELL = st.sampled_from(["", " ", "1", "0", "oui", "Aucun", "FARDC", "Forces négatives", "x"])


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    answers=st.lists(st.tuples(CELL, CELL, CELL, CELL, st.booleans()), min_size=8, max_size=30),
    tail=st.integers(0, 8),
)
def test_any_file_read_in_ranges_is_read_as_one(tmp_path_factory, monkeypatch, answers, tail):
    tmp_path = tmp_path_factory.mktemp("ranges")
    rows = []
    for i, (onsite, presence, kind, child, blank) in enumerate(answers):
        if blank:
            rows.append(",,,,,,,,,,,\n")
            continue
        rows.append(
            f"V{i},codmine{i % 4:05d},Site,2025-0{1 + i % 9}-1{i % 10},{onsite},{presence},"
            f"G,{kind},{child},{kind},{child},n\n"
        )
    text = HEADER + "".join(rows) + ",,,,,,,,,,,\n" * tail
    _, ranged, whole = same_as_one_read(tmp_path, monkeypatch, text)
    assert ranged.exit_code == whole.exit_code
    if whole.exit_code == 2:  # no data row, too many blank rows: the same line
        assert ranged.output == whole.output
    else:
        assert outputs(tmp_path / "ranged") == outputs(tmp_path / "whole")


@pytest.mark.parametrize(
    ("newline", "bom", "delimiter", "last_newline"),
    [
        ("\r\n", False, ",", True),  # Excel on Windows
        ("\n", True, ",", False),  # a BOM, no line feed after the last record
        ("\n", False, "\t", True),
        ("\r\n", True, "|", False),
    ],
)
def test_line_endings_marks_and_delimiters_read_in_ranges(
    tmp_path, monkeypatch, newline, bom, delimiter, last_newline
):
    rows = [line.replace(",", delimiter).replace("\n", newline) for line in visits(40)]
    text = HEADER.replace(",", delimiter).replace("\n", newline) + "".join(rows)
    text = ("\ufeff" if bom else "") + (text if last_newline else text.rstrip("\r\n"))
    path, ranged, whole = same_as_one_read(tmp_path, monkeypatch, text)
    assert ranges_of(path, 3) >= 6
    assert ranged.exit_code == whole.exit_code == 0, ranged.output
    assert outputs(tmp_path / "ranged") == outputs(tmp_path / "whole")


def test_strict_refuses_an_unknown_answer_as_one_read_does(tmp_path, monkeypatch):
    import minesite
    from minesite.errors import InputError
    from minesite.partitions import run_partitioned

    rows = [row.replace("Bandits", "Aucun") for row in visits(40)]
    rows[37] = rows[37].replace("Aucun", "Bandits du coin", 1)  # in the last range only
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    monkeypatch.setenv("MINESITE_PARTITION_ROWS", "3")
    assert ranges_of(path, 3) >= 6
    with pytest.raises(InputError) as ranged:
        run_partitioned([path], write_part=lambda part: None, strict=True)
    with pytest.raises(InputError) as whole:
        minesite.run([path], strict=True)
    assert ranged.value.render("en") == whole.value.render("en")
    assert "Bandits du coin" in ranged.value.render("en")
