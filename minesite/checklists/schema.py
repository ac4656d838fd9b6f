"""One checklist TOML -> a validated Checklist: keys, types, and every name a rule refers to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minesite._resources import check_keys
from minesite.checklists.names import (
    KnownNames,
    check_answers,
    check_column,
    check_param,
    known_names,
    vocabulary_ref,
)
from minesite.checklists.profiles import parse_profiles, severity_of
from minesite.checklists.vocabulary import (
    UNKNOWN,
    no_data_answers,
    parse_vocabulary,
    shared_vocabularies,
)
from minesite.errors import ChecklistError, did_you_mean
from minesite.model import Checklist, Criterion, Vocabulary
from minesite.rules import RULES

_TOP_KEYS = {"id", "title", "version", "description", "answers", "columns", "criteria", "profiles"}
_CRITERION_KEYS = {
    "id",
    "title",
    "severity",
    "rule",
    "column",
    "columns",
    "answers",
    "fail",
    "pass",
    "relevant",
    "basis",
    "note",
}
_RELEVANT_KEYS = {"column", "answers", "is"}


def build_checklist(path: Path, data: dict[str, Any]) -> Checklist:
    """A checklist from its parsed TOML; every problem is a ChecklistError naming the key."""
    check_keys(path, data, _TOP_KEYS)
    for key in ("id", "title", "version", "criteria"):
        if key not in data:
            raise ChecklistError(path, "checklist.missing-key", key=key)
    checklist_id = text(path, data["id"], "id")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise ChecklistError(path, "checklist.bad-vocabulary", key="answers")
    vocabularies = shared_vocabularies() | {
        name: parse_vocabulary(path, name, table) for name, table in answers.items()
    }
    declared = _declared_columns(path, data.get("columns", {}))
    names = known_names(declared)
    if not isinstance(data["criteria"], list) or not data["criteria"]:
        raise ChecklistError(path, "checklist.no-criteria", key="criteria")
    criteria: list[Criterion] = []
    for raw in data["criteria"]:
        criterion = _criterion(path, checklist_id, raw, vocabularies, names)
        if any(c.id == criterion.id for c in criteria):
            raise ChecklistError(path, "checklist.duplicate-id", criterion=criterion.id, key="id")
        criteria.append(criterion)
    return Checklist(
        id=checklist_id,
        title=titles(path, data["title"], None),
        version=text(path, data["version"], "version"),
        path=path,
        criteria=tuple(criteria),
        vocabularies=vocabularies,
        profiles=parse_profiles(path, data.get("profiles", {}), criteria),
        columns=declared,
        criteria_total=len(criteria),
    )


def text(path: Path, value: Any, key: str, criterion: str | None = None) -> str:
    """A non-empty string, or a ChecklistError naming the key."""
    if not isinstance(value, str) or not value.strip():
        raise ChecklistError(path, "checklist.not-text", criterion=criterion, key=key)
    return value


def titles(path: Path, value: Any, criterion: str | None, key: str = "title") -> dict[str, str]:
    """A title is a string or a {fr, en} table."""
    if isinstance(value, str) and value.strip():
        return {"fr": value, "en": value}
    if isinstance(value, dict) and value and set(value) <= {"fr", "en"}:
        return {
            lang: text(path, words, f"{key}.{lang}", criterion) for lang, words in value.items()
        }
    raise ChecklistError(path, "checklist.bad-title", criterion=criterion, key=key)


def _declared_columns(path: Path, table: Any) -> dict[str, tuple[str, ...]]:
    """[columns]: the columns a checklist introduces (canonical name -> header variants)."""
    if not isinstance(table, dict):
        raise ChecklistError(path, "checklist.bad-columns-table", key="columns")
    for name, variants in table.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ChecklistError(path, "checklist.bad-columns-table", key=f"columns.{name}")
    return {name: tuple(variants) for name, variants in table.items()}


def _criterion(
    path: Path,
    checklist_id: str,
    raw: Any,
    vocabularies: dict[str, Vocabulary],
    names: KnownNames,
) -> Criterion:
    if not isinstance(raw, dict):
        raise ChecklistError(path, "checklist.not-a-table", key="criteria")
    cid = text(path, raw.get("id"), "id")
    rule_name = raw.get("rule", "answer")
    if not isinstance(rule_name, str) or rule_name not in RULES:
        raise ChecklistError(
            path,
            "checklist.unknown-rule",
            rule=rule_name,
            hint=did_you_mean(str(rule_name), RULES),
            criterion=cid,
            key="rule",
        )
    kind = RULES[rule_name]
    check_keys(path, raw, _CRITERION_KEYS | set(kind.params), criterion=cid)
    for key in ("title", "severity", *sorted(kind.required)):
        if key not in raw:
            raise ChecklistError(path, "checklist.missing-key", criterion=cid, key=key)
    severity = severity_of(path, cid, raw["severity"], "severity")
    columns = _columns(path, cid, raw)
    vocabulary = vocabulary_ref(path, cid, raw.get("answers"), vocabularies, "answers")
    if vocabulary is None and not (kind.computes and not kind.reads_actors):
        raise ChecklistError(
            path, "checklist.needs-vocabulary", rule=rule_name, criterion=cid, key="answers"
        )
    params = {k: v for k, v in raw.items() if k in kind.params}
    for key, value in params.items():
        check_param(path, cid, key, kind.params[key], value, vocabulary, vocabularies, names)
    for column in columns:
        check_column(path, cid, "column", column, names, actor=kind.reads_actors)
    fail = _answer_list(path, cid, raw, "fail")
    passes = _answer_list(path, cid, raw, "pass")
    both = fail & passes
    if both:
        raise ChecklistError(
            path, "checklist.fail-and-pass", answer=sorted(both)[0], criterion=cid, key="pass"
        )
    # Rules that compute their answer say yes or no; the others answer from the vocabulary.
    answers = {"yes", "no"} if kind.computes else set(vocabulary.raw)  # type: ignore[union-attr]
    name = "yes-no" if kind.computes else vocabulary.name  # type: ignore[union-attr]
    check_answers(path, cid, "fail", fail, answers, name)
    check_answers(path, cid, "pass", passes, answers, name)
    _resolve(params, vocabularies)
    _check_answers_read(path, cid, params, fail)
    if "tasks" in params:
        columns = (*columns, *(c for c in params["tasks"] if c not in columns))
    relevant = raw.get("relevant")
    if relevant is not None:
        relevant = _relevant(path, cid, relevant, vocabularies, names)
    return Criterion(
        id=cid,
        checklist=checklist_id,
        title=titles(path, raw["title"], cid),
        severity=severity,
        rule=rule_name,
        columns=columns,
        vocabulary=vocabulary,
        fail=frozenset(fail),
        passes=frozenset(passes),
        params=params,
        relevant=relevant,
        basis=str(raw.get("basis", "")),
    )


def _columns(path: Path, cid: str, raw: dict[str, Any]) -> tuple[str, ...]:
    if ("column" in raw) == ("columns" in raw):
        raise ChecklistError(path, "checklist.column-or-columns", criterion=cid, key="column")
    columns = [raw["column"]] if "column" in raw else raw["columns"]
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
        raise ChecklistError(path, "checklist.not-strings", criterion=cid, key="columns")
    return tuple(columns)


def _answer_list(path: Path, cid: str, raw: dict[str, Any], key: str) -> set[str]:
    values = raw.get(key)
    # A criterion that only checks an answer was given (SEC-04) has fail = [].
    empty_ok = key == "fail"
    if (
        not isinstance(values, list)
        or not (values or empty_ok)
        or not all(isinstance(v, str) for v in values)
    ):
        raise ChecklistError(path, "checklist.answer-list", criterion=cid, key=key)
    if UNKNOWN in values and key == "pass":
        raise ChecklistError(path, "checklist.unknown-never-passes", criterion=cid, key=key)
    return set(values)


def _check_answers_read(path: Path, cid: str, params: dict[str, Any], fail: set[str]) -> None:
    """The answers a rule reads from a vocabulary must be in it: an actor rule reads yes and no
    (presence, conduct flags); task answers that can fail nothing would derive nothing."""
    flags = params.get("flag_vocabulary")
    if flags is not None:
        for answer in ("yes", "no"):
            if answer not in flags.raw:
                raise ChecklistError(
                    path,
                    "checklist.vocabulary-lacks",
                    vocabulary=flags.name,
                    answer=answer,
                    criterion=cid,
                    key="flag_answers",
                )
    tasks = params.get("task_vocabulary")
    if tasks is not None and not set(tasks.raw) & fail:
        raise ChecklistError(
            path,
            "checklist.derives-nothing",
            vocabulary=tasks.name,
            answers=sorted(tasks.raw),
            criterion=cid,
            key="task_answers",
        )


def _resolve(params: dict[str, Any], vocabularies: dict[str, Vocabulary]) -> None:
    """Parameters as the rules read them: vocabularies resolved, the shared no-data answers."""
    params["no_data"] = no_data_answers()
    for key, resolved in (
        ("flag_answers", "flag_vocabulary"),
        ("names", "name_vocabulary"),
        ("task_answers", "task_vocabulary"),
    ):
        if key in params:
            params[resolved] = vocabularies[params[key]]
    if "tasks" in params:
        params["tasks"] = tuple(params["tasks"])


def _relevant(
    path: Path,
    cid: str,
    relevant: Any,
    vocabularies: dict[str, Vocabulary],
    names: KnownNames,
) -> dict[str, Any]:
    if not isinstance(relevant, dict):
        raise ChecklistError(path, "checklist.bad-relevant", criterion=cid, key="relevant")
    check_keys(path, relevant, _RELEVANT_KEYS, criterion=cid, prefix="relevant.")
    for key in sorted(_RELEVANT_KEYS - set(relevant)):
        raise ChecklistError(path, "checklist.missing-key", criterion=cid, key=f"relevant.{key}")
    vocabulary = vocabulary_ref(path, cid, relevant["answers"], vocabularies, "relevant.answers")
    assert vocabulary is not None
    column = relevant["column"]
    if not isinstance(column, str) or not column:
        raise ChecklistError(path, "checklist.not-text", criterion=cid, key="relevant.column")
    check_column(path, cid, "relevant.column", column, names, actor=False)
    values = relevant["is"]
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise ChecklistError(path, "checklist.answer-list", criterion=cid, key="relevant.is")
    check_answers(path, cid, "relevant.is", set(values), set(vocabulary.raw), vocabulary.name)
    return {"column": column, "vocabulary": vocabulary, "is": frozenset(values)}
