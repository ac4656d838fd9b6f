"""Red team 2 (research/review-2/redteam.md) against the outputs: M4 (terminal escapes), M5 (an
output set replaced file by file; the --force race), L1 and L9 (PDF layout and glyphs), L2 (a
writer's own error type), L6 (option files and hard links overwritten)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from conftest import SAMPLES, invoke, visit, write_csv

from minesite.errors import UsageError
from minesite.output import check_target, output_set, write_files
from minesite.render.escape import printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2K\x1b[1G GREEN", "\\x1b[2K\\x1b[1G GREEN"),
        ("a\u202eb", "a\\u202eb"),
        ("bell\x07", "bell\\x07"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("line\nbreak\r", "line\\nbreak\\r"),
        ("Groupe armé — 金矿 ✓", "Groupe armé — 金矿 ✓"),
    ],
)
def test_printable_shows_controls_and_keeps_text(text, shown):
    assert printable(text) == shown


def test_validate_never_prints_an_escape_sequence_from_the_input(tmp_path):
    """M4: a site name erased the red badge (`ESC[2K ESC[1G GREEN`) and hid the rest."""
    name = "\x1b[2K\x1b[1G GREEN  all criteria passed\x1b[8m\x1b]8;;http://x\x07link"
    path = write_csv(tmp_path / "m5.csv", [visit(vid="V1", name=name, childunder15="1")])
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2K" in result.stdout


def _set(folder: Path, content: str) -> dict[Path, str]:
    return {folder / f"out{suffix}.csv": f"{content} {suffix}" for suffix in ("", ".sites", ".x")}


def test_a_failure_mid_set_leaves_the_whole_old_set(tmp_path):
    """M5: an ENOSPC after two of five files left a mixed set (new visits, old findings)."""
    old = _set(tmp_path, "old")
    for path, text in old.items():
        path.write_text(text)
    new = _set(tmp_path, "new")

    def failing(path: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError) as caught, output_set(force=True) as add:
        for target, text in new.items():
            add(target, lambda p, t=text: p.write_text(t))
        add(tmp_path / "out.summary.csv", failing)
    assert caught.value.code == "output.cannot-write"
    assert {p: p.read_text() for p in old} == old
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in old)


def test_a_rename_that_fails_puts_the_old_files_back(tmp_path, monkeypatch):
    old = _set(tmp_path, "old")
    for path, text in old.items():
        path.write_text(text)
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 3 and not str(Path(dst).name).startswith("."):
            raise OSError(5, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(UsageError):
        write_files(
            [(p, lambda q, t=t: q.write_text(t)) for p, t in _set(tmp_path, "new").items()],
            force=True,
        )
    monkeypatch.setattr(os, "replace", real)
    assert {p: p.read_text() for p in old} == old
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_new_set_replaces_the_old_one_whole(tmp_path):
    for path, text in _set(tmp_path, "old").items():
        path.write_text(text)
    new = _set(tmp_path, "new")
    written = write_files([(p, lambda q, t=t: q.write_text(t)) for p, t in new.items()], force=True)
    assert written == list(new)
    assert {p: p.read_text() for p in new} == new
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in new)


def test_without_force_a_file_that_appeared_meanwhile_is_never_replaced(tmp_path):
    """M5: two `score -o same.csv` runs without --force both exit 0; the slower one replaced
    the other's file (the check ran before the slow scoring)."""
    target = tmp_path / "race.csv"
    check_target(target, [], force=False)
    with pytest.raises(UsageError) as caught, output_set(force=False) as add:
        add(target, lambda p: p.write_text("mine"))
        target.write_text("the other run")
    assert caught.value.code == "output.exists"
    assert target.read_text() == "the other run"
    assert [p.name for p in tmp_path.iterdir()] == ["race.csv"]


def test_a_writers_own_error_wrapping_an_oserror_is_one_line(tmp_path):
    """L2: xlsxwriter's FileCreateError (not an OSError) on a full disk was an internal error."""

    class FileCreateError(Exception):
        pass

    def writer(path: Path) -> None:
        try:
            raise OSError(28, "No space left on device")
        except OSError as exc:
            raise FileCreateError(exc) from exc

    with pytest.raises(UsageError) as caught:
        write_files([(tmp_path / "x.xlsx", writer)], force=True)
    assert "No space left" in str(caught.value)


def test_an_output_never_overwrites_an_option_file_or_a_hard_link_to_an_input(tmp_path):
    """L6: `-o` could name the --columns mapping (with --force), or a hard link to an input."""
    data = SAMPLES / "field-visits.csv"
    mapping = tmp_path / "m.csv"
    mapping.write_text("[visits]\n", encoding="utf-8")
    result = invoke("score", data, "--columns", mapping, "-o", mapping, "--force")
    assert result.exit_code == 2 and "is an input file" in result.stderr
    assert mapping.read_text(encoding="utf-8") == "[visits]\n"
    copy = tmp_path / "input.csv"
    copy.write_bytes(data.read_bytes())
    link = tmp_path / "link.csv"
    os.link(copy, link)
    result = invoke("score", copy, "-o", link, "--force")
    assert result.exit_code == 2 and "is an input file" in result.stderr
    assert link.read_bytes() == data.read_bytes()


def test_score_replaces_its_csv_set_as_one_set(tmp_path):
    out = tmp_path / "o.csv"
    first = invoke("score", SAMPLES / "field-visits.csv", "-o", out)
    assert first.exit_code == 0, first.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    again = invoke("score", SAMPLES / "field-visits.csv", "-o", out)
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = invoke("score", SAMPLES / "field-visits.csv", "-o", out, "--force")
    assert forced.exit_code == 0 and sorted(p.name for p in tmp_path.iterdir()) == names


def test_pdf_keeps_its_layout_with_line_breaks_in_any_field(tmp_path):
    """L1: a red site's pcode with 80 line breaks (or a file name, a checklist version) made a
    table row taller than the page: LayoutError, internal error."""
    with (SAMPLES / "field-visits.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    red = dict(rows[3], pcode="a\n" * 80 + "b", visit_date="2026-01-01")
    path = write_csv(tmp_path / ("file\n" * 3 + ".csv").replace("\n", "_"), [red])
    result = invoke("report", path, "-o", tmp_path / "l1.pdf")
    assert result.exit_code == 0, result.stderr


def test_pdf_names_the_characters_its_font_cannot_draw(tmp_path):
    """L9: CJK and emoji were dropped silently (extracted as NUL)."""
    from pypdf import PdfReader

    rows = [visit(vid="V1", name="金矿 😀 Kalimbi", childunder15="1")]
    path = write_csv(tmp_path / "cjk.csv", rows)
    out = tmp_path / "cjk.pdf"
    assert invoke("report", path, "-o", out).exit_code == 0
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "U+1F600" in text and "\x00" not in text
    assert "Kalimbi" in text


def test_xlsx_output_refuses_a_text_excel_would_cut(tmp_path):
    """L3: site names and answers over 32,767 characters were cut in the XLSX, silently."""
    path = write_csv(tmp_path / "l3.csv", [visit(vid="V1", name="N" * 40_000 + "END")])
    result = invoke("score", path, "-o", tmp_path / "l3.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "l3.xlsx").exists()
    assert 'sheet "visits", row 2' in result.stderr and ".csv" in result.stderr
    assert invoke("score", path, "-o", tmp_path / "l3.csv.out.csv").exit_code == 0


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_full_disk_while_a_table_streams_is_one_line_and_keeps_the_old_set(
    tmp_path, monkeypatch, suffix
):
    """The visits and findings tables are written by a thread while the next slice is scored:
    a failed write there is still the one-line error, the old outputs whole, no file left."""
    import errno

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rows = [visit(vid=f"V{k}", pcode=f"S{k}", childunder15=str(k % 2)) for k in range(6)]
    path = write_csv(tmp_path / "v.csv", rows)
    out = tmp_path / "out" / f"visits{suffix}"
    out.parent.mkdir()
    assert invoke("score", path, "-o", out).exit_code == 0
    old = {p: p.read_bytes() for p in out.parent.iterdir()}
    calls = []

    def full(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # a later slice, while the one before may still be written
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv("MINESITE_PARTITION_ROWS", "2")
    if suffix == ".csv":
        monkeypatch.setattr(pacsv, "write_csv", full)
    else:
        monkeypatch.setattr(pq.ParquetWriter, "write_table", lambda self, table: full())
    result = invoke("score", path, "-o", out, "--force")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in out.parent.iterdir()} == old
