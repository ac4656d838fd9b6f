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
    """The frame as an Arrow table with the export schema, converted in Arrow (a Python date
    object per finding cost seconds at a million visits)."""
    arrays = {}
    for name in frame.columns:
        kind = arrow_type(name)
        column: Any = frame[name]
        if kind in (pa.int64(), pa.bool_()):
            typed = typed_frame(frame[[name]])[name]
            arrays[name] = pa.array(typed, type=kind, from_pandas=True)
            continue
        array = pa.array(column, from_pandas=True)
        if kind == pa.date32():
            arrays[name] = _dates(array)
        elif kind == pa.float64():
            arrays[name] = _numbers(array)
        else:
            arrays[name] = array if array.type == kind else array.cast(kind)
    schema = pa.schema([(name, arrow_type(name)) for name in frame.columns])
    return pa.table(arrays, schema=schema)


_NUMBER = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"


def _dates(array: pa.Array) -> pa.Array:
    """ISO dates (the first 10 characters) as date32; anything else null."""
    import pyarrow.compute as pc

    if pa.types.is_date(array.type) or pa.types.is_timestamp(array.type):
        return array.cast(pa.date32())
    text = pc.utf8_slice_codeunits(array.cast(pa.string()), 0, 10)
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    return parsed.cast(pa.date32())


def _numbers(array: pa.Array) -> pa.Array:
    """Decimal text ('-2,73' or '-2.73') as float64; blank or anything else null."""
    import pyarrow.compute as pc

    if pa.types.is_floating(array.type) or pa.types.is_integer(array.type):
        return array.cast(pa.float64())
    text = pc.replace_substring(array.cast(pa.string()), ",", ".")
    valid = pc.match_substring_regex(text, _NUMBER)
    kept = pc.if_else(valid, pc.utf8_trim_whitespace(text), pa.scalar(None, pa.string()))
    return kept.cast(pa.float64())
