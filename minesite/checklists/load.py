"""Checklists by bundled id or path, loaded, checked against each other and put under a profile."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from minesite._resources import bundled_dir, read_config
from minesite.checklists.profiles import DEFAULT_PROFILE, apply_profile, profile_names
from minesite.checklists.schema import build_checklist
from minesite.errors import ChecklistError, UsageError, did_you_mean
from minesite.model import Checklist

BUNDLED = ("armed-groups", "legal-authority", "child-labor")
"""Checklists scored when the user names none, in report order."""
_NOT_CHECKLISTS = {"columns", "policy", "answers", "cadastre", "xlsform", "icglr"}


def bundled_paths() -> dict[str, Path]:
    """Checklist id -> file, for every checklist shipped with minesite."""
    return {
        p.stem: p for p in sorted(bundled_dir().glob("*.toml")) if p.stem not in _NOT_CHECKLISTS
    }


def load_checklist(path: Path) -> Checklist:
    """Read and validate one checklist file (no profile applied); every problem is a
    ChecklistError naming file, criterion and key."""
    return build_checklist(Path(path), read_config(Path(path)))


def load_checklists(
    names: Sequence[str | Path] = (), profile: str = DEFAULT_PROFILE
) -> list[Checklist]:
    """Load checklists by bundled id or path (default: the three bundled ones) under a profile,
    recorded on each checklist."""
    if isinstance(names, str | Path):
        names = [names]
    bundled = bundled_paths()
    paths: list[Path] = []
    for name in names or BUNDLED:
        if str(name) in bundled:
            paths.append(bundled[str(name)])
        elif Path(name).suffix == ".toml" or Path(name).exists():
            paths.append(Path(name))
        else:
            raise UsageError(
                "usage.unknown-checklist", name=name, hint=did_you_mean(str(name), bundled)
            )
    checklists = [load_checklist(p) for p in paths]
    _check_unique_ids(checklists)
    known = profile_names(checklists)
    return [apply_profile(c, profile, known) for c in checklists]


def _check_unique_ids(checklists: Sequence[Checklist]) -> None:
    seen: dict[str, Path] = {}
    for checklist in checklists:
        for criterion in checklist.criteria:
            if criterion.id in seen and seen[criterion.id] != checklist.path:
                raise ChecklistError(
                    checklist.path,
                    "checklist.id-in-use",
                    other=seen[criterion.id].name,
                    criterion=criterion.id,
                    key="id",
                )
            seen[criterion.id] = checklist.path
