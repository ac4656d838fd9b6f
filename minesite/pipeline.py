"""The one pipeline every command and notebook runs: read, locate, score, assess -> Result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from minesite.errors import InputError, UsageError, did_you_mean
from minesite.inputs import Inspection, Reading
from minesite.result import Note, Result
from minesite.verdicts import Verdicts

KEY_COLUMNS = {"pcode": "input.no-site-column", "visit_date": "input.no-date-column"}
"""Columns without which a site's status cannot be decided: their absence is an error."""


def run(
    paths: Sequence[Path | str] | Path | str | None = None,
    *,
    inspection: Inspection | None = None,
    checklists: Sequence[str | Path] = (),
    profile: str = "icglr",
    as_of: dt.date | None = None,
    history: bool = False,
    site: str | None = None,
    cadastre: Path | None = None,
    cadastre_config: Path | None = None,
    columns: Path | None = None,
    strict: bool = False,
    reading: Reading | None = None,
    progress: Callable[[str, dict], None] | None = None,
) -> Result:
    """Score inspection files (or an Inspection) and assess each site as of a date.

    `progress(code, params)` hears each step (for a progress display). `site` keeps only that
    site in the result (an unknown id is an error); `history` gives each site's status at its
    latest visit, with no expiry."""
    from minesite.inputs import read_inspections

    tell = progress or (lambda code, params: None)
    chosen, notes = prepare(checklists, profile)
    if inspection is None:
        if paths is None:
            raise UsageError("usage.no-input")
        from minesite.inputs.folders import expand_folders

        files = expand_folders([paths] if isinstance(paths, str | Path) else list(paths))
        tell("progress.reading", {"files": len(files)})
        inspection = read_inspections(files, columns=columns, strict=strict, reading=reading)
    titles = None
    if cadastre is not None:
        from minesite.cadastre import apply_cadastre, load_titles

        tell("progress.cadastre", {"file": Path(cadastre).name})
        titles = load_titles(cadastre, cadastre_config)
        notes.extend(
            Note("note.polygon-repaired", {"file": Path(cadastre).name, "title": str(title)})
            for title in titles.repaired
        )
        inspection = apply_cadastre(inspection, titles)
    verdicts = score_inspection(inspection, chosen, notes, strict=strict, tell=tell)
    return assemble(
        verdicts, profile, notes, as_of=as_of, history=history, site=site, titles=titles, tell=tell
    )


def prepare(checklists: Sequence[str | Path], profile: str) -> tuple[list, list[Note]]:
    """The checklists of a run and its first note: the profile's scope, never applied silently."""
    from minesite.checklists import load_checklists
    from minesite.checklists.profiles import scope_of

    chosen = load_checklists(checklists, profile=profile)
    scored, total, excluded = scope_of(chosen)
    return chosen, [Note("profile.scope", {"n": scored, "m": total})] if excluded else []


def score_inspection(
    inspection: Inspection,
    chosen: list,
    notes: list[Note],
    *,
    strict: bool = False,
    tell: Callable[[str, dict], None] = lambda code, params: None,
) -> Verdicts:
    """Key columns checked, the readers' warnings noted, every row scored."""
    from minesite.scoring import score

    notes.extend(inspection_notes(inspection))
    tell("progress.scoring", {"rows": len(inspection.visits)})
    verdicts = score(inspection, chosen, strict=strict)
    check_not_all_blank(verdicts)
    return verdicts


def inspection_notes(inspection: Inspection) -> list[Note]:
    """Key columns checked (an error when a site or date column is missing), and what a reader
    could not vouch for (stale formula caches, bytes that are not UTF-8, a row index dropped),
    named in every output; --strict refused those already."""
    notes = check_key_columns(inspection)
    return notes + [Note(w.code, w.params, w.position) for w in inspection.warnings]


def assemble(
    verdicts: Verdicts,
    profile: str,
    notes: list[Note],
    *,
    as_of: dt.date | None = None,
    history: bool = False,
    site: str | None = None,
    titles: Any = None,
    findings: pd.DataFrame | None = None,
    tell: Callable[[str, dict], None] = lambda code, params: None,
) -> Result:
    """Sites assessed as of a date (or at each latest visit), the site asked for checked, and
    the Result every renderer reads."""
    from minesite.policy import load_policy
    from minesite.sites import assess

    tell("progress.sites", {})
    day = as_of or dt.date.today()
    assessment = assess(verdicts, day, load_policy(profile), history=history)
    if site is not None and not (assessment.sites["site_id"] == site).any():
        ids = assessment.sites["site_id"].tolist()
        lowered = {i.casefold(): i for i in ids}
        hint = lowered.get(site.strip().casefold()) or did_you_mean(site, ids)
        raise UsageError("usage.unknown-site", site=site, hint=hint)
    chosen = verdicts.checklists
    result = Result(
        verdicts=verdicts,
        all_sites=assessment.sites,
        all_conflicts=assessment.conflicts,
        as_of=day,
        # The profile the checklists were loaded under: a label cannot claim another.
        profile=chosen[0].profile if chosen else profile,
        history=history,
        site=site,
        notes=notes,
        titles=titles,
        given_findings=findings,
    )
    result.notes.extend(_key_cell_notes(result))
    return result


def check_not_all_blank(verdicts: Verdicts) -> None:
    """A table whose rows are all blank holds no visit: never read it as "all green"."""
    visits = verdicts.visits
    empty = (visits["reason"] == "row.empty").to_numpy()
    for k, source in enumerate(verdicts.inspection.sources):
        mine = (visits["source"] == k).to_numpy()
        if mine.any() and empty[mine].all():
            raise InputError(
                source.path, "input.all-rows-blank", sheet=source.sheet, rows=int(mine.sum())
            )


def check_key_columns(inspection: Inspection) -> list[Note]:
    """A file without a site id or a visit date column is an error naming what to map; a file
    without a visit id or an on-site flag is read with the row as key, every visit on site."""
    notes: list[Note] = []
    used = np.unique(inspection.visits["_source"].to_numpy()) if len(inspection.visits) else []
    for k in used:
        source = inspection.sources[int(k)]
        for column, code in KEY_COLUMNS.items():
            if column not in source.headers:
                near = _near(column, source)
                hint = near[0] if near else did_you_mean(column, source.headers.values())
                raise InputError(
                    source.path, code, sheet=source.sheet, row=source.header_row, hint=hint
                )
        for column, code in (("vid", "note.no-visit-id"), ("visit_onsite", "note.no-onsite")):
            if column not in source.headers:
                notes.append(Note(code, {"file": source.path.name, "sheet": source.sheet or ""}))
    return notes


def _near(column: str, source) -> list[str]:  # noqa: ANN001
    """Headers that look like the key column (a renamed "Date visite" for visit_date)."""
    words = {"visit_date": ("date",), "pcode": ("site", "code")}[column]
    unmapped = [h for canonical, h in source.headers.items() if canonical == h]
    return [h for h in unmapped if any(w in h.casefold() for w in words)]


def _key_cell_notes(result: Result) -> list[Note]:
    """Scored visits whose date or site id cell is blank: named with their cell."""
    visits = result.visits
    scored = visits["status"].notna().to_numpy()
    notes = []
    for column, code in (("visit_date", "note.blank-date"), ("site_id", "note.blank-site")):
        # A mask, not a copy of every scored visit (3M rows in a partitioned run).
        empty = (visits[column].fillna("").str.strip() == "").to_numpy() & scored
        blank = visits.loc[empty, ["visit_id"]]
        for position in blank.index[:50]:
            source, row, header = result.inspection.cell(
                int(position), "visit_date" if column == "visit_date" else "pcode"
            )
            notes.append(
                Note(
                    code,
                    {
                        "visit": str(blank.at[position, "visit_id"]),
                        "file": source.path.name,
                        "sheet": source.sheet or "",
                        "row": row,
                        "column": header,
                    },
                )
            )
        if len(blank) > 50:
            notes.append(Note("note.more", {"count": len(blank) - 50}))
    return notes
