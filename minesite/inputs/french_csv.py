"""French Excel "Save as CSV": Windows-1252 (or UTF-8 with BOM for "CSV UTF-8"), `;`-separated,
decimal comma (`-3,0417`)."""

from __future__ import annotations

from pathlib import Path

from minesite.inputs import dialects
from minesite.inputs.delimited import read_delimited
from minesite.inputs.detect import Sniffed
from minesite.inputs.table import Table

_DECIMAL_COMMA = r"-?\d+,\d+"
_NUMBER = r"-?\d+(?:,\d+)?"


def read_french_csv(path: Path, sniffed: Sniffed, *, keep_blank: bool = False) -> Table:
    """A CSV written by Excel in a French locale: numbers with a decimal comma become `-3.0417`
    in columns where every answer is such a number (text answers are left as written)."""
    read = read_delimited(path, sniffed, keep_blank=keep_blank)
    frame = read.frame
    converted = False
    for column in frame.columns:
        values = frame[column].str.strip()
        filled = values[values != ""]
        if len(filled) and filled.str.fullmatch(_NUMBER).all():
            commas = filled.str.fullmatch(_DECIMAL_COMMA)
            if commas.any():
                frame[column] = values.str.replace(",", ".", regex=False)
                converted = True
    encoding = "UTF-8 with BOM" if sniffed.encoding == "utf-8-sig" else sniffed.encoding
    dialect = (("dialect.french-csv", {}), dialects.encoding(encoding, sniffed.delimiter))
    if converted:
        dialect += (("dialect.detail.decimal-comma", {}),)
    return Table(
        frame=frame, dialect=dialect, first_data_row=read.first_data_row, warnings=read.warnings
    )
