"""Findings: each criterion's outcome for a visit with its answer, its cell and, for an armed or
security actor, the actor's name, category and the conduct recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minesite.checklists.vocabulary import canonical_answers, shared_vocabularies
from minesite.model import Outcome
from minesite.verdicts import Verdicts

ACTOR_IDENTITY = ("visit", "slot", "row", "name", "category", "frequency")
"""Actor columns that are not conduct flags."""
_PARTS = ("at", "criterion", "fail", "sheet", "row", "column", "answer", "who", "kind", "conduct")
FINDINGS_COLUMNS = [
    "visit_id",
    "site_id",
    "file",
    "sheet",
    "row",
    "criterion",
    "severity",
    "outcome",
    "answer",
    "column",
    "actor_name",
    "actor_category",
    "actor_conduct",
]


@dataclass(frozen=True)
class Finding:
    """One criterion's outcome for one visit, with the raw answer and the cell it came from."""

    criterion: str
    severity: str
    outcome: str
    answer: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    actor_name: str = ""
    actor_category: str = ""
    actor_conduct: tuple[str, ...] = field(default_factory=tuple)
    """Conduct flags answered yes for the actor (taxation, digging, forced_labour...)."""


def visit_findings(
    verdicts: Verdicts,
    position: int,
    outcomes: tuple[Outcome, ...] = (Outcome.FAIL, Outcome.UNKNOWN),
) -> list[Finding]:
    """The criteria of one visit with the given outcomes, each with its evidence cell."""
    found = []
    for j in range(len(verdicts.criteria)):
        outcome = Outcome(int(verdicts.outcomes[position, j]))
        if outcome in outcomes:
            found.append(_finding(verdicts, position, j, outcome))
    return found


def _finding(verdicts: Verdicts, position: int, j: int, outcome: Outcome) -> Finding:
    inspection = verdicts.inspection
    criterion = verdicts.criteria[j]
    evidence = verdicts.evidence[j]
    at = np.array([position])
    column = str(evidence.column_at(at)[0])
    actor = int(evidence.actor_at(at)[0])
    name = category = ""
    conduct: tuple[str, ...] = ()
    if outcome == Outcome.NOT_ASSESSED:
        source = inspection.sources[int(inspection.visits["_source"].iat[position])]
        row, header, answer = None, None, ""
    elif actor >= 0:
        source, row, header = inspection.actor_cell(actor, column)
        answer = str(evidence.raw_at(at)[0])
        name, category, conduct = actor_details(verdicts, np.array([actor]))[0]
    else:
        source, row, header = inspection.cell(position, column)
        answer = str(evidence.raw_at(at)[0])
    return Finding(
        criterion=criterion.id,
        severity=criterion.severity.value,
        outcome=outcome.label,
        answer="" if answer == "nan" else answer,
        file=Path(source.path).name,
        sheet=source.sheet,
        row=row,
        column=header,
        actor_name=name,
        actor_category=category,
        actor_conduct=conduct,
    )


def actor_details(verdicts: Verdicts, actors: np.ndarray) -> list[tuple[str, str, tuple[str, ...]]]:
    """Name, category (as written) and conduct flags answered yes, per actor row."""
    (names, name_of), (kinds, kind_of), (flags, flags_of) = actor_codes(verdicts)
    return [
        (name_of[names[a]], kind_of[kinds[a]], tuple(flags_of[flags[a]].split())) for a in actors
    ]


def actor_codes(verdicts: Verdicts) -> tuple[tuple[np.ndarray, list[str]], ...]:
    """Per actor row (computed once per scoring): name and category as written, and the
    conduct flags answered yes joined by spaces, each as codes into its categories (a blank
    one among them, for findings read on a visit cell). Hashed in Arrow, the flags phrased
    per distinct combination: no string per actor."""
    if "actor_codes" in verdicts.cache:
        return verdicts.cache["actor_codes"]
    frame = verdicts.inspection.actors
    yes_no = shared_vocabularies()["yes-no"]
    coded = []
    for name in ("name", "category"):
        if name in frame.columns:
            codes, distinct = pd.factorize(frame[name].fillna("").astype(str).str.strip())
            coded.append((codes, [str(v) for v in distinct]))
        else:
            coded.append((np.zeros(len(frame), dtype=np.int64), [""]))
    flags = [c for c in frame.columns if c not in ACTOR_IDENTITY and not c.startswith("_")]
    said = np.zeros((len(frame), len(flags)), dtype=bool)
    for k, flag in enumerate(flags):
        said[:, k] = np.asarray(canonical_answers(frame[flag], yes_no).eq("yes"), dtype=bool)
    # The few distinct combinations of flags are phrased once each (found by hashing an
    # integer key; sorting the rows is ten times slower).
    if len(flags) < 63:
        key = np.zeros(len(frame), dtype=np.int64)
        for k in range(len(flags)):
            key |= said[:, k].astype(np.int64) << k
        codes, first = _first_of_each(key)
        combinations = said[first]
    else:
        combinations, codes = np.unique(said, axis=0, return_inverse=True)
    words = [" ".join(f for f, yes in zip(flags, row, strict=True) if yes) for row in combinations]
    coded.append((np.asarray(codes).reshape(-1), words))
    blank = tuple((c, d if "" in d else [*d, ""]) for c, d in coded)
    verdicts.cache["actor_codes"] = blank
    return blank


def _first_of_each(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct keys (0, 1... in order of appearance), and the first row of each."""
    codes, _ = pd.factorize(key)
    _, first = np.unique(codes, return_index=True)  # the codes are 0..m-1: sorted ints
    return codes, first


def findings_frame(
    verdicts: Verdicts, positions: np.ndarray | None = None, *, scored_only: bool = True
) -> pd.DataFrame:
    """One row per failed or unknown criterion per scored visit (of `positions`, default all),
    with its source cell and, for actor criteria, the actor's name, category and conduct.
    `scored_only=False` also explains rows without a colour (an off-site report)."""
    inspection = verdicts.inspection
    visits = verdicts.visits
    scored = visits["status"].notna().to_numpy() | (not scored_only)
    if positions is not None:
        chosen = np.zeros(len(visits), dtype=bool)
        chosen[positions] = True
        scored = scored & chosen
    files = [s.path.name for s in inspection.sources]
    source = visits["source"].to_numpy()
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _PARTS}

    sheets, headers = _Codes(), _Codes()

    def coded() -> tuple[tuple[np.ndarray, list[str]], ...]:
        return actor_codes(verdicts)

    for j in range(len(verdicts.criteria)):
        outcome = verdicts.outcomes[:, j]
        at = np.flatnonzero(scored & ((outcome == Outcome.FAIL) | (outcome == Outcome.UNKNOWN)))
        if not len(at):
            continue
        evidence = verdicts.evidence[j]
        column = evidence.column_at(at)
        actor = evidence.actor_at(at)
        sheet, row, header = inspection.cells(at, column, actor)
        on_actor = np.flatnonzero(actor >= 0)
        who, kind, conduct = (np.full(len(at), -1, dtype=np.int64) for _ in range(3))
        if len(on_actor):
            chosen = actor[on_actor]
            for codes, (of_actor, _) in zip((who, kind, conduct), coded(), strict=True):
                codes[on_actor] = of_actor[chosen]
        for key, value in zip(
            _PARTS,
            (
                at,
                np.full(len(at), j),
                outcome[at] == Outcome.FAIL,
                sheets.of(sheet),
                row,
                headers.of(header),
                evidence.raw_text_at(at),
                who,
                kind,
                conduct,
            ),
            strict=True,
        ):
            parts[key].append(value)
    if not parts["at"]:
        return pd.DataFrame(columns=[*FINDINGS_COLUMNS, "_position"])
    answers = pa.concat_arrays(parts.pop("answer"))
    every = {k: np.concatenate(v) for k, v in parts.items()}
    order = np.argsort(every["at"], kind="stable")
    every = {k: v[order] for k, v in every.items()}
    answer = pc.dictionary_encode(answers.take(pa.array(order)))
    at = every["at"]
    ids = [c.id for c in verdicts.criteria]
    file_names, file_of_source = np.unique(np.array(files, dtype=object), return_inverse=True)
    severities = [c.severity.value for c in verdicts.criteria]
    kinds = sorted(set(severities))
    # Few distinct values (files, criteria, outcomes, answers, actors): categories, not
    # millions of strings; visit and site ids taken from their Arrow columns in one call.
    return pd.DataFrame(
        {
            "visit_id": visits["visit_id"].array.take(at),
            "site_id": visits["site_id"].array.take(at),
            "file": pd.Categorical.from_codes(file_of_source[source[at]], categories=file_names),
            "sheet": sheets.categorical(every["sheet"]),
            "row": every["row"],
            "criterion": pd.Categorical.from_codes(every["criterion"], categories=ids),
            "severity": pd.Categorical.from_codes(
                np.array([kinds.index(severities[j]) for j in range(len(ids))])[every["criterion"]],
                categories=kinds,
            ),
            "outcome": pd.Categorical.from_codes(
                np.where(every["fail"], 0, 1), categories=["fail", "unknown"]
            ),
            "answer": pd.Categorical.from_codes(
                answer.indices.to_numpy(),
                categories=pd.Index(answer.dictionary.to_pylist(), dtype=object),
            ),
            "column": headers.categorical(every["column"]),
            **{
                name: _from_codes(every[key], categories)
                for name, key, (_, categories) in zip(
                    ("actor_name", "actor_category", "actor_conduct"),
                    ("who", "kind", "conduct"),
                    coded() if len(verdicts.inspection.actors) else [((), [""])] * 3,
                    strict=True,
                )
            },
            "_position": at,
        }
    )


class _Codes:
    """Text of few distinct values (sheets, headers) as integer codes shared by every
    criterion's findings: concatenated and sorted as ints, not as Python strings."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def of(self, values: np.ndarray) -> np.ndarray:
        local, distinct = pd.factorize(values)
        shared = np.array([self.index.setdefault(v, len(self.index)) for v in distinct], int)
        return np.where(local >= 0, shared[np.maximum(local, 0)] if len(shared) else -1, -1)

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=pd.Index(list(self.index), dtype=object))


def _from_codes(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """Codes into `categories`, -1 meaning the blank one."""
    codes = np.where(codes < 0, categories.index(""), codes)
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))
