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
        data = tomllib.loads(path.read_text(encoding="utf-8"))
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
    ids = sites["site_id"].to_numpy()
    # reindex keeps the dtypes when no site has an on-site visit (map would give float NaN).
    status = pd.Series(latest["status"].reindex(ids).to_numpy(), dtype=object).fillna(
        Status.BLUE.value
    )
    reason = pd.Series(
        np.where(decided.isna(), "not inspected on site", "latest on-site visit"), dtype=object
    )
    _hold_red_and_escalate(report, frame, sites, status, reason, policy)
    day = pd.Series(pd.to_datetime(latest["date"]).reindex(ids).to_numpy())
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
            "site_name": sites["site_id"].map(names.groupby(level=0).first()).fillna(""),
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
    """Red stays until a later visit shows its red findings pass; repeated yellow -> red.

    Only sites with a red visit before their latest one, or yellow at their last two visits,
    need a look at their history; every other site was decided vectorised."""
    red_ids = [j for j, c in enumerate(report.criteria) if c.severity.value == "red"]
    visits = report.visits
    rank = frame.groupby("site", sort=False).cumcount(ascending=False)
    last, previous = frame[rank == 0], frame[rank == 1]
    earlier_red = set(frame.loc[(rank > 0) & (frame["status"] == "red"), "site"])
    yellow_pairs = set(last.loc[last["status"] == "yellow", "site"]) & set(
        previous.loc[previous["status"] == "yellow", "site"]
    )
    candidates = earlier_red | (yellow_pairs if policy.escalate_repeated_yellow else set())
    if not candidates:
        return
    index = pd.Series(sites.index, index=sites["site_id"])
    decisive = visits["decisive"].to_numpy()
    every_status = visits["status"].to_numpy()
    for site, order in frame[frame["site"].isin(candidates)].groupby("site")["position"]:
        order = order.to_numpy()
        i = index[site]
        held = (
            _red_held(report, order, every_status[order], red_ids) if site in earlier_red else None
        )
        if held is not None:
            status.iat[i] = Status.RED.value
            reason.iat[i] = (
                f"red since visit {visits['visit_id'].iat[held]}: "
                f"{decisive[held]} not shown to pass since"
            )
        elif site in yellow_pairs and policy.escalate_repeated_yellow:
            repeated = set(decisive[order[-1]].split()) & set(decisive[order[-2]].split())
            if repeated:
                status.iat[i] = Status.RED.value
                reason.iat[i] = (
                    f"escalated: {' '.join(sorted(repeated))} failed at two "
                    "consecutive on-site visits"
                )


def _red_held(
    report: Report, order: np.ndarray, statuses: np.ndarray, red_ids: list[int]
) -> int | None:
    """Position of the last red visit whose red findings no later visit showed to pass."""
    reds = np.flatnonzero(statuses == "red")
    if not len(reds) or reds[-1] == len(order) - 1:
        return None
    red_position = int(order[reds[-1]])
    failed = [j for j in red_ids if report.outcomes[red_position, j] == Outcome.FAIL]
    later = order[reds[-1] + 1 :]
    cleared = (report.outcomes[np.ix_(later, failed)] == Outcome.PASS).all(axis=1)
    return None if cleared.any() else red_position


def _published(report: Report, dates: pd.Series) -> pd.DataFrame:
    """Published qualifications (Vert/Jaune/Rouge/Bleu) found in the input, with their rows."""
    visits = report.inspection.visits
    if "qualification" not in visits.columns:
        # Typed, so that `.dt` works on an input without published qualifications.
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
    published = published[published["date"].dt.date <= as_of]
    latest = published.sort_values("date").groupby("site").tail(1).set_index("site")
    sites["published_qualification"] = (
        sites["site_id"].map(latest["colour"]).astype(object).fillna("")
    )
    sites["published_date"] = (
        sites["site_id"].map(latest["date"].dt.strftime("%Y-%m-%d")).astype(object).fillna("")
    )
    conflicts = find_conflicts(report, published, dates, policy)
    first = conflicts.groupby("site_id")["text"].first() if len(conflicts) else pd.Series(dtype=str)
    sites["conflict"] = sites["site_id"].map(first).astype(object).fillna("")
    return sites


def find_conflicts(
    report: Report, published: pd.DataFrame, dates: pd.Series, policy: Policy
) -> pd.DataFrame:
    """Published colour better than minesite's colour of an on-site visit within the window."""
    visits = report.visits
    if not len(published):
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    scored = visits[visits["status"].notna() & dates.notna()]
    pairs = published.merge(
        pd.DataFrame(
            {
                "site": scored["site_id"],
                "visit_date": dates[scored.index],
                "visit_position": scored.index,
                "visit_status": scored["status"],
            }
        ),
        on="site",
    )
    window = (pairs["visit_date"] - pairs["date"]).abs() <= pd.Timedelta(
        days=policy.conflict_window_days
    )
    better = pairs["colour"].map(RANK) < pairs["visit_status"].map(RANK)
    pairs = pairs[window & better.fillna(False)]
    columns = CONFLICT_COLUMNS
    if not len(pairs):
        return pd.DataFrame(columns=columns)
    rows = []
    for pair in pairs.itertuples(index=False):
        visit = visits.iloc[int(pair.visit_position)]
        qualification = visits.iloc[int(pair.position)]
        text = (
            f"published {pair.colour} on {pair.date.date()} (row {qualification['row']}) "
            f"but visit {visit['visit_id']} of {pair.visit_date.date()} (row {visit['row']}) "
            f"is {visit['status']}: {visit['decisive'] or visit['reason']}"
        )
        rows.append(
            [
                pair.site,
                pair.colour,
                str(pair.date.date()),
                int(qualification["row"]),
                visit["visit_id"],
                str(pair.visit_date.date()),
                int(visit["row"]),
                visit["status"],
                visit["decisive"],
                text,
            ]
        )
    return pd.DataFrame(rows, columns=columns)


def conflicts(
    report: Report, as_of: dt.date | None = None, policy: Policy | None = None
) -> pd.DataFrame:
    """Every conflict between a published qualification and a nearby on-site visit."""
    as_of = as_of or dt.date.today()
    policy = policy or load_policy()
    dates = parse_dates(report.visits["visit_date"])
    published = _published(report, dates)
    return find_conflicts(report, published[published["date"].dt.date <= as_of], dates, policy)
