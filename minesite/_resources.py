"""The bundled data files (checklists, vocabularies, aliases, policy), one TOML reader for every
configuration file and one unknown-key check, so each reader says the same thing."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from minesite.errors import ChecklistError, UsageError, did_you_mean
from minesite.limits import read_toml


@cache
def bundled_dir() -> Path:
    """The bundled data files: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled", here.parent / "checklists"):
        if (candidate / "answers.toml").is_file():
            return candidate
    raise UsageError("usage.no-bundled-files")


def bundled(name: str) -> Path:
    """One bundled file by name (e.g. "columns.toml")."""
    return bundled_dir() / name


def read_config(path: Path) -> dict[str, Any]:
    """A checklist or configuration TOML as a dict; every problem is a ChecklistError."""
    try:
        return read_toml(path)
    except FileNotFoundError:
        raise ChecklistError(path, "checklist.file-not-found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(path, "checklist.bad-toml", detail=str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ChecklistError(path, "checklist.unreadable", detail=str(exc)) from None


def check_keys(
    path: Path,
    table: dict[str, Any],
    allowed: Iterable[str],
    *,
    criterion: str | None = None,
    prefix: str = "",
) -> None:
    """Every key of `table` is one of `allowed`; a misspelt key names its closest choice."""
    allowed = set(allowed)
    for key in table:
        if key not in allowed:
            raise ChecklistError(
                path,
                "checklist.unknown-key",
                criterion=criterion,
                key=f"{prefix}{key}",
                hint=did_you_mean(str(key), allowed),
            )
