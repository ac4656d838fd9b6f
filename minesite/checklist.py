"""Checklist TOML files -> validated Checklist objects, with profiles of severity overrides."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from minesite.answers import BLANK, UNKNOWN, UNRECOGNISED, normalise
from minesite.errors import ChecklistError, UsageError, did_you_mean
from minesite.limits import read_toml
from minesite.model import Checklist, Criterion, Severity, Vocabulary
from minesite.rules import RULES

DEFAULT_PROFILE = "icglr"
BUNDLED = ("armed-groups", "legal-authority", "child-labor")
"""Checklists scored when the user names none, in report order."""

_TOP_KEYS = {"id", "title", "version", "description", "answers", "criteria", "profiles"}
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


def checklists_dir() -> Path:
    """The bundled checklists: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "checklists", here.parent / "checklists"):
        if candidate.is_dir():
            return candidate
    raise UsageError("the bundled checklists are missing from this installation")


def bundled_paths() -> dict[str, Path]:
    """Checklist id -> file, for every checklist shipped with minesite."""
    return {p.stem: p for p in sorted(checklists_dir().glob("*.toml")) if _is_checklist(p)}


def _is_checklist(path: Path) -> bool:
    return path.stem not in {"columns", "policy", "answers", "cadastre", "xlsform", "icglr"}


def shared_vocabularies() -> dict[str, Vocabulary]:
    """Vocabularies every checklist may use (checklists/answers.toml): yes-no, actor-category..."""
    path = checklists_dir() / "answers.toml"
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, f"cannot read the shared vocabularies: {exc}") from None
    _check_keys(path, data, {"answers"}, criterion=None)
    return {name: _vocabulary(path, name, table) for name, table in data["answers"].items()}


def load_checklists(
    names: Sequence[str | Path] = (), profile: str = DEFAULT_PROFILE
) -> list[Checklist]:
    """Load checklists by bundled id or path (default: the three bundled ones) under a profile."""
    bundled = bundled_paths()
    paths: list[Path] = []
    for name in names or BUNDLED:
        if str(name) in bundled:
            paths.append(bundled[str(name)])
        elif Path(name).suffix == ".toml" or Path(name).exists():
            paths.append(Path(name))
        else:
            raise UsageError(
                "usage.unknown-checklist", name=name, hint=did_you_mean(str(name), bundled)
            )
    checklists = [load_checklist(p) for p in paths]
    _check_unique_ids(checklists)
    return [apply_profile(c, profile, checklists) for c in checklists]


def profile_names(checklists: Iterable[Checklist]) -> set[str]:
    """Every profile a set of checklists knows, the default included."""
    names = {DEFAULT_PROFILE}
    for checklist in checklists:
        names.update(checklist.profiles)
    return names


def apply_profile(checklist: Checklist, profile: str, every: Sequence[Checklist]) -> Checklist:
    """The checklist with the profile's severities; an unknown profile is a usage error."""
    known = profile_names(every)
    if profile not in known:
        raise UsageError(
            "usage.unknown-profile", profile=profile, hint=did_you_mean(profile, known)
        )
    overrides = checklist.profiles.get(profile, {})
    if not overrides:
        return checklist
    criteria = tuple(
        _replace_severity(c, overrides[c.id]) if c.id in overrides else c
        for c in checklist.criteria
    )
    return Checklist(**{**checklist.__dict__, "criteria": criteria})


def _replace_severity(criterion: Criterion, severity: Severity) -> Criterion:
    return Criterion(**{**criterion.__dict__, "severity": severity})


def _check_unique_ids(checklists: Sequence[Checklist]) -> None:
    seen: dict[str, Path] = {}
    for checklist in checklists:
        for criterion in checklist.criteria:
            if criterion.id in seen and seen[criterion.id] != checklist.path:
                raise ChecklistError(
                    checklist.path,
                    f"id already used in {seen[criterion.id].name}",
                    criterion=criterion.id,
                    key="id",
                )
            seen[criterion.id] = checklist.path


def load_checklist(path: Path) -> Checklist:
    """Read and validate one checklist file; every problem is a ChecklistError."""
    try:
        data = read_toml(path)
    except FileNotFoundError:
        raise ChecklistError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ChecklistError(path, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(path, f"not valid TOML: {exc}") from None
    return _build(path, data)


def _build(path: Path, data: dict[str, Any]) -> Checklist:
    _check_keys(path, data, _TOP_KEYS, criterion=None)
    for key in ("id", "title", "version", "criteria"):
        if key not in data:
            raise ChecklistError(path, "missing required key", key=key)
    checklist_id = _text(path, data["id"], "id")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise ChecklistError(path, "must be [answers.<name>] tables", key="answers")
    vocabularies = shared_vocabularies() | {
        name: _vocabulary(path, name, table) for name, table in answers.items()
    }
    if not isinstance(data["criteria"], list) or not data["criteria"]:
        raise ChecklistError(path, "needs at least one [[criteria]] table", key="criteria")
    criteria: list[Criterion] = []
    for raw in data["criteria"]:
        criterion = _criterion(path, checklist_id, raw, vocabularies)
        if any(c.id == criterion.id for c in criteria):
            raise ChecklistError(path, "duplicate criterion id", criterion=criterion.id, key="id")
        criteria.append(criterion)
    return Checklist(
        id=checklist_id,
        title=_titles(path, data["title"], None),
        version=_text(path, data["version"], "version"),
        path=path,
        criteria=tuple(criteria),
        vocabularies=vocabularies,
        profiles=_profiles(path, data.get("profiles", {}), {c.id for c in criteria}),
    )


def _check_keys(
    path: Path, table: dict[str, Any], allowed: set[str], *, criterion: str | None
) -> None:
    for key in table:
        if key not in allowed:
            raise ChecklistError(
                path,
                "checklist.unknown-key",
                criterion=criterion,
                key=key,
                hint=did_you_mean(key, allowed),
            )


def _text(path: Path, value: Any, key: str, criterion: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ChecklistError(path, "must be a non-empty string", criterion=criterion, key=key)
    return value


def _titles(path: Path, value: Any, criterion: str | None) -> dict[str, str]:
    """A title is a string or a {fr, en} table."""
    if isinstance(value, str):
        return {"fr": value, "en": value}
    if isinstance(value, dict) and value and set(value) <= {"fr", "en"}:
        return {lang: _text(path, text, f"title.{lang}", criterion) for lang, text in value.items()}
    raise ChecklistError(
        path, "must be a string or a table with fr and en", criterion=criterion, key="title"
    )


def _vocabulary(path: Path, name: str, table: Any) -> Vocabulary:
    if not isinstance(table, dict) or not table:
        raise ChecklistError(path, "must map canonical answers to lists", key=f"answers.{name}")
    canonical: dict[str, str] = {}
    raw: dict[str, tuple[str, ...]] = {}
    for answer, values in table.items():
        key = f"answers.{name}.{answer}"
        if answer in (BLANK, UNRECOGNISED):
            raise ChecklistError(path, "reserved canonical answer", key=key)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ChecklistError(path, "must be a list of strings", key=key)
        for value in values:
            folded = normalise(value)
            if not folded:
                raise ChecklistError(path, "a blank cell is always 'no data'; remove it", key=key)
            if canonical.get(folded, answer) != answer:
                raise ChecklistError(
                    path,
                    f'"{value}" is listed under both {canonical[folded]} and {answer}',
                    key=key,
                )
            canonical[folded] = answer
        raw[answer] = tuple(values)
    return Vocabulary(name=name, canonical=canonical, raw=raw)


def _criterion(
    path: Path, checklist_id: str, raw: Any, vocabularies: dict[str, Vocabulary]
) -> Criterion:
    if not isinstance(raw, dict):
        raise ChecklistError(path, "each [[criteria]] entry must be a table", key="criteria")
    cid = _text(path, raw.get("id"), "id")
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
    _check_keys(path, raw, _CRITERION_KEYS | kind.params, criterion=cid)
    for key in ("title", "severity"):
        if key not in raw:
            raise ChecklistError(path, "missing required key", criterion=cid, key=key)
    severity = raw["severity"]
    if not isinstance(severity, str) or severity not in Severity.__members__.values():
        choices = [s.value for s in Severity]
        raise ChecklistError(
            path,
            "checklist.bad-severity",
            choices=choices,
            hint=did_you_mean(str(severity), choices),
            criterion=cid,
            key="severity",
        )
    columns = _columns(path, cid, raw)
    fail = _answer_list(path, cid, raw, "fail")
    passes = _answer_list(path, cid, raw, "pass")
    both = fail & passes
    if both:
        raise ChecklistError(
            path, f"answer {sorted(both)[0]!r} is in both fail and pass", criterion=cid, key="pass"
        )
    vocabulary = _vocabulary_ref(path, cid, raw.get("answers"), vocabularies, "answers")
    if rule_name in ("answer", "any_actor") and vocabulary is None:
        raise ChecklistError(
            path, f'rule "{rule_name}" needs answers = "<vocabulary>"', criterion=cid, key="answers"
        )
    if vocabulary is not None:
        _check_answers_known(path, cid, fail | passes, vocabulary, rule_name)
    params = {k: v for k, v in raw.items() if k in kind.params}
    _check_params(path, cid, rule_name, params, vocabularies)
    relevant = raw.get("relevant")
    if relevant is not None:
        relevant = _relevant(path, cid, relevant, vocabularies)
    return Criterion(
        id=cid,
        checklist=checklist_id,
        title=_titles(path, raw["title"], cid),
        severity=Severity(severity),
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
        raise ChecklistError(
            path, "needs exactly one of column or columns", criterion=cid, key="column"
        )
    columns = [raw["column"]] if "column" in raw else raw["columns"]
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
        raise ChecklistError(path, "must name columns as strings", criterion=cid, key="columns")
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
        raise ChecklistError(path, "must be a list of canonical answers", criterion=cid, key=key)
    if UNKNOWN in values and key == "pass":
        raise ChecklistError(path, "missing data never passes", criterion=cid, key=key)
    return set(values)


def _vocabulary_ref(
    path: Path, cid: str, name: Any, vocabularies: dict[str, Vocabulary], key: str
) -> Vocabulary | None:
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


def _check_answers_known(
    path: Path, cid: str, answers: set[str], vocabulary: Vocabulary, rule_name: str
) -> None:
    # Actor rules answer yes/no themselves; other rules answer from the vocabulary.
    known = {"yes", "no"} if rule_name == "any_actor" else set(vocabulary.raw)
    for answer in sorted(answers):
        if answer not in known:
            raise ChecklistError(
                path,
                "checklist.not-an-answer",
                answer=answer,
                vocabulary=vocabulary.name,
                hint=did_you_mean(answer, known),
                criterion=cid,
                key="fail",
            )


def _check_params(
    path: Path,
    cid: str,
    rule_name: str,
    params: dict[str, Any],
    vocabularies: dict[str, Vocabulary],
) -> None:
    for key in ("values", "unknown_values", "categories", "fail_categories", "unknown_categories"):
        value = params.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ChecklistError(path, "must be a list of strings", criterion=cid, key=key)
    flags = params.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(v, str) and v for v in flags):
        raise ChecklistError(path, "must be a list of column names", criterion=cid, key="flags")
    if not isinstance(params.get("blank", ""), str):
        raise ChecklistError(path, "must be a canonical answer", criterion=cid, key="blank")
    if rule_name == "contains_any" and not params.get("values"):
        raise ChecklistError(path, "contains_any needs values = [...]", criterion=cid, key="values")
    if params.get("blank", UNKNOWN) not in ("yes", "no", UNKNOWN):
        raise ChecklistError(
            path, 'blank must be "yes", "no" or "unknown"', criterion=cid, key="blank"
        )
    minimum = params.get("min")
    if rule_name == "at_least" and (
        isinstance(minimum, bool) or not isinstance(minimum, int | float)
    ):
        raise ChecklistError(path, "at_least needs a number min = ...", criterion=cid, key="min")
    if rule_name == "any_actor":
        if not isinstance(params.get("presence"), str):
            raise ChecklistError(
                path, 'any_actor needs presence = "<column>"', criterion=cid, key="presence"
            )
        vocabulary = _vocabulary_ref(
            path, cid, params.get("flag_answers"), vocabularies, "flag_answers"
        )
        if vocabulary is None:
            raise ChecklistError(
                path,
                'any_actor needs flag_answers = "<vocabulary>"',
                criterion=cid,
                key="flag_answers",
            )
        params["flag_vocabulary"] = vocabulary


def _relevant(
    path: Path, cid: str, relevant: Any, vocabularies: dict[str, Vocabulary]
) -> dict[str, Any]:
    if not isinstance(relevant, dict):
        raise ChecklistError(
            path, "must be a table {column, answers, is}", criterion=cid, key="relevant"
        )
    _check_keys(path, relevant, _RELEVANT_KEYS, criterion=cid)
    vocabulary = _vocabulary_ref(
        path, cid, relevant.get("answers"), vocabularies, "relevant.answers"
    )
    if vocabulary is None or not isinstance(relevant.get("column"), str):
        raise ChecklistError(
            path, "relevant needs column and answers", criterion=cid, key="relevant"
        )
    values = relevant.get("is")
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise ChecklistError(
            path, "relevant needs is = [answers]", criterion=cid, key="relevant.is"
        )
    _check_answers_known(path, cid, set(values), vocabulary, "answer")
    return {"column": relevant["column"], "vocabulary": vocabulary, "is": frozenset(values)}


def _profiles(path: Path, table: Any, ids: set[str]) -> dict[str, dict[str, Severity]]:
    profiles: dict[str, dict[str, Severity]] = {}
    if not isinstance(table, dict):
        raise ChecklistError(path, "must be [profiles.<name>] tables", key="profiles")
    for name, body in table.items():
        if (
            not isinstance(body, dict)
            or set(body) - {"severity", "description"}
            or not isinstance(body.get("severity", {}), dict)
        ):
            raise ChecklistError(
                path, "a profile holds severity = { ID = ... }", key=f"profiles.{name}"
            )
        overrides: dict[str, Severity] = {}
        for cid, severity in body.get("severity", {}).items():
            if cid not in ids:
                raise ChecklistError(
                    path,
                    "checklist.no-such-criterion",
                    hint=did_you_mean(cid, ids),
                    criterion=cid,
                    key=f"profiles.{name}.severity",
                )
            if not isinstance(severity, str) or severity not in Severity.__members__.values():
                raise ChecklistError(
                    path,
                    "severity must be red, yellow or info",
                    criterion=cid,
                    key=f"profiles.{name}.severity",
                )
            overrides[cid] = Severity(severity)
        profiles[name] = overrides
    return profiles
