"""Site status as of a date from all visits of a site: validity, expiry, escalation, conflicts."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from minesite._resources import bundled
from minesite.errors import ChecklistError, did_you_mean
from minesite.findings import Report
from minesite.limits import read_toml
from minesite.model import Outcome, Status

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
RANK = {"green": 0, "yellow": 1, "red": 2}


@dataclass(frozen=True)
class Policy:
    """Validity periods and escalation rules (checklists/policy.toml)."""

    green_valid_months: int = 12
    yellow_valid_months: int = 6
    red_reinspection_months: int = 6
    blue_max_years: int = 3
    escalate_repeated_yellow: bool = True
    conflict_window_days: int = 365


def load_policy(path: Path | None = None) -> Policy:
    """The bundled policy, or a coordinator's file with the same keys."""
    path = path or bundled("policy.toml")
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, f"cannot read the policy: {exc}") from None
    known = {f.name: f.type for f in fields(Policy)}
    for key, value in data.items():
        if key not in known:
            raise ChecklistError(
                path, "checklist.unknown-key", key=key, hint=did_you_mean(key, known)
            )
        expected = bool if key == "escalate_repeated_yellow" else int
        if type(value) is not expected:
            raise ChecklistError(path, f"must be {expected.__name__}", key=key)
    return Policy(**data)


def parse_dates(values: pd.Series) -> np.ndarray:
    """ISO dates (and datetimes) -> datetime64[D]; anything else -> NaT."""
    parsed = pd.to_datetime(values.fillna("").str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    return parsed.to_numpy().astype("datetime64[D]")


def plus_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Calendar months on datetime64[D]: 2023-01-31 + 1 month = 2023-02-28; NaT stays NaT."""
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    last = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(day_of_month, last - 1)
    return np.where(np.isnat(days), np.datetime64("NaT", "D"), out)


def iso(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> 'YYYY-MM-DD' text, '' for NaT."""
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = ""
    return text


@dataclass(frozen=True)
class Assessment:
    """Site statuses and the conflicts with published qualifications behind them."""

    sites: pd.DataFrame
    conflicts: pd.DataFrame


def site_statuses(
    report: Report, as_of: dt.date | None = None, policy: Policy | None = None
) -> pd.DataFrame:
    """One row per site: its colour as of `as_of`, the visit that decided it, and conflicts."""
    return assess_sites(report, as_of, policy).sites


def conflicts(
    report: Report, as_of: dt.date | None = None, policy: Policy | None = None
) -> pd.DataFrame:
    """Every conflict between a published qualification and a nearby on-site visit."""
    return assess_sites(report, as_of, policy).conflicts


def assess_sites(
    report: Report, as_of: dt.date | None = None, policy: Policy | None = None
) -> Assessment:
    """Site status as of a date from all visits of each site (vectorised over integer site
    codes: a province-wide export has hundreds of thousands of sites)."""
    as_of = as_of or dt.date.today()
    policy = policy or load_policy()
    visits = report.visits
    day_of_visit = parse_dates(visits["visit_date"])
    stamp = np.datetime64(as_of, "D")
    codes, site_ids = pd.factorize(visits["site_id"].fillna(""), use_na_sentinel=True)
    known = np.asarray(site_ids != "", dtype=bool)
    n_sites = len(site_ids)
    status_of_visit = visits["status"].to_numpy(dtype=object)
    onsite = np.flatnonzero(
        pd.notna(status_of_visit) & ~np.isnat(day_of_visit) & (day_of_visit <= stamp)
    )
    # On-site visits sorted by site, date, then input order; the last of each site decides.
    order = onsite[np.lexsort((onsite, day_of_visit[onsite], codes[onsite]))]
    site_of = codes[order]
    last = np.r_[site_of[1:] != site_of[:-1], True] if len(order) else np.zeros(0, bool)
    decided = np.full(n_sites, -1, dtype=np.int64)
    decided[site_of[last]] = order[last]
    has = decided >= 0
    pick = np.where(has, decided, 0)
    status = np.where(has, status_of_visit[pick], Status.BLUE.value).astype(object)
    reason = np.where(has, "latest on-site visit", "not inspected on site").astype(object)
    _hold_red(report, order, site_of, last, decided, status, reason)
    if policy.escalate_repeated_yellow:
        _escalate(report, order, site_of, last, status, reason)
    day = np.where(has, day_of_visit[pick], np.datetime64("NaT", "D"))
    months = np.where(
        status == "green",
        policy.green_valid_months,
        np.where(status == "yellow", policy.yellow_valid_months, 0),
    )
    valid = (months > 0) & (reason == "latest on-site visit")
    valid_until = np.where(valid, plus_months(day, months), np.datetime64("NaT", "D"))
    expired = valid & (valid_until < stamp)
    too_long = expired & (plus_months(valid_until, 12 * policy.blue_max_years) < stamp)
    was = status.copy()
    status[expired] = Status.BLUE.value
    reason[expired] = was[expired] + " expired on " + iso(valid_until[expired])
    status[too_long] = Status.RED.value
    reason[too_long] = f"blue for more than {policy.blue_max_years} years"
    due = np.where(valid & ~expired, valid_until, stamp)
    red_visit = (status == "red") & ~too_long & has
    due = np.where(red_visit, plus_months(day, policy.red_reinspection_months), due)
    first_name = np.full(n_sites, "", dtype=object)
    names = visits["site_name"].fillna("").to_numpy(dtype=object)
    _, first = np.unique(codes[::-1], return_index=True)
    first_name[np.unique(codes[::-1])] = names[::-1][first]
    sites = pd.DataFrame(
        {
            "site_id": np.asarray(site_ids, dtype=object),
            "site_name": first_name,
            "status": status,
            "reason": reason,
            "as_of": as_of.isoformat(),
            "decided_by_visit": np.where(has, visits["visit_id"].to_numpy(dtype=object)[pick], ""),
            "decided_by_row": np.where(has, visits["row"].to_numpy()[pick], 0),
            "decided_by_position": decided,
            "visit_date": iso(day),
            "valid_until": iso(valid_until),
            "next_inspection_due": iso(due),
        }
    )
    found = _conflicts(report, codes, day_of_visit, stamp, policy)
    published = _latest_published(report, codes, day_of_visit, stamp, n_sites)
    sites["published_qualification"], sites["published_date"] = published
    conflict = np.full(n_sites, "", dtype=object)
    if len(found):
        firsts = found.drop_duplicates("site_code")
        conflict[firsts["site_code"].to_numpy()] = firsts["text"].to_numpy()
    sites["conflict"] = conflict
    return Assessment(sites[known].reset_index(drop=True), found.drop(columns=["site_code"]))


def _hold_red(
    report: Report,
    order: np.ndarray,
    site_of: np.ndarray,
    last: np.ndarray,
    decided: np.ndarray,
    status: np.ndarray,
    reason: np.ndarray,
) -> None:
    """Red stays red until a later on-site visit shows the red findings pass."""
    if not len(order):
        return
    visits = report.visits
    statuses = visits["status"].to_numpy(dtype=object)[order]
    red_columns = np.array([c.severity.value == "red" for c in report.criteria], dtype=bool)
    # The most recent red visit before the latest one, for sites whose latest is not red.
    index = np.arange(len(order))
    candidates = (statuses == "red") & ~last
    last_red = np.full(len(status), -1, dtype=np.int64)
    np.maximum.at(last_red, site_of[candidates], index[candidates])
    last_red[status == "red"] = -1
    red_at = last_red[site_of]
    later = (red_at >= 0) & (index > red_at)
    if not later.any():
        return
    failed = report.outcomes[order[red_at[later]]][:, red_columns] == Outcome.FAIL
    passed = report.outcomes[order[later]][:, red_columns] == Outcome.PASS
    lifted = np.zeros(len(status), dtype=bool)
    np.logical_or.at(lifted, site_of[later], (~failed | passed).all(axis=1))
    held = np.flatnonzero((last_red >= 0) & ~lifted)
    if not len(held):
        return
    positions = order[last_red[held]]
    status[held] = Status.RED.value
    reason[held] = (
        "red since visit "
        + visits["visit_id"].to_numpy(dtype=object)[positions].astype(str)
        + ": "
        + visits["decisive"].to_numpy(dtype=object)[positions].astype(str)
        + " not shown to pass since"
    ).astype(object)


def _escalate(
    report: Report,
    order: np.ndarray,
    site_of: np.ndarray,
    last: np.ndarray,
    status: np.ndarray,
    reason: np.ndarray,
) -> None:
    """The same yellow criterion failing at two consecutive on-site visits makes the site red."""
    if len(order) < 2:
        return
    statuses = report.visits["status"].to_numpy(dtype=object)[order]
    ends = np.flatnonzero(last)
    ends = ends[ends > 0]
    pairs = ends[
        (site_of[ends - 1] == site_of[ends])
        & (statuses[ends] == "yellow")
        & (statuses[ends - 1] == "yellow")
    ]
    pairs = pairs[status[site_of[pairs]] == "yellow"]
    if not len(pairs):
        return
    yellow = np.array([c.severity.value == "yellow" for c in report.criteria], dtype=bool)
    both = (
        (report.outcomes[order[pairs]] == Outcome.FAIL)
        & (report.outcomes[order[pairs - 1]] == Outcome.FAIL)
        & yellow
    )
    repeated = both.any(axis=1)
    ids = np.array([c.id for c in report.criteria], dtype=object)
    sites = site_of[pairs[repeated]]
    status[sites] = Status.RED.value
    reason[sites] = [
        f"escalated: {' '.join(ids[mask])} failed at two consecutive on-site visits"
        for mask in both[repeated]
    ]


def _published(
    report: Report, codes: np.ndarray, days: np.ndarray, stamp: np.datetime64
) -> pd.DataFrame:
    """Published qualifications (Vert/Jaune/Rouge/Bleu) up to the as-of date, with their rows."""
    visits = report.inspection.visits
    if "qualification" not in visits.columns:
        return pd.DataFrame(
            {
                "site_code": np.zeros(0, np.int64),
                "colour": np.zeros(0, object),
                "date": np.zeros(0, "datetime64[D]"),
                "position": np.zeros(0, np.int64),
            }
        )
    colour = visits["qualification"].fillna("").str.strip().str.casefold().map(PUBLISHED)
    mask = colour.notna().to_numpy() & ~np.isnat(days) & (days <= stamp) & (codes >= 0)
    return pd.DataFrame(
        {
            "site_code": codes[mask],
            "colour": colour.to_numpy(dtype=object)[mask],
            "date": days[mask],
            "position": np.flatnonzero(mask),
        }
    )


def _latest_published(
    report: Report, codes: np.ndarray, days: np.ndarray, stamp: np.datetime64, n_sites: int
) -> tuple[np.ndarray, np.ndarray]:
    published = _published(report, codes, days, stamp).sort_values(["date", "position"])
    colour = np.full(n_sites, "", dtype=object)
    date = np.full(n_sites, "", dtype=object)
    latest = published.drop_duplicates("site_code", keep="last")
    colour[latest["site_code"].to_numpy()] = latest["colour"].to_numpy()
    date[latest["site_code"].to_numpy()] = iso(latest["date"].to_numpy().astype("datetime64[D]"))
    return colour, date


CONFLICT_COLUMNS = [
    "site_id",
    "published",
    "published_date",
    "published_row",
    "visit_id",
    "visit_date",
    "visit_row",
    "status",
    "decisive",
    "text",
]


def _conflicts(
    report: Report, codes: np.ndarray, days: np.ndarray, stamp: np.datetime64, policy: Policy
) -> pd.DataFrame:
    """Published colour better than minesite's colour of an on-site visit within the window."""
    visits = report.visits
    published = _published(report, codes, days, stamp)
    statuses = visits["status"].to_numpy(dtype=object)
    scored = np.flatnonzero(pd.notna(statuses) & ~np.isnat(days) & (days <= stamp) & (codes >= 0))
    empty = pd.DataFrame(columns=[*CONFLICT_COLUMNS, "site_code"])
    if not len(published) or not len(scored):
        return empty
    pairs = published.merge(
        pd.DataFrame({"site_code": codes[scored], "visit_position": scored}), on="site_code"
    )
    visit = pairs["visit_position"].to_numpy()
    gap = np.abs((days[visit] - pairs["date"].to_numpy().astype("datetime64[D]")).astype(np.int64))
    rank = np.vectorize(RANK.get, otypes=[float])
    better = rank(pairs["colour"].to_numpy(dtype=object)) < rank(statuses[visit])
    pairs = pairs[(gap <= policy.conflict_window_days) & better]
    if not len(pairs):
        return empty
    visit = pairs["visit_position"].to_numpy()
    qualification = pairs["position"].to_numpy()
    row = visits["row"].to_numpy()
    decisive = visits["decisive"].to_numpy(dtype=object)[visit]
    why = np.where(decisive != "", decisive, visits["reason"].to_numpy(dtype=object)[visit])
    out = pd.DataFrame(
        {
            "site_id": visits["site_id"].to_numpy(dtype=object)[visit],
            "published": pairs["colour"].to_numpy(dtype=object),
            "published_date": iso(days[qualification]),
            "published_row": row[qualification],
            "visit_id": visits["visit_id"].to_numpy(dtype=object)[visit],
            "visit_date": iso(days[visit]),
            "visit_row": row[visit],
            "status": statuses[visit],
            "decisive": decisive,
        }
    )
    out["text"] = (
        "published "
        + out["published"]
        + " on "
        + out["published_date"]
        + " (row "
        + out["published_row"].astype(str)
        + ") but visit "
        + out["visit_id"].astype(str)
        + " of "
        + out["visit_date"]
        + " (row "
        + out["visit_row"].astype(str)
        + ") is "
        + out["status"]
        + ": "
        + why
    )
    out["site_code"] = pairs["site_code"].to_numpy()
    return out
