"""Score inputs larger than memory one partition (one file) at a time, with the same verdicts.

Each file is read, scored and handed to `write_part` (the visits and findings tables are written
from it), then all but what site status needs is dropped: the verdict columns, the outcome
matrix, the few raw columns sites and conflicts read, and the failed findings that name a
site's reason. Sites, conflicts and the summary are then decided over every partition at once,
so a split file gives the sites of the whole file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError, UsageError
from minesite.findings import findings_frame
from minesite.inputs import Inspection, read_inspections
from minesite.inputs.ranges import Ranges, plan_ranges
from minesite.inputs.reading import Reading
from minesite.memory import partition_rows, release_memory
from minesite.model import Outcome
from minesite.pipeline import assemble, check_not_all_blank, inspection_notes, prepare
from minesite.repeats import Repeats
from minesite.result import Note, Result
from minesite.scoring import score
from minesite.verdicts import Verdicts

KEPT = (
    "_source",
    "_row",
    "qualification",
    "visit_onsite_novisitreason",
    "province",
    "territoire",
    "latitude",
    "longitude",
)
"""The raw columns read after scoring: conflicts, off-site reasons, places, cells."""
CODES = ("reason", "could_be", "decisive", "failed", "unknown", "not_assessed")
"""Verdict columns of few distinct values, kept as categories across partitions."""


def run_partitioned(
    paths: Sequence[Path],
    *,
    write_part: Callable[[Result], None],
    checklists: Sequence[str | Path] = (),
    profile: str = "icglr",
    as_of: dt.date | None = None,
    history: bool = False,
    site: str | None = None,
    columns: Path | None = None,
    cadastre: Path | None = None,
    cadastre_config: Path | None = None,
    strict: bool = False,
    reading: Reading | None = None,
    progress: Callable[[str, dict], None] | None = None,
) -> Result:
    """Like `minesite.run`, one file at a time: `write_part` gets each file's Result (its sites
    not yet assessed), then the Result of every file is returned, with the failed findings."""
    if site is not None:
        raise UsageError("usage.site-partitioned")
    tell = progress or (lambda code, params: None)
    chosen, notes = prepare(checklists, profile)
    titles = None
    if cadastre is not None:
        from minesite.cadastre import apply_cadastre, load_titles

        titles = load_titles(cadastre, cadastre_config)
        notes.extend(
            Note("note.polygon-repaired", {"file": Path(cadastre).name, "title": str(title)})
            for title in titles.repaired
        )

    def read(path: Path) -> Inspection:
        return read_inspections([path], columns=columns, strict=strict, reading=reading)

    seen = Repeats(read)
    parts: list[tuple[Verdicts, pd.DataFrame]] = []
    sources: list = []
    size = partition_rows()
    held = 0

    def scored(inspection: Inspection, first: int) -> None:
        for chunk in _chunks(inspection, size):
            tell("progress.scoring", {"rows": len(chunk.visits)})
            verdicts = score(chunk, chosen, strict=strict)
            part = Result(verdicts, _no_sites(), _no_sites(), as_of or dt.date.today(), profile)
            write_part(part)
            parts.append(_compact(part, *_offsets(parts), first))
            del part, verdicts, chunk
            release_memory(len(inspection.visits), collect=False)

    # One large file (no cadastre, which names each file read) is read a range at a time.
    alone = len(paths) == 1 and titles is None
    for number, path in enumerate(paths, start=1):
        tell("progress.partition", {"n": number, "m": len(paths), "file": path.name})
        ranges = _ranges(path, columns, reading, 2 * size) if alone else None
        if ranges is not None:
            sources.append(ranges.source)
            for k, inspection in enumerate(_read_in_ranges(ranges, read)):
                if not k:  # the file's notes, said once
                    notes.extend(inspection_notes(inspection))
                scored(inspection, 0)
                del inspection
            sources[0] = ranges.source  # now with its rows
            notes.extend(Note(w.code, w.params, w.position) for w in ranges.notes)
            continue
        inspection = seen.drop(read(path), strict)
        if titles is not None:
            inspection = apply_cadastre(inspection, titles)
        notes.extend(inspection_notes(inspection))
        first = len(sources)
        sources.extend(inspection.sources)
        scored(inspection, first)
        held += len(inspection.visits)
        del inspection
        if held > size:  # many small files add up to a slice worth giving back
            release_memory(held)
            held = 0
    if len(parts) > 1:  # how the memory was bounded, said once
        notes.append(Note("note.partitioned", {"files": len(paths), "slices": len(parts)}))
    verdicts, findings = _merged(parts, sources)
    check_not_all_blank(verdicts)
    return assemble(
        verdicts,
        profile,
        notes,
        as_of=as_of,
        history=history,
        titles=titles,
        findings=findings,
        tell=tell,
    )


def _ranges(path: Path, columns: Path | None, reading: Reading | None, rows: int) -> Ranges | None:
    """The file in ranges of `rows` records where it can be read so (see inputs.ranges)."""
    from minesite.inputs.columns import load_column_map

    return plan_ranges(path, load_column_map(columns), reading or Reading(), rows)


def _read_in_ranges(ranges: Ranges, read: Callable[[Path], Inspection]) -> Iterator[Inspection]:
    """The ranges' inspections; an error met reading them is the one a single read of the file
    names (a file may hold several, and one read meets them in another order)."""
    iterator = ranges.inspections()
    while True:
        try:
            inspection = next(iterator)
        except StopIteration:
            return
        except InputError:
            read(ranges.path)
            raise
        yield inspection


def _chunks(inspection: Inspection, size: int) -> Iterator[Inspection]:
    """The inspection in slices of `size` rows, each with its actors (views, not copies)."""
    n = len(inspection.visits)
    if n <= size:
        yield inspection
        return
    actors = inspection.actors
    owner = actors["visit"].to_numpy() if len(actors) else np.zeros(0, dtype=np.int64)
    # The readers give actors in visit order: each slice's are then one range of rows, a view
    # rather than a copy of every actor column.
    ordered = bool((np.diff(owner) >= 0).all())
    for start in range(0, n, size):
        stop = min(n, start + size)
        if ordered:
            first, last = np.searchsorted(owner, [start, stop])
            own = actors.iloc[first:last].reset_index(drop=True)
        else:
            own = actors[(owner >= start) & (owner < stop)].reset_index(drop=True)
        own["visit"] = own["visit"].to_numpy() - start
        visits = inspection.visits.iloc[start:stop].reset_index(drop=True)
        yield Inspection(visits, own, inspection.sources)


def _offsets(parts: list[tuple[Verdicts, pd.DataFrame]]) -> tuple[int, int]:
    """Rows and actor rows of the partitions kept so far."""
    rows = sum(len(v.visits) for v, _ in parts)
    return rows, sum(len(v.inspection.actors) for v, _ in parts)


def _no_sites() -> pd.DataFrame:
    return pd.DataFrame({"site_id": pd.Series(dtype=str)})


def _compact(
    part: Result, offset: int, actor_offset: int, source_offset: int
) -> tuple[Verdicts, pd.DataFrame]:
    """What site status needs of one scored partition, its positions made global."""
    verdicts = part.verdicts
    found = part.findings
    # Off-site rows have no colour but may report an armed group: their failures name a reason.
    off = (verdicts.visits["reason"] == "row.not-onsite").to_numpy() & (
        verdicts.outcomes == Outcome.FAIL
    ).any(axis=1)
    reported = findings_frame(verdicts, np.flatnonzero(off), scored_only=False)
    # The ids are taken back from the visits: dropped before the rows are filtered.
    failed = _concat([_failed(found), _failed(reported)])
    failed["_position"] = failed["_position"].to_numpy(dtype=np.int64) + offset
    inspection = verdicts.inspection
    raw = inspection.visits
    kept = raw[[c for c in raw.columns if c in KEPT or str(c).startswith("_cell_")]].copy()
    kept["_source"] += source_offset
    for name in kept.columns.difference(["_source", "_row"]):  # places and codes repeat
        kept[name] = kept[name].astype("category")
    kept.index += offset
    actors = inspection.actors[[c for c in ("visit", "slot", "row") if c in inspection.actors]]
    actors = actors.assign(visit=actors["visit"] + offset) if "visit" in actors else actors
    visits = verdicts.visits.copy()
    for name in (*CODES, "site_name", "visit_date"):  # few distinct values in a million rows
        visits[name] = visits[name].astype("category")
    visits.index += offset
    visits["source"] += source_offset
    unknown = verdicts.unrecognised
    actor = unknown["actor"].to_numpy(dtype=np.int64)
    unrecognised = unknown.assign(
        visit=unknown["visit"].to_numpy(dtype=np.int64) + offset,
        actor=np.where(actor >= 0, actor + actor_offset, -1),
    )
    compact = Verdicts(
        inspection=Inspection(kept, actors, []),
        checklists=verdicts.checklists,
        criteria=verdicts.criteria,
        outcomes=verdicts.outcomes,
        evidence=[],
        visits=visits,
        unrecognised=unrecognised,
    )
    return compact, failed


def _failed(findings: pd.DataFrame) -> pd.DataFrame:
    """The failed findings, without the visit and site ids."""
    return findings.drop(columns=["visit_id", "site_id"])[findings["outcome"] == "fail"]


def _merged(
    parts: list[tuple[Verdicts, pd.DataFrame]], sources: list
) -> tuple[Verdicts, pd.DataFrame]:
    """One Verdicts of every partition (no evidence: the failed findings stand for it)."""
    first = parts[0][0]
    inspections = [v.inspection for v, _ in parts]
    inspection = Inspection(
        visits=_concat([i.visits for i in inspections], ignore_index=False),
        actors=pd.concat([i.actors for i in inspections], ignore_index=True),
        sources=sources,
    )
    findings = _concat([f for _, f in parts])
    visits = _concat([v.visits for v, _ in parts], ignore_index=False)
    verdicts = Verdicts(
        inspection=inspection,
        checklists=first.checklists,
        criteria=first.criteria,
        outcomes=np.vstack([v.outcomes for v, _ in parts]),
        evidence=[],
        visits=visits,
        unrecognised=_in_scoring_order(
            pd.concat([v.unrecognised for v, _ in parts], ignore_index=True), first.criteria
        ),
    )
    return verdicts, findings


def _concat(frames: list[pd.DataFrame], *, ignore_index: bool = True) -> pd.DataFrame:
    """The frames one after the other, categorical columns kept categorical: pandas would make
    Python objects of a column whose categories differ between frames (answers, actors)."""
    from pandas.api.types import union_categoricals

    coded = [
        name
        for name in frames[0].columns
        if all(name in f and isinstance(f[name].dtype, pd.CategoricalDtype) for f in frames)
    ]
    # Left out of pd.concat, which would first make text of categories that differ.
    joined = pd.concat([f.drop(columns=coded) for f in frames], ignore_index=ignore_index)
    for name in coded:
        parts = [_as_object_categories(f[name]) for f in frames]
        joined[name] = pd.Categorical(union_categoricals(parts))
    return joined[list(frames[0].columns) + [c for c in joined.columns if c not in frames[0]]]


def _as_object_categories(column: pd.Series) -> pd.Categorical:
    """The categories as Python text, so that every partition's can be joined."""
    values = column.array
    categories = pd.Index(values.categories.astype(object), dtype=object)
    return pd.Categorical.from_codes(values.codes, categories=categories)


def _in_scoring_order(unrecognised: pd.DataFrame, criteria: list) -> pd.DataFrame:
    """Criterion by criterion, rows in input order: as a whole run lists them."""
    order = {c.id: j for j, c in enumerate(criteria)}
    rank = unrecognised["criterion"].map(order)
    keys = pd.DataFrame({"rank": rank, "visit": unrecognised["visit"]})
    return unrecognised.loc[keys.sort_values(["rank", "visit"], kind="stable").index].reset_index(
        drop=True
    )
