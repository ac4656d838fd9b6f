"""Read inspection exports (CSV, XLSX) into one canonical Inspection: visits, actors, sources.

Its names load on first use, so that the XLSX guard (`inputs.xlsx_guard`) imports without
pandas: the command line measures and parses a workbook while the rest of minesite loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from minesite.lazy import lazy_names

if TYPE_CHECKING:
    from minesite.inputs.inspection import Inspection, SourceFile
    from minesite.inputs.reader import read_inspections
    from minesite.inputs.reading import Reading

__all__ = ["Inspection", "Reading", "SourceFile", "read_inspections"]

_LAZY = {
    "Inspection": "minesite.inputs.inspection",
    "SourceFile": "minesite.inputs.inspection",
    "Reading": "minesite.inputs.reading",
    "read_inspections": "minesite.inputs.reader",
}


__getattr__ = lazy_names(_LAZY)
