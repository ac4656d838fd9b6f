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
            columns[name] = pa.array(column.to_numpy())
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

    first = pc.utf8_slice_codeunits(text, 0, 1)
    starts = pa.array(list(_FORMULA_START))
    # "-3.25" is a number, not a formula (every southern latitude): told apart in Arrow.
    risky = pc.and_(
        pc.is_in(first, value_set=starts),
        pc.invert(pc.match_substring_regex(text, _NUMBER)),
    )
    at = np.flatnonzero(risky.to_numpy(zero_copy_only=False))
    if not len(at):
        return text
    fixed = pc.binary_join_element_wise("'", pc.take(text, pa.array(at)), "")
    return pc.replace_with_mask(text, risky, fixed.cast(text.type))


def write_csv(frame: Any, path: Any) -> None:
    """CSV that French Excel opens as columns: UTF-8 with a BOM, ';'-separated, formula-safe."""
    import codecs

    import pyarrow.csv as pacsv

    with open(path, "wb") as handle:
        handle.write(codecs.BOM_UTF8)
        pacsv.write_csv(
            spreadsheet_safe(frame), handle, write_options=pacsv.WriteOptions(delimiter=";")
        )
