"""Errors a user can act on: a code, its parameters and a position (file, sheet, row, column).

The words live in the catalog (`minesite/render/catalog/*.toml`), keyed by the code, in French
and English; `str(error)` is the English line, `error.render(lang)` the line in `lang`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Position:
    """Where a problem is: file, sheet, Excel row (header = 1), column as written; or the
    checklist file, criterion and key."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    criterion: str | None = None
    key: str | None = None


class MinesiteError(Exception):
    """Base of every error the CLI turns into a one-line message and exit code 2."""

    def __init__(self, code: str, position: Position | None = None, **params: Any) -> None:
        self.code = code
        self.position = position or Position()
        self.params = params
        super().__init__(code)

    def render(self, lang: str = "en") -> str:
        """The one-line message in `lang`: position, then the catalog's words for the code."""
        from minesite.render.i18n import error_line

        return error_line(self, lang)

    def __str__(self) -> str:
        return self.render("en")


class InputError(MinesiteError):
    """An inspection file that cannot be read or trusted, with the position of the problem."""

    def __init__(
        self,
        path: Path | str,
        code: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        self.path = Path(path)
        self.sheet, self.row, self.column = sheet, row, column
        position = Position(file=self.path.name, sheet=sheet, row=row, column=column)
        super().__init__(code, position, **params)


class ChecklistError(MinesiteError):
    """A checklist file that is not valid: names file, criterion and key."""

    def __init__(
        self,
        path: Path | str,
        code: str,
        *,
        criterion: str | None = None,
        key: str | None = None,
        **params: Any,
    ) -> None:
        self.path = Path(path)
        self.criterion, self.key = criterion, key
        position = Position(file=self.path.name, criterion=criterion, key=key)
        super().__init__(code, position, **params)


class UsageError(MinesiteError):
    """An option value that does not make sense (unknown profile, unknown checklist id...)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, None, **params)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The closest choice to `word`, or '' when none is close (rendered by the catalog)."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else ""
