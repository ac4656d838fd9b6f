"""KoboToolbox CSV (current KPI/formpack export): `;`-separated, every field quoted, UTF-8 without
BOM, CRLF; `group/question` headers (XML names or labels); select-multiple as a space-joined
column plus `question/choice` 1/0 columns left blank when skipped; optional HXL row 2; system
columns `_id`, `_uuid`, `_submission_time`, `_validation_status`, `_index`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from minesite.checklists.vocabulary import normalise
from minesite.inputs import dialects
from minesite.inputs.delimited import read_delimited
from minesite.inputs.detect import Sniffed
from minesite.inputs.kobo_groups import group_separator
from minesite.inputs.table import Table, geopoint_aliases, header_mode, split_select_multiple


def read_kobo_csv(
    path: Path, sniffed: Sniffed, *, keep_blank: bool = False, separator: str | None = None
) -> Table:
    """A current KoboToolbox CSV export (`separator`: its group separator, if known)."""
    read = read_delimited(path, sniffed, keep_blank=keep_blank)
    frame, separator = prepare_kobo(read.frame, separator)
    headers = [str(c) for c in frame.columns]
    dialect = (
        ("dialect.kobo-csv", {}),
        dialects.header_mode(header_mode(headers)),
        dialects.encoding(sniffed.encoding, ";"),
    )
    if read.hxl:
        dialect += (("dialect.detail.hxl-skipped", {}),)
    return Table(
        frame=frame,
        dialect=dialect,
        first_data_row=read.first_data_row,
        separators=(separator,),
        aliases=geopoint_aliases(headers, separator),
        warnings=read.warnings,
    )


def prepare_kobo(frame: pd.DataFrame, separator: str | None = None) -> tuple[pd.DataFrame, str]:
    """Drop what would be read twice: select-multiple detail columns (the summary column holds
    the answer, blank when skipped) and `meta/instanceID` when `_uuid` is the record key; and
    say which group separator the export used (`separator` when the user gave it)."""
    headers = [str(c) for c in frame.columns]
    separator = separator or group_separator(headers)
    drop = set(split_select_multiple(headers, separator))
    if "_uuid" in headers:
        drop |= {h for h in headers if normalise(h).rsplit(separator, 1)[-1] == "instanceid"}
    return frame.drop(columns=[h for h in headers if h in drop]), separator
