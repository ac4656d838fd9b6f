"""Read inspection exports (CSV, XLSX, Parquet, ODK zips) into one canonical Inspection."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError
from minesite.inputs import dialects
from minesite.inputs.columns import (
    ColumnMap,
    canonical_names,
    load_column_map,
    melt_wide_actors,
    slot_column,
)
from minesite.inputs.delimited import read_delimited
from minesite.inputs.detect import IPIS_MARKERS, csv_dialect, header_fields, sniff
from minesite.inputs.form_labels import choice_values, form_labels
from minesite.inputs.french_csv import read_french_csv
from minesite.inputs.inspection import Inspection, SourceFile
from minesite.inputs.kobo_csv import read_kobo_csv
from minesite.inputs.kobo_groups import join_select_multiple
from minesite.inputs.kobo_legacy import read_kobo_legacy_csv
from minesite.inputs.kobo_xlsx import is_kobo_workbook, read_kobo_xlsx
from minesite.inputs.odk import read_odk_csv, read_odk_zip
from minesite.inputs.parquet import read_parquet
from minesite.inputs.reading import Reading
from minesite.inputs.records import (
    check_keys,
    drop_blank_rows,
    drop_repeated_visits,
    normalise_dates,
)
from minesite.inputs.table import InputWarning, Table
from minesite.inputs.workbook import Sheet, read_sheets


def read_inspections(
    paths: Sequence[Path | str],
    columns: Path | None = None,
    *,
    strict: bool = False,
    reading: Reading | None = None,
) -> Inspection:
    """Read one or more exports into one Inspection (rows keep their file and Excel row).

    `strict` refuses what would otherwise be a warning (a formula cell, a byte that is not
    UTF-8, a visit given in two files): the first one is raised as an InputError. `reading`
    overrides what detection cannot know (delimiter, encoding, day or month first)."""
    reading = reading or Reading()
    if not paths:
        raise InputError(Path("."), "input.no-file")
    column_map = load_column_map(columns)
    visits_parts: list[pd.DataFrame] = []
    actor_parts: list[pd.DataFrame] = []
    sources: list[SourceFile] = []
    warnings: list[InputWarning] = []
    offset = 0
    for raw_path in paths:
        path = Path(raw_path)
        frame, source, actors, found, notes = _read_table(path, column_map, reading)
        if strict and found:
            raise found[0].error(path)
        warnings += found + notes  # a rule applied (dates day first) is said, never refused
        source_index = len(sources)
        sources.append(source)
        actors["visit"] += offset
        frame["_source"] = source_index
        visits_parts.append(frame)
        actor_parts.append(actors)
        offset += len(frame)
    visits = (
        pd.concat(visits_parts, ignore_index=True) if len(visits_parts) > 1 else visits_parts[0]
    )
    actors = pd.concat(actor_parts, ignore_index=True) if len(actor_parts) > 1 else actor_parts[0]
    inspection = Inspection(
        visits=visits.reset_index(drop=True), actors=actors, sources=sources, warnings=warnings
    )
    if len(sources) > 1:
        inspection = drop_repeated_visits(inspection, strict=strict)
    return inspection


def _read_table(
    path: Path, column_map: ColumnMap, reading: Reading
) -> tuple[pd.DataFrame, SourceFile, pd.DataFrame, list[InputWarning], list[InputWarning]]:
    table = _read_dialect(path, column_map, reading)
    # The file's digest, hashed beside the single-threaded steps below (hashlib lets go of the
    # GIL): 0.25 s of a million-visit file off the critical path.
    digest = _HASHING.submit(_sha256, path)
    frame = table.frame
    # A U+FEFF inside a header (two exports pasted, a BOM re-saved) would hide the column.
    frame.columns = [str(c).replace("\ufeff", "") for c in frame.columns]
    labels = form_labels()
    # minesite's own form exported with labels (Kobo's default): the form's words, below
    # every alias a mapping gives.
    aliases = {**labels.questions, **column_map.aliases, **table.aliases}
    frame = join_select_multiple(frame, table.separators, _known_question(aliases, table))
    renamed = canonical_names(
        path,
        table.sheet,
        [str(c) for c in frame.columns],
        column_map,
        aliases=aliases,
        separators=table.separators,
        row=table.header_row,
    )
    frame = frame.rename(columns=renamed)
    # Answers are choice labels only where headers are labels (Kobo switches both at once):
    # a file of codes (1M IPIS rows) never pays for the look-up.
    labelled = ("dialect.detail.labels", {}) in table.dialect
    if labelled:
        frame = choice_values(frame, labels)
    frame = drop_blank_rows(path, table.sheet, frame)
    if not len(frame):
        # Exit 0 means "every visit green": an export with no visit must not say so.
        raise InputError(path, "input.no-data-row", sheet=table.sheet)
    headers = {canonical: original for original, canonical in renamed.items()}
    rows = np.arange(len(frame), dtype=np.int64) + table.first_data_row
    check_keys(path, table.sheet, frame, rows, headers)
    french = table.dialect[0][0] == "dialect.french-csv"
    rule = normalise_dates(
        path, table.sheet, frame, rows, headers, dayfirst=reading.dayfirst, french=french
    )
    actor_headers: dict[str, str] = {}
    if table.actors is not None:
        actors, actor_headers = _repeat_actors(path, table, column_map)
        if labelled:
            actors = choice_values(actors, labels)
        actor_columns = {f: f for f in actor_headers}
    else:
        actor_columns = {
            field: template
            for field, template in column_map.actor_wide.items()
            if slot_column(template, 1) in frame.columns
        }
        actors = melt_wide_actors(frame, actor_columns)
        actors["row"] = np.int64(-1)
    frame["_row"] = rows
    source = SourceFile(
        path=path,
        sheet=table.sheet,
        dialect=dialects.words(table.dialect, "en"),
        dialect_parts=table.dialect,
        sha256=digest.result(),
        rows=len(frame),
        header_row=table.header_row,
        headers=headers,
        actor_columns=actor_columns,
        actor_sheet=table.actor_sheet,
        actor_headers=actor_headers,
        actor_header_row=table.actor_header_row,
    )
    return frame, source, actors, table.warnings, [rule] if rule else []


def _read_dialect(path: Path, column_map: ColumnMap, reading: Reading) -> Table:
    """Bytes decide the dialect (never the extension), and the report names it."""
    sniffed = sniff(path, reading)
    keep_blank = "" in column_map.aliases  # a mapping names the blank header
    if sniffed.kind == "zip":
        return read_odk_zip(path, column_map.actor_aliases)
    if sniffed.kind == "parquet":
        return read_parquet(path)
    if sniffed.kind == "xlsx":
        sheets = read_sheets(path, keep_blank=keep_blank)
        if is_kobo_workbook(sheets):
            return read_kobo_xlsx(path, sheets, column_map.actor_aliases, reading.group_separator)
        sheet = _pick_sheet(sheets, column_map)
        ipis = {str(c).lower() for c in sheet.frame.columns} >= IPIS_MARKERS
        return Table(
            frame=sheet.frame,
            dialect=(("dialect.ipis-xlsx" if ipis else "dialect.xlsx", {}),),
            sheet=sheet.name,
            header_row=sheet.header_row,
            first_data_row=sheet.header_row + 1,
            warnings=sheet.warnings,
        )
    kind = csv_dialect(header_fields(path, sniffed), sniffed)
    if kind == "kobo":
        return read_kobo_csv(
            path, sniffed, keep_blank=keep_blank, separator=reading.group_separator
        )
    if kind == "kobo-legacy":
        return read_kobo_legacy_csv(
            path, sniffed, keep_blank=keep_blank, separator=reading.group_separator
        )
    if kind == "french-excel":
        return read_french_csv(path, sniffed, keep_blank=keep_blank)
    if kind == "odk":
        return read_odk_csv(path, sniffed, keep_blank=keep_blank)
    read = read_delimited(path, sniffed, keep_blank=keep_blank)
    return Table(
        frame=read.frame,
        dialect=(
            ("dialect.ipis-csv" if kind == "ipis" else "dialect.csv", {}),
            dialects.encoding(sniffed.encoding, sniffed.delimiter),
        ),
        first_data_row=read.first_data_row,
        warnings=read.warnings,
    )


def _repeat_actors(
    path: Path, table: Table, column_map: ColumnMap
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A repeat sheet or table -> actors (visit, slot, row, fields) and field -> header."""
    raw = table.actors
    assert raw is not None
    data = [str(c) for c in raw.columns if c not in ("_visit", "_row")]
    renamed = canonical_names(
        path,
        table.actor_sheet,
        data,
        column_map,
        aliases={**form_labels().actor_questions, **column_map.actor_aliases},
        separators=table.separators,
        row=table.actor_header_row,
    )
    fields = {h: f for h, f in renamed.items() if f in set(column_map.actor_aliases.values())}
    actors = pd.DataFrame({f: raw[h].array for h, f in fields.items()}, index=raw.index)
    actors.insert(0, "row", raw["_row"].to_numpy(dtype=np.int64))
    visit = raw["_visit"].to_numpy(dtype=np.int64)
    actors.insert(0, "slot", pd.Series(visit).groupby(visit).cumcount().to_numpy() + 1)
    actors.insert(0, "visit", visit)
    actors = actors.sort_values(["visit", "slot"], kind="stable").reset_index(drop=True)
    return actors, {f: h for h, f in fields.items()}


def _known_question(aliases: dict[str, str], table: Table) -> Callable[[str], bool]:
    """Whether a header (or its last group part) names a column the checklists know."""
    from minesite.checklists.vocabulary import normalise

    def known(header: str) -> bool:
        key = normalise(header)
        tails = [key] + [key.rsplit(s, 1)[-1].strip() for s in table.separators if s in key]
        return any(t in aliases for t in tails)

    return known


def _pick_sheet(sheets: list[Sheet], column_map: ColumnMap) -> Sheet:
    """The first sheet whose headers name known columns."""
    for sheet in sheets:
        if any(_known(column_map, str(h)) for h in sheet.frame.columns):
            return sheet
    return sheets[0]


def _known(column_map: ColumnMap, header: str) -> bool:
    from minesite.checklists.vocabulary import normalise

    return normalise(header) in column_map.aliases


_HASHING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="minesite-sha256")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
