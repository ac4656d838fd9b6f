"""The site-status policy of a profile (checklists/policy.toml): validity, deadlines, windows."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from minesite._resources import bundled
from minesite.errors import ChecklistError, did_you_mean
from minesite.limits import read_toml


@dataclass(frozen=True)
class Policy:
    """How long a colour stays valid and when a site turns blue or red (DESIGN §2.2)."""

    profile: str = "icglr"
    green_valid_months: int = 12
    yellow_remediation_months: int = 3
    red_minimum_months: int = 6
    blue_max_years: int = 3
    escalate_repeated_yellow: bool = True
    escalation_window_months: int = 12
    conflict_window_days: int = 365


_TYPES = {
    f.name: (bool if f.type == "bool" else int) for f in fields(Policy) if f.name != "profile"
}


def load_policy(profile: str = "icglr", path: Path | None = None) -> Policy:
    """The policy of `profile`: the file's top-level keys, then its [profiles.<name>] table."""
    path = path or bundled("policy.toml")
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, "checklist.unreadable-policy", detail=str(exc)) from None
    profiles = data.pop("profiles", {})
    if not isinstance(profiles, dict):
        raise ChecklistError(path, "checklist.must-be-tables", key="profiles")
    values = _checked(path, data, "")
    for name, table in profiles.items():
        if not isinstance(table, dict):
            raise ChecklistError(path, "checklist.must-be-tables", key=f"profiles.{name}")
        checked = _checked(path, table, f"profiles.{name}.")
        if name == profile:
            values.update(checked)
    return replace(Policy(**values), profile=profile)


def _checked(path: Path, table: dict[str, Any], prefix: str) -> dict[str, Any]:
    for key, value in table.items():
        if key not in _TYPES:
            raise ChecklistError(
                path, "checklist.unknown-key", key=prefix + key, hint=did_you_mean(key, _TYPES)
            )
        expected = _TYPES[key]
        if type(value) is not expected:
            raise ChecklistError(
                path, "checklist.wrong-type", key=prefix + key, expected=expected.__name__
            )
        if expected is int and value < 0:
            raise ChecklistError(path, "checklist.negative", key=prefix + key)
    return dict(table)
