"""Benchmark: `minesite report` of 1,000 sites to PDF (target under 10 s).

Builds an IPIS-shaped CSV of 1,500 visits of 1,000 sites in a temporary folder, by resampling
the IPIS open data (data/real/cod_mines_curated_all_opendata_p_ipis.csv) with new pcodes, or
the bundled sample when that file is absent; scores it once, then times
`build_document` + `render_pdf` (the report itself) and the whole CLI command, 3 runs each,
and prints the medians.

    python bench/report.py [--real PATH] [--sites 1000] [--visits 1500] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
REAL = Path("/work/shared/data/real/cod_mines_curated_all_opendata_p_ipis.csv")
AS_OF = "2026-06-30"


def make_csv(source: Path, sites: int, visits: int, folder: Path) -> Path:
    """`visits` rows resampled from `source`, spread over `sites` new pcodes (each used once)."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    if "project" in frame.columns:
        frame = frame[frame["project"] != "Qualification status"]
    rng = np.random.default_rng(6)
    rows = frame.iloc[rng.integers(0, len(frame), visits)].reset_index(drop=True)
    site = np.concatenate([np.arange(sites), rng.integers(0, sites, visits - sites)])
    rows["pcode"] = [f"bench{n:05d}" for n in site]
    rows["vid"] = [str(900000 + i) for i in range(visits)]
    path = folder / "bench-visits.csv"
    rows.to_csv(path, index=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = args.real if args.real.exists() else ROOT / "sample_inspections" / "ipis-sample.csv"

    import minesite
    from minesite.render.document import build_document
    from minesite.render.pdf import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_csv(source, args.sites, args.visits, folder)
        result = minesite.run([path], as_of=dt.date.fromisoformat(AS_OF))
        render, cpu, build = [], [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            document = build_document(result, lang="fr")
            build.append(time.process_time() - start_cpu)
            data = render_pdf(document)
            render.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        pages = len(re.findall(rb"/Type /Page[^s]", data))
        whole = []
        for run in range(args.runs):
            out = folder / f"report-{run}.pdf"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "minesite", "report", str(path), "-o", str(out)]
                + ["--lang", "fr", "--as-of", AS_OF],
                check=True,
                capture_output=True,
            )
            whole.append(time.perf_counter() - start)
        located = sum(s.lon is not None for s in document.sites)
        print(
            f"input: {len(result.visits):,} visits of {len(result.sites):,} sites "
            f"({located:,} with a map) from {source.name}"
        )
        print(f"PDF: {len(data) / 1e6:.1f} MB, about {pages:,} pages")
        print(
            f"render (build_document + render_pdf), median of {args.runs}: "
            f"{statistics.median(render):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
            f"(build_document {statistics.median(build):.2f} s CPU)  "
            f"{[round(t, 2) for t in render]}"
        )
        print(
            f"whole command (python -m minesite report ...), median of {args.runs}: "
            f"{statistics.median(whole):.2f} s  {[round(t, 2) for t in whole]}"
        )


if __name__ == "__main__":
    main()
