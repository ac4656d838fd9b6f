"""MD.10 status history of each site: computed by the same rules as `--as-of`, or published.

The computed timeline asks `minesite.sites.assess` for each site's status just after each of its
on-site visits (one call over "stages": a copy of the site holding its visits up to that day),
then adds what the policy does between visits without a new visit: a green expires to blue the
day after its validity ends, and a blue older than the policy's limit turns red. Only changes of
the MDC.01 code are kept. The published timeline is the qualifications the input carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from minesite.conflicts import published
from minesite.dates import parse_dates, plus_months
from minesite.model import Status
from minesite.policy import Policy
from minesite.result import Result
from minesite.sites import assess

ONE_DAY = np.timedelta64(1, "D")


def change(day: np.datetime64, status: str, source: str, **extra: Any) -> dict[str, Any]:
    """One MD.10 entry with its source (and minesite's reason for a computed one)."""
    entry = {
        "dateOfChange": str(day),
        "newStatus": Status(status).icglr_code,
        "statusSource": source,
        "minesiteStatus": status,
    }
    entry.update({k: v for k, v in extra.items() if v})
    return entry


def _changes_only(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for event in events:
        if not kept or kept[-1]["newStatus"] != event["newStatus"]:
            kept.append(event)
    return kept


def computed(result: Result, policy: Policy) -> dict[str, list[dict[str, Any]]]:
    """Site id -> its status changes up to the as-of date, computed."""
    verdicts = result.verdicts
    visits = verdicts.visits
    day = parse_dates(visits["visit_date"])
    stamp = np.datetime64(result.as_of, "D")
    site = visits["site_id"].fillna("").to_numpy(dtype=object)
    scored = visits["status"].notna().to_numpy() & (site != "")
    dated = np.flatnonzero(scored & ~np.isnat(day) & (day <= stamp))
    undated = np.flatnonzero(scored & np.isnat(day))
    undated_of = pd.Series(undated).groupby(site[undated]).agg(list).to_dict()
    stages: list[tuple[str, np.datetime64]] = []
    parts: list[np.ndarray] = []
    order = dated[np.lexsort((dated, day[dated], site[dated]))]
    for name, rows in pd.Series(order).groupby(site[order], sort=False):
        rows = rows.to_numpy()
        extra = np.asarray(undated_of.get(name, []), dtype=np.int64)
        for d in np.unique(day[rows]):
            stages.append((name, d))
            parts.append(np.r_[rows[day[rows] <= d], extra])
    if not stages:
        return {}
    positions = np.concatenate(parts).astype(np.int64)
    stage_of = np.repeat(np.arange(len(stages)), [len(p) for p in parts]).astype(str)
    copies = visits.iloc[positions].reset_index(drop=True)
    copies["site_id"] = stage_of
    # Only the columns assess reads: no qualification column, so no conflicts are sought.
    raw = verdicts.inspection.visits.iloc[positions][["_row", "_source"]].reset_index(drop=True)
    staged = replace(
        verdicts,
        inspection=replace(verdicts.inspection, visits=raw),
        visits=copies,
        outcomes=verdicts.outcomes[positions],
    )
    sites = assess(staged, result.as_of, policy, history=True).sites
    sites = sites.set_index(sites["site_id"].astype(int)).sort_index()
    timeline: dict[str, list[dict[str, Any]]] = {}
    for k, (name, d) in enumerate(stages):
        row = sites.loc[k]
        following = k + 1 < len(stages) and stages[k + 1][0] == name
        bound = stages[k + 1][1] if following else stamp + ONE_DAY
        events = timeline.setdefault(name, [])
        events.append(
            change(
                d,
                row["status"],
                "computed",
                minesiteReason=row["reason"],
                minesiteVisitId=str(row["decided_by_visit"]),
            )
        )
        events.extend(_between(row, d, bound, policy))
    return {name: _changes_only(events) for name, events in timeline.items()}


def _between(row: pd.Series, day: np.datetime64, bound: np.datetime64, policy: Policy) -> list:
    """What the policy does after the visit of `day` and before `bound` with no new visit."""
    out = []
    blue_since = None
    if row["reason"] == "site.latest-visit" and row["status"] == Status.GREEN.value:
        expiry = np.datetime64(row["valid_until"], "D") + ONE_DAY
        if expiry < bound:
            out.append(change(expiry, Status.BLUE.value, "computed", minesiteReason="site.expired"))
            blue_since = expiry - ONE_DAY
    elif row["reason"] == "site.incomplete":
        blue_since = day
    if blue_since is not None:
        limit = plus_months(np.array([blue_since]), 12 * policy.blue_max_years)[0] + ONE_DAY
        if limit < bound:
            out.append(
                change(limit, Status.RED.value, "computed", minesiteReason="site.time-expired")
            )
    return out


def published_history(result: Result) -> dict[str, list[dict[str, Any]]]:
    """Site id -> the published qualifications (Vert, Jaune, Rouge, Bleu) up to the as-of date,
    changes only."""
    verdicts = result.verdicts
    visits = verdicts.visits
    codes, ids = pd.factorize(visits["site_id"].fillna(""), use_na_sentinel=True)
    day = parse_dates(visits["visit_date"])
    found = published(verdicts, codes, day, np.datetime64(result.as_of, "D"))
    found = found.sort_values(["site_code", "date", "position"], kind="stable")
    timeline: dict[str, list[dict[str, Any]]] = {}
    for item in found.itertuples(index=False):
        name = str(ids[item.site_code])
        if not name:
            continue
        timeline.setdefault(name, []).append(
            change(
                np.datetime64(item.date, "D"),
                item.colour,
                "published",
                minesiteRow=int(visits["row"].iat[item.position]),
            )
        )
    return {name: _changes_only(events) for name, events in timeline.items()}


def latest(events: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any] | None:
    """The last change on or before `as_of` (None when there is none)."""
    kept = [e for e in events if e["dateOfChange"] <= as_of.isoformat()]
    return kept[-1] if kept else None
