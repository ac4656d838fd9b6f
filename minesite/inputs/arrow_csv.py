"""Read a UTF-8 CSV with pyarrow's parser into the frame the exact parser gives: every cell a
string ("" when empty), headers named as pandas names them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa


def read_arrow_csv(path: Path, delimiter: str, *, multiline: bool = False) -> pd.DataFrame | None:
    """The table, or None where pyarrow cannot read it (ragged row, bad byte, empty file).

    Straight from the file, not through pandas' pyarrow engine: that reads through a Python
    file object (slower), and before pyarrow 25 it parsed with type inference and then cast to
    text ("007" became "7" with pyarrow 16). Columns are parsed as `large_string`, the
    storage of pandas' `str`, so the conversion to pandas copies nothing.

    `multiline`: some quoted value holds a line break. pyarrow cuts the file into blocks at line
    breaks and gives up when a cut falls inside such a value (149 such rows in 1M IPIS-shaped
    visits: about one file in twenty); it then reads again minding the quotes, ~40% slower,
    where the exact parser would be ~7x slower."""
    import pyarrow as pa

    for newlines in (False, True) if multiline else (False,):
        try:
            names, table = _parse(path, delimiter, newlines)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            continue
        return _frame(table, names)
    return None


def read_arrow_range(
    data: bytes, names: list[str], delimiter: str, *, multiline: bool = False
) -> pd.DataFrame | None:
    """Records of a file without its header (a range of whole records), as `read_arrow_csv`
    reads them; None where pyarrow cannot (a byte that is not UTF-8 included).

    The bytes are checked as UTF-8 at once, as one value (Arrow's SIMD validator), and the
    parser is told not to check each value again: that check was a tenth of the parse."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    from minesite.inputs.detect import valid_utf8

    if not valid_utf8(data):
        return None
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=multiline),
            convert_options=_text(names, check_utf8=False),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    return _frame(table, names)


def _frame(table: pa.Table, names: list[str]) -> pd.DataFrame:
    """pandas' `str` columns over the Arrow text (no copy), named as pandas names them."""
    import pyarrow as pa

    table = table.rename_columns(header_names(names))
    dtype = pd.StringDtype(na_value=np.nan)  # pandas' `str`
    return table.to_pandas(types_mapper={pa.large_string(): dtype}.get)


def _text(names: list[str], *, check_utf8: bool = True):  # noqa: ANN202 - ConvertOptions
    """Every column as `large_string`, nothing read as null."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return pcsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.large_string()),
        null_values=[],
        strings_can_be_null=False,
        check_utf8=check_utf8,
    )


def _parse(path: Path, delimiter: str, newlines: bool) -> tuple[list[str], pa.Table]:
    """The header as written and the table, every column `large_string`."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    parse = pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines)
    # Opened here, never by name: pyarrow would decompress by the extension (.gz, .bz2), and
    # the bytes decide what a file is.
    with pa.OSFile(str(path)) as source, pcsv.open_csv(source, parse_options=parse) as head:
        names = head.schema.names
    with pa.OSFile(str(path)) as source:
        return names, pcsv.read_csv(source, parse_options=parse, convert_options=_text(names))


def header_names(raw: list[str]) -> list[str]:
    """pandas' header names (its C parser's, which its pyarrow engine copies): a blank header is
    `Unnamed: i` (i from 0), a repeated one `x.1`, `x.2`..., skipping a name the header already
    has; named columns are renamed before unnamed ones."""
    names = [name or f"Unnamed: {i}" for i, name in enumerate(raw)]
    unnamed = [i for i, name in enumerate(raw) if not name]
    counts: dict[str, int] = {}
    for i in [i for i, name in enumerate(raw) if name] + unnamed:
        name = original = names[i]
        count = counts.get(name, 0)
        while count > 0:
            counts[original] = count + 1
            name = f"{original}.{count}"
            # Against the names as renamed so far, as pandas does.
            count = count + 1 if name in names else counts.get(name, 0)
        names[i] = name
        counts[name] = count + 1
    return names
