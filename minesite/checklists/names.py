"""The names a rule may refer to (columns of checklists/columns.toml, actor fields, answers),
and the checks that turn a misspelt one into an error with "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from minesite._resources import bundled, read_config
from minesite.checklists.vocabulary import UNKNOWN, normalise
from minesite.errors import ChecklistError, did_you_mean
from minesite.model import Vocabulary
from minesite.rules import Names


@dataclass(frozen=True)
class KnownNames:
    """Canonical visit columns, their header variants, and actor fields."""

    columns: frozenset[str]
    aliases: Mapping[str, str]
    """Normalised header variant -> canonical column."""
    actor_fields: frozenset[str]


@cache
def _bundled_names() -> KnownNames:
    data = read_config(bundled("columns.toml"))
    visits = data.get("visits", {})
    actors = data.get("actors", {})
    aliases = {
        normalise(variant): canonical
        for canonical, variants in visits.items()
        for variant in variants
        if normalise(variant) != normalise(canonical)
    }
    fields = set(actors.get("wide", {})) | set(actors.get("repeat", {}))
    return KnownNames(frozenset(visits), aliases, frozenset(fields))


def known_names(declared: Mapping[str, Iterable[str]] = {}) -> KnownNames:  # noqa: B006
    """The bundled names, with the columns a checklist declares under [columns]."""
    base = _bundled_names()
    if not declared:
        return base
    aliases = dict(base.aliases)
    for canonical, variants in declared.items():
        aliases.update({normalise(v): canonical for v in variants})
    return KnownNames(base.columns | set(declared), aliases, base.actor_fields)


def check_column(
    path: Path, cid: str, key: str, name: str, names: KnownNames, *, actor: bool
) -> None:
    """A visit column (or actor field) a criterion reads must exist: a typo would make the
    criterion silently not assessed."""
    if actor:
        if name not in names.actor_fields:
            raise ChecklistError(
                path,
                "checklist.unknown-actor-field",
                field=name,
                hint=did_you_mean(name, names.actor_fields),
                criterion=cid,
                key=key,
            )
        return
    if name in names.columns:
        return
    canonical = names.aliases.get(normalise(name))
    if canonical is not None:
        raise ChecklistError(
            path,
            "checklist.alias-not-column",
            column=name,
            canonical=canonical,
            criterion=cid,
            key=key,
        )
    raise ChecklistError(
        path,
        "checklist.unknown-column",
        column=name,
        hint=did_you_mean(name, names.columns),
        criterion=cid,
        key=key,
    )


def check_answers(
    path: Path,
    cid: str | None,
    key: str,
    answers: Iterable[str],
    known: set[str],
    vocabulary: str,
) -> None:
    """Every answer (or category) a criterion names is an answer of its vocabulary."""
    for answer in sorted(answers):
        if answer not in known:
            raise ChecklistError(
                path,
                "checklist.not-an-answer",
                answer=answer,
                vocabulary=vocabulary,
                hint=did_you_mean(answer, known),
                criterion=cid,
                key=key,
            )


def vocabulary_ref(
    path: Path, cid: str | None, name: Any, vocabularies: dict[str, Vocabulary], key: str
) -> Vocabulary | None:
    """The vocabulary a key names (None when the key is absent); an unknown name is an error."""
    if name is None:
        return None
    if not isinstance(name, str) or name not in vocabularies:
        raise ChecklistError(
            path,
            "checklist.no-vocabulary",
            name=name,
            hint=did_you_mean(str(name), vocabularies),
            criterion=cid,
            key=key,
        )
    return vocabularies[name]


def check_param(
    path: Path,
    cid: str,
    key: str,
    names_what: Names,
    value: Any,
    vocabulary: Vocabulary | None,
    vocabularies: dict[str, Vocabulary],
    names: KnownNames,
) -> None:
    """One rule parameter: its type, and that every name it holds exists."""
    if names_what in (Names.VISIT_COLUMN, Names.VOCABULARY, Names.BLANK_MEANS):
        if not isinstance(value, str) or not value:
            raise ChecklistError(path, "checklist.not-text", criterion=cid, key=key)
    elif names_what == Names.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ChecklistError(path, "checklist.bad-number", criterion=cid, key=key)
        if abs(value) == float("inf"):
            raise ChecklistError(path, "checklist.bad-number", criterion=cid, key=key)
        return
    elif not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ChecklistError(path, "checklist.not-strings", criterion=cid, key=key)
    if names_what == Names.VISIT_COLUMN:
        check_column(path, cid, key, value, names, actor=False)
    elif names_what == Names.VISIT_COLUMNS:
        for column in value:
            check_column(path, cid, key, column, names, actor=False)
    elif names_what == Names.ACTOR_FIELDS:
        for field in value:
            check_column(path, cid, key, field, names, actor=True)
    elif names_what == Names.ANSWERS:
        assert vocabulary is not None
        check_answers(path, cid, key, set(value), set(vocabulary.raw), vocabulary.name)
    elif names_what == Names.BLANK_MEANS and value not in ("yes", "no", UNKNOWN):
        raise ChecklistError(path, "checklist.bad-blank", criterion=cid, key=key)
    elif names_what == Names.VOCABULARY:
        other = vocabulary_ref(path, cid, value, vocabularies, key)
        assert other is not None
        # A vocabulary that derives the criterion's answers (names -> categories, tasks ->
        # yes) may only give answers the criterion's vocabulary has.
        target = vocabulary if key in ("names", "task_answers") else None
        if target is not None:
            check_answers(path, cid, key, set(other.raw), set(target.raw), target.name)
