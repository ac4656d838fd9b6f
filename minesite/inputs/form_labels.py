"""A KoboToolbox *labels* export (Kobo's default) of minesite's own XLSForm read back: question
labels (French and English) name their question, choice labels their choice, both taken from
the form `minesite checklists xlsform` writes, never from hand lists."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from minesite.checklists.vocabulary import normalise


@dataclass(frozen=True)
class FormLabels:
    """What the bundled form's labels mean."""

    questions: dict[str, str]
    """Normalised question label -> question name (a canonical column)."""
    actor_questions: dict[str, str]
    """The same for the questions of the actors repeat (actor fields)."""
    choices: dict[str, dict[str, str]]
    """Question name -> normalised choice label -> choice name (the XML value), for the
    questions the checklists judge."""


@cache
def form_labels() -> FormLabels:
    """The labels of the form built from every bundled checklist (a form of fewer checklists
    asks a subset of its questions, with the same labels). A label two questions share, or one
    that names two choices of a question, means nothing and is left out."""
    from minesite.checklists import load_checklists
    from minesite.xlsform import LANGS, RECORD, build

    form = build(load_checklists(()))
    columns = [f"label::{lang}" for lang in LANGS.values()]
    by_list: dict[str, dict[str, set[str]]] = {}
    names: dict[str, set[str]] = {}
    for row in form.choices:
        labels = by_list.setdefault(row["list_name"], {})
        names.setdefault(row["list_name"], set()).add(row["name"])
        for column in columns:
            labels.setdefault(normalise(row[column]), set()).add(row["name"])
    questions: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})
    choices: dict[str, dict[str, str]] = {}
    in_repeat = False
    for row in form.survey:
        if row["type"] in ("begin_repeat", "end_repeat"):
            in_repeat = row["type"] == "begin_repeat"
            continue
        for column in columns:
            questions[in_repeat].setdefault(normalise(row[column]), set()).add(row["name"])
        kind = row["type"].split()
        # Record fields (province, minerals) are printed as written, never turned into codes.
        if kind[0] == "select_one" and len(kind) == 2 and row["name"] not in RECORD:
            listed = by_list.get(kind[1], {})
            choices[row["name"]] = {
                label: next(iter(named))
                for label, named in listed.items()
                if len(named) == 1 and label not in names[kind[1]]
            }
    visit, actor = (
        {label: next(iter(n)) for label, n in found.items() if len(n) == 1 and label}
        for found in questions
    )
    return FormLabels(questions=visit, actor_questions=actor, choices=choices)


def choice_values(frame: pd.DataFrame, labels: FormLabels) -> pd.DataFrame:
    """Choice labels in the columns of the form's select questions -> their choice names; any
    other answer is left as written (the vocabulary judges it)."""
    for column, mapping in labels.choices.items():
        if column not in frame.columns or not mapping:
            continue
        values = frame[column]
        uniques = pd.unique(values.dropna())
        found = {v: mapping[normalise(str(v))] for v in uniques if normalise(str(v)) in mapping}
        if found:
            frame[column] = values.map(found).fillna(values)
    return frame
