"""Site status as of a date from all visits of a site: validity, holds, escalation (DESIGN §2.2).

Every site gets a status and a reason code (`site.*`) whose parameters are columns of the sites
frame (criteria, dates, visits): the words are the renderers' business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from minesite.conflicts import conflicts, latest_published, published
from minesite.dates import NAT, iso_text, parse_dates, plus_months
from minesite.model import Outcome, Severity, Status
from minesite.offsite import off_site
from minesite.policy import Policy
from minesite.validity import validity
from minesite.verdicts import Verdicts, join_ids


@dataclass(frozen=True)
class Assessment:
    """Site statuses and the conflicts with published qualifications beside them."""

    sites: pd.DataFrame
    conflicts: pd.DataFrame


@dataclass
class SiteState:
    """Per-site arrays the steps below refine (index = site code)."""

    status: np.ndarray
    reason: np.ndarray
    criteria: np.ndarray
    since: np.ndarray
    """Position of the visit a hold or an undated red comes from (-1: none)."""


def assess(
    verdicts: Verdicts, as_of: dt.date, policy: Policy, *, history: bool = False
) -> Assessment:
    """Site status as of `as_of` (vectorised over integer site codes). With `history`, each
    site's status at its latest visit: every visit counts and nothing expires."""
    visits = verdicts.visits
    day = parse_dates(visits["visit_date"])
    stamp = np.datetime64("9999-12-31") if history else np.datetime64(as_of, "D")
    codes, site_ids = verdicts.site_codes()
    n_sites = len(site_ids)
    status_of = visits["status"].to_numpy(dtype=object)
    scored = pd.notna(status_of) & (codes >= 0)
    onsite = np.flatnonzero(scored & ~np.isnat(day) & (day <= stamp))
    # On-site visits sorted by site, date, then input order; the last of each site decides.
    order = onsite[np.lexsort((onsite, day[onsite], codes[onsite]))]
    site_of = codes[order]
    last = np.r_[site_of[1:] != site_of[:-1], True] if len(order) else np.zeros(0, bool)
    decided = np.full(n_sites, -1, dtype=np.int64)
    decided[site_of[last]] = order[last]
    has = decided >= 0
    pick = np.where(has, decided, 0)
    latest = np.where(has, status_of[pick], "").astype(object)
    incomplete = latest == Status.INCOMPLETE.value
    # Only the deciding visits' cells: a whole column as Python strings costs 60 MB a million.
    criteria_of = {
        name: visits[name].iloc[pick].fillna("").to_numpy(dtype=object)
        for name in ("decisive", "unknown", "not_assessed")
    }
    # An incomplete site names what its deciding visit lacks (Python strings, not a numpy
    # unicode array as wide as the longest list on every site).
    criteria = criteria_of["decisive"].copy()
    lacking = np.flatnonzero(incomplete)
    criteria[lacking] = [
        f"{u} {n}".strip()
        for u, n in zip(
            criteria_of["unknown"][lacking], criteria_of["not_assessed"][lacking], strict=True
        )
    ]
    state = SiteState(
        status=np.where(has & ~incomplete, latest, Status.BLUE.value).astype(object),
        reason=np.select(
            [incomplete, has], ["site.incomplete", "site.latest-visit"], "site.not-inspected"
        ).astype(object),
        criteria=criteria,
        since=np.full(n_sites, -1, dtype=np.int64),
    )
    state.criteria[~has] = ""
    _hold_red(verdicts, day, policy, order, site_of, last, state)
    if policy.escalate_repeated_yellow:
        _escalate(verdicts, day, policy, order, site_of, last, state)
    undated = _undated(verdicts, day, codes, scored, has, state)
    reported = off_site(verdicts, codes, n_sites)
    _not_visited(state, reported)
    visit_day = np.where(has, day[pick], NAT)
    dates = validity(policy, state, visit_day, day, stamp, history)
    sites = pd.DataFrame(
        {
            "site_id": np.asarray(site_ids, dtype=object),
            "site_name": _first_name(visits, codes, n_sites),
            "status": state.status,
            "reason": state.reason,
            "criteria": state.criteria,
            "decided_by_visit": _text_at(visits["visit_id"], decided),
            "decided_by_row": np.where(has, visits["row"].to_numpy()[pick], 0),
            "visit_date": iso_text(visit_day),
            **dates,
            "since_visit": _text_at(visits["visit_id"], state.since),
            "since_date": iso_text(
                np.where(state.since >= 0, day[np.maximum(state.since, 0)], NAT)
            ),
            "undated_visits": undated,
            "no_visit_reason": reported["no_visit_reason"].to_numpy(dtype=object),
            "off_site_report_visit": _text_at(
                visits["visit_id"], reported["armed_report"].to_numpy()
            ),
            "_position": decided,
            "_since": state.since,
        }
    )
    qualified = published(verdicts, codes, day, stamp)
    found = conflicts(verdicts, qualified, codes, day, stamp, policy)
    sites["published_qualification"], sites["published_date"] = latest_published(qualified, n_sites)
    kind = np.full(n_sites, "", dtype=object)
    if len(found):
        # A conflict outranks an unverifiable green when a site has both.
        ranked = found.sort_values("kind", key=lambda k: k != "conflict", kind="stable")
        firsts = ranked.drop_duplicates("_site_code")
        kind[firsts["_site_code"].to_numpy()] = firsts["kind"].to_numpy()
    sites["conflict"] = kind
    known = np.asarray(site_ids != "", dtype=bool)
    return Assessment(
        sites[known].reset_index(drop=True),
        found.drop(columns=["_site_code"]).reset_index(drop=True),
    )


def _text_at(column: pd.Series, positions: np.ndarray) -> np.ndarray:
    """The column's text at each position ('' at -1): only those cells become Python strings
    (a whole column of 3M visit ids would be 200 MB of them)."""
    out = np.full(len(positions), "", dtype=object)
    valid = positions >= 0
    if valid.any():
        out[valid] = column.iloc[positions[valid]].fillna("").to_numpy(dtype=object)
    return out


def _first_name(visits: pd.DataFrame, codes: np.ndarray, n_sites: int) -> np.ndarray:
    """The first non-blank name of each site, in input order."""
    names = np.full(n_sites, "", dtype=object)
    given = visits["site_name"].fillna("")
    keep = np.flatnonzero((given != "").to_numpy() & (codes >= 0))
    found, first = np.unique(codes[keep], return_index=True)
    names[found] = given.iloc[keep[first]].to_numpy(dtype=object)
    return names


def _hold_red(
    verdicts: Verdicts,
    day: np.ndarray,
    policy: Policy,
    order: np.ndarray,
    site_of: np.ndarray,
    last: np.ndarray,
    state: SiteState,
) -> None:
    """Red stays red for the profile's minimum and until a later on-site visit shows every
    failed red criterion pass: an unknown answer (an incomplete visit) never lifts it."""
    if not len(order):
        return
    statuses = verdicts.visits["status"].to_numpy(dtype=object)[order]
    red_columns = np.array([c.severity == Severity.RED for c in verdicts.criteria], dtype=bool)
    index = np.arange(len(order))
    candidates = (statuses == Status.RED.value) & ~last
    last_red = np.full(len(state.status), -1, dtype=np.int64)
    np.maximum.at(last_red, site_of[candidates], index[candidates])
    last_red[state.status == Status.RED.value] = -1
    red_at = last_red[site_of]
    later = (red_at >= 0) & (index > red_at)
    lifted = np.zeros(len(state.status), dtype=bool)
    if later.any():
        outcomes = verdicts.outcomes
        failed = outcomes[order[red_at[later]]][:, red_columns] == Outcome.FAIL
        passed = outcomes[order[later]][:, red_columns] == Outcome.PASS
        minimum = plus_months(day[order[red_at[later]]], policy.red_minimum_months)
        lifts = (~failed | passed).all(axis=1) & (day[order[later]] >= minimum)
        np.logical_or.at(lifted, site_of[later], lifts)
    held = np.flatnonzero((last_red >= 0) & ~lifted)
    if not len(held):
        return
    positions = order[last_red[held]]
    state.status[held] = Status.RED.value
    state.reason[held] = "site.red-held"
    state.criteria[held] = _text_at(verdicts.visits["decisive"], positions)
    state.since[held] = positions


def _escalate(
    verdicts: Verdicts,
    day: np.ndarray,
    policy: Policy,
    order: np.ndarray,
    site_of: np.ndarray,
    last: np.ndarray,
    state: SiteState,
) -> None:
    """A yellow criterion failing again at an on-site visit after the remediation deadline and
    within the window makes the site red; same-day records are one inspection."""
    if len(order) < 2:
        return
    days = day[order]
    # For each visit, the last visit of the same site on an earlier day.
    new_day = np.r_[True, (site_of[1:] != site_of[:-1]) | (days[1:] != days[:-1])]
    group_start = np.maximum.accumulate(np.where(new_day, np.arange(len(order)), 0))
    previous = group_start - 1
    ends = np.flatnonzero(last)
    ends = ends[(previous[ends] >= 0)]
    ends = ends[site_of[previous[ends]] == site_of[ends]]
    ends = ends[state.status[site_of[ends]] == Status.YELLOW.value]
    ends = ends[state.reason[site_of[ends]] == "site.latest-visit"]
    if not len(ends):
        return
    before = previous[ends]
    deadline = plus_months(days[before], policy.yellow_remediation_months)
    window = plus_months(deadline, policy.escalation_window_months)
    timely = (days[ends] > deadline) & (days[ends] <= window)
    yellow = np.array([c.severity == Severity.YELLOW for c in verdicts.criteria], dtype=bool)
    outcomes = verdicts.outcomes
    both = (
        (outcomes[order[ends]] == Outcome.FAIL) & (outcomes[order[before]] == Outcome.FAIL) & yellow
    )
    repeated = both.any(axis=1) & timely
    if not repeated.any():
        return
    sites = site_of[ends[repeated]]
    ids = np.array([c.id for c in verdicts.criteria], dtype=object)
    state.status[sites] = Status.RED.value
    state.reason[sites] = "site.escalated"
    state.criteria[sites] = join_ids(ids, both[repeated])
    state.since[sites] = order[before[repeated]]


def _undated(
    verdicts: Verdicts,
    day: np.ndarray,
    codes: np.ndarray,
    scored: np.ndarray,
    has: np.ndarray,
    state: SiteState,
) -> np.ndarray:
    """A visit without a usable date cannot decide its site, but its red findings hold: it is
    never read as "not inspected". Returns the number of undated visits per site."""
    undated = np.flatnonzero(scored & np.isnat(day))
    count = np.bincount(codes[undated], minlength=len(state.status)).astype(np.int64)
    if not len(undated):
        return count
    status = verdicts.visits["status"].to_numpy(dtype=object)
    red = undated[status[undated] == Status.RED.value]
    red_sites = codes[red]
    take = state.status[red_sites] != Status.RED.value
    state.status[red_sites[take]] = Status.RED.value
    state.reason[red_sites[take]] = "site.undated-red"
    state.criteria[red_sites[take]] = _text_at(verdicts.visits["decisive"], red[take])
    state.since[red_sites[take]] = red[take]
    only_undated = (count > 0) & ~has & (state.reason == "site.not-inspected")
    state.reason[only_undated] = "site.undated"
    return count


def _not_visited(state: SiteState, reported: pd.DataFrame) -> None:
    """A site no team could enter (insecurity, an armed group's ban) or where an armed group was
    reported from outside stays blue, with that as its reason rather than "not inspected"."""
    never = state.reason == "site.not-inspected"
    armed = reported["armed_report"].to_numpy()
    state.reason[never & reported["insecure"].to_numpy()] = "site.not-visited-insecurity"
    with_report = never & (armed >= 0)
    state.reason[with_report] = "site.armed-group-reported-off-site"
    state.since[with_report] = armed[with_report]
    state.criteria[with_report] = "SEC-01"
