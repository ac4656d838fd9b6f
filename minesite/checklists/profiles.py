"""Profiles: named severity changes and scopes (criteria left out), read from a checklist's
[profiles.NAME] tables and recorded on the Checklist they are applied to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from minesite._resources import check_keys
from minesite.errors import ChecklistError, UsageError, did_you_mean
from minesite.model import Checklist, Criterion, Profile, Severity

DEFAULT_PROFILE = "icglr"
"""The profile of the criteria's own severities: the ICGLR RCM status criteria."""
_PROFILE_KEYS = {"description", "severity", "exclude", "basis"}
_RANK = {Severity.INFO: 0, Severity.YELLOW: 1, Severity.RED: 2}


def parse_profiles(path: Path, table: Any, criteria: Sequence[Criterion]) -> dict[str, Profile]:
    """[profiles.NAME] tables -> Profile; a profile that makes a criterion more severe must cite
    the text it rests on (basis), so no profile tightens a verdict on an unsourced rule."""
    if not isinstance(table, dict):
        raise ChecklistError(path, "checklist.bad-profile", key="profiles")
    by_id = {c.id: c for c in criteria}
    profiles: dict[str, Profile] = {}
    for name, body in table.items():
        key = f"profiles.{name}"
        if not isinstance(body, dict):
            raise ChecklistError(path, "checklist.bad-profile", key=key)
        check_keys(path, body, _PROFILE_KEYS, prefix=f"{key}.")
        severity = _table(path, body.get("severity", {}), f"{key}.severity")
        basis = _table(path, body.get("basis", {}), f"{key}.basis")
        exclude = body.get("exclude", [])
        if not isinstance(exclude, list) or not all(isinstance(c, str) for c in exclude):
            raise ChecklistError(path, "checklist.not-strings", key=f"{key}.exclude")
        for part, ids in (("severity", severity), ("basis", basis), ("exclude", exclude)):
            for cid in ids:
                if cid not in by_id:
                    raise ChecklistError(
                        path,
                        "checklist.no-such-criterion",
                        hint=did_you_mean(cid, by_id),
                        criterion=cid,
                        key=f"{key}.{part}",
                    )
        overrides = {
            cid: severity_of(path, cid, value, f"{key}.severity") for cid, value in severity.items()
        }
        for cid, new in overrides.items():
            if cid in exclude:
                raise ChecklistError(
                    path, "checklist.excluded-and-changed", criterion=cid, key=f"{key}.exclude"
                )
            old = by_id[cid].severity
            if _RANK[new] > _RANK[old] and not str(basis.get(cid, "")).strip():
                raise ChecklistError(
                    path,
                    "checklist.raise-needs-basis",
                    old=old.value,
                    new=new.value,
                    criterion=cid,
                    key=f"{key}.basis",
                )
        for cid, text in basis.items():
            if cid not in overrides or not isinstance(text, str):
                raise ChecklistError(
                    path, "checklist.basis-without-change", criterion=cid, key=f"{key}.basis"
                )
        description = body.get("description", "")
        if isinstance(description, str):
            description = {"fr": description, "en": description}
        profiles[name] = Profile(
            name=name,
            description=description,
            severity=overrides,
            exclude=tuple(exclude),
            basis=dict(basis),
        )
    return profiles


def _table(path: Path, value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ChecklistError(path, "checklist.bad-profile", key=key)
    return value


def severity_of(path: Path, cid: str, value: Any, key: str) -> Severity:
    """A severity word of a checklist (`key` names where it was written), or an error."""
    choices = [s.value for s in Severity]
    if not isinstance(value, str) or value not in choices:
        raise ChecklistError(
            path,
            "checklist.bad-severity",
            choices=choices,
            hint=did_you_mean(str(value), choices),
            criterion=cid,
            key=key,
        )
    return Severity(value)


def profile_names(checklists: Iterable[Checklist]) -> set[str]:
    """Every profile a set of checklists knows, the default included."""
    names = {DEFAULT_PROFILE}
    for checklist in checklists:
        names.update(checklist.profiles)
    return names


def scope_of(checklists: Iterable[Checklist]) -> tuple[int, int, tuple[str, ...]]:
    """Criteria scored, criteria in the files, and those the applied profile left out: a run
    with any left out is a monitoring view (catalog code `profile.scope`), never a
    qualification."""
    checklists = list(checklists)
    scored = sum(len(c.criteria) for c in checklists)
    total = sum(c.criteria_total or len(c.criteria) for c in checklists)
    return scored, total, tuple(cid for c in checklists for cid in c.scope_excluded)


def apply_profile(checklist: Checklist, profile: str, known: set[str]) -> Checklist:
    """The checklist under a profile: severities changed, criteria out of its scope removed,
    and the profile recorded so no label can claim another. An unknown profile is a usage
    error."""
    if profile not in known:
        raise UsageError(
            "usage.unknown-profile", profile=profile, hint=did_you_mean(profile, known)
        )
    rules = checklist.profiles.get(profile)
    if rules is None:
        return replace(checklist, profile=profile)
    criteria = tuple(
        replace(c, severity=rules.severity[c.id]) if c.id in rules.severity else c
        for c in checklist.criteria
        if c.id not in rules.exclude
    )
    return replace(
        checklist,
        criteria=criteria,
        profile=profile,
        scope_excluded=tuple(c.id for c in checklist.criteria if c.id in rules.exclude),
    )
