"""Checks and normalisations every dialect shares: unique record keys, visit dates as ISO."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minesite.errors import InputError, Position
from minesite.inputs.table import InputWarning
from minesite.limits import check_blank_rows

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: [\d:]+)?")


def check_keys(
    path: Path,
    sheet: str | None,
    frame: pd.DataFrame,
    rows: np.ndarray,
    headers: dict[str, str],
    keys: pa.Array | None = None,
) -> None:
    """Two records with one key (`vid`: `_uuid`, `KEY`...) would be scored as one visit twice.
    `keys`: the frame's `visit_keys`, when the caller has them."""
    if "vid" not in frame.columns:
        return
    given = visit_keys(frame["vid"]) if keys is None else keys
    given = given.filter(pc.not_equal(given, ""))
    if len(pc.unique(given)) == len(given):
        return  # every key once: hashed in Arrow, without a Python string per row
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
    path: Path,
    sheet: str | None,
    frame: pd.DataFrame,
    rows: np.ndarray,
    headers: dict[str, str],
    *,
    dayfirst: bool | None = None,
    french: bool = False,
) -> InputWarning | None:
    """`visit_date` as ISO 8601 (YYYY-MM-DD): ISO and dd/mm/yyyy accepted. A dd/mm date whose day
    and month could be swapped (03/04/2026) is an error unless another row of the file has a
    day above 12, which shows the file writes dd/mm, or a rule gives the order: `dayfirst`
    (--dayfirst True, --monthfirst False) or a French Excel file (`french`), day first.

    Never a silent guess: the rule applied is returned as a note naming a date it decided."""
    if "visit_date" not in frame.columns:
        return None
    column = headers.get("visit_date", "visit_date")
    values = frame["visit_date"].fillna("").str.strip()
    codes, uniques = pd.factorize(values)
    order = dayfirst if dayfirst is not None else (True if french else None)
    parsed: dict[str, str] = {}
    slashed: dict[str, tuple[int, int, int]] = {}

    def row_of(raw: str) -> int:
        return int(rows[int(np.flatnonzero((values == raw).to_numpy())[0])])

    def fail(raw: str, code: str, **params: object) -> InputError:
        return InputError(
            path, code, sheet=sheet, row=row_of(raw), column=column, date=raw, **params
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
            first, second, year = (int(g) for g in dmy.groups())
            slashed[raw] = (first, second, year)
            day, month = (second, first) if order is False else (first, second)
        else:
            raise fail(raw, "input.bad-date")
        try:
            parsed[raw] = dt.date(year, month, day).isoformat()
        except ValueError:
            raise fail(raw, "input.not-a-calendar-date") from None
    # Each distinct date written once, spread back by its codes (no Python string per row).
    iso = pd.array([parsed[raw] for raw in uniques], dtype=values.dtype).take(codes)
    frame["visit_date"] = pd.Series(iso, index=values.index).where(frame["visit_date"].notna())
    shown = any(first > 12 for first, _, _ in slashed.values())
    ambiguous = [raw for raw, (first, second, _) in slashed.items() if first != second]
    if order is None:
        if ambiguous and not shown:
            raw = ambiguous[0]
            day, month, year = slashed[raw]
            raise fail(
                raw,
                "input.ambiguous-date",
                day_first=f"{year}-{month:02d}-{day:02d}",
                month_first=f"{year}-{day:02d}-{month:02d}",
            )
        return None
    if not slashed or (dayfirst is None and (shown or not ambiguous)):
        return None  # French Excel dates that show their order need no rule
    raw = (ambiguous or list(slashed))[0]
    code = {True: "note.dates-day-first-option", False: "note.dates-month-first-option"}
    where = Position(path.name, sheet, row_of(raw), column)
    return InputWarning(
        code.get(dayfirst, "note.dates-day-first-french-excel"),
        where,
        {"date": raw, "iso": parsed[raw]},
    )


def date_order(
    frame: pd.DataFrame, rows: np.ndarray
) -> tuple[tuple[str, int] | None, tuple[str, int] | None, bool]:
    """What `normalise_dates` decides the order from, for a file read in parts: its first
    dd/mm date that could be read either way and its first dd/mm date (each with its row),
    and whether some dd/mm date has a day above 12."""
    if "visit_date" not in frame.columns:
        return None, None, False
    values = frame["visit_date"].fillna("").str.strip()
    ambiguous = slashed = None
    shown = False
    for raw in pd.unique(values):
        dmy = None if _ISO.fullmatch(raw) else _DMY.fullmatch(raw)
        if dmy is None:
            continue
        first, second = int(dmy.group(1)), int(dmy.group(2))
        shown = shown or first > 12
        slashed = slashed or raw
        if ambiguous is None and first != second:
            ambiguous = raw

    def at(raw: str | None) -> tuple[str, int] | None:
        # Looked for once for each of the two dates, not for every distinct date.
        if raw is None:
            return None
        return raw, int(rows[int(np.flatnonzero((values == raw).to_numpy())[0])])

    return at(ambiguous), at(slashed), shown


def visit_keys(column: pd.Series) -> pa.Array:
    """Visit keys as written, stripped, '' when blank: Arrow text, not a Python string each."""
    text = pa.array(column.fillna("").astype(str).str.strip(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    return text.cast(pa.string())


def drop_blank_rows(path: Path, sheet: str | None, frame: pd.DataFrame) -> pd.DataFrame:
    """Trailing blank rows dropped (as Excel and calamine do); blank rows inside the table kept
    (they hold Excel row numbers) but bounded, since each becomes a row of every output."""
    blank = blank_rows(frame)
    filled = np.flatnonzero(~blank)
    end = int(filled[-1]) + 1 if len(filled) else 0
    check_blank_rows(path, int(blank[:end].sum()), sheet=sheet)
    return frame.iloc[:end] if end < len(frame) else frame


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is missing or whitespace."""
    candidates = np.arange(len(frame))
    for column in frame.columns:
        if not len(candidates):
            break
        values = frame[column].iloc[candidates]
        empty = (values.isna() | (values.fillna("").astype(str).str.strip() == "")).to_numpy()
        candidates = candidates[empty]
    blank = np.zeros(len(frame), dtype=bool)
    blank[candidates] = True
    return blank


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
    return replace(without_rows(inspection, repeated), warnings=warnings)


def without_rows(inspection, dropped: np.ndarray):  # noqa: ANN001, ANN201 - Inspection
    """The inspection without the `dropped` visit rows: their actors go, positions renumbered."""
    keep = ~dropped
    new_position = np.cumsum(keep) - 1
    actors = inspection.actors
    if len(actors):
        own = keep[actors["visit"].to_numpy()]
        actors = actors[own].copy()
        actors["visit"] = new_position[actors["visit"].to_numpy()]
        actors = actors.reset_index(drop=True)
    return replace(inspection, visits=inspection.visits[keep].reset_index(drop=True), actors=actors)
