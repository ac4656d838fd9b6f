"""A longer fuzzing campaign over the readers, through the CLI (the user's contract).

    python fuzz/run_readers.py --seconds 300            # every target, round-robin
    python fuzz/run_readers.py --seconds 60 --target csv

Targets: csv, xlsx, zip (ODK), toml (checklists), geojson (cadastre), bytes (raw random bytes
named .csv / .xlsx / .zip). Inputs come from the Hypothesis strategies of tests/test_fuzz.py
(random delimiters, encodings, BOMs, NUL bytes, ragged rows; damaged workbooks and zips; random
checklists and GeoJSON). A crash is any outcome other than exit 0/1 with a result or exit 2
with exactly one stderr line: a traceback, an "internal error", two lines, a hang (the whole
case over --timeout seconds). Each distinct crash is printed with its input and saved under
fuzz/crashes/. Exit status 1 when a crash was found.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
os.environ.pop("MINESITE_DEBUG", None)

import test_fuzz as strategies  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from minesite.cli import app  # noqa: E402

TARGETS = ("csv", "xlsx", "zip", "toml", "geojson", "bytes")
SAMPLE = ROOT / "sample_inspections" / "field-visits.csv"
runner = CliRunner()
tried: Counter[str] = Counter()
crashes: dict[str, tuple[str, bytes, str]] = {}


def problem(result, seconds: float, timeout: float) -> str | None:  # noqa: ANN001
    """Why this outcome breaks the contract, or None."""
    if seconds > timeout:
        return f"slow: {seconds:.1f} s"
    stderr = result.stderr
    if "Traceback" in stderr + result.stdout:
        return "traceback"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"exception {type(result.exception).__name__}: {result.exception}"
    if "internal error" in stderr:
        return stderr.strip()
    if result.exit_code in (0, 1):
        return None if result.stdout.strip() else "exit 0/1 without a result"
    if result.exit_code != 2:
        return f"exit code {result.exit_code}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    if len(lines) != 1:
        return f"{len(lines)} stderr lines: {stderr[:300]!r}"
    return None


def run_case(target: str, name: str, data: bytes, timeout: float) -> None:
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    path = work / name
    path.write_bytes(data)
    if target == "toml":
        args = ["checklists", "check", str(path)]
    elif target == "geojson":
        args = ["validate", str(SAMPLE), "--format", "json", "--cadastre", str(path)]
    else:
        args = ["validate", str(path), "--format", "json"]
    start = time.monotonic()
    result = runner.invoke(app, args)
    seconds = time.monotonic() - start
    tried[target] += 1
    why = problem(result, seconds, timeout)
    if target == "toml" and why is None and result.exit_code == 0:
        result = runner.invoke(app, ["validate", str(SAMPLE), "--format", "json", "-c", str(path)])
        why = problem(result, 0, timeout)
    if why is None:
        return
    signature = f"{target}: {why.splitlines()[0][:160]}"
    if signature in crashes:
        return
    digest = hashlib.sha256(data).hexdigest()[:12]
    saved = HERE / "crashes" / f"{target}-{digest}{Path(name).suffix}"
    saved.parent.mkdir(exist_ok=True)
    saved.write_bytes(data)
    crashes[signature] = (why, data, str(saved))
    print(f"CRASH {signature}\n  input {data[:200]!r}{'...' if len(data) > 200 else ''}")
    print(f"  saved {saved.relative_to(ROOT)}", flush=True)


def strategy(target: str):  # noqa: ANN201
    if target == "csv":
        return strategies.csv_bytes().map(lambda d: ("fuzz.csv", d))
    if target == "xlsx":
        return strategies.damaged(strategies.WORKBOOKS).map(lambda d: ("fuzz.xlsx", d))
    if target == "zip":
        return strategies.damaged([strategies.ODK]).map(lambda d: ("fuzz.zip", d))
    if target == "toml":
        return strategies.checklist_text().map(lambda t: ("fuzz.toml", t.encode()))
    if target == "geojson":
        return strategies.geojson.map(lambda g: ("fuzz.geojson", json.dumps(g).encode()))
    return st.tuples(
        st.sampled_from(["fuzz.csv", "fuzz.xlsx", "fuzz.zip"]), st.binary(max_size=400)
    )


def campaign(target: str, examples: int, timeout: float) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy(target))
    def fuzz(case: tuple[str, bytes]) -> None:
        name, data = case
        if not data.strip():
            data = b"PK" if name != "fuzz.csv" else b"x"
        run_case(target, name, data, timeout)

    fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--target", choices=TARGETS, action="append")
    parser.add_argument("--round", type=int, default=50, help="examples per target per round")
    parser.add_argument("--timeout", type=float, default=20, help="seconds before a case hangs")
    args = parser.parse_args()
    targets = args.target or list(TARGETS)
    warnings.simplefilter("ignore")
    end = time.monotonic() + args.seconds
    start = time.monotonic()
    while time.monotonic() < end:
        for target in targets:
            if time.monotonic() >= end:
                break
            campaign(target, args.round, args.timeout)
        print(
            f"[{time.monotonic() - start:6.0f} s] tried "
            + ", ".join(f"{t} {tried[t]}" for t in targets)
            + f"; distinct crashes {len(crashes)}",
            flush=True,
        )
    print(f"inputs tried: {sum(tried.values())} ({dict(tried)})")
    print(f"distinct crashes: {len(crashes)}")
    for signature, (why, _data, saved) in crashes.items():
        print(f"  {signature}\n    {why[:300]}\n    input: {saved}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
