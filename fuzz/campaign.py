"""The 10^5-input campaign over the classes of red team 2, in supervised worker processes.

    nice python fuzz/campaign.py --inputs 100000 --workers 2

Each worker calls the library as the CLI does (read_inspections, load_column_map, load_config,
load_titles, coordinates) on generated inputs (fuzz/generators.py); every error must be a
MinesiteError whose message renders on one line in English and French. The supervisor counts
the other outcomes: a crash (any other exception), a native crash (the worker killed by a signal:
SIGSEGV, SIGABRT), a hang (no progress for --timeout seconds) or a memory blow-up (MemoryError
under the worker's --memory-gb address-space limit). Each is saved under fuzz/crashes/ with the
input that caused it; a killed worker is restarted after its input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import time
from collections import Counter
from multiprocessing.connection import wait
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generators import GENERATORS  # noqa: E402

CADASTRE = ROOT / "tests" / "data" / "cadastre-squares.geojson"


def run_one(name: str, data: bytes, target: str, work: Path) -> str | None:
    """None when the outcome keeps the contract, else what broke it."""
    import pandas as pd

    from minesite.cadastre import apply_cadastre, coordinates, load_config, load_titles
    from minesite.errors import MinesiteError
    from minesite.inputs import read_inspections
    from minesite.inputs.columns import load_column_map

    path = work / name
    try:
        if target == "wkt":
            frame = pd.DataFrame({"longitude": [""], "latitude": [""], "geom": [data.decode()]})
            coordinates(frame)
            return None
        path.write_bytes(data)
        if target == "read":
            inspection = read_inspections([path])
            for warning in inspection.warnings:
                for lang in ("en", "fr"):
                    if "\n" in warning.render(lang):
                        return "warning on two lines"
            if len(inspection.visits) and os.environ.get("FUZZ_CADASTRE"):
                apply_cadastre(inspection, load_titles(CADASTRE))
        elif target == "mapping":
            load_column_map(path)
        elif target == "cadastre-config":
            load_config(path)
        elif target == "geojson":
            load_titles(path)
    except MinesiteError as error:
        for lang in ("en", "fr"):
            line = error.render(lang)  # a template with a missing parameter raises here
            if not line:
                return "empty message"
        return None
    except MemoryError:
        return "memory"
    except Exception as exc:  # noqa: BLE001 - exactly what the campaign looks for
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return None


def worker(kind: str, seeds: range, memory_gb: float, channel, work: Path) -> None:  # noqa: ANN001
    """Run the inputs of `seeds`; report each start and outcome on `channel`."""
    os.nice(10)
    limit = int(memory_gb * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    work.mkdir(parents=True, exist_ok=True)
    generate = GENERATORS[kind]
    for seed in seeds:
        name, data, target = generate(random.Random(f"{kind}-{seed}"))
        channel.send(("start", seed))
        channel.send(("done", seed, run_one(name, data, target, work)))


def save(kind: str, seed: int, problem: str) -> None:
    name, data, _ = GENERATORS[kind](random.Random(f"{kind}-{seed}"))
    digest = hashlib.sha256(data).hexdigest()[:12]
    folder = HERE / "crashes"
    folder.mkdir(exist_ok=True)
    (folder / f"{kind}-{digest}-{name}").write_bytes(data)
    print(f"  {kind} seed {seed}: {problem}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--memory-gb", type=float, default=4.0)
    parser.add_argument("--kinds", default=",".join(GENERATORS))
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    per_kind = -(-args.inputs // len(kinds))  # rounded up: at least --inputs in all
    step = max(1, per_kind // 20)
    pending = [
        (k, range(s, min(s + step, per_kind))) for k in kinds for s in range(0, per_kind, step)
    ]
    counts: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    running: dict = {}  # parent end of the pipe -> [process, kind, seeds, last message time, seed]
    started = time.monotonic()
    while pending or running:
        while pending and len(running) < args.workers:
            kind, seeds = pending.pop(0)
            mine, theirs = mp.Pipe(duplex=False)
            work = HERE / "work" / f"{kind}-{seeds.start}"
            process = mp.Process(target=worker, args=(kind, seeds, args.memory_gb, theirs, work))
            process.start()
            theirs.close()
            running[mine] = [process, kind, seeds, time.monotonic(), None]
        for channel in wait(list(running), timeout=1.0):
            entry = running[channel]
            try:
                message = channel.recv()
            except EOFError:  # the worker is gone: finished, or killed by a signal
                process, kind, seeds, _, seed = entry
                process.join()
                del running[channel]
                if process.exitcode != 0:
                    counts[kind] += 1
                    problems["native crash"] += 1
                    save(kind, seed, f"worker killed (exit {process.exitcode})")
                    if seed + 1 < seeds.stop:
                        pending.insert(0, (kind, range(seed + 1, seeds.stop)))
                continue
            entry[3], entry[4] = time.monotonic(), message[1]
            if message[0] == "done":
                entry[4] = None
                counts[entry[1]] += 1
                if message[2]:
                    problems["memory" if message[2] == "memory" else "crash"] += 1
                    save(entry[1], message[1], message[2])
        for channel, (process, kind, seeds, seen, seed) in list(running.items()):
            if seed is not None and time.monotonic() - seen > args.timeout:
                process.kill()
                process.join()
                del running[channel]
                counts[kind] += 1
                problems["hang"] += 1
                save(kind, seed, f"no progress in {args.timeout:.0f} s")
                if seed + 1 < seeds.stop:
                    pending.insert(0, (kind, range(seed + 1, seeds.stop)))
    summary = {
        "inputs": sum(counts.values()),
        "per_kind": dict(counts),
        "crashes": problems["crash"],
        "native_crashes": problems["native crash"],
        "hangs": problems["hang"],
        "memory": problems["memory"],
        "seconds": round(time.monotonic() - started),
    }
    print(json.dumps(summary), flush=True)
    return 1 if sum(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
