"""The one pipeline every command and notebook runs: read, locate, score, assess -> Result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from minesite.errors import InputError, UsageError, did_you_mean
from minesite.inputs import Inspection, Reading
from minesite.result import Note, Result

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
    from minesite.checklists import load_checklists
    from minesite.inputs import read_inspections
    from minesite.policy import load_policy
    from minesite.scoring import score
    from minesite.sites import assess

    tell = progress or (lambda code, params: None)
    chosen = load_checklists(checklists, profile=profile)
    if inspection is None:
        if paths is None:
            raise UsageError("usage.no-input")
        files = [paths] if isinstance(paths, str | Path) else list(paths)
        tell("progress.reading", {"files": len(files)})
        inspection = read_inspections(files, columns=columns, strict=strict, reading=reading)
    from minesite.checklists.profiles import scope_of

    scored, total, excluded = scope_of(chosen)
    # A scope is never applied silently: every output prints it.
    notes = [Note("profile.scope", {"n": scored, "m": total})] if excluded else []
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
    notes.extend(check_key_columns(inspection))
    # What a reader could not vouch for (stale formula caches, bytes that are not UTF-8, a row
    # index dropped): named in every output; --strict refused them already.
    notes.extend(Note(w.code, w.params, w.position) for w in inspection.warnings)
    tell("progress.scoring", {"rows": len(inspection.visits)})
    verdicts = score(inspection, chosen, strict=strict)
    _check_not_all_blank(verdicts)
    tell("progress.sites", {})
    day = as_of or dt.date.today()
    assessment = assess(verdicts, day, load_policy(profile), history=history)
    if site is not None and not (assessment.sites["site_id"] == site).any():
        ids = assessment.sites["site_id"].tolist()
        lowered = {i.casefold(): i for i in ids}
        hint = lowered.get(site.strip().casefold()) or did_you_mean(site, ids)
        raise UsageError("usage.unknown-site", site=site, hint=hint)
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
    )
    result.notes.extend(_key_cell_notes(result))
    return result


def _check_not_all_blank(verdicts) -> None:  # noqa: ANN001
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
    scored = visits[visits["status"].notna()]
    notes = []
    for column, code in (("visit_date", "note.blank-date"), ("site_id", "note.blank-site")):
        blank = scored[scored[column].fillna("").str.strip() == ""]
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
