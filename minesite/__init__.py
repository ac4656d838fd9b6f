"""minesite: validate artisanal mine-site inspections against checklists (red, yellow,
incomplete, green per visit; a status per site).

Public API::

    import minesite
    result = minesite.run(["visits.csv"], as_of=datetime.date(2026, 6, 30))
    result.counts()            # {'red': ..., 'yellow': ..., 'incomplete': ..., 'green': ...}
    result.visits              # one verdict per input row (status, reason code, criteria)
    result.findings            # long frame: every failed or unknown criterion with its cell
    result.sites               # one status per site, with its reason code
    result.conflicts           # conflicts and unverifiable greens with published colours

    inspection = minesite.inspection_from_frames(visits_df)   # data already in pandas
    result = minesite.run(inspection=inspection)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minesite.lazy import lazy_names

__version__ = "0.2.0"
__all__ = [
    "ChecklistError",
    "InputError",
    "MinesiteError",
    "Outcome",
    "Reading",
    "Result",
    "Status",
    "UsageError",
    "inspection_from_frames",
    "load_checklists",
    "read_inspections",
    "run",
    "score",
]

if TYPE_CHECKING:
    from minesite.checklists import load_checklists
    from minesite.errors import ChecklistError, InputError, MinesiteError, UsageError
    from minesite.inputs import read_inspections
    from minesite.inputs.frames import inspection_from_frames
    from minesite.inputs.reading import Reading
    from minesite.model import Outcome, Status
    from minesite.pipeline import run
    from minesite.result import Result
    from minesite.scoring import score

_LAZY = {
    "load_checklists": "minesite.checklists",
    "ChecklistError": "minesite.errors",
    "InputError": "minesite.errors",
    "MinesiteError": "minesite.errors",
    "UsageError": "minesite.errors",
    "read_inspections": "minesite.inputs.reader",
    "inspection_from_frames": "minesite.inputs.frames",
    "Reading": "minesite.inputs.reading",
    "Outcome": "minesite.model",
    "Status": "minesite.model",
    "run": "minesite.pipeline",
    "Result": "minesite.result",
    "score": "minesite.scoring",
}


# Lazy so `minesite --help` does not pay for importing pandas.
__getattr__ = lazy_names(_LAZY)
