"""Checklists -> an XLSForm (KoboToolbox / ODK Collect) whose answers `minesite validate` reads.

Question names are the canonical columns the checklists read; choice names are raw answers of
the vocabularies in checklists/answers.toml (Kobo-style: `1`, `0`, `dontknow`, `nsag_local`...),
so an export of the form needs no column mapping. Labels (French and English) come from
checklists/xlsform.toml, falling back to the title of the criterion that reads the question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minesite._resources import bundled, read_config
from minesite.checklists.vocabulary import lookup, shared_vocabularies
from minesite.errors import ChecklistError, UsageError
from minesite.model import Checklist, Criterion, Vocabulary
from minesite.rules import RULES

LANGS = {"fr": "Français (fr)", "en": "English (en)"}
IDENTITY = (
    "vid",
    "pcode",
    "name",
    "visit_date",
    "visit_onsite",
    "team",
    "team_members",
    "site_gps",
    "latitude",
    "longitude",
)
"""The visit and what the dossier prints about it: the team, and a geopoint whose latitude and
longitude are exported as the canonical columns (calculations: `site_gps` itself is not an
alias, so Kobo's `_site_gps_latitude` never doubles `latitude`)."""
PHOTOS = ("photo_site", "photo_security", "photo_children", "photo_documents")
"""One photo question per section of the inspection: the dossier shows them with their
SHA-256 (Kobo attachments under --media, ODK media/)."""
# --- ICGLR record questions (minesite export icglr, issue 16) ---------------------------------
RECORD = (
    "recorded_at",
    "national_site_id",
    "province",
    "territoire",
    "village",
    "activity_status",
    "mineral1",
    "mineral2",
    "mineral3",
    "license_id",
    "operator_name",
    "operator_legal_form",
    "operator_registration",
    "operator_tax_number",
    "operator_representative",
    "operator_phone",
    "operator_email",
    "inspector_name",
    "inspector_function",
    "inspector_agency",
    "inspector_government_id",
)
"""What an ICGLR record needs beyond the criteria (site, operator, inspector): asked after the
visit identity; types, labels and constraints in checklists/xlsform.toml."""
# --- end ICGLR record questions ----------------------------------------------------------------
ACTOR_GROUP = "armed_actors"
ACTOR_FIELDS = (
    "category",
    "name",
    "taxation",
    "commerce_taxation",
    "entrance_taxation",
    "monopoly",
    "buying_minerals",
    "digging",
    "forced_labour",
    "pillaging",
    "pit_ownership",
)
_CHOICE_NAME = re.compile(r"^[a-z0-9_]+$")
_SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"label::{lang}" for lang in LANGS.values()),
    *(f"hint::{lang}" for lang in LANGS.values()),
    "required",
    "relevant",
    "constraint",
    "calculation",
)


@dataclass
class Form:
    """The three sheets of an XLSForm as lists of rows (dicts keyed by column)."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


def wording(path: Path | None = None) -> dict[str, Any]:
    """Labels, hints and types of checklists/xlsform.toml."""
    return read_config(path or bundled("xlsform.toml"))


def choice_name(vocabulary: Vocabulary, answer: str) -> str:
    """The Kobo-style raw answer naming a canonical answer in a form (e.g. `1`, `nsag_local`)."""
    raws = vocabulary.raw[answer]
    candidates = (
        [r for r in raws if _CHOICE_NAME.match(r) and "_" in r]
        + [r for r in raws if _CHOICE_NAME.match(r)]
        + [r.casefold() for r in raws if _CHOICE_NAME.match(r.casefold())]
    )
    for name in candidates:
        if lookup(vocabulary, name) == answer:
            return name
    raise ChecklistError(
        "answers.toml",
        "checklist.no-form-answer",
        answer=answer,
        example=answer.replace("-", "_"),
        key=f"answers.{vocabulary.name}.{answer}",
    )


def build(checklists: Sequence[Checklist], words: dict[str, Any] | None = None) -> Form:
    """The XLSForm asking every question the checklists read, with their skip logic."""
    words = wording() if words is None else words
    questions = words.get("questions", {})
    form = Form()
    lists: dict[str, Vocabulary] = {}
    shared = shared_vocabularies()
    criteria = [c for checklist in checklists for c in checklist.criteria]
    known = dict(shared)
    for criterion in criteria:
        if criterion.vocabulary is not None:
            known.setdefault(criterion.vocabulary.name, criterion.vocabulary)
        if criterion.relevant:
            known.setdefault(
                criterion.relevant["vocabulary"].name, criterion.relevant["vocabulary"]
            )
    onsite = f"${{visit_onsite}} = '{choice_name(shared['yes-no'], 'yes')}'"
    asked: set[str] = set()

    def list_name(vocabulary: Vocabulary) -> str:
        lists[vocabulary.name] = vocabulary
        return vocabulary.name.replace("-", "_")

    def add(
        name: str,
        kind: str,
        *,
        key: str | None = None,
        criterion: Criterion | None = None,
        relevant: str = "",
        required: bool = True,
    ) -> None:
        text = questions.get(key or name, {})
        kind = text.get("type", kind)
        if kind.startswith("select_one "):
            vocabulary = known.get(kind.split()[1])
            if vocabulary is None:
                raise ChecklistError(
                    "xlsform.toml", "checklist.no-vocabulary", name=kind.split()[1], key=name
                )
            kind = f"select_one {list_name(vocabulary)}"
        labels = text.get("label") or (criterion.title if criterion else {"en": name})
        hints = text.get("hint", {})
        row = {
            "type": kind,
            "name": name,
            "required": "yes" if text.get("required", required) else "",
            "relevant": relevant,
            "constraint": text.get("constraint", ""),
            "calculation": text.get("calculation", ""),
        }
        for lang, column in LANGS.items():
            row[f"label::{column}"] = labels.get(lang) or next(iter(labels.values()))
            row[f"hint::{column}"] = hints.get(lang, "")
        form.survey.append(row)
        asked.add(name)

    for name in IDENTITY:
        add(name, "text", relevant="")
    # --- ICGLR record questions (issue 16) ---
    for name in RECORD:
        add(name, "text")
    # --- end ICGLR record questions ---
    for criterion in criteria:
        gate = ""
        if criterion.relevant:
            gate = _relevant(criterion, list_name)
            column = criterion.relevant["column"]
            if questions.get(column, {}).get("required") is False:
                # An optional gate (title_zone, which a cadastre may derive): ask when blank too.
                gate = f"${{{column}}} = '' or {gate}"
        if criterion.relevant and criterion.relevant["column"] not in asked:
            add(
                criterion.relevant["column"],
                f"select_one {criterion.relevant['vocabulary'].name}",
                relevant=onsite,
            )
        relevant = f"{onsite} and ({gate})" if gate else onsite
        if RULES[criterion.rule].reads_actors:
            _actors(criterion, add, asked, form, onsite, shared)
            continue
        for column in criterion.columns:
            if column in asked:
                continue
            if column in criterion.params.get("tasks", ()):
                # Tasks are listed as written ("Creuser, Transport des minerais").
                add(column, "text", criterion=criterion, relevant=relevant, required=False)
            elif criterion.rule == "answer" and criterion.vocabulary is not None:
                add(
                    column,
                    f"select_one {criterion.vocabulary.name}",
                    criterion=criterion,
                    relevant=relevant,
                )
            elif criterion.rule == "at_least":
                add(column, "decimal", criterion=criterion, relevant=relevant)
            else:
                # Free text searched for known names (state services, traceability programmes);
                # blank may be meaningful there, so only an explicit `required` asks for it.
                add(column, "text", criterion=criterion, relevant=relevant, required=False)
    for name in PHOTOS:
        add(name, "image", relevant=onsite, required=False)
    for vocabulary in lists.values():
        labels = words.get("choices", {}).get(vocabulary.name, {})
        for answer, raws in vocabulary.raw.items():
            text = labels.get(answer) or {"fr": raws[0], "en": raws[0]}
            row = {"list_name": list_name(vocabulary), "name": choice_name(vocabulary, answer)}
            for lang, column in LANGS.items():
                row[f"label::{column}"] = text.get(lang) or raws[0]
            form.choices.append(row)
    settings = words.get("settings", {})
    title = settings.get("form_title", {"en": "minesite inspection"})
    form.settings = {
        "form_title": title.get("fr") or next(iter(title.values())),
        "form_id": settings.get("form_id", "minesite_inspection"),
        "version": "+".join(f"{c.id}-{c.version}" for c in checklists),
        "default_language": LANGS["fr"],
    }
    return form


def _relevant(criterion: Criterion, list_name) -> str:  # noqa: ANN001
    relevant = criterion.relevant
    assert relevant is not None
    vocabulary = relevant["vocabulary"]
    list_name(vocabulary)
    names = [choice_name(vocabulary, answer) for answer in sorted(relevant["is"])]
    return " or ".join(f"${{{relevant['column']}}} = '{name}'" for name in names)


def _actors(criterion, add, asked, form: Form, onsite: str, shared) -> None:  # noqa: ANN001
    """presence, then one repeat per armed or security actor, shown when presence is yes."""
    presence = criterion.params["presence"]
    if presence not in asked:
        add(presence, "select_one yes-no", relevant=onsite)
    if ACTOR_GROUP in asked:
        return
    yes = choice_name(shared["yes-no"], "yes")
    shown = f"{onsite} and ${{{presence}}} = '{yes}'"
    begin = dict.fromkeys(_SURVEY_COLUMNS, "")
    begin.update(type="begin_repeat", name=ACTOR_GROUP, relevant=shown)
    begin[f"label::{LANGS['fr']}"] = "Acteurs armés ou de sécurité (un par acteur)"
    begin[f"label::{LANGS['en']}"] = "Armed or security actors (one per actor)"
    form.survey.append(begin)
    asked.add(ACTOR_GROUP)
    for name in ACTOR_FIELDS:
        if name == "category":
            add(name, f"select_one {criterion.vocabulary.name}", criterion=criterion)
        elif name == "name":
            add(name, "text", key="actor_name", required=False)
        else:
            add(name, "select_one yes-no")
    end = dict.fromkeys(_SURVEY_COLUMNS, "")
    end.update(type="end_repeat", name=ACTOR_GROUP)
    form.survey.append(end)


def write(form: Form, out: Path, *, force: bool = False) -> Path:
    """Write the form as XLSX atomically (temporary file, then rename); never overwrite without
    `force`."""
    import xlsxwriter

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("usage.xlsform-not-xlsx", name=out.name)
    from minesite.output import check_target, write_atomically

    check_target(out, [], force=force)
    write_atomically(out, lambda path: _write_workbook(form, str(path), xlsxwriter))
    return out


def _write_workbook(form: Form, temporary: str, xlsxwriter: Any) -> None:
    """The XLSForm workbook, written to `temporary` (renamed over the target by the caller)."""
    workbook = xlsxwriter.Workbook(temporary)
    bold = workbook.add_format({"bold": True})
    choice_columns = ("list_name", "name", *(f"label::{lang}" for lang in LANGS.values()))
    for sheet_name, columns, rows in (
        ("survey", _SURVEY_COLUMNS, form.survey),
        ("choices", choice_columns, form.choices),
        ("settings", tuple(form.settings), [form.settings]),
    ):
        sheet = workbook.add_worksheet(sheet_name)
        sheet.write_row(0, 0, columns, bold)
        for r, row in enumerate(rows, start=1):
            # write_string: a label starting with "=" stays text, never a formula.
            for c, column in enumerate(columns):
                sheet.write_string(r, c, row.get(column, ""))
        sheet.freeze_panes(1, 0)
    workbook.close()
