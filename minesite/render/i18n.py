"""One catalog of every word a person reads, keyed by codes, in French and English.

The catalog is data: `catalog/*.toml`, one table per code (dotted codes are nested tables), each
with an `en` and a `fr` template. Templates take `{param}` fields and three format specs:
`{x:status}` (a status code in words), `{x:hint}` (a "did you mean" suggestion, or nothing) and
`{x:list}` (a list joined with commas).
"""

from __future__ import annotations

import locale
import os
import string
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minesite.errors import MinesiteError

LANGS = ("fr", "en")
CATALOG = Path(__file__).parent / "catalog"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """Every code with its templates: {code: {"fr": ..., "en": ...}}."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOG.glob("*.toml")):
        entries.update(catalog_file(path.stem))
    return entries


@cache
def catalog_file(name: str) -> dict[str, dict[str, str]]:
    """The codes of one file, `catalog/<name>.toml` (the help reads its own file alone)."""
    entries: dict[str, dict[str, str]] = {}
    with (CATALOG / f"{name}.toml").open("rb") as handle:
        _flatten(tomllib.load(handle), "", entries)
    return entries


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, dict[str, str]]) -> None:
    if any(lang in table and isinstance(table[lang], str) for lang in LANGS):
        out[prefix] = {lang: table[lang] for lang in LANGS if isinstance(table.get(lang), str)}
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}.{key}" if prefix else key, out)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "status":
            return text(f"status.{value}", self.lang) if value else ""
        if format_spec == "hint":
            return text("hint.did-you-mean", self.lang, choice=value) if value else ""
        if format_spec == "list":
            return ", ".join(str(v) for v in value)
        return super().format_field(value, format_spec)


def text(code: str, lang: str, /, **params: Any) -> str:
    """The words for `code` in `lang` (falling back to English), with its parameters filled."""
    entry = catalog().get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry.get("en") or code
    if not _has_spec(template):  # no format spec: the C formatter, ten times faster
        return template.format_map(_Params(params))
    return _Formatter(lang).vformat(template, (), _Params(params))


class _Params(dict):
    """Parameters of a template; one a caller forgot shows as {name}, never as a crash."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def _has_spec(template: str) -> bool:
    return any(spec for _, _, spec, _ in string.Formatter().parse(template))


def position_words(position: Any, lang: str) -> str:
    """A position in words: 'visits.xlsx, sheet "data", row 14, column childunder15'."""
    parts = [str(position.file)] if position.file else []
    if position.sheet:
        parts.append(text("position.sheet", lang, sheet=position.sheet))
    if position.row is not None:
        parts.append(text("position.row", lang, row=position.row))
    if position.column:
        parts.append(text("position.column", lang, column=position.column))
    if position.criterion:
        parts.append(text("position.criterion", lang, criterion=position.criterion))
    if position.key:
        parts.append(text("position.key", lang, key=position.key))
    return ", ".join(parts)


def error_line(error: MinesiteError, lang: str) -> str:
    """An error as one line: where, then what, in `lang`."""
    where = position_words(error.position, lang)
    what = text(error.code, lang, **error.params)
    if error.code not in catalog() and error.params:
        what += " " + " ".join(f"{k}={v}" for k, v in error.params.items())
    return f"{where}{text('position.sep', lang)}{what}" if where else what


def default_lang() -> str:
    """French when the system locale is French, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    code = (locale.getlocale()[0] or "").lower()
    return "fr" if code.startswith("fr") else "en"
