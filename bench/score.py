"""Time `minesite score` on an IPIS-shaped CSV of N visits against `pandas.read_csv` alone.

    python bench/score.py [N] [--runs 3]

Prints, in one run: the median time of `pandas.read_csv(dtype=str)` of the file alone, of
`minesite score FILE -o OUT.csv` and `-o OUT.parquet` end to end (subprocesses, imports
included), their ratios to the read, each command's peak memory (max RSS), the wall time of
`minesite --help`, and of `minesite validate` on a one-visit file. The input is made by
bench/make_visits.py (resampled real IPIS visits) and kept in bench/out/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_visits import make_visits  # noqa: E402


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds of one subprocess (exit 0 or 1 expected)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds, 0.0


def peak_of(command: list[str]) -> float:
    """Peak RSS (MB) of one run, read with GNU time."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def median_of(command: list[str], runs: int) -> float:
    return statistics.median(timed(command)[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("visits", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = HERE / "out" / f"visits-{args.visits}.csv"
    if not source.exists():
        source.parent.mkdir(exist_ok=True)
        make_visits(args.visits, source)
    python = sys.executable
    minesite = [python, "-m", "minesite"]
    out = Path(tempfile.mkdtemp(prefix="minesite-bench-"))
    read = [
        python,
        "-c",
        "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str)",
        str(source),
    ]
    to_csv = [
        *minesite,
        "score",
        str(source),
        "-o",
        str(out / "r.csv"),
        "--force",
        "--as-of",
        "2026-11-26",
    ]
    to_parquet = [
        *minesite,
        "score",
        str(source),
        "-o",
        str(out / "r.parquet"),
        "--force",
        "--as-of",
        "2026-11-26",
    ]
    size = source.stat().st_size / 1e6
    print(
        f"input: {source} ({args.visits:,} visits, {size:,.0f} MB); {os.cpu_count()} cores; "
        f"median of {args.runs} runs"
    )
    results = {}
    for name, command in (
        ("pandas.read_csv(dtype=str)", read),
        ("score -> CSV", to_csv),
        ("score -> Parquet", to_parquet),
    ):
        seconds = median_of(command, args.runs)
        results[name] = seconds
        print(f"  {name:<28} {seconds:7.2f} s   peak {peak_of(command):7,.0f} MB", flush=True)
    base = results["pandas.read_csv(dtype=str)"]
    print(f"  ratio score->CSV / read_csv      {results['score -> CSV'] / base:5.2f} (target 1.5)")
    print(f"  ratio score->Parquet / read_csv  {results['score -> Parquet'] / base:5.2f}")
    one = out / "one.csv"
    one.write_text(
        "vid,pcode,name,visit_date,visit_onsite,presence,type_armed_group1,childunder15\n"
        "1,codmine00001,Demo,2026-01-01,1,0,Aucun,0\n",
        encoding="utf-8",
    )
    help_time = median_of([*minesite, "--help"], 5)
    validate_time = median_of([*minesite, "validate", str(one)], 5)
    print(f"  minesite --help                  {help_time:5.2f} s (target 0.2)")
    print(f"  minesite validate (one visit)    {validate_time:5.2f} s (target 1)")


if __name__ == "__main__":
    main()
