"""Inspections from pandas DataFrames already in memory (a notebook, a database query)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError
from minesite.inputs import Inspection, SourceFile
from minesite.inputs.columns import canonical_names, load_column_map, melt_wide_actors
from minesite.inputs.records import check_keys, normalise_dates

FRAME_NAME = "<DataFrame>"


def inspection_from_frames(
    visits: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    name: str = FRAME_NAME,
    columns: Path | None = None,
) -> Inspection:
    """One visit per row of `visits` (headers as any export writes them: canonical names or
    known aliases); actors written side by side (armed_group1, type_armed_group1...) or given as
    `actors`, one per row with a `visit` column holding the position of its visit row.

    Rows are numbered as a spreadsheet would show them (header = row 1)."""
    path = Path(name)
    if not len(visits):
        raise InputError(path, "input.no-data-row")
    column_map = load_column_map(columns)
    frame = _as_text(visits)
    renamed = canonical_names(path, None, [str(c) for c in frame.columns], column_map)
    frame.columns = [str(c) for c in frame.columns]
    frame = frame.rename(columns=renamed).reset_index(drop=True)
    headers = {canonical: original for original, canonical in renamed.items()}
    rows = np.arange(len(frame), dtype=np.int64) + 2
    check_keys(path, None, frame, rows, headers)
    normalise_dates(path, None, frame, rows, headers)
    if actors is None:
        actor_columns = {
            field: template
            for field, template in column_map.actor_wide.items()
            if template.format(n=1) in frame.columns
        }
        actor_frame = melt_wide_actors(frame, actor_columns)
        actor_frame["row"] = np.int64(-1)
        actor_headers: dict[str, str] = {}
    else:
        actor_frame, actor_headers = _actors(path, actors, len(frame))
        actor_columns = {f: f for f in actor_headers}
    frame["_row"] = rows
    frame["_source"] = 0
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    source = SourceFile(
        path=path,
        sheet=None,
        dialect="pandas DataFrame",
        dialect_parts=(("dialect.dataframe", {}),),
        sha256=digest.hexdigest(),
        rows=len(frame),
        header_row=1,
        headers=headers,
        actor_columns=actor_columns,
        actor_sheet="actors" if actors is not None else None,
        actor_headers=actor_headers,
    )
    return Inspection(visits=frame, actors=actor_frame, sources=[source])


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as a string ('' for missing), as the file readers give them."""
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        column = frame[name]
        text = column.astype(object).where(column.notna(), "")
        out[name] = text.map(lambda v: v if isinstance(v, str) else _scalar(v))
    return out


def _scalar(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def _actors(path: Path, actors: pd.DataFrame, n_visits: int) -> tuple[pd.DataFrame, dict]:
    if "visit" not in actors.columns:
        raise InputError(path, "input.actors-need-visit", sheet="actors", column="visit")
    visit = pd.to_numeric(actors["visit"], errors="coerce")
    bad = visit.isna() | (visit < 0) | (visit >= n_visits)
    if bad.any():
        at = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            path,
            "input.actor-visit-out-of-range",
            sheet="actors",
            row=at + 2,
            column="visit",
            visits=n_visits,
        )
    fields = [c for c in actors.columns if c != "visit"]
    out = _as_text(actors[fields]).reset_index(drop=True)
    out.insert(0, "row", np.arange(len(out), dtype=np.int64) + 2)
    codes = visit.to_numpy(dtype=np.int64)
    out.insert(0, "slot", pd.Series(codes).groupby(codes).cumcount().to_numpy() + 1)
    out.insert(0, "visit", codes)
    out = out.sort_values(["visit", "slot"], kind="stable").reset_index(drop=True)
    return out, {f: f for f in fields}
