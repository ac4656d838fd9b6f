"""Read one large plain CSV a range of rows at a time, the rules that need the whole file (unique
keys, the order of dd/mm dates, the cell limit, trailing blank rows) decided over every range:
the visits of one read, without the whole file's table in memory at once."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minesite.errors import InputError
from minesite.inputs import dialects
from minesite.inputs.arrow_csv import header_names, read_arrow_range
from minesite.inputs.columns import ColumnMap, canonical_names, melt_wide_actors, slot_column
from minesite.inputs.csv_checks import check_repeated_header, is_hxl
from minesite.inputs.csv_scan import scan
from minesite.inputs.detect import csv_dialect, header_fields, sniff
from minesite.inputs.form_labels import form_labels
from minesite.inputs.inspection import Inspection, SourceFile
from minesite.inputs.reading import Reading
from minesite.inputs.records import (
    blank_rows,
    check_keys,
    date_order,
    normalise_dates,
    visit_keys,
)
from minesite.inputs.table import InputWarning
from minesite.limits import check_blank_rows, check_cell_length, check_table_cells, current

_SEPARATORS = ("/",)
"""Group separators a plain CSV's headers are matched with (Table's default)."""
_WIDE = 1000
"""Columns above which a file is read whole (see delimited._WIDE)."""


@dataclass
class Ranges:
    """A plain UTF-8 CSV cut at record boundaries, read a range at a time."""

    path: Path
    names: list[str]
    """The header as written."""
    renamed: dict[str, str]
    """Header -> canonical name."""
    bounds: list[tuple[int, int]]
    """Byte range of each range of records (the header excluded)."""
    delimiter: str
    multiline: bool
    """Some quoted value holds a line break (pyarrow is told)."""
    long_line: bool
    dayfirst: bool | None
    """The order of dd/mm dates an option gave (None: the file must show it)."""
    source: SourceFile
    """The file as every range names it; `rows` is set once every range has been read."""
    first: pd.DataFrame
    """The first range, read to look at its first record (a HXL row is read whole)."""
    notes: list[InputWarning] = field(default_factory=list)
    """The rule the dates were read by, once every range has been read."""

    def inspections(self) -> Iterator[Inspection]:
        """Each range as an Inspection (the last without the file's trailing blank rows). What
        needs the whole file is decided over the ranges read so far, and said at the end: an
        error raised then is the one the file holds, not always the one a single read names
        first (see partitions)."""
        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="minesite-range")
        try:
            yield from self._ranges(ahead)
        finally:
            ahead.shutdown(wait=True, cancel_futures=True)

    def _ranges(self, ahead: ThreadPoolExecutor) -> Iterator[Inspection]:
        start = 0  # position of the next row in the file
        internal = 0  # blank rows followed by a filled one
        held: pd.DataFrame | None = None  # blank rows at the end of the ranges read so far
        given = 0
        keys = _Keys(self.path, self.source.headers.get("vid", "vid"))
        order: list = [None, None, False]  # first ambiguous date, first dd/mm date, shown
        following = None
        for number in range(len(self.bounds)):
            frame, actors = (self.first, None) if number == 0 else following.result()
            self.first = pd.DataFrame()
            # The next range parsed and its actors melted while this one is scored (pyarrow
            # lets go of the GIL).
            if number + 1 < len(self.bounds):
                following = ahead.submit(self._read, *self.bounds[number + 1])
            check_repeated_header(self.path, frame, 2 + start, None)
            if self.long_line:
                check_cell_length(self.path, frame, first_row=2 + start)
            start += len(frame)
            frame = frame.rename(columns=self.renamed)
            if actors is None:
                actors = melt_wide_actors(frame, self.source.actor_columns)
            if held is not None:
                # A blank row has no actor: the actors only move down by the rows held.
                actors = actors.assign(visit=actors["visit"].to_numpy() + len(held))
                frame = pd.concat([held, frame], ignore_index=True)
            blank = blank_rows(frame)
            filled = np.flatnonzero(~blank)
            if not len(filled):
                held = frame
                continue
            cut = int(filled[-1]) + 1
            internal += int(blank[:cut].sum())
            check_blank_rows(self.path, internal)
            held = frame.iloc[cut:] if cut < len(frame) else None
            frame = frame.iloc[:cut].reset_index(drop=True)
            rows = np.arange(cut, dtype=np.int64) + 2 + given
            keys.check(frame, rows)
            ambiguous, slashed, shown = date_order(frame, rows)
            order = [order[0] or ambiguous, order[1] or slashed, order[2] or shown]
            # Every dd/mm date is read day first unless --monthfirst: the order is checked below.
            dayfirst = True if self.dayfirst is None else self.dayfirst
            normalise_dates(self.path, None, frame, rows, self.source.headers, dayfirst=dayfirst)
            yield self._inspection(frame, actors, rows)
            given += cut
        keys.finish()
        check_table_cells(self.path, start, len(self.names))
        if not given:
            raise InputError(self.path, "input.no-data-row")
        self.notes = self._date_rule(*order)
        self.source = replace(self.source, rows=given)

    def _date_rule(
        self, ambiguous: tuple[str, int] | None, slashed: tuple[str, int] | None, shown: bool
    ) -> list[InputWarning]:
        """The whole file's dates: refused when none shows its order and none was given, else
        the rule applied, named at the date a single read names (its first such date)."""
        if slashed is None or (self.dayfirst is None and (shown or ambiguous is None)):
            return []
        raw, row = ambiguous or slashed
        one = pd.DataFrame({"visit_date": pd.Series([raw], dtype=str)})
        rule = normalise_dates(
            self.path, None, one, np.array([row]), self.source.headers, dayfirst=self.dayfirst
        )
        return [rule] if rule else []

    def _read(self, begin: int, end: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A range's records, and its actors (melted from the canonical names)."""
        data = _bytes(self.path, begin, end)
        frame = read_arrow_range(data, self.names, self.delimiter, multiline=self.multiline)
        if frame is None:  # a ragged row: the file is then read whole, which names its row
            raise InputError(self.path, "input.unreadable-csv", reason="range")
        renamed = frame.rename(columns=self.renamed)
        return frame, melt_wide_actors(renamed, self.source.actor_columns)

    def _inspection(
        self, frame: pd.DataFrame, actors: pd.DataFrame, rows: np.ndarray
    ) -> Inspection:
        actors["row"] = np.int64(-1)
        frame["_row"] = rows
        frame["_source"] = 0
        return Inspection(visits=frame, actors=actors, sources=[self.source])


class _Keys:
    """Visit keys of the ranges read so far: two records with one key are an error (as
    `check_keys` says of one table), within a range at once, across ranges once all are read
    (one hash pass: a look-up per range against all earlier keys grew with their square)."""

    def __init__(self, path: Path, header: str) -> None:
        self.path = path
        self.header = header
        self.seen: list[pa.Array] = []
        self.rows: list[np.ndarray] = []

    def check(self, frame: pd.DataFrame, rows: np.ndarray) -> None:
        if "vid" not in frame.columns:
            return
        keys = visit_keys(frame["vid"])
        check_keys(self.path, None, frame, rows, {"vid": self.header}, keys)
        own = np.flatnonzero(pc.not_equal(keys, "").to_numpy(zero_copy_only=False))
        self.seen.append(keys.take(pa.array(own)))
        self.rows.append(rows[own])

    def finish(self) -> None:
        """The first record whose key an earlier range gave, as an error."""
        if len(self.seen) < 2:
            return
        keys = pa.concat_arrays(self.seen)
        if len(pc.unique(keys)) == len(keys):
            return
        text = pd.Series(keys.to_pandas())
        again = int(np.flatnonzero(text.duplicated().to_numpy())[0])
        first = int(np.flatnonzero((text == text.iat[again]).to_numpy())[0])
        rows = np.concatenate(self.rows)
        raise InputError(
            self.path,
            "input.duplicate-key",
            key_value=text.iat[again],
            first_row=int(rows[first]),
            row=int(rows[again]),
            column=self.header,
        )


def plan_ranges(path: Path, column_map: ColumnMap, reading: Reading, rows: int) -> Ranges | None:
    """The file cut in ranges of about `rows` records, or None where it is read whole: not a
    plain UTF-8 CSV the fast parser reads, or small, or a header or first row that needs the
    whole table (blank or grouped headers, a HXL row), or an error in its keys or dates."""
    from minesite.inputs.reader import _HASHING, _sha256

    sniffed = sniff(path, reading)
    if sniffed.kind != "csv" or sniffed.invalid_utf8:
        return None
    if (sniffed.encoding or "utf-8") not in ("utf-8", "utf-8-sig"):
        return None
    delimiter = sniffed.delimiter or ","
    headers = header_fields(path, sniffed)
    kind = csv_dialect(headers, sniffed)
    if kind not in ("ipis", "csv"):
        return None
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.readline()
        sample = handle.read(1 << 18)
    lines = max(1, sample.count(b"\n"))
    per_range = max(1, rows * len(sample) // lines)
    body = header.rstrip(b"\r\n")
    if size < 2 * per_range or not body.strip(b"\r") or body.count(delimiter.encode()) > _WIDE:
        return None
    if body.find(codecs.BOM_UTF8, 3 if body.startswith(codecs.BOM_UTF8) else 0) >= 0:
        return None
    names = [h.replace("\ufeff", "") for h in headers]
    if any(not n.strip() or any(s in n for s in _SEPARATORS) for n in names):
        return None
    if len(set(names)) < len(names) or header_names(names) != names:
        return None
    if len(names) > current().columns:
        return None  # one read names the limit
    # The digest, hashed beside the scan and the first range (hashlib lets go of the GIL).
    digest = _HASHING.submit(_sha256, path)
    scanned = scan(path, delimiter, current().cell_chars, every=per_range)
    if scanned.exact or len(scanned.cuts) < 2:
        return None
    multiline = scanned.multiline
    bounds = list(zip(scanned.cuts, [*scanned.cuts[1:], size], strict=True))
    first = read_arrow_range(_bytes(path, *bounds[0]), names, delimiter, multiline=multiline)
    if first is None or is_hxl(first):
        return None
    labels = form_labels()
    try:
        renamed = canonical_names(
            path, None, names, column_map, aliases={**labels.questions, **column_map.aliases}
        )
    except InputError:
        return None  # one read names it
    headers_of = {canonical: original for original, canonical in renamed.items()}
    parts = (
        ("dialect.ipis-csv" if kind == "ipis" else "dialect.csv", {}),
        dialects.encoding(sniffed.encoding, sniffed.delimiter),
    )
    canonical = set(renamed.values())
    source = SourceFile(
        path=path,
        sheet=None,
        dialect=dialects.words(parts, "en"),
        sha256=digest.result(),
        rows=0,
        header_row=1,
        headers=headers_of,
        actor_columns={
            name: template
            for name, template in column_map.actor_wide.items()
            if slot_column(template, 1) in canonical
        },
        dialect_parts=parts,
    )
    return Ranges(
        path=path,
        names=names,
        renamed=renamed,
        bounds=bounds,
        delimiter=delimiter,
        multiline=multiline,
        long_line=scanned.long_line,
        dayfirst=reading.dayfirst,
        source=source,
        first=first,
    )


def _bytes(path: Path, begin: int, end: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(begin)
        return handle.read(end - begin)
