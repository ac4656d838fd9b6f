"""Checklists as data: TOML files -> validated Checklist objects under a profile (severities,
scope), with the vocabularies their answers are read through.

    from minesite.checklists import load_checklists
    checklists = load_checklists(["armed-groups"], profile="ipis-open-data")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minesite.lazy import lazy_names

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
    "BUNDLED": "minesite.checklists.load",
    "bundled_paths": "minesite.checklists.load",
    "load_checklist": "minesite.checklists.load",
    "load_checklists": "minesite.checklists.load",
    "DEFAULT_PROFILE": "minesite.checklists.profiles",
    "profile_names": "minesite.checklists.profiles",
    "scope_of": "minesite.checklists.profiles",
    "describe_checklist": "minesite.checklists.describe",
    "shared_vocabularies": "minesite.checklists.vocabulary",
}


# Lazy: the rules read vocabulary.py, and loading checklists needs the rules.
__getattr__ = lazy_names(_LAZY)
