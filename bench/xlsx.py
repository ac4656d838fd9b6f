"""Writing the XLSX export of N IPIS-shaped visits (DESIGN §7: 300,000 visits in under 60 s).

    python bench/xlsx.py [N] [--runs 1]

Makes (or reuses) bench/out/visits-N.csv with bench/make_visits.py, then, in this process, times
the three stages of `minesite score FILE -o OUT.xlsx`: `minesite.run` (reading, scoring, site
status), `export_tables` (the visits, sites, findings, conflicts and summary tables) and
`write_xlsx`; then the whole command as a subprocess under GNU time (wall, peak RSS), imports
and the atomic write included. Prints the load average with each figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_visits import make_visits  # noqa: E402
from score import measured  # noqa: E402


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def stages(source: Path, out: Path) -> None:
    """Each stage of the command once, in this process."""
    import minesite
    from minesite.render.tabular import export_tables
    from minesite.render.xlsx import write_xlsx

    start = time.perf_counter()
    result = minesite.run([source], as_of=dt.date(2024, 2, 29))
    scored = time.perf_counter()
    tables = export_tables(result)
    exported = time.perf_counter()
    write_xlsx(tables, out)
    written = time.perf_counter()
    cells = sum(frame.size for frame in tables.values())
    print(f"  minesite.run             {scored - start:6.2f} s  ({load()})")
    print(f"  export_tables            {exported - scored:6.2f} s  ({cells:,} cells)")
    print(
        f"  write_xlsx               {written - exported:6.2f} s  "
        f"({out.stat().st_size / 1e6:.0f} MB, {load()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("visits", type=int, nargs="?", default=300_000)
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    source = HERE / "out" / f"visits-{arguments.visits}.csv"
    if not source.exists():
        source.parent.mkdir(parents=True, exist_ok=True)
        make_visits(arguments.visits, source)
    print(f"input: {source.name} ({source.stat().st_size / 1e6:.0f} MB); {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.xlsx"
        stages(source, out)
        command = [sys.executable, "-m", "minesite", "score", str(source), "--force"]
        command += ["--as-of", "2024-02-29", "-o", str(out)]
        runs = []
        for _ in range(arguments.runs):
            before = load()
            runs.append(measured(command))
            print(f"  score -> XLSX (command)  {runs[-1][0]:6.2f} s  ({before} -> {load()[5:]})")
        wall = statistics.median(w for w, _, _ in runs)
        peak = max(p for _, _, p in runs)
        print(f"  median {wall:.2f} s over {len(runs)} runs (target 60), peak {peak:,.0f} MB")


if __name__ == "__main__":
    main()
