"""Parquet partitions read as the CSV of the same table: the same verdicts, cell by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import minesite
from minesite.cli import app

SLICE = Path(__file__).parent / "data" / "ipis-slice.csv"
AS_OF = dt.date(2024, 2, 29)
runner = CliRunner()


def test_a_parquet_file_scores_like_its_csv(tmp_path):
    frame = pd.read_csv(SLICE, dtype=str, keep_default_na=False)
    path = tmp_path / "visits.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    parquet, csv = minesite.run([path], as_of=AS_OF), minesite.run([SLICE], as_of=AS_OF)
    columns = ["visit_id", "status", "reason", "decisive", "unknown", "row"]
    pd.testing.assert_frame_equal(parquet.visits[columns], csv.visits[columns])
    pd.testing.assert_frame_equal(parquet.sites, csv.sites)
    assert parquet.inspection.sources[0].dialect == "Parquet"


def test_typed_columns_read_as_an_export_would_write_them(tmp_path):
    table = pa.table(
        {
            "vid": pa.array([1, 2, 3], pa.int64()),
            "pcode": pa.array(["s1", "s2", "s3"]).dictionary_encode(),
            "visit_date": pa.array(
                [dt.datetime(2026, 3, 10), dt.datetime(2026, 3, 11, 9, 30), None],
                pa.timestamp("us"),
            ),
            "visit_onsite": pa.array([True, True, False]),
            "childunder15": pa.array([1.0, 0.0, np.nan]),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    result = minesite.run([path], checklists=["child-labor"], as_of=dt.date(2026, 6, 30))
    raw = result.inspection.visits
    assert raw["vid"].tolist() == ["1", "2", "3"]
    assert raw["visit_date"].tolist()[:2] == ["2026-03-10", "2026-03-11"]
    assert raw["childunder15"].tolist() == ["1", "0", ""]
    assert result.visits["status"].iat[0] == "red"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_folder_of_parquet_partitions_scores_like_the_whole_csv(tmp_path, suffix):
    frame = pd.read_csv(SLICE, dtype=str, keep_default_na=False)
    folder = tmp_path / "visits"
    folder.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(frame)), 3)):
        part = pa.Table.from_pandas(frame.iloc[rows], preserve_index=False)
        pq.write_table(part, folder / f"part-{k}.parquet")
    out, whole = tmp_path / f"parts{suffix}", tmp_path / f"whole{suffix}"
    for given, target in ((folder, out), (SLICE, whole)):
        done = runner.invoke(app, ["score", str(given), "-o", str(target), "--as-of", "2024-02-29"])
        assert done.exit_code == 0, done.output
    read = pd.read_parquet if suffix == ".parquet" else _csv
    a = read(out.with_name(f"parts.sites{suffix}"))
    b = read(whole.with_name(f"whole.sites{suffix}"))
    kept = [c for c in a.columns if c != "decided_by_row"]
    pd.testing.assert_frame_equal(a[kept], b[kept])


def test_a_broken_parquet_file_is_one_line(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64)
    out = runner.invoke(app, ["validate", str(path), "--lang", "fr"])
    assert out.exit_code == 2 and "Parquet illisible" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
