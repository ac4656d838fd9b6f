"""Domain types shared by every layer: statuses, severities, outcomes, criteria, checklists."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any


class Status(StrEnum):
    """Colour of a visit (red, yellow, incomplete, green) or a site (those and blue)."""

    RED = "red"
    YELLOW = "yellow"
    INCOMPLETE = "incomplete"
    GREEN = "green"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        """How bad a visit status is: green 0 < incomplete 1 < yellow 2 < red 3 (blue, a site's
        "not verified", ranks with incomplete)."""
        return RANK[self.value]

    @property
    def icglr_code(self) -> int:
        """ICGLR MDC.01 code: 0 blue / not verified (incomplete too), 1 green, 2 yellow, 3 red."""
        return ICGLR_CODE[self.value]


RANK = {"green": 0, "incomplete": 1, "blue": 1, "yellow": 2, "red": 3}
"""The one order of statuses: worsening an answer never lowers a visit's rank."""
ICGLR_CODE = {"blue": 0, "incomplete": 0, "green": 1, "yellow": 2, "red": 3}
SHOW_ORDER = ("red", "yellow", "incomplete", "blue", "green")
"""The order visits and sites are listed in: the ones needing action first."""
VISIT_STATUSES = ("red", "yellow", "incomplete", "green")
SITE_STATUSES = ("red", "yellow", "blue", "green")


class Severity(StrEnum):
    """What a failed criterion does to a visit's colour."""

    RED = "red"
    YELLOW = "yellow"
    INFO = "info"


class Outcome(IntEnum):
    """Result of one criterion for one visit; stored as small integers in the outcome matrix."""

    PASS = 0
    FAIL = 1
    UNKNOWN = 2
    NOT_ASSESSED = 3
    NOT_APPLICABLE = 4

    @property
    def label(self) -> str:
        """The word used in reports and exports."""
        return ("pass", "fail", "unknown", "not-assessed", "n/a")[self]


@dataclass(frozen=True)
class Vocabulary:
    """Raw answers (French, English, codes) mapped to canonical answers, matched leniently."""

    name: str
    canonical: dict[str, str]
    """Normalised raw answer -> canonical answer."""
    raw: dict[str, tuple[str, ...]]
    """Canonical answer -> raw answers as written in the checklist (for messages)."""


@dataclass(frozen=True)
class Criterion:
    """One check of a checklist, evaluated on every visit by a rule kind."""

    id: str
    checklist: str
    title: dict[str, str]
    severity: Severity
    rule: str
    columns: tuple[str, ...]
    """Visit columns (or actor fields for actor rules) the criterion reads."""
    vocabulary: Vocabulary | None
    fail: frozenset[str]
    passes: frozenset[str]
    params: dict[str, Any] = field(default_factory=dict)
    relevant: dict[str, Any] | None = None
    basis: str = ""

    def title_in(self, lang: str) -> str:
        """Title in `lang`, falling back to the other language."""
        return self.title.get(lang) or next(iter(self.title.values()))


@dataclass(frozen=True)
class Profile:
    """A named way of reading a checklist: severity changes (each one that makes a criterion
    more severe cites its basis) and a scope (criteria left out: a monitoring view)."""

    name: str
    description: dict[str, str]
    severity: dict[str, Severity]
    """Criterion id -> severity under this profile."""
    exclude: tuple[str, ...] = ()
    """Criteria out of this profile's scope: not scored at all."""
    basis: dict[str, str] = field(default_factory=dict)
    """Criterion id -> the text a severity change rests on."""


@dataclass(frozen=True)
class Checklist:
    """A validated checklist file: identity, version, criteria, the profiles it defines, and the
    profile applied to it (with the criteria that profile's scope left out)."""

    id: str
    title: dict[str, str]
    version: str
    path: Path
    criteria: tuple[Criterion, ...]
    """The criteria scored: those in the applied profile's scope, with its severities."""
    vocabularies: dict[str, Vocabulary]
    profiles: dict[str, Profile]
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Columns the checklist introduces ([columns]): canonical name -> header variants."""
    profile: str = ""
    """The profile applied ('' until one is: load_checklists always applies one)."""
    scope_excluded: tuple[str, ...] = ()
    """Criteria of the file left out by the applied profile's scope."""
    criteria_total: int = 0
    """Criteria in the file, before any scope: "scope: len(criteria) of criteria_total"."""

    @property
    def scoped(self) -> bool:
        """True when the applied profile left criteria out (a monitoring view)."""
        return bool(self.scope_excluded)
