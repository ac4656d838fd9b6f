"""Parquet files (a data pipeline's partitions): every column read back as the text an export
would have held, so the same vocabularies and checks apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from minesite.errors import InputError
from minesite.inputs.table import Table
from minesite.limits import check_cell_length, check_cells, check_columns

MAGIC = b"PAR1"


def read_parquet(path: Path) -> Table:
    """One row per record, header = row 1 (as the CSV of the same table would number them)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        check_columns(path, len(schema.names))
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(path, "input.parquet-unreadable", reason=reason) from None
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        columns[str(name)] = pc.fill_null(_as_text(column), "")
    frame = pd.DataFrame(
        {name: pd.Series(c.to_pandas(), dtype="str") for name, c in columns.items()}
    )
    if not len(frame):
        raise InputError(path, "input.no-data-row")
    check_cells(path, frame)
    check_cell_length(path, frame)
    return Table(frame=frame, dialect=(("dialect.parquet", {}),))


def _as_text(column: Any) -> Any:
    """A pyarrow column as text: dates as ISO (a midnight timestamp as its day), 1.0 as '1',
    NaN as blank."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        day = pc.strftime(column, format="%Y-%m-%d")
        full = pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
        midnight = pc.equal(pc.cast(pc.cast(column, pa.date32()), kind), column)
        return pc.if_else(midnight, day, full)
    if pa.types.is_floating(kind):
        column = pc.if_else(pc.is_nan(column), pa.scalar(None, kind), column)
        whole = pc.and_(pc.equal(pc.floor(column), column), pc.less(pc.abs(column), 2.0**53))
        integer = pc.cast(pc.cast(pc.if_else(whole, column, 0.0), pa.int64()), pa.string())
        return pc.if_else(whole, integer, pc.cast(column, pa.string()))
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "True", "False")
    return pc.cast(column, pa.string())
