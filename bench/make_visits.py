"""Write an IPIS-shaped CSV of N visits by resampling the real IPIS open data (new ids).

    python bench/make_visits.py 1000000 [OUT.csv]

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


def make_visits(n: int, out: Path, seed: int = 2026) -> Path:
    """Resample `n` rows of the real file into `out` (UTF-8, CRLF, comma, like IPIS)."""
    real = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    rows = real.iloc[rng.integers(0, len(real), size=n)].reset_index(drop=True)
    rows["vid"] = np.arange(1, n + 1).astype(str)
    rows["FID"] = "bench.fid-" + rows["vid"]
    rows["pcode"] = pd.Series(rng.integers(0, max(n // 3, 1), size=n)).map("bench{:07d}".format)
    rows.to_csv(out, index=False, lineterminator="\r\n")
    return out


if __name__ == "__main__":
    count = int(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"bench/out/visits-{count}.csv")
    target.parent.mkdir(parents=True, exist_ok=True)
    print(make_visits(count, target))
