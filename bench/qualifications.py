"""How the 868 published qualifications of the real IPIS file compare with minesite's verdict of
the nearest on-site visit of the same site within 365 days (not a speed benchmark: the figures
behind the criteria issue's note).

    python bench/qualifications.py [PROFILE]
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import numpy as np

import minesite
from minesite.conflicts import PUBLISHED
from minesite.dates import parse_dates

REAL = Path(__file__).resolve().parents[1].parent / "shared/data/real"
RANK = {"green": 0, "yellow": 2, "red": 3}


def compare(profile: str) -> Counter:
    """Each published qualification classified against the nearest scored visit."""
    result = minesite.run(
        REAL / "cod_mines_curated_all_opendata_p_ipis.csv",
        as_of=dt.date(2024, 2, 29),
        profile=profile,
    )
    visits, raw = result.verdicts.visits, result.inspection.visits
    day = parse_dates(visits["visit_date"])
    project = raw["project"].fillna("").str.strip().str.casefold()
    published = raw["qualification"].fillna("").str.strip().str.casefold().map(PUBLISHED)
    by_site: dict[str, list[int]] = {}
    for i in np.flatnonzero(visits["status"].notna().to_numpy() & ~np.isnat(day)):
        by_site.setdefault(visits["site_id"].iat[i], []).append(i)
    found: Counter = Counter()
    for i in np.flatnonzero((project == "qualification status").to_numpy()):
        colour = published.iat[i]
        candidates = by_site.get(visits["site_id"].iat[i], [])
        if not isinstance(colour, str):
            found["no published colour"] += 1
        elif np.isnat(day[i]) or not candidates:
            found["no on-site visit of the site"] += 1
        else:
            gaps = [abs(int((day[j] - day[i]).astype(int))) for j in candidates]
            status = visits["status"].iat[candidates[int(np.argmin(gaps))]]
            if min(gaps) > 365:
                found["no on-site visit within 365 days"] += 1
            elif status == colour:
                found["agree"] += 1
            elif status == "incomplete":
                found[f"published {colour}, visit incomplete"] += 1
            elif colour == "blue":
                found[f"published blue, visit {status}"] += 1
            elif RANK[colour] < RANK[status]:
                found[f"published {colour}, visit {status} (a failed criterion)"] += 1
            else:
                found[f"published {colour}, visit better: {status}"] += 1
    return found


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "icglr"
    for key, count in compare(name).most_common():
        print(f"{count:5d}  {key}")
