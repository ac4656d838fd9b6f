"""Published qualifications against minesite's visits: conflicts on evidence, unverifiable greens.

A conflict is a published colour better than a visit of the same site, within the window, with a
*failed* criterion worse than that colour. A published green next to an incomplete visit is not a
conflict (nothing was found) but "unverifiable": reported apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from minesite.dates import iso
from minesite.model import RANK, Status
from minesite.policy import Policy
from minesite.verdicts import Verdicts

PUBLISHED = {
    "vert": "green",
    "green": "green",
    "jaune": "yellow",
    "yellow": "yellow",
    "rouge": "red",
    "red": "red",
    "bleu": "blue",
    "blue": "blue",
}
CONFLICT_COLUMNS = [
    "kind",
    "site_id",
    "published",
    "published_date",
    "published_row",
    "visit_id",
    "visit_date",
    "visit_row",
    "status",
    "criteria",
    "_site_code",
]


def published(
    verdicts: Verdicts, codes: np.ndarray, days: np.ndarray, stamp: np.datetime64
) -> pd.DataFrame:
    """Published qualifications (Vert/Jaune/Rouge/Bleu) up to the as-of date, with their rows."""
    visits = verdicts.inspection.visits
    if "qualification" not in visits.columns:
        return pd.DataFrame(
            {
                "site_code": np.zeros(0, np.int64),
                "colour": np.zeros(0, object),
                "date": np.zeros(0, "datetime64[D]"),
                "position": np.zeros(0, np.int64),
            }
        )
    colour = _colours(visits["qualification"])
    mask = pd.notna(colour) & ~np.isnat(days) & (days <= stamp) & (codes >= 0)
    return pd.DataFrame(
        {
            "site_code": codes[mask],
            "colour": colour[mask],
            "date": days[mask],
            "position": np.flatnonzero(mask),
        }
    )


def _colours(column: pd.Series) -> np.ndarray:
    """The published colour of each cell (None for any other text), each distinct text read
    once: the column repeats a few words over every visit."""
    codes, distinct = pd.factorize(column)
    words = [PUBLISHED.get(str(v).strip().casefold()) for v in distinct]
    return np.array([*words, None], dtype=object)[codes]  # code -1 (missing): the None


def latest_published(found: pd.DataFrame, n_sites: int) -> tuple[np.ndarray, np.ndarray]:
    """Per site, the latest of the `published` qualifications and its date ('' when none)."""
    found = found.sort_values(["date", "position"])
    colour = np.full(n_sites, "", dtype=object)
    date = np.full(n_sites, "", dtype=object)
    latest = found.drop_duplicates("site_code", keep="last")
    colour[latest["site_code"].to_numpy()] = latest["colour"].to_numpy()
    date[latest["site_code"].to_numpy()] = iso(latest["date"].to_numpy().astype("datetime64[D]"))
    return colour, date


def conflicts(
    verdicts: Verdicts,
    found: pd.DataFrame,
    codes: np.ndarray,
    days: np.ndarray,
    stamp: np.datetime64,
    policy: Policy,
) -> pd.DataFrame:
    """Every conflict and unverifiable green between a `published` qualification and a scored
    visit of the same site within the policy's window."""
    visits = verdicts.visits
    statuses = visits["status"].to_numpy(dtype=object)
    scored = np.flatnonzero(pd.notna(statuses) & ~np.isnat(days) & (days <= stamp) & (codes >= 0))
    empty = pd.DataFrame(columns=CONFLICT_COLUMNS)
    if not len(found) or not len(scored):
        return empty
    pairs = found.merge(
        pd.DataFrame({"site_code": codes[scored], "visit_position": scored}), on="site_code"
    )
    visit = pairs["visit_position"].to_numpy()
    gap = np.abs((days[visit] - pairs["date"].to_numpy().astype("datetime64[D]")).astype(np.int64))
    colour = pairs["colour"].to_numpy(dtype=object)
    status = statuses[visit]

    def rank(values: np.ndarray) -> np.ndarray:
        return pd.Series(values, dtype=object).map(RANK).fillna(-1).to_numpy(dtype=np.int64)

    # Only a failed criterion is evidence: red and yellow visits carry one, incomplete none.
    found_worse = np.isin(status, [Status.RED.value, Status.YELLOW.value]) & (
        np.isin(colour, ["green", "yellow"]) & (rank(colour) < rank(status))
    )
    unverifiable = (colour == "green") & (status == Status.INCOMPLETE.value)
    keep = (gap <= policy.conflict_window_days) & (found_worse | unverifiable)
    pairs = pairs[keep]
    if not len(pairs):
        return empty
    visit = pairs["visit_position"].to_numpy()
    qualification = pairs["position"].to_numpy()
    row = visits["row"].to_numpy()
    is_conflict = found_worse[keep]

    # What makes the visit worse than the published colour: against a green, every failure.
    # Only the paired visits' cells become Python strings (not the 3M of a large run).
    def at(name: str) -> np.ndarray:
        return visits[name].iloc[visit].fillna("").to_numpy(dtype=object)

    failed = np.where(
        pairs["colour"].to_numpy(dtype=object) == "green", at("failed"), at("decisive")
    )
    # What an unverifiable green lacks: the visit's blank answers, else what its form omits.
    unknown = at("unknown")
    missing = np.where(unknown != "", unknown, at("not_assessed"))
    return pd.DataFrame(
        {
            "kind": np.where(is_conflict, "conflict", "unverifiable"),
            "site_id": at("site_id"),
            "published": pairs["colour"].to_numpy(dtype=object),
            "published_date": iso(days[qualification]),
            "published_row": row[qualification],
            "visit_id": at("visit_id"),
            "visit_date": iso(days[visit]),
            "visit_row": row[visit],
            "status": statuses[visit],
            "criteria": [" ".join(text.split()) for text in np.where(is_conflict, failed, missing)],
            "_site_code": pairs["site_code"].to_numpy(),
        }
    )
