"""Checks and normalisations every dialect shares: unique record keys, visit dates as ISO."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError

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
            f'duplicate record key "{repeated.iat[0]}" (also on row {int(rows[first])})',
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

    def fail(raw: str, message: str) -> InputError:
        at = int(np.flatnonzero((values == raw).to_numpy())[0])
        return InputError(path, message, sheet=sheet, row=int(rows[at]), column=column)

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
            raise fail(raw, f'date "{raw}" is neither YYYY-MM-DD nor dd/mm/yyyy')
        try:
            parsed[raw] = dt.date(year, month, day).isoformat()
        except ValueError:
            raise fail(
                raw, f'"{raw}" is not a calendar date (expected YYYY-MM-DD or dd/mm/yyyy)'
            ) from None
    if slashed and not any(day > 12 for day, _, _ in slashed.values()):
        ambiguous = [raw for raw, (day, month, _) in slashed.items() if day != month]
        if ambiguous:
            raw = ambiguous[0]
            day, month, year = slashed[raw]
            raise fail(
                raw,
                f'ambiguous date "{raw}": {day:02d} {_month(month)} or {month:02d} {_month(day)} '
                f"{year}? No row of the file has a day above 12; write it as "
                f"{year}-{month:02d}-{day:02d}",
            )
    frame["visit_date"] = values.map(parsed).where(frame["visit_date"].notna())


def _month(number: int) -> str:
    return dt.date(2000, number, 1).strftime("%B")
