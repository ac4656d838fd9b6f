"""Site status as of a date from all visits of a site: validity, expiry, escalation, conflicts."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.checklist import checklists_dir
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
    path = path or checklists_dir() / "policy.toml"
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, f"cannot read the policy: {exc}") from None
    known = {f.name: f.type for f in fields(Policy)}
    for key, value in data.items():
        if key not in known:
            raise ChecklistError(path, f"unknown key{did_you_mean(key, known)}", key=key)
        expected = bool if key == "escalate_repeated_yellow" else int
        if type(value) is not expected:
            raise ChecklistError(path, f"must be {expected.__name__}", key=key)
    return Policy(**data)


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates (and datetimes) -> datetime64; anything else -> NaT."""
    return pd.to_datetime(values.fillna("").str.slice(0, 10), format="%Y-%m-%d", errors="coerce")


def site_statuses(
    report: Report, as_of: dt.date | None = None, policy: Policy | None = None
) -> pd.DataFrame:
    """One row per site: its colour as of `as_of`, the visit that decided it, and conflicts."""
    as_of = as_of or dt.date.today()
    policy = policy or load_policy()
    visits = report.visits
    dates = parse_dates(visits["visit_date"])
    stamp = pd.Timestamp(as_of)
    onsite = (visits["status"].notna() & dates.notna() & (dates <= stamp)).to_numpy()
    frame = pd.DataFrame(
        {
            "site": visits["site_id"].to_numpy(),
            "date": dates.to_numpy(),
            "position": np.arange(len(visits)),
            "status": visits["status"].to_numpy(),
        }
    )[onsite].sort_values(["site", "date", "position"], kind="stable")
    latest = frame.groupby("site", sort=False).tail(1).set_index("site")
    sites = pd.DataFrame({"site_id": pd.unique(visits.loc[visits["site_id"] != "", "site_id"])})
    decided = sites["site_id"].map(latest["position"])
    status = _lookup(sites["site_id"], latest["status"], Status.BLUE.value)
    reason = pd.Series(
        np.where(decided.isna(), "not inspected on site", "latest on-site visit"), dtype=object
    )
    _hold_red_and_escalate(report, frame, sites, status, reason, policy)
    day = pd.Series(latest["date"].reindex(sites["site_id"]).to_numpy(), index=sites.index)
    months = np.where(
        status == "green",
        policy.green_valid_months,
        np.where(status == "yellow", policy.yellow_valid_months, 0),
    )
    valid_until = _plus_months(day, months).where((months > 0) & (reason == "latest on-site visit"))
    expired = (valid_until.notna() & (valid_until < stamp)).to_numpy()
    blue_limit = _plus_months(valid_until, np.full(len(sites), 12 * policy.blue_max_years))
    too_long = expired & (blue_limit < stamp).to_numpy()
    reason = reason.mask(expired, status + " expired on " + valid_until.dt.strftime("%Y-%m-%d"))
    status = status.mask(expired, Status.BLUE.value)
    reason = reason.mask(too_long, f"blue for more than {policy.blue_max_years} years")
    status = status.mask(too_long, Status.RED.value)
    due = valid_until.mask(expired, stamp)
    red_due = _plus_months(day, np.full(len(sites), policy.red_reinspection_months))
    due = due.mask((status == "red").to_numpy() & ~too_long, red_due)
    due = due.mask(decided.isna().to_numpy(), stamp)
    position = decided.fillna(-1).astype(int).to_numpy()
    has = position >= 0
    pick = np.where(has, position, 0)
    names = pd.Series(visits["site_name"].to_numpy(), index=visits["site_id"].to_numpy())
    result = pd.DataFrame(
        {
            "site_id": sites["site_id"],
            "site_name": _lookup(sites["site_id"], names.groupby(level=0).first()),
            "status": status,
            "reason": reason,
            "as_of": as_of.isoformat(),
            "decided_by_visit": np.where(has, visits["visit_id"].to_numpy()[pick], ""),
            "decided_by_row": np.where(has, visits["row"].to_numpy()[pick], 0),
            "decided_by_position": position,
            "visit_date": day.dt.strftime("%Y-%m-%d").fillna(""),
            "valid_until": valid_until.dt.strftime("%Y-%m-%d").fillna(""),
            "next_inspection_due": due.dt.strftime("%Y-%m-%d").fillna(""),
        }
    )
    published = _published(report, dates)
    return _with_conflicts(report, result, published, dates, policy, as_of)


def _lookup(keys: pd.Series, mapping: pd.Series, default: str = "") -> pd.Series:
    """keys.map(mapping) as text, `default` where a key has no value."""
    return pd.Series(keys.map(mapping).to_numpy(dtype=object), index=keys.index).fillna(default)


def _plus_months(days: pd.Series, months: np.ndarray) -> pd.Series:
    """Vectorised calendar months: 2023-01-31 + 1 month = 2023-02-28."""
    days = pd.to_datetime(days)
    total = days.dt.year * 12 + days.dt.month - 1 + months
    year, month = total // 12, total % 12 + 1
    first = pd.to_datetime(
        pd.DataFrame({"year": year.fillna(2000), "month": month.fillna(1), "day": 1})
    )
    last_day = (first + pd.offsets.MonthEnd(0)).dt.day
    day = np.minimum(days.dt.day.fillna(1), last_day)
    out = first + pd.to_timedelta(day - 1, unit="D")
    return out.where(days.notna())


def _hold_red_and_escalate(
    report: Report,
    frame: pd.DataFrame,
    sites: pd.DataFrame,
    status: pd.Series,
    reason: pd.Series,
    policy: Policy,
) -> None:
    """Red stays until a later visit shows its red findings pass; repeated yellow -> red."""
    outcomes = report.outcomes
    severity = np.array([c.severity.value for c in report.criteria], dtype=object)
    ids = np.array([c.id for c in report.criteria], dtype=object)
    visits = report.visits
    where = pd.Series(sites.index, index=sites["site_id"])
    ordered = frame.assign(rank=frame.groupby("site", sort=False).cumcount(ascending=False))
    latest = ordered[ordered["rank"] == 0].set_index("site")
    # The most recent red visit before a latest visit that is not red.
    reds = ordered[(ordered["rank"] > 0) & (ordered["status"] == "red")]
    reds = reds[reds["site"].map(latest["status"]) != "red"]
    last_red = reds.sort_values("rank").groupby("site").head(1).set_index("site")
    later = ordered[ordered["site"].isin(last_red.index)]
    later_rank = later["site"].map(last_red["rank"]).to_numpy(dtype=float)
    later = later[later["rank"].to_numpy() < later_rank]
    red_columns = severity == "red"
    red_at = later["site"].map(last_red["position"]).to_numpy(dtype=np.int64)
    failed = outcomes[red_at][:, red_columns] == Outcome.FAIL
    passed = outcomes[later["position"].to_numpy()][:, red_columns] == Outcome.PASS
    lifted = set(later["site"].to_numpy()[(~failed | passed).all(axis=1)])
    held = last_red[~last_red.index.isin(lifted)]
    if len(held):
        rows = where[held.index].to_numpy()
        positions = held["position"].to_numpy()
        status.iloc[rows] = Status.RED.value
        reason.iloc[rows] = (
            "red since visit "
            + visits["visit_id"].to_numpy()[positions].astype(str)
            + ": "
            + visits["decisive"].to_numpy()[positions].astype(str)
            + " not shown to pass since"
        )
    if not policy.escalate_repeated_yellow:
        return
    previous = ordered[ordered["rank"] == 1].set_index("site")
    pairs = latest[(latest["status"] == "yellow") & ~latest.index.isin(held.index)]
    pairs = pairs[
        pd.Series(pairs.index.map(previous["status"]), dtype=object).eq("yellow").to_numpy()
    ]
    if not len(pairs):
        return
    yellow_columns = severity == "yellow"
    both = (
        (outcomes[pairs["position"].to_numpy()] == Outcome.FAIL)
        & (outcomes[previous.loc[pairs.index, "position"].to_numpy()] == Outcome.FAIL)
        & yellow_columns
    )
    repeated = both.any(axis=1)
    if not repeated.any():
        return
    rows = where[pairs.index[repeated]].to_numpy()
    names = [" ".join(ids[mask]) for mask in both[repeated]]
    status.iloc[rows] = Status.RED.value
    reason.iloc[rows] = [f"escalated: {n} failed at two consecutive on-site visits" for n in names]


def _published(report: Report, dates: pd.Series) -> pd.DataFrame:
    """Published qualifications (Vert/Jaune/Rouge/Bleu) found in the input, with their rows."""
    visits = report.inspection.visits
    if "qualification" not in visits.columns:
        return pd.DataFrame(
            {
                "site": pd.Series(dtype=object),
                "colour": pd.Series(dtype=object),
                "date": pd.Series(dtype="datetime64[ns]"),
                "position": pd.Series(dtype=np.int64),
            }
        )
    colour = visits["qualification"].fillna("").str.strip().str.casefold().map(PUBLISHED)
    mask = colour.notna() & dates.notna()
    return pd.DataFrame(
        {
            "site": report.visits["site_id"][mask],
            "colour": colour[mask],
            "date": dates[mask],
            "position": np.flatnonzero(mask.to_numpy()),
        }
    )


def _with_conflicts(
    report: Report,
    sites: pd.DataFrame,
    published: pd.DataFrame,
    dates: pd.Series,
    policy: Policy,
    as_of: dt.date,
) -> pd.DataFrame:
    """Latest published colour per site, and a conflict when it is better than a nearby visit."""
    published = published[published["date"] <= pd.Timestamp(as_of)]
    latest = published.sort_values("date").groupby("site").tail(1).set_index("site")
    sites["published_qualification"] = _lookup(sites["site_id"], latest["colour"])
    sites["published_date"] = _lookup(sites["site_id"], latest["date"].dt.strftime("%Y-%m-%d"))
    found = find_conflicts(report, published, dates, policy, as_of)
    first = found.groupby("site_id")["text"].first() if len(found) else pd.Series(dtype=str)
    sites["conflict"] = _lookup(sites["site_id"], first)
    return sites


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


def find_conflicts(
    report: Report, published: pd.DataFrame, dates: pd.Series, policy: Policy, as_of: dt.date
) -> pd.DataFrame:
    """Published colour better than minesite's colour of an on-site visit within the window."""
    visits = report.visits
    scored = visits["status"].notna() & dates.notna() & (dates <= pd.Timestamp(as_of))
    pairs = published.merge(
        pd.DataFrame(
            {
                "site": visits["site_id"][scored],
                "visit_date": dates[scored],
                "visit_position": np.flatnonzero(scored.to_numpy()),
                "visit_status": visits["status"][scored],
            }
        ),
        on="site",
    )
    if not len(pairs):
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    window = (pairs["visit_date"] - pairs["date"]).abs() <= pd.Timedelta(
        days=policy.conflict_window_days
    )
    better = pairs["colour"].map(RANK).astype(float) < pairs["visit_status"].map(RANK).astype(float)
    pairs = pairs[(window & better.fillna(False)).to_numpy()]
    if not len(pairs):
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    visit = pairs["visit_position"].to_numpy()
    row = visits["row"].to_numpy()
    decisive = visits["decisive"].to_numpy(dtype=object)[visit]
    why = np.where(decisive != "", decisive, visits["reason"].to_numpy(dtype=object)[visit])
    out = pd.DataFrame(
        {
            "site_id": pairs["site"].to_numpy(),
            "published": pairs["colour"].to_numpy(),
            "published_date": pairs["date"].dt.strftime("%Y-%m-%d").to_numpy(),
            "published_row": row[pairs["position"].to_numpy()],
            "visit_id": visits["visit_id"].to_numpy(dtype=object)[visit],
            "visit_date": pairs["visit_date"].dt.strftime("%Y-%m-%d").to_numpy(),
            "visit_row": row[visit],
            "status": pairs["visit_status"].to_numpy(),
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
    return out


def conflicts(
    report: Report, as_of: dt.date | None = None, policy: Policy | None = None
) -> pd.DataFrame:
    """Every conflict between a published qualification and a nearby on-site visit."""
    as_of = as_of or dt.date.today()
    policy = policy or load_policy()
    dates = parse_dates(report.visits["visit_date"])
    published = _published(report, dates)
    published = published[published["date"] <= pd.Timestamp(as_of)]
    return find_conflicts(report, published, dates, policy, as_of)
