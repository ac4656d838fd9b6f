"""KoboToolbox legacy CSV ("CSV (legacy)", KoboCAT): `,`-separated (Python csv.writer),
`group/question` (or `group.question`) headers, select-multiple detail columns True/False."""

from __future__ import annotations

from pathlib import Path

from minesite.inputs import dialects
from minesite.inputs.delimited import read_delimited
from minesite.inputs.detect import Sniffed
from minesite.inputs.kobo_csv import prepare_kobo
from minesite.inputs.table import Table, header_mode


def read_kobo_legacy_csv(
    path: Path, sniffed: Sniffed, *, keep_blank: bool = False, separator: str | None = None
) -> Table:
    """A legacy KoboToolbox (KoboCAT) CSV export: only the main table (repeats are not in it)."""
    read = read_delimited(path, sniffed, keep_blank=keep_blank)
    frame, separator = prepare_kobo(read.frame, separator)
    headers = [str(c) for c in frame.columns]
    mode = header_mode(headers)
    return Table(
        frame=frame,
        dialect=(
            ("dialect.kobo-legacy", {}),
            dialects.header_mode(mode),
            dialects.encoding(sniffed.encoding, sniffed.delimiter),
        ),
        first_data_row=read.first_data_row,
        separators=(separator, ".") if separator == "/" else (separator,),
        warnings=read.warnings,
    )
