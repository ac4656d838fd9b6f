"""A visit given again in a later partition: read once when its answers are the same, an
error naming both cells when they differ (what `minesite.run` does for files read together)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from minesite.errors import InputError, Position
from minesite.inputs import Inspection
from minesite.inputs.records import visit_keys, without_rows
from minesite.inputs.table import InputWarning


class Repeats:
    """The visit keys of the partitions read so far (only the keys, as Arrow text: a repeat is
    rare, and its earlier partition is read again to compare the answers cell by cell)."""

    def __init__(self, read: Callable[[Path], Inspection]) -> None:
        self.read = read
        self.files: list[Path] = []
        self.keys: list[pa.Array] = []
        self.positions: list[np.ndarray] = []

    def drop(self, inspection: Inspection, strict: bool) -> Inspection:
        """The inspection without the visits an earlier partition gave (a warning names them)."""
        visits = inspection.visits
        if "vid" not in visits.columns:
            return inspection
        keys = visit_keys(visits["vid"])
        given = pc.not_equal(keys, "").to_numpy(zero_copy_only=False)
        repeated = np.zeros(len(keys), dtype=bool)
        if self.keys:
            index = _earlier(keys, self.keys)
            repeated = (index >= 0) & given
            if repeated.any():
                inspection = self._compare(inspection, keys, index, repeated, strict)
        own = np.flatnonzero(~repeated & given)
        self.files.append(inspection.sources[0].path)
        self.keys.append(keys.take(pa.array(own)))
        self.positions.append(own)
        return without_rows(inspection, repeated) if repeated.any() else inspection

    def _compare(
        self,
        inspection: Inspection,
        keys: pa.Array,
        index: np.ndarray,
        repeated: np.ndarray,
        strict: bool,
    ) -> Inspection:
        file_of = np.concatenate([np.full(len(k), f) for f, k in enumerate(self.keys)])
        position_of = np.concatenate(self.positions)
        source = inspection.sources[0]
        column = source.headers.get("vid", "vid")
        here_rows = inspection.visits["_row"].to_numpy()
        later = np.flatnonzero(repeated)
        first: tuple[str, int] | None = None
        for number in np.unique(file_of[index[later]]):
            mine = later[file_of[index[later]] == number]
            earlier = self.read(self.files[int(number)])
            at = position_of[index[mine]]
            same = _same_answers(earlier.visits.iloc[at], inspection.visits.iloc[mine])
            name = self.files[int(number)].name
            rows = earlier.visits["_row"].to_numpy()[at]
            for k, position in enumerate(mine):
                if strict or not same[k]:
                    raise InputError(
                        source.path,
                        "input.repeated-visit" if same[k] else "input.repeated-visit-differs",
                        sheet=source.sheet,
                        row=int(here_rows[position]),
                        column=column,
                        key_value=keys[int(position)].as_py(),
                        file=name,
                        first_row=int(rows[k]),
                        count=len(later),
                    )
            if first is None or mine[0] == later[0]:
                first = (name, int(rows[0]))
        assert first is not None
        warning = InputWarning(
            "input.repeated-visit",
            Position(source.path.name, source.sheet, int(here_rows[later[0]]), column),
            {
                "key_value": keys[int(later[0])].as_py(),
                "file": first[0],
                "first_row": first[1],
                "count": len(later),
            },
        )
        warnings = [*inspection.warnings, warning]
        return Inspection(inspection.visits, inspection.actors, inspection.sources, warnings)


def _earlier(keys: pa.Array, kept: list[pa.Array]) -> np.ndarray:
    """For each key, its position among the earlier partitions' keys laid end to end (-1:
    none). The earlier keys are looked up in a hash of this partition's, not the other way:
    hashing every earlier key again for each partition grew with the square of the files
    (12 files of 250k keys: 4.4 s, against 1.4 s so)."""
    found = pc.fill_null(pc.index_in(pa.chunked_array(kept, keys.type), value_set=keys), -1)
    here = found.to_numpy()
    earlier = np.flatnonzero(here >= 0)
    index = np.full(len(keys), -1, dtype=np.int64)
    # Earlier keys are unique (a key twice in a file is refused, a repeat is not kept), so
    # each key here has at most one; a blank key here matches none (blank keys are not kept).
    index[here[earlier]] = earlier
    return index


def _same_answers(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """Row by row: every data column equal, or blank where one file lacks the column."""
    data = sorted({c for c in [*a.columns, *b.columns] if not str(c).startswith("_")})
    a = a.reindex(columns=data).reset_index(drop=True)
    b = b.reindex(columns=data).reset_index(drop=True)
    return ((a.fillna("") == b.fillna("")) | a.isna() | b.isna()).all(axis=1).to_numpy()
