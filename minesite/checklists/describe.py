"""A checklist as a reviewer reads it, in French or English: for each criterion the columns as a
form names them, what fails, what passes, what stays unknown, the flags, and the basis."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from minesite._resources import bundled, read_config
from minesite.model import Checklist, Criterion, Vocabulary
from minesite.render.i18n import text


def describe_checklist(checklist: Checklist, lang: str = "en") -> list[str]:
    """Lines that let a reviewer check a checklist without reading its TOML or Python."""
    words = _Words(lang)
    lines = [
        text(
            "checklist.show.header",
            lang,
            id=checklist.id,
            version=checklist.version,
            title=checklist.title.get(lang) or next(iter(checklist.title.values())),
        ),
        text("checklist.show.file", lang, path=checklist.path),
    ]
    if checklist.profile:
        lines.append(text("checklist.show.profile", lang, profile=checklist.profile))
    if checklist.scoped:
        lines.append(
            text(
                "checklist.show.scope",
                lang,
                n=len(checklist.criteria),
                m=checklist.criteria_total,
                excluded=checklist.scope_excluded,
            )
        )
    for criterion in checklist.criteria:
        lines.append("")
        lines.extend(_criterion(criterion, words))
        lines.extend(_under_profiles(checklist, criterion.id, words))
    for profile in checklist.profiles.values():
        changes = ", ".join(f"{cid} -> {sev.value}" for cid, sev in profile.severity.items())
        lines.append("")
        lines.append(
            text("checklist.show.profile-changes", lang, name=profile.name, changes=changes or "-")
        )
        if profile.exclude:
            lines.append(
                "    " + text("checklist.show.profile-excludes", lang, ids=profile.exclude)
            )
        for cid, basis in profile.basis.items():
            lines.append("    " + text("checklist.show.basis-of", lang, id=cid, basis=basis))
    return lines


class _Words:
    """The words of one language, with how forms name each column."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.questions: dict[str, Any] = read_config(bundled("xlsform.toml")).get("questions", {})
        columns = read_config(bundled("columns.toml"))
        self.aliases: dict[str, list[str]] = columns.get("visits", {})
        self.wide: dict[str, str] = columns.get("actors", {}).get("wide", {})

    def __call__(self, code: str, **params: Any) -> str:
        return "    " + text(code, self.lang, **params)

    def column(self, name: str, *, actor: bool = False) -> str:
        """A column as a form names it: canonical name (or IPIS header) and the form's label."""
        shown = self.wide.get(name, name) if actor else name
        key = "actor_name" if actor and name == "name" else name
        label = self.questions.get(key, {}).get("label", {})
        label = label.get(self.lang) or next(iter(label.values()), "")
        if not label:
            variants = [v for v in self.aliases.get(name, []) if " " in v]
            label = variants[0] if variants else ""
        return (
            text("checklist.show.named", self.lang, column=shown, label=label) if label else shown
        )


def _answers(
    vocabulary: Vocabulary | None, answers: Iterable[str], lang: str, shown_raw: int = 3
) -> str:
    """Canonical answers with a few of the raw answers each stands for."""
    shown = []
    for answer in sorted(answers):
        raws = vocabulary.raw.get(answer, ()) if vocabulary is not None else ()
        examples = ", ".join(f'"{r}"' for r in raws[:shown_raw])
        more = ", …" if len(raws) > shown_raw else ""
        shown.append(f"{answer} ({examples}{more})" if raws else answer)
    return text("ui.list-sep", lang).join(shown)


def _criterion(criterion: Criterion, w: _Words) -> list[str]:
    lang, params = w.lang, criterion.params
    severity = text(f"severity.{criterion.severity.value}", lang)
    lines = [f"{criterion.id}  {severity}  {criterion.title_in(lang)}"]
    actor = criterion.rule == "any_actor"
    reads = [w.column(c) for c in criterion.columns if c not in params.get("tasks", ())]
    if actor:
        reads = [w.column(params["presence"]), w.column(criterion.columns[0], actor=True)]
    lines.append(w("checklist.show.reads", columns=reads))
    vocabulary = criterion.vocabulary
    if actor:
        lines.extend(_actor_lines(criterion, w))
    elif criterion.rule == "contains_any":
        lines.append(w("checklist.show.contains", values=params["values"]))
        blank = params.get("blank", "unknown")
        lines.append(w("checklist.show.blank", answer=blank))
    elif criterion.rule == "at_least":
        lines.append(w("checklist.show.at-least", min=params["min"]))
    if not actor:
        # Long lists (actor categories) show one raw answer each: the TOML has them all.
        few = 1 if len(criterion.fail | criterion.passes) > 6 else 3
        if criterion.fail:
            fails = _answers(vocabulary, criterion.fail, lang, few)
            lines.append(w("checklist.show.fails", answers=fails))
        lines.append(
            w("checklist.show.passes", answers=_answers(vocabulary, criterion.passes, lang, few))
        )
        other = set(vocabulary.raw) - criterion.fail - criterion.passes if vocabulary else set()
        if other:
            lines.append(
                w("checklist.show.unknown", answers=_answers(vocabulary, other, lang, few))
            )
        else:
            lines.append(w("checklist.show.unknown-blank"))
    if params.get("tasks"):
        task_vocabulary = params["task_vocabulary"]
        examples = [r for raws in task_vocabulary.raw.values() for r in raws][:6]
        lines.append(
            w(
                "checklist.show.tasks",
                columns=[w.column(c) for c in params["tasks"]],
                vocabulary=task_vocabulary.name,
                examples=examples,
            )
        )
    if criterion.relevant:
        relevant = criterion.relevant
        lines.append(
            w(
                "checklist.show.relevant",
                column=w.column(relevant["column"]),
                answers=_answers(relevant["vocabulary"], relevant["is"], lang),
            )
        )
    if criterion.basis:
        lines.append(w("checklist.show.basis", basis=criterion.basis))
    return lines


def _under_profiles(checklist: Checklist, cid: str, w: _Words) -> list[str]:
    """What each profile does to one criterion (the criterion's own severity is icglr's)."""
    lines = []
    for profile in checklist.profiles.values():
        if cid in profile.severity:
            severity = text(f"severity.{profile.severity[cid].value}", w.lang)
            lines.append(w("checklist.show.under-profile", profile=profile.name, severity=severity))
        if cid in profile.exclude:
            lines.append(w("checklist.show.left-out-by", profile=profile.name))
    return lines


def _actor_lines(criterion: Criterion, w: _Words) -> list[str]:
    params = criterion.params
    lines = []

    def categories(names: Iterable[str]) -> str:
        # One raw answer per category: the lists are long and the TOML has them all.
        return _answers(criterion.vocabulary, names, w.lang, shown_raw=1)

    concerned = params.get("categories", [])
    if concerned:
        lines.append(w("checklist.show.concerns", answers=categories(concerned)))
    if params.get("fail_categories"):
        lines.append(
            w(
                "checklist.show.fail-categories",
                answers=categories(params["fail_categories"]),
            )
        )
    if params.get("flags"):
        lines.append(
            w("checklist.show.flags", flags=[w.column(f, actor=True) for f in params["flags"]])
        )
    if params.get("unknown_categories"):
        lines.append(
            w(
                "checklist.show.unknown-categories",
                answers=categories(params["unknown_categories"]),
            )
        )
    lines.append(w("checklist.show.actor-unknown"))
    if params.get("names"):
        lines.append(w("checklist.show.names", vocabulary=params["names"]))
    return lines
