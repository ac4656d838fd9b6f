"""Errors a user can act on: each renders as one line naming file, sheet, row and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class MinesiteError(Exception):
    """Base of every error the CLI turns into a one-line message and exit code 2."""

    code = "minesite.error"


class InputError(MinesiteError):
    """An inspection file that cannot be read or trusted, with the position of the problem."""

    code = "input.error"

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.path.name]
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return f"{', '.join(parts)}: {self.message}"


class ChecklistError(MinesiteError):
    """A checklist file that is not valid: names file, criterion and key."""

    code = "checklist.error"

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        criterion: str | None = None,
        key: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.criterion = criterion
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.path.name]
        if self.criterion:
            parts.append(f"criterion {self.criterion}")
        if self.key:
            parts.append(f"key {self.key}")
        return f"{', '.join(parts)}: {self.message}"


class UsageError(MinesiteError):
    """An option value that does not make sense (unknown profile, unknown checklist id...)."""

    code = "usage.error"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when a close choice exists, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""
