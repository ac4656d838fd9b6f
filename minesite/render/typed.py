"""The export tables with real types for XLSX and Parquet: dates as dates, numbers as numbers,
and one stable Arrow schema per table (an empty table has the same columns and types)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

DATE_COLUMNS = {
    "visit_date",
    "valid_until",
    "remediation_deadline",
    "next_inspection_due",
    "blue_since",
    "since_date",
    "published_date",
}
INT_COLUMNS = {
    "row",
    "decided_by_row",
    "undated_visits",
    "published_row",
    "visit_row",
    "number",
}
FLOAT_COLUMNS = {"latitude", "longitude"}
BOOL_COLUMNS = {"overdue"}


def arrow_type(name: str) -> pa.DataType:
    """The Arrow type of an export column, from its name (the same in every table)."""
    if name in DATE_COLUMNS:
        return pa.date32()
    if name in INT_COLUMNS:
        return pa.int64()
    if name in FLOAT_COLUMNS:
        return pa.float64()
    if name in BOOL_COLUMNS:
        return pa.bool_()
    return pa.string()


def typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates parsed (blank -> NaT), coordinates as floats (blank or text -> NaN)."""
    out = frame.copy()
    for name in out.columns:
        if name in DATE_COLUMNS:
            text = out[name].astype(object).where(out[name].notna(), "").astype(str)
            out[name] = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        elif name in FLOAT_COLUMNS:
            text = out[name].astype(object).where(out[name].notna(), "").astype(str)
            out[name] = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        elif name in INT_COLUMNS:
            out[name] = pd.to_numeric(out[name], errors="coerce").astype("Int64")
        elif name in BOOL_COLUMNS:
            out[name] = out[name].astype(bool)
    return out


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with the export schema."""
    typed = typed_frame(frame)
    arrays = {}
    for name in typed.columns:
        kind = arrow_type(name)
        column: Any = typed[name]
        if kind == pa.string():
            array = pa.array(column, from_pandas=True)
            arrays[name] = array if array.type == kind else array.cast(kind)
            continue
        if kind == pa.date32():
            column = column.dt.date.astype(object).where(column.notna(), None)
        arrays[name] = pa.array(column, type=kind, from_pandas=True)
    schema = pa.schema([(name, arrow_type(name)) for name in typed.columns])
    return pa.table(arrays, schema=schema)
