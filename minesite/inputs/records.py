"""Checks and normalisations every dialect shares: unique record keys, visit dates as ISO."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError, Position
from minesite.inputs.table import InputWarning
from minesite.limits import check_blank_rows

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: [\d:]+)?")


def check_keys(
    path: Path, sheet: str | None, frame: pd.DataFrame, rows: np.ndarray, headers: dict[str, str]
) -> None:
    """Two records with one key (`vid`: `_uuid`, `KEY`...) would be scored as one visit twice."""
    if "vid" not in frame.columns:
        return
    keys = frame["vid"].fillna("").str.strip()
    repeated = keys[(keys != "") & keys.duplicated()]
    if len(repeated):
        position = keys.index.get_loc(repeated.index[0])
        first = int(np.flatnonzero((keys == repeated.iat[0]).to_numpy())[0])
        raise InputError(
            path,
            "input.duplicate-key",
            key_value=repeated.iat[0],
            first_row=int(rows[first]),
            sheet=sheet,
            row=int(rows[position]),
            column=headers.get("vid", "vid"),
        )


def normalise_dates(
    path: Path, sheet: str | None, frame: pd.DataFrame, rows: np.ndarray, headers: dict[str, str]
) -> None:
    """`visit_date` as ISO 8601 (YYYY-MM-DD): ISO and dd/mm/yyyy accepted. A dd/mm date whose day
    and month could be swapped (03/04/2026) is an error unless another row of the file has a
    day above 12, which shows the file writes dd/mm."""
    if "visit_date" not in frame.columns:
        return
    column = headers.get("visit_date", "visit_date")
    values = frame["visit_date"].fillna("").str.strip()
    uniques = pd.unique(values)
    parsed: dict[str, str] = {}
    slashed: dict[str, tuple[int, int, int]] = {}

    def fail(raw: str, code: str, **params: object) -> InputError:
        at = int(np.flatnonzero((values == raw).to_numpy())[0])
        return InputError(
            path, code, sheet=sheet, row=int(rows[at]), column=column, date=raw, **params
        )

    for raw in uniques:
        if not raw:
            parsed[raw] = raw
            continue
        iso = _ISO.fullmatch(raw)
        dmy = _DMY.fullmatch(raw)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
        elif dmy:
            day, month, year = (int(g) for g in dmy.groups())
            slashed[raw] = (day, month, year)
        else:
            raise fail(raw, "input.bad-date")
        try:
            parsed[raw] = dt.date(year, month, day).isoformat()
        except ValueError:
            raise fail(raw, "input.not-a-calendar-date") from None
    if slashed and not any(day > 12 for day, _, _ in slashed.values()):
        ambiguous = [raw for raw, (day, month, _) in slashed.items() if day != month]
        if ambiguous:
            raw = ambiguous[0]
            day, month, year = slashed[raw]
            raise fail(
                raw,
                "input.ambiguous-date",
                day_first=f"{year}-{month:02d}-{day:02d}",
                month_first=f"{year}-{day:02d}-{month:02d}",
            )
    frame["visit_date"] = values.map(parsed).where(frame["visit_date"].notna())


def drop_blank_rows(path: Path, sheet: str | None, frame: pd.DataFrame) -> pd.DataFrame:
    """Trailing blank rows dropped (as Excel and calamine do); blank rows inside the table kept
    (they hold Excel row numbers) but bounded, since each becomes a row of every output."""
    n = len(frame)
    candidates = np.arange(n)
    for column in frame.columns:
        if not len(candidates):
            break
        values = frame[column].iloc[candidates]
        empty = (values.isna() | (values.fillna("").astype(str).str.strip() == "")).to_numpy()
        candidates = candidates[empty]
    blank = np.zeros(n, dtype=bool)
    blank[candidates] = True
    filled = np.flatnonzero(~blank)
    end = int(filled[-1]) + 1 if len(filled) else 0
    check_blank_rows(path, int(blank[:end].sum()), sheet=sheet)
    return frame.iloc[:end] if end < n else frame


def drop_repeated_visits(inspection, *, strict: bool):  # noqa: ANN001, ANN201 - Inspection
    """The same visit key in two files is one visit: a row repeated with the same answers is
    read once and named (a warning); a key repeated with other answers is an error."""
    visits = inspection.visits
    if "vid" not in visits.columns:
        return inspection
    keys = visits["vid"].fillna("").astype(str).str.strip()
    repeated = ((keys != "") & keys.duplicated()).to_numpy()
    if not repeated.any():
        return inspection
    first_of = pd.Series(np.arange(len(keys)), index=keys).groupby(level=0).transform("first")
    first = first_of.to_numpy()[repeated]
    later = np.flatnonzero(repeated)
    data = [c for c in visits.columns if not str(c).startswith("_")]
    a = visits[data].iloc[first].reset_index(drop=True)
    b = visits[data].iloc[later].reset_index(drop=True)
    same = ((a.fillna("") == b.fillna("")) | a.isna() | b.isna()).all(axis=1).to_numpy()

    def where(position: int) -> tuple[object, int]:
        source = inspection.sources[int(visits["_source"].iat[position])]
        return source, int(visits["_row"].iat[position])

    warnings = list(inspection.warnings)
    reported: set[int] = set()
    for k, position in enumerate(later):
        source, row = where(int(position))
        origin, origin_row = where(int(first[k]))
        params = {
            "key_value": keys.iat[position],
            "file": origin.path.name,
            "first_row": origin_row,
        }
        column = source.headers.get("vid", "vid")
        if strict or not same[k]:
            code = "input.repeated-visit" if same[k] else "input.repeated-visit-differs"
            raise InputError(
                source.path, code, sheet=source.sheet, row=row, column=column, count=1, **params
            )
        index = int(visits["_source"].iat[position])
        if index not in reported:  # one warning per file, with the count and the first visit
            reported.add(index)
            count = int((visits["_source"].to_numpy()[later] == index).sum())
            warnings.append(
                InputWarning(
                    "input.repeated-visit",
                    Position(source.path.name, source.sheet, row, column),
                    {**params, "count": count},
                )
            )
    keep = ~repeated
    new_position = np.cumsum(keep) - 1
    actors = inspection.actors
    if len(actors):
        own = keep[actors["visit"].to_numpy()]
        actors = actors[own].copy()
        actors["visit"] = new_position[actors["visit"].to_numpy()]
        actors = actors.reset_index(drop=True)
    return replace(
        inspection,
        visits=visits[keep].reset_index(drop=True),
        actors=actors,
        warnings=warnings,
    )
