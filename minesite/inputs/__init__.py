"""Read inspection exports (CSV, XLSX) into one canonical Inspection: visits, actors, sources."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.errors import InputError
from minesite.inputs.columns import ColumnMap, canonical_names, load_column_map, melt_wide_actors
from minesite.inputs.delimited import read_delimited
from minesite.inputs.detect import sniff
from minesite.inputs.workbook import read_sheets

IPIS_MARKERS = {"fid", "vid", "pcode", "type_armed_group1", "visit_onsite"}


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
    """Actor field -> canonical column template ({n} = actor slot) for wide actor layouts."""


@dataclass
class Inspection:
    """Canonical inspection tables: every cell a string; NaN only where a file lacks the column."""

    visits: pd.DataFrame
    """One row per input row; `_source` indexes `sources`, `_row` is the Excel row number."""
    actors: pd.DataFrame
    """One row per armed or security actor; `visit` is the position of its visit row."""
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
        """Source file, Excel row and header of one actor answer."""
        visit = int(self.actors["visit"].iat[actor])
        source = self.sources[int(self.visits["_source"].iat[visit])]
        template = source.actor_columns.get(field, field)
        column = template.format(n=int(self.actors["slot"].iat[actor]))
        return source, int(self.visits["_row"].iat[visit]), source.headers.get(column, column)


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
        frame, source = _read_table(path, column_map)
        source_index = len(sources)
        sources.append(source)
        actors = melt_wide_actors(frame, source.actor_columns)
        actors["visit"] += offset
        frame["_source"] = source_index
        frame["_row"] = np.arange(len(frame), dtype=np.int64) + source.header_row + 1
        visits_parts.append(frame)
        actor_parts.append(actors)
        offset += len(frame)
    visits = (
        pd.concat(visits_parts, ignore_index=True) if len(visits_parts) > 1 else visits_parts[0]
    )
    actors = pd.concat(actor_parts, ignore_index=True) if len(actor_parts) > 1 else actor_parts[0]
    return Inspection(visits=visits.reset_index(drop=True), actors=actors, sources=sources)


def _read_table(path: Path, column_map: ColumnMap) -> tuple[pd.DataFrame, SourceFile]:
    sniffed = sniff(path)
    if sniffed.kind == "xlsx":
        sheet = _pick_sheet(path, column_map)
        frame, sheet_name, header_row = sheet.frame, sheet.name, sheet.header_row
        base = "XLSX workbook"
    else:
        frame = read_delimited(path, sniffed)
        sheet_name, header_row = None, 1
        base = "French Excel CSV" if sniffed.encoding == "cp1252" else "CSV"
    renamed = canonical_names(path, sheet_name, list(frame.columns), column_map)
    frame = frame.rename(columns=renamed)
    headers = {canonical: original for original, canonical in renamed.items()}
    lowered = {c.lower() for c in frame.columns}
    dialect = (
        "IPIS open data " + ("CSV" if sniffed.kind == "csv" else "XLSX")
        if (lowered >= IPIS_MARKERS)
        else base
    )
    if sniffed.kind == "csv":
        dialect += f" ({_describe(sniffed.encoding, sniffed.delimiter)})"
    actor_columns = {
        field: template
        for field, template in column_map.actor_wide.items()
        if template.format(n=1) in frame.columns
    }
    source = SourceFile(
        path=path,
        sheet=sheet_name,
        dialect=dialect,
        sha256=_sha256(path),
        rows=len(frame),
        header_row=header_row,
        headers=headers,
        actor_columns=actor_columns,
    )
    return frame, source


def _describe(encoding: str | None, delimiter: str | None) -> str:
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    return f"{encoding}, {names.get(delimiter or ',', delimiter)}-separated"


def _pick_sheet(path: Path, column_map: ColumnMap):
    """The first sheet whose headers name known columns (Kobo puts the main table first)."""
    sheets = read_sheets(path)
    for sheet in sheets:
        if any(_known(column_map, str(h)) for h in sheet.frame.columns):
            return sheet
    return sheets[0]


def _known(column_map: ColumnMap, header: str) -> bool:
    from minesite.answers import normalise

    return normalise(header) in column_map.aliases


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
