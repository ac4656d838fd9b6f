"""Write an IPIS-shaped CSV of N visits by resampling the real IPIS open data (new ids).

    python bench/make_visits.py 1000000 [OUT.csv]
    python bench/make_visits.py 3000000 --parts 12    # a folder of 12 files (partitions)

Rows are drawn with replacement from ../shared/data/real/cod_mines_curated_all_opendata_p_ipis.csv,
so every answer comes from the real vocabulary; `vid`, `FID` and `pcode` are renumbered
(about 3 visits per site) and visit dates are kept, so site histories have realistic spans.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "data/real/cod_mines_curated_all_opendata_p_ipis.csv"


def make_visits(n: int, out: Path, seed: int = 2026, parts: int = 0) -> Path:
    """Resample `n` rows of the real file into `out` (UTF-8, CRLF, comma, like IPIS); with
    `parts`, into a folder `out` of that many files of consecutive rows (a site's visits fall
    in several of them)."""
    real = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    rows = real.iloc[rng.integers(0, len(real), size=n)].reset_index(drop=True)
    rows["vid"] = np.arange(1, n + 1).astype(str)
    rows["FID"] = "bench.fid-" + rows["vid"]
    rows["pcode"] = pd.Series(rng.integers(0, max(n // 3, 1), size=n)).map("bench{:07d}".format)
    if not parts:
        rows.to_csv(out, index=False, lineterminator="\r\n")
        return out
    out.mkdir(parents=True, exist_ok=True)
    for k, chunk in enumerate(np.array_split(np.arange(n), parts)):
        part = out / f"part-{k:03d}.csv"
        rows.iloc[chunk].to_csv(part, index=False, lineterminator="\r\n")
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    parts = int(args.pop(args.index("--parts") + 1)) if "--parts" in args else 0
    if "--parts" in args:
        args.remove("--parts")
    count = int(args[0])
    default = f"bench/out/parts-{count}" if parts else f"bench/out/visits-{count}.csv"
    target = Path(args[1]) if len(args) > 1 else Path(default)
    target.parent.mkdir(parents=True, exist_ok=True)
    print(make_visits(count, target, parts=parts))
