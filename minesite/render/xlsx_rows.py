"""The `<row>` elements of an XLSX sheet built a column at a time with Arrow kernels: texts as
inline strings (each distinct text escaped once), numbers, dates (Excel serial days with the
date style) and booleans typed, blank cells left out, no Python loop over cells."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Tail:
    """One column's cells after their reference: `cells(start, stop)` (null for a blank cell)
    and the bytes of the longest one."""

    cells: Callable[[int, int], pa.Array]
    widest: int

    def __call__(self, start: int, stop: int) -> pa.Array:
        return self.cells(start, stop)


ROW_BYTES = 24  # '<row r="1048576"></row>' and more
REFERENCE_BYTES = 16  # '<c r="XFD1048576'

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LITERAL = re.compile(r"_x[0-9a-fA-F]{4}_")  # read by Excel as an escaped character
_EXCEL_EPOCH = 25569  # 1970-01-01 as an Excel serial day (1900 date system)
_STRING = pa.string()
_OPENING = '" t="inlineStr"><is><t'


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_tail(column: pd.Series, date_style: int) -> Tail:
    """The cells of a typed export column (typed_frame), ready to slice by rows."""
    if pd.api.types.is_datetime64_any_dtype(column):
        days = column.to_numpy(dtype="datetime64[D]").astype(np.int64) + _EXCEL_EPOCH
        serial = pa.array(days, mask=column.isna().to_numpy())
        return _typed(serial, f'" s="{date_style}"><v>')
    if column.dtype == bool:
        return _typed(pa.array(column.to_numpy().astype(np.int8)), '" t="b"><v>')
    if column.dtype.kind in "fiu" or isinstance(column.dtype, pd.Int64Dtype):
        numbers = pa.array(column, from_pandas=True)
        if pa.types.is_floating(numbers.type):  # inf has no cell: blank, like NaN
            numbers = pc.if_else(pc.is_finite(numbers), numbers, pa.scalar(None, numbers.type))
        return _typed(numbers, '"><v>')
    return _texts(column)


def rows(tails: list[Tail], start: int, stop: int, first_row: int) -> pa.Array:
    """`<row>` elements for rows [start, stop), the first numbered `first_row`."""
    numbers = pa.array(np.arange(first_row, first_row + stop - start)).cast(_STRING)
    cells = [
        pc.binary_join_element_wise(f'<c r="{column_letters(j)}', numbers, tail(start, stop), "")
        for j, tail in enumerate(tails)
    ]
    return pc.binary_join_element_wise(
        '<row r="', numbers, '">', *cells, "</row>", "", null_handling="skip"
    )


def utf8_chunks(array: pa.Array) -> Iterator[memoryview]:
    """The bytes of a string array without nulls, in order, without a copy."""
    for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
        if not len(chunk):
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)
        first, last = offsets[chunk.offset], offsets[chunk.offset + len(chunk)]
        yield memoryview(chunk.buffers()[2])[int(first) : int(last)]


def _typed(values: pa.Array, opening: str) -> Tail:
    text = values.cast(_STRING)
    widest = (pc.max(pc.binary_length(text)).as_py() or 0) + len(opening) + len("</v></c>")

    def cells(start: int, stop: int) -> pa.Array:
        return pc.binary_join_element_wise(opening, text.slice(start, stop - start), "</v></c>", "")

    return Tail(cells, widest)


def _texts(column: pd.Series) -> Tail:
    """Inline strings: the column dictionary-encoded, each distinct text escaped once."""
    try:
        values = pa.array(column, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        values = None
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    coded = values is not None and pa.types.is_dictionary(values.type)
    kind = values.type.value_type if coded else None
    if values is None or not _is_text(kind or values.type):
        mixed = pa.array([_cell(v) for v in column.tolist()], type=_STRING)  # rare
        return Tail(lambda start, stop: mixed.slice(start, stop - start), _widest(mixed))
    if kind is None:
        values = pc.dictionary_encode(values.cast(_STRING))
    indices = values.indices
    tails = _inline_all(values.dictionary.cast(_STRING))
    return Tail(lambda start, stop: tails.take(indices.slice(start, stop - start)), _widest(tails))


def _widest(cells: pa.Array) -> int:
    return pc.max(pc.binary_length(cells)).as_py() or 0


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)


def _inline_all(texts: pa.Array) -> pa.Array:
    """`_inline` of every distinct text, with Arrow kernels but for the rare odd characters."""
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        texts = pc.replace_substring(texts, raw, escaped)
    odd = pc.match_substring_regex(texts, r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")
    if pc.any(odd).as_py():
        flags = odd.to_pylist()
        texts = pa.array(
            [_excel(t) if f else t for t, f in zip(texts.to_pylist(), flags, strict=True)], _STRING
        )
    spaced = pc.match_substring_regex(texts, r"^[ \t\n\r]|[ \t\n\r]$")
    opening = pc.if_else(spaced, f'{_OPENING} xml:space="preserve">', f"{_OPENING}>")
    tails = pc.binary_join_element_wise(opening, texts, "</t></is></c>", "")
    return pc.if_else(pc.equal(texts, ""), pa.scalar(None, _STRING), tails)


def _inline(text: str | None) -> str | None:
    """The rest of an inline-string cell, escaped as Excel reads it; None (blank) for ''."""
    if not text:
        return None
    text = _excel(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    space = ' xml:space="preserve"' if text[0] in " \t\n\r" or text[-1] in " \t\n\r" else ""
    return f"{_OPENING}{space}>{text}</t></is></c>"


def _excel(text: str) -> str:
    """Excel's escapes: a literal `_xHHHH_` kept literal, control characters as `_xHHHH_`."""
    text = _LITERAL.sub(lambda m: "_x005F" + m.group(), text)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _cell(value: Any) -> str | None:
    """One cell of a column of mixed Python values (numbers as numbers, the rest as text)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f'"><v>{int(value)}</v></c>'
    if isinstance(value, float | np.floating):
        return f'"><v>{float(value)!r}</v></c>' if np.isfinite(value) else None
    if isinstance(value, dt.date):
        return _inline(value.isoformat())
    return _inline(str(value))
