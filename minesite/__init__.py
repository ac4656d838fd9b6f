"""minesite: validate artisanal mine-site inspections against checklists (green, yellow, red).

Public API::

    from minesite import read_inspections, load_checklists, score
    report = score(read_inspections(["visits.csv"]), load_checklists())
    report.counts()            # {'green': ..., 'yellow': ..., 'red': ...}
    report.visits              # one verdict per input row
    report.findings(0)         # why row 0 got its colour, with source cells
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "ChecklistError",
    "InputError",
    "MinesiteError",
    "Report",
    "Status",
    "load_checklists",
    "read_inspections",
    "score",
]

if TYPE_CHECKING:
    from minesite.checklists import load_checklists
    from minesite.errors import ChecklistError, InputError, MinesiteError
    from minesite.findings import Report
    from minesite.inputs import read_inspections
    from minesite.model import Status
    from minesite.scoring import score

_LAZY = {
    "load_checklists": "minesite.checklists",
    "ChecklistError": "minesite.errors",
    "InputError": "minesite.errors",
    "MinesiteError": "minesite.errors",
    "Report": "minesite.findings",
    "read_inspections": "minesite.inputs",
    "Status": "minesite.model",
    "score": "minesite.scoring",
}


def __getattr__(name: str) -> Any:
    # Lazy so `minesite --help` does not pay for importing pandas.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
