"""Time `minesite score` of N IPIS-shaped visits against the readers and a hand-written script.

    python bench/score.py [N] [--runs 3] [--parts K]

Runs, interleaved (A B C ..., A B C ...) so that machine noise hits every command alike, each as
a subprocess measured by GNU time (wall, CPU user+system, peak RSS):
- `pyarrow.csv.read_csv` of the file (the fastest reader here: the anchor, DESIGN §7);
- `pandas.read_csv(dtype=str)` with the C engine;
- `polars.read_csv` when polars is installed;
- a coordinator's hand-written pandas script: two criteria (armed group, child under 15) and the
  latest visit per site (`by_hand`, below);
- `minesite score FILE -o OUT.csv` and `-o OUT.parquet` end to end (imports, site status,
  conflicts and every output table included).
With `--parts K` the input is a folder of K files (bench/make_visits.py N --parts K): the
readers read its files one after the other, the script concatenates them, and `score` takes the
folder. Prints medians and the ratios of score to the anchor and to the script, then
`minesite --help` and a one-visit `validate` (median of 5), and the load average before and
after. The input is
made by bench/make_visits.py (resampled real IPIS visits) and kept in bench/out/.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_visits import make_visits  # noqa: E402

FILES = "sorted(__import__('pathlib').Path(sys.argv[1]).glob('*.csv')) or [sys.argv[1]]"
BY_HAND = f"""
import sys
import pandas as pd
files = {FILES}
visits = pd.concat(pd.read_csv(f, dtype=str, keep_default_na=False) for f in files)
armed = visits.filter(like="type_armed_group").apply(
    lambda c: c.str.contains("Groupe armé", na=False)).any(axis=1)
child = visits["childunder15"].isin(["1", "Oui", "Yes"])
visits["colour"] = "green"
visits.loc[child | armed, "colour"] = "red"
onsite = visits[visits["visit_onsite"] == "1"].sort_values("visit_date")
sites = onsite.groupby("pcode").tail(1)[["pcode", "visit_date", "colour"]]
sites.to_csv(sys.argv[2], index=False)
"""


def installed() -> dict[str, str]:
    """The environment of the measured commands: bytecode cached, as `pip install` leaves a
    package (this machine sets PYTHONDONTWRITEBYTECODE, which made every run of minesite
    compile its 70 modules again, 0.12-0.16 s), in bench/out/ rather than the source tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(HERE / "out" / "pycache")}


def measured(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one subprocess (exit 0 or 1)."""
    timing = ["/usr/bin/time", "-f", "%e %U %S %M"]
    done = subprocess.run([*timing, *command], capture_output=True, text=True, env=installed())
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    wall, user, system, peak = done.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak) / 1024


def commands(source: Path, out: Path) -> dict[str, list[str]]:
    """Every command of the comparison, by name."""
    python = sys.executable
    minesite = [python, "-m", "minesite", "score", str(source), "--force", "--as-of", "2024-02-29"]
    found = {
        "pyarrow.csv.read_csv": [
            python,
            "-c",
            f"import pyarrow.csv, sys\nfor f in {FILES}: pyarrow.csv.read_csv(f)",
            str(source),
        ],
        "pandas.read_csv (C)": [
            python,
            "-c",
            f"import pandas, sys\nfor f in {FILES}: pandas.read_csv(f, dtype=str, engine='c')",
            str(source),
        ],
        "by hand (pandas, 2 criteria)": [python, "-c", BY_HAND, str(source), str(out / "h.csv")],
        "score -> CSV": [*minesite, "-o", str(out / "r.csv")],
        "score -> Parquet": [*minesite, "-o", str(out / "r.parquet")],
    }
    if importlib.util.find_spec("polars") is not None:
        found["polars.read_csv"] = [
            python,
            "-c",
            f"import polars, sys\nfor f in {FILES}: polars.read_csv(f, infer_schema=False)",
            str(source),
        ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("visits", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parts", type=int, default=0)
    args = parser.parse_args()
    name = f"parts-{args.visits}" if args.parts else f"visits-{args.visits}.csv"
    source = HERE / "out" / name
    if not source.exists():
        source.parent.mkdir(exist_ok=True)
        make_visits(args.visits, source, parts=args.parts)
    # The outputs (1.4 GB a run at 1M visits) are deleted on the way out, whatever happens.
    with tempfile.TemporaryDirectory(prefix="minesite-bench-") as folder:
        report(args, source, Path(folder))


def report(args: argparse.Namespace, source: Path, out: Path) -> None:
    """Run the commands interleaved and print their medians, ratios and the small targets."""
    runs = commands(source, out)
    files = sorted(source.glob("*.csv")) if source.is_dir() else [source]
    size = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"input: {source.name} ({args.visits:,} visits in {len(files)} file(s), {size:,.0f} MB); "
        f"{os.cpu_count()} "
        f"cores; load {os.getloadavg()[0]:.2f}; median of {args.runs} interleaved runs"
    )
    seen: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
    for _ in range(args.runs):
        for name, command in runs.items():
            seen[name].append(measured(command))
    medians = {}
    for name, values in seen.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        peak = max(v[2] for v in values)
        medians[name] = wall
        print(f"  {name:<30} wall {wall:7.2f} s   cpu {cpu:7.2f} s   peak {peak:7,.0f} MB")
    anchor = medians["pyarrow.csv.read_csv"]
    hand = medians["by hand (pandas, 2 criteria)"]
    for name in ("score -> CSV", "score -> Parquet"):
        print(
            f"  {name:<30} {medians[name] / anchor:5.2f} x pyarrow (target 5)   "
            f"{medians[name] / hand:5.2f} x by hand (target < 1)"
        )
    one = out / "one.csv"
    one.write_text(
        "vid,pcode,name,visit_date,visit_onsite,presence,type_armed_group1,childunder15\n"
        "1,codmine00001,Demo,2026-01-01,1,0,Aucun,0\n",
        encoding="utf-8",
    )
    python = sys.executable
    help_time = statistics.median(
        measured([python, "-m", "minesite", "--help"])[0] for _ in range(5)
    )
    validate = statistics.median(
        measured([python, "-m", "minesite", "validate", str(one)])[0] for _ in range(5)
    )
    print(f"  minesite --help                {help_time:5.2f} s (target 0.2)")
    print(f"  minesite validate (one visit)  {validate:5.2f} s (target 1)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
