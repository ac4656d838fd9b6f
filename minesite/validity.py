"""How long a site status holds: green's validity, yellow's remediation deadline, red's
minimum, the next inspection due, expiry to blue and blue too long turning red (DESIGN §2.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from minesite.dates import NAT, iso_text, plus_months
from minesite.model import Status
from minesite.policy import Policy

if TYPE_CHECKING:
    from minesite.sites import SiteState


def validity(
    policy: Policy,
    state: SiteState,
    visit_day: np.ndarray,
    day: np.ndarray,
    stamp: np.datetime64,
    history: bool,
) -> dict[str, np.ndarray]:
    """Validity end, next inspection due and overdue; expiry to blue, and blue -> red (the
    state's status and reason are updated in place)."""
    status, reason = state.status, state.reason
    from_visit = reason == "site.latest-visit"
    green = from_visit & (status == Status.GREEN.value)
    yellow = from_visit & (status == Status.YELLOW.value)
    valid_until = np.where(green, plus_months(visit_day, policy.green_valid_months), NAT)
    deadline = np.where(yellow, plus_months(visit_day, policy.yellow_remediation_months), NAT)
    red_day = np.where(state.since >= 0, day[np.maximum(state.since, 0)], visit_day)
    red_until = np.where(
        status == Status.RED.value, plus_months(red_day, policy.red_minimum_months), NAT
    )
    blue_since = np.where(reason == "site.incomplete", visit_day, NAT)
    if not history:
        expired = green & (valid_until < stamp)
        status[expired] = Status.BLUE.value
        reason[expired] = "site.expired"
        blue_since = np.where(expired, valid_until, blue_since)
        too_long = plus_months(blue_since, 12 * policy.blue_max_years) < stamp
        status[too_long] = Status.RED.value
        reason[too_long] = "site.time-expired"
    due = np.where(
        ~np.isnat(valid_until),
        valid_until,
        np.where(~np.isnat(deadline), deadline, red_until),
    )
    due = np.where(status == Status.BLUE.value, np.where(np.isnat(blue_since), NAT, stamp), due)
    overdue = (~np.isnat(due) & (due < stamp)) if not history else np.zeros(len(due), bool)
    return {
        "valid_until": iso_text(valid_until),
        "remediation_deadline": iso_text(deadline),
        "next_inspection_due": iso_text(due),
        "overdue": overdue,
        "blue_since": iso_text(blue_since),
    }
