"""Checklists as data: TOML files -> validated Checklist objects under a profile (severities,
scope), with the vocabularies their answers are read through.

    from minesite.checklists import load_checklists
    checklists = load_checklists(["armed-groups"], profile="ipis-open-data")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "BUNDLED",
    "DEFAULT_PROFILE",
    "bundled_paths",
    "describe_checklist",
    "load_checklist",
    "load_checklists",
    "profile_names",
    "scope_of",
    "shared_vocabularies",
]

if TYPE_CHECKING:
    from minesite.checklists.describe import describe_checklist
    from minesite.checklists.load import BUNDLED, bundled_paths, load_checklist, load_checklists
    from minesite.checklists.profiles import DEFAULT_PROFILE, profile_names, scope_of
    from minesite.checklists.vocabulary import shared_vocabularies

_LAZY = {
    "BUNDLED": "load",
    "bundled_paths": "load",
    "load_checklist": "load",
    "load_checklists": "load",
    "DEFAULT_PROFILE": "profiles",
    "profile_names": "profiles",
    "scope_of": "profiles",
    "describe_checklist": "describe",
    "shared_vocabularies": "vocabulary",
}


def __getattr__(name: str) -> Any:
    # Lazy: the rules read vocabulary.py, and loading checklists needs the rules.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"minesite.checklists.{_LAZY[name]}"), name)
    raise AttributeError(name)
