"""The names a rule may refer to (columns of checklists/columns.toml, actor fields, answers),
and the checks that turn a misspelt one into an error with "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from minesite._resources import bundled, read_config
from minesite.checklists.vocabulary import normalise
from minesite.errors import ChecklistError, did_you_mean


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
