"""Site statuses on a dask cluster: shuffle the visits by site, score each partition with
minesite, and check the result equals `minesite score FOLDER` (dask is not a dependency).

    pip install "dask[dataframe]"
    python bench/make_visits.py 1000000 --parts 4       # bench/out/parts-1000000/
    python bench/dask_sites.py bench/out/parts-1000000 [--as-of 2026-01-01]

A site's status reads every visit of that site and nothing else, so once all the visits of a
site sit in one partition (`shuffle("pcode")`), `map_partitions` gives each site exactly the
status a whole-file run gives. One subtlety: of two visits of a site on the same day, the later
row of the input decides, and a shuffle does not keep rows in order; each row's place is
therefore numbered before the shuffle (`_order`) and restored inside each partition. The recipe
is `numbered` and `site_statuses` below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import minesite

COLUMNS = ["site_id", "status", "reason", "criteria", "decided_by_visit", "valid_until"]


def numbered(frame: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    """Each row's place in the input (partition number, then row), kept through a shuffle."""
    number = partition_info["number"] if partition_info else 0
    return frame.assign(_order=number * 10**12 + np.arange(len(frame)))


def site_statuses(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The sites of one partition holding every visit of its sites, rows in input order."""
    if not len(frame):
        return pd.DataFrame({c: pd.Series(dtype=str) for c in COLUMNS})
    frame = frame.sort_values("_order", kind="stable").drop(columns="_order")
    inspection = minesite.inspection_from_frames(frame.reset_index(drop=True))
    return minesite.run(inspection=inspection, as_of=as_of).sites[COLUMNS]


def main() -> None:
    import dask.dataframe as dd

    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--as-of", default="2026-01-01")
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)

    start = time.perf_counter()
    visits = dd.read_csv(
        str(args.folder / "*.csv"), dtype=str, keep_default_na=False, blocksize="64MB"
    )
    meta = pd.DataFrame({c: pd.Series(dtype=str) for c in COLUMNS})
    sites = (
        visits.map_partitions(numbered, meta={**visits.dtypes.to_dict(), "_order": "int64"})
        .shuffle("pcode")  # every visit of a site in one partition
        .map_partitions(site_statuses, as_of, meta=meta)
        .compute(scheduler="processes")
    )
    took = time.perf_counter() - start
    print(f"dask: {len(sites):,} sites from {visits.npartitions} partitions in {took:.1f} s")

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.csv"
        start = time.perf_counter()
        command = [sys.executable, "-m", "minesite", "score", str(args.folder), "-o", str(out)]
        subprocess.run([*command, "--as-of", args.as_of], check=True, capture_output=True)
        took = time.perf_counter() - start
        whole = pd.read_csv(
            out.with_name("out.sites.csv"),
            sep=";",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    print(f"minesite score FOLDER: {len(whole):,} sites in {took:.1f} s")
    a = sites.sort_values("site_id").reset_index(drop=True).astype(str)
    b = whole[COLUMNS].sort_values("site_id").reset_index(drop=True).astype(str)
    same = a.equals(b)
    print("identical site statuses:", same)
    if not same:
        differs = (a != b).any(axis=1)
        print(pd.concat([a[differs].head(), b[differs].head()], axis=1))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
