"""The ICGLR code lists of checklists/icglr.toml: country, MDC.02, HS codes, licence types."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from minesite._resources import bundled
from minesite.checklists.vocabulary import UNRECOGNISED, lookup, shared_vocabularies
from minesite.errors import ChecklistError
from minesite.limits import read_toml
from minesite.model import Vocabulary

_KEYS = {
    "schema_version",
    "upstream",
    "upstream_commit",
    "country",
    "designated",
    "activity",
    "minerals",
    "licence",
}


@dataclass(frozen=True)
class Codes:
    """Canonical answers -> ICGLR codes, and the upstream version the records follow."""

    path: Path
    schema_version: str
    upstream: str
    upstream_commit: str
    country: str
    designated: frozenset[str]
    activity: dict[str, int]
    minerals: dict[str, str]
    licence: dict[str, str]
    vocabularies: dict[str, Vocabulary] = field(repr=False, default_factory=dict)
    _seen: dict[tuple[str, str], str | None] = field(repr=False, default_factory=dict)

    def code(self, vocabulary: str, raw: str) -> str | None:
        """The canonical answer of `raw` in a shared vocabulary ('' blank, None unrecognised)."""
        key = (vocabulary, raw)
        if key not in self._seen:
            answer = lookup(self.vocabularies[vocabulary], raw)
            self._seen[key] = None if answer == UNRECOGNISED else answer
        return self._seen[key]

    def province(self, raw: str) -> str | None:
        """ISO 3166-2 code of a province name ('' blank, None unrecognised)."""
        answer = self.code("province", raw)
        return answer.upper() if answer else answer

    def province_name(self, raw: str) -> str:
        """The province's name as the vocabulary first writes it (sud_kivu -> Sud-Kivu)."""
        answer = self.code("province", raw)
        return self.vocabularies["province"].raw[answer][0] if answer else raw

    def mineral(self, raw: str) -> str | None:
        """HS code of a mineral name ('' blank, None when it has none)."""
        answer = self.code("mineral", raw)
        return self.minerals.get(answer) if answer else answer

    def activity_code(self, raw: str) -> int | None:
        """MDC.02 code of an activity status answer (None: blank or unrecognised)."""
        answer = self.code("activity-status", raw)
        return self.activity.get(answer) if answer else None

    def licence_type(self, raw: str) -> str | None:
        """MDC.04 licence type of a title_zone answer ('' blank, None unrecognised)."""
        answer = self.code("title-zone", raw)
        return self.licence.get(answer) if answer else answer


@cache
def load_codes(path: Path | None = None) -> Codes:
    """checklists/icglr.toml, checked: every key known, every mapped answer in answers.toml."""
    path = path or bundled("icglr.toml")
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, "icglr.unreadable-codes", detail=str(exc)) from None
    for key in data:
        if key not in _KEYS:
            raise ChecklistError(path, "checklist.unknown-key", key=key, hint="")
    vocabularies = shared_vocabularies()
    for table, vocabulary in (
        ("activity", "activity-status"),
        ("minerals", "mineral"),
        ("licence", "title-zone"),
    ):
        for answer in data.get(table, {}):
            if answer not in vocabularies[vocabulary].raw:
                raise ChecklistError(path, "icglr.unknown-answer", key=f"{table}.{answer}")
        # Every answer a form may give needs its code: a mineral without one would be refused.
        for answer in vocabularies[vocabulary].raw:
            if answer not in data.get(table, {}) and answer != "unknown":
                raise ChecklistError(path, "icglr.no-code", key=f"{table}.{answer}")
    return Codes(
        path=path,
        schema_version=str(data["schema_version"]),
        upstream=str(data["upstream"]),
        upstream_commit=str(data["upstream_commit"]),
        country=str(data["country"]),
        designated=frozenset(data["designated"]),
        activity=dict(data["activity"]),
        minerals=dict(data["minerals"]),
        licence=dict(data["licence"]),
        vocabularies=vocabularies,
    )
