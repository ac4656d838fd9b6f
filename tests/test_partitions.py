"""A folder scored one file at a time gives the visits, findings and sites of the whole file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import minesite
from minesite.cli import app
from minesite.partitions import run_partitioned

SLICE = Path(__file__).parent / "data" / "ipis-slice.csv"
AS_OF = "2024-02-29"
# Where a row is (file, row number) differs between a split file and the whole one.
PLACE = {"file", "row", "decided_by_row", "published_row", "visit_row", "text"}
runner = CliRunner()


def split(tmp_path: Path, parts: int = 3) -> tuple[Path, pd.DataFrame]:
    """The real IPIS slice cut into `parts` files, in a folder."""
    whole = pd.read_csv(SLICE, dtype=str, keep_default_na=False)
    folder = tmp_path / "visits"
    folder.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(whole)), parts)):
        whole.iloc[rows].to_csv(folder / f"part-{k}.csv", index=False)
    return folder, whole


def score(*args: object) -> object:
    return runner.invoke(app, ["score", *map(str, args), "--as-of", AS_OF, "--lang", "en"])


def read(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_split_file_scores_like_the_whole_file(tmp_path, suffix):
    folder, whole = split(tmp_path)
    parted, single = tmp_path / f"parted{suffix}", tmp_path / f"whole{suffix}"
    first = score(folder, "-o", parted)
    assert first.exit_code == 0, first.output
    assert "scored in 3 slices (3 file(s)" in " ".join(first.output.split())
    second = score(SLICE, "-o", single)
    assert second.exit_code == 0, second.output
    for table in ("", ".sites", ".findings", ".conflicts"):
        a = read(parted.with_name(f"parted{table}{suffix}"))
        b = read(single.with_name(f"whole{table}{suffix}"))
        kept = [c for c in b.columns if c not in PLACE]
        assert list(a.columns) == list(b.columns)
        pd.testing.assert_frame_equal(a[kept], b[kept], check_dtype=suffix == ".parquet")
        assert len(a) > 0 or table == ".conflicts"
    visits = read(parted)
    assert len(visits) == len(whole)
    assert visits["file"].nunique() == 3
    # The summary says the same but for the files read and the partitioned run's note.
    summaries = [read(p.with_name(f"{p.stem}.summary{suffix}")) for p in (parted, single)]
    a, b = (s[~s["key"].str.match(r"file\.|note\.partitioned")] for s in summaries)
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_the_api_gives_the_sites_of_the_whole_file(tmp_path):
    folder, _ = split(tmp_path, parts=4)
    files = sorted(folder.iterdir())
    seen: list[int] = []
    parted = run_partitioned(
        files,
        write_part=lambda part: seen.append(len(part.visits)),
        as_of=dt.date.fromisoformat(AS_OF),
    )
    whole = minesite.run([SLICE], as_of=dt.date.fromisoformat(AS_OF))
    assert sum(seen) == len(whole.visits) and len(seen) == 4
    columns = ["site_id", "status", "reason", "criteria", "decided_by_visit", "valid_until"]
    pd.testing.assert_frame_equal(parted.sites[columns], whole.sites[columns])
    assert parted.counts() == whole.counts() and parted.site_counts() == whole.site_counts()
    failed = whole.findings[whole.findings["outcome"] == "fail"]
    assert len(parted.findings) == len(failed)


def test_a_visit_given_in_two_partitions_is_read_once(tmp_path):
    folder, whole = split(tmp_path, parts=2)
    whole.iloc[:5].to_csv(folder / "part-2.csv", index=False)  # the first rows again
    out = tmp_path / "out.csv"
    result = score(folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert "read once (5 such visits" in " ".join(result.output.split())
    assert len(read(out)) == len(whole)


def test_visits_of_several_earlier_partitions_given_again_are_each_read_once(tmp_path):
    folder, whole = split(tmp_path, parts=3)
    first, second = np.array_split(np.arange(len(whole)), 3)[:2]
    again = whole.iloc[[*second[:2], *first[:3]]]  # keys of two earlier files, out of order
    again.to_csv(folder / "part-3.csv", index=False)
    out = tmp_path / "out.csv"
    result = score(folder, "-o", out)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    # Named at its first repeated row, which part-1.csv gave first.
    assert "read once (5 such visits" in said and "part-1.csv" in said
    assert len(read(out)) == len(whole)
    changed = again.copy()
    changed["childunder15"] = np.where(changed["childunder15"] == "1", "0", "1")
    changed.iloc[[0, 1, 2, 3]] = again.iloc[[0, 1, 2, 3]]  # only the last (of part-0) differs
    changed.to_csv(folder / "part-3.csv", index=False)
    result = score(folder, "-o", out, "--force")
    assert result.exit_code == 2 and "part-0.csv" in result.output, result.output


def test_a_visit_given_again_with_other_answers_names_both_cells(tmp_path):
    folder, whole = split(tmp_path, parts=2)
    changed = whole.iloc[:1].copy()
    changed["childunder15"] = "1" if changed["childunder15"].iat[0] != "1" else "0"
    changed.to_csv(folder / "part-2.csv", index=False)
    out = tmp_path / "out.csv"
    result = score(folder, "-o", out)
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line and "part-2.csv, row 2" in line and "part-0.csv, row 2" in line
    assert not list(tmp_path.glob("out*")) and not list(tmp_path.glob(".out*"))


def test_a_bad_partition_leaves_the_old_outputs_whole(tmp_path):
    folder, _ = split(tmp_path, parts=2)
    out = tmp_path / "out.csv"
    assert score(folder, "-o", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.glob("out*")}
    (folder / "part-9.csv").write_text("vid,pcode,visit_date\nX1,S1,31/31/2020\n", "utf-8")
    result = score(folder, "-o", out, "--force")
    assert result.exit_code == 2 and "part-9.csv" in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.glob("out*")} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_one_site_or_a_workbook_is_scored_whole(tmp_path):
    folder, whole = split(tmp_path, parts=2)
    site = whole["pcode"].iat[0]
    one = score(folder, "-o", tmp_path / "one.csv", "--site", site)
    assert one.exit_code == 0, one.output
    assert set(read(tmp_path / "one.sites.csv")["site_id"]) == {site}
    assert "slices" not in one.output
    book = score(folder, "-o", tmp_path / "out.xlsx")
    assert book.exit_code == 0, book.output
    checked = runner.invoke(app, ["validate", str(folder), "--as-of", AS_OF, "--lang", "fr"])
    assert checked.exit_code in (0, 1) and "Traceback" not in checked.output
    with pytest.raises(minesite.UsageError):
        run_partitioned(sorted(folder.iterdir()), write_part=lambda part: None, site=site)


def test_an_empty_folder_is_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["validate", str(tmp_path / "empty"), "--lang", "fr"])
    assert result.exit_code == 2
    assert "aucun export" in result.output and len(result.output.strip().splitlines()) == 1


def unrecognised_actor_file(tmp_path: Path) -> Path:
    """Wide actors, one category outside the vocabulary (an unrecognised actor answer)."""
    path = tmp_path / "actors.csv"
    header = "vid,pcode,visit_date,visit_onsite,presence,type_armed_group1,childunder15\n"
    rows = [
        f"V{i},S{i % 3},2025-0{1 + i % 9}-10,1,1,{kind},0\n"
        for i, kind in enumerate(["Groupe armé local", "Bandits du coin", "Aucun"] * 3)
    ]
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("ipis-slice.csv", 100),
        ("kobo-icglr.xlsx", 2),
        ("odk-visits.zip", 2),
        ("field-visits.csv", 4),
        ("actors", 2),
    ],
)
def test_a_file_scored_in_slices_is_the_whole_file(tmp_path, monkeypatch, name, rows):
    from minesite.render.view import View

    samples = Path(__file__).parent.parent / "sample_inspections"
    path = {"ipis-slice.csv": SLICE, "actors": unrecognised_actor_file(tmp_path)}.get(
        name, samples / name
    )
    monkeypatch.setenv("MINESITE_PARTITION_ROWS", str(rows))
    day = dt.date(2026, 6, 30)
    sliced = run_partitioned([path], write_part=lambda part: None, as_of=day)
    whole = minesite.run([path], as_of=day)
    pd.testing.assert_frame_equal(sliced.sites, whole.sites)
    codes = ["status", "reason", "decisive", "failed", "unknown", "not_assessed", "row"]
    visits = sliced.visits[codes].astype(object)
    pd.testing.assert_frame_equal(visits, whole.visits[codes].astype(object))
    assert View(sliced, "fr").unrecognised() == View(whole, "fr").unrecognised()
    said = [n.code for n in sliced.notes]
    assert [c for c in said if c != "note.partitioned"] == [n.code for n in whole.notes]
    assert ("note.partitioned" in said) == (len(whole.visits) > rows)
    if name == "actors":
        assert len(View(whole, "fr").unrecognised()) >= 3


def test_reading_options_reach_every_partition(tmp_path):
    folder = tmp_path / "visits"
    folder.mkdir()
    header = "vid|pcode|visit_date|visit_onsite|presence|type_armed_group1|childunder15\n"
    for k in range(2):
        rows = f"V{k}1|S{k}|02/03/2025|1|1|Groupe armé local|0\nV{k}2|S{k}|04/05/2025|1|0||0\n"
        (folder / f"part-{k}.txt").write_text(header + rows, encoding="utf-8")
    out = tmp_path / "out.csv"
    refused = score(folder, "-o", out)
    assert refused.exit_code == 2 and "--dayfirst" in refused.output
    done = score(folder, "-o", out, "--dayfirst", "--delimiter", "|")
    assert done.exit_code == 0, done.output
    assert set(read(out)["visit_date"]) == {"2025-03-02", "2025-05-04"}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_sites_written_in_batches_are_the_sites_written_whole(tmp_path, monkeypatch, suffix):
    from minesite.render import stream

    whole, batched = tmp_path / f"whole{suffix}", tmp_path / f"batched{suffix}"
    assert score(SLICE, "-o", whole).exit_code == 0
    monkeypatch.setattr(stream, "SITE_BATCH", 7)  # the slice has 765 sites: 110 batches
    assert score(SLICE, "-o", batched).exit_code == 0
    a, b = (p.with_name(f"{p.stem}.sites{suffix}") for p in (batched, whole))
    if suffix == ".csv":
        assert a.read_bytes() == b.read_bytes()
    else:
        pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))
    assert len(read(b)) == 765
