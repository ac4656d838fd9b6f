"""Read inspection exports (CSV, XLSX) into one canonical Inspection: visits, actors, sources."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError
from minesite.inputs.columns import ColumnMap, canonical_names, load_column_map, melt_wide_actors
from minesite.inputs.delimited import describe, read_delimited
from minesite.inputs.detect import IPIS_MARKERS, csv_dialect, header_fields, sniff
from minesite.inputs.french_csv import read_french_csv
from minesite.inputs.kobo_csv import read_kobo_csv
from minesite.inputs.kobo_legacy import read_kobo_legacy_csv
from minesite.inputs.kobo_xlsx import is_kobo_workbook, read_kobo_xlsx
from minesite.inputs.odk import read_odk_csv, read_odk_zip
from minesite.inputs.records import check_keys, normalise_dates
from minesite.inputs.table import Table
from minesite.inputs.workbook import Sheet, read_sheets


@dataclass
class SourceFile:
    """One table that was read: where it came from, how it was read, and its headers."""

    path: Path
    sheet: str | None
    dialect: str
    sha256: str
    rows: int
    header_row: int
    headers: dict[str, str]
    """Canonical name -> the header as written in the file."""
    actor_columns: dict[str, str] = field(default_factory=dict)
    """Actor field -> canonical column template ({n} = actor slot) for wide actor layouts; for
    actors written one per row (repeat sheet or table), actor field -> itself."""
    actor_sheet: str | None = None
    """Sheet (Kobo XLSX) or zip member (ODK Central) holding one actor per row, if any."""
    actor_headers: dict[str, str] = field(default_factory=dict)
    """Actor field -> the header as written in the actor sheet."""
    actor_header_row: int = 1


@dataclass
class Inspection:
    """Canonical inspection tables: every cell a string; NaN only where a file lacks the column."""

    visits: pd.DataFrame
    """One row per input row; `_source` indexes `sources`, `_row` is the Excel row number."""
    actors: pd.DataFrame
    """One row per armed or security actor; `visit` is the position of its visit row, `slot`
    its order on the visit, `row` its Excel row in the actor sheet (-1: on the visit's row)."""
    sources: list[SourceFile]

    def has_column(self, name: str) -> np.ndarray:
        """Per visit: does the file it came from have this column?"""
        if name not in self.visits.columns:
            return np.zeros(len(self.visits), dtype=bool)
        return self.visits[name].notna().to_numpy()

    def cell(self, position: int, column: str) -> tuple[SourceFile, int, str]:
        """Source file, Excel row and header of one visit cell."""
        source = self.sources[int(self.visits["_source"].iat[position])]
        header = source.headers.get(column, column)
        # A derived column (e.g. title_zone from a cadastre) names its own origin per visit.
        derived = f"_cell_{column}"
        if derived in self.visits.columns:
            origin = self.visits[derived].iat[position]
            if isinstance(origin, str) and origin:
                header = origin
        return source, int(self.visits["_row"].iat[position]), header

    def actor_cell(self, actor: int, field: str) -> tuple[SourceFile, int, str]:
        """Source file (with the actor sheet as its sheet), Excel row and header of one actor
        answer."""
        visit = int(self.actors["visit"].iat[actor])
        source = self.sources[int(self.visits["_source"].iat[visit])]
        if source.actor_sheet is not None:
            sheet = replace(
                source,
                sheet=source.actor_sheet,
                headers=source.actor_headers,
                header_row=source.actor_header_row,
            )
            row = int(self.actors["row"].iat[actor])
            return sheet, row, source.actor_headers.get(field, field)
        template = source.actor_columns.get(field, field)
        column = template.format(n=int(self.actors["slot"].iat[actor]))
        return source, int(self.visits["_row"].iat[visit]), source.headers.get(column, column)

    def cells(
        self, positions: np.ndarray, columns: np.ndarray, actors: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised cell(): sheet, Excel row and header for many (visit, column, actor) at once;
        actor -1 means a visit cell. Loops run over distinct (file, column, slot), not rows."""
        n = len(positions)
        sheet, header = np.empty(n, dtype=object), np.empty(n, dtype=object)
        row = self.visits["_row"].to_numpy()[positions].astype(np.int64)
        source_of = self.visits["_source"].to_numpy()[positions]
        on_actor = actors >= 0
        has_actors = len(self.actors) > 0
        slot = self.actors["slot"].to_numpy()[np.maximum(actors, 0)] if has_actors else actors
        actor_row = (
            self.actors["row"].to_numpy()[np.maximum(actors, 0)]
            if has_actors and "row" in self.actors.columns
            else np.full(n, -1)
        )
        for k in np.unique(source_of):
            source = self.sources[int(k)]
            here = source_of == k
            sheet[here] = source.sheet or ""
            for name in pd.unique(columns[here]):
                same = here & (columns == name)
                plain = same & ~on_actor
                header[plain] = source.headers.get(name, name)
                derived = f"_cell_{name}"
                if plain.any() and derived in self.visits.columns:
                    origin = self.visits[derived].to_numpy(dtype=object)[positions[plain]]
                    header[plain] = np.where(
                        [isinstance(o, str) and o != "" for o in origin], origin, header[plain]
                    )
                actor = same & on_actor
                if not actor.any():
                    continue
                if source.actor_sheet is not None:
                    sheet[actor] = source.actor_sheet
                    header[actor] = source.actor_headers.get(name, name)
                    row[actor] = actor_row[actor]
                    continue
                template = source.actor_columns.get(name, name)
                for number in np.unique(slot[actor]):
                    column = template.format(n=int(number))
                    header[actor & (slot == number)] = source.headers.get(column, column)
        return sheet, row, header


def read_inspections(paths: Sequence[Path | str], columns: Path | None = None) -> Inspection:
    """Read one or more exports into one Inspection (rows keep their file and Excel row)."""
    if not paths:
        raise InputError(Path("."), "no input file given")
    column_map = load_column_map(columns)
    visits_parts: list[pd.DataFrame] = []
    actor_parts: list[pd.DataFrame] = []
    sources: list[SourceFile] = []
    offset = 0
    for raw_path in paths:
        path = Path(raw_path)
        frame, source, actors = _read_table(path, column_map)
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
    return Inspection(visits=visits.reset_index(drop=True), actors=actors, sources=sources)


def _read_table(path: Path, column_map: ColumnMap) -> tuple[pd.DataFrame, SourceFile, pd.DataFrame]:
    table = _read_dialect(path, column_map)
    frame = table.frame
    aliases = {**column_map.aliases, **table.aliases}
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
    if not len(frame):
        # Exit 0 means "every visit green": an export with no visit must not say so.
        raise InputError(path, "no data row under the header: nothing to score", sheet=table.sheet)
    headers = {canonical: original for original, canonical in renamed.items()}
    rows = np.arange(len(frame), dtype=np.int64) + table.first_data_row
    check_keys(path, table.sheet, frame, rows, headers)
    normalise_dates(path, table.sheet, frame, rows, headers)
    actor_headers: dict[str, str] = {}
    if table.actors is not None:
        actors, actor_headers = _repeat_actors(path, table, column_map)
        actor_columns = {f: f for f in actor_headers}
    else:
        actor_columns = {
            field: template
            for field, template in column_map.actor_wide.items()
            if template.format(n=1) in frame.columns
        }
        actors = melt_wide_actors(frame, actor_columns)
        actors["row"] = np.int64(-1)
    frame["_row"] = rows
    source = SourceFile(
        path=path,
        sheet=table.sheet,
        dialect=table.dialect,
        sha256=_sha256(path),
        rows=len(frame),
        header_row=table.header_row,
        headers=headers,
        actor_columns=actor_columns,
        actor_sheet=table.actor_sheet,
        actor_headers=actor_headers,
        actor_header_row=table.actor_header_row,
    )
    return frame, source, actors


def _read_dialect(path: Path, column_map: ColumnMap) -> Table:
    """Bytes decide the dialect (never the extension), and the report names it."""
    sniffed = sniff(path)
    if sniffed.kind == "zip":
        return read_odk_zip(path, column_map.actor_aliases)
    if sniffed.kind == "xlsx":
        sheets = read_sheets(path)
        if is_kobo_workbook(sheets):
            return read_kobo_xlsx(path, sheets, column_map.actor_aliases)
        sheet = _pick_sheet(sheets, column_map)
        ipis = {str(c).lower() for c in sheet.frame.columns} >= IPIS_MARKERS
        return Table(
            frame=sheet.frame,
            dialect="IPIS open data XLSX" if ipis else "XLSX workbook",
            sheet=sheet.name,
            header_row=sheet.header_row,
            first_data_row=sheet.header_row + 1,
        )
    kind = csv_dialect(header_fields(path, sniffed), sniffed)
    if kind == "kobo":
        return read_kobo_csv(path, sniffed)
    if kind == "kobo-legacy":
        return read_kobo_legacy_csv(path, sniffed)
    if kind == "french-excel":
        return read_french_csv(path, sniffed)
    if kind == "odk":
        return read_odk_csv(path, sniffed)
    read = read_delimited(path, sniffed)
    names = {"ipis": "IPIS open data CSV", "csv": "CSV"}
    return Table(
        frame=read.frame,
        dialect=f"{names[kind]} ({describe(sniffed.encoding, sniffed.delimiter)})",
        first_data_row=read.first_data_row,
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
        aliases=column_map.actor_aliases,
        separators=table.separators,
        row=table.actor_header_row,
    )
    fields = {h: f for h, f in renamed.items() if f in set(column_map.actor_aliases.values())}
    actors = pd.DataFrame({f: raw[h].to_numpy() for h, f in fields.items()}, index=raw.index)
    actors.insert(0, "row", raw["_row"].to_numpy(dtype=np.int64))
    visit = raw["_visit"].to_numpy(dtype=np.int64)
    actors.insert(0, "slot", pd.Series(visit).groupby(visit).cumcount().to_numpy() + 1)
    actors.insert(0, "visit", visit)
    actors = actors.sort_values(["visit", "slot"], kind="stable").reset_index(drop=True)
    return actors, {f: h for h, f in fields.items()}


def _pick_sheet(sheets: list[Sheet], column_map: ColumnMap) -> Sheet:
    """The first sheet whose headers name known columns."""
    for sheet in sheets:
        if any(_known(column_map, str(h)) for h in sheet.frame.columns):
            return sheet
    return sheets[0]


def _known(column_map: ColumnMap, header: str) -> bool:
    from minesite.checklists.vocabulary import normalise

    return normalise(header) in column_map.aliases


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
