"""Text cells that cannot run as formulas when a spreadsheet opens a file, and the CSV that
French Excel opens as columns."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these can run as a formula when a spreadsheet opens the file.
_FORMULA_START = "=+-@\t\r"
_NUMBER = r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$"


def spreadsheet_safe(frame: Any) -> Any:
    """The frame as an Arrow table whose text cells cannot run as formulas in a spreadsheet:
    a cell starting with = + - @ (tab, CR) gets a leading "'"; numbers stay numbers.

    The check runs in Arrow over whole columns; only the few risky cells are seen by Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind in "biuf":
            # A missing number (pandas' NA, NaN) is an empty cell, not the text "nan".
            columns[name] = pa.array(column, from_pandas=True)
            continue
        array = pa.array(column, from_pandas=True)
        if pa.types.is_dictionary(array.type):
            # A categorical is checked on its few distinct values, not on every row.
            values = _formula_safe(pc.fill_null(array.dictionary.cast(pa.string()), ""))
            indices = pc.fill_null(array.indices, len(values))
            columns[name] = pa.DictionaryArray.from_arrays(
                indices, pa.concat_arrays([values, pa.array([""])])
            )
            continue
        columns[name] = _formula_safe(pc.fill_null(array.cast(pa.string()), ""))
    return pa.table(columns)


def _formula_safe(text: Any) -> Any:
    """Arrow strings with a leading "'" on every cell that could run as a formula."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(text, pa.ChunkedArray):  # a column appended in parts
        text = text.combine_chunks()
    # The risky first characters are ASCII, so a cell's first byte tells: read from the
    # offsets, without slicing a million strings. Only those cells meet the number regex.
    at = np.flatnonzero(np.isin(_first_bytes(text), _FORMULA_BYTES))
    if not len(at):
        return text
    candidates = pc.take(text, pa.array(at))
    # "-3.25" is a number, not a formula (every southern latitude): told apart in Arrow.
    number = pc.match_substring_regex(candidates, _NUMBER).to_numpy(zero_copy_only=False)
    at = at[~number]
    if not len(at):
        return text
    risky = np.zeros(len(text), dtype=bool)
    risky[at] = True
    fixed = pc.binary_join_element_wise("'", pc.take(text, pa.array(at)), "")
    return pc.replace_with_mask(text, pa.array(risky), fixed.cast(text.type))


_FORMULA_BYTES = list(_FORMULA_START.encode())


def _first_bytes(text: Any) -> Any:
    """The first byte of every cell of an Arrow string array without nulls (0 when empty)."""
    import numpy as np
    import pyarrow as pa

    first = np.zeros(len(text), dtype=np.uint8)
    _, offsets, data = text.buffers()
    if data is None or not len(text):
        return first
    wide = pa.types.is_large_string(text.type)
    offsets = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)
    offsets = offsets[text.offset : text.offset + len(text) + 1]
    start = offsets[:-1]
    filled = offsets[1:] > start
    first[filled] = np.frombuffer(data, dtype=np.uint8)[start[filled]]
    return first


def write_csv(frame: Any, path: Any) -> None:
    """CSV that French Excel opens as columns: UTF-8 with a BOM, ';'-separated, formula-safe.

    Guarded and written in batches of rows: the Arrow copy of a million sites is never whole."""
    import codecs

    import pyarrow.csv as pacsv

    with open(path, "wb") as handle:
        handle.write(codecs.BOM_UTF8)
        for start in range(0, max(len(frame), 1), BATCH_ROWS):
            batch = frame.iloc[start : start + BATCH_ROWS]
            options = pacsv.WriteOptions(delimiter=";", include_header=start == 0)
            pacsv.write_csv(spreadsheet_safe(batch), handle, write_options=options)


BATCH_ROWS = 100_000
