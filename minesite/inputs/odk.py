"""ODK Central "CSV Download": a zip holding the root table (named after the form), one CSV per
repeat group (ending `PARENT_KEY, KEY`), `files/` media and maybe an audit CSV. Headers are
`group-question`; geopoints `gps-Latitude`/`-Longitude`; split select-multiple columns
`question/choice` are pre-filled with 0 even when the question was skipped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import normalise
from minesite.errors import InputError
from minesite.inputs.delimited import describe, read_delimited
from minesite.inputs.detect import Sniffed
from minesite.inputs.table import Table, link_repeat, split_select_multiple
from minesite.limits import check_zip

_SEPARATORS = "-/"


def read_odk_zip(path: Path, actor_aliases: dict[str, str]) -> Table:
    """The root table as visits and the actors repeat table as actors."""
    tables: dict[str, pd.DataFrame] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if info.filename.lower().endswith(".csv")
                and not info.filename.startswith("files/")
                and not info.filename.lower().endswith("audit.csv")
            ]
            # Declared sizes are checked before anything is decompressed (zip bombs); members
            # are only read into memory, never extracted, so a name like ../x.csv writes nothing.
            check_zip(path, members)
            for info in members:
                name = info.filename
                data = _member(path, archive, info)
                sniffed = Sniffed("csv", encoding=_encoding(data), delimiter=",")
                tables[name] = read_delimited(path, sniffed, data=data, sheet=name).frame
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(path, f"a damaged zip file: {exc}") from None
    roots = [n for n, t in tables.items() if "PARENT_KEY" not in t.columns]
    repeats = [n for n, t in tables.items() if "PARENT_KEY" in t.columns]
    if not roots:
        raise InputError(
            path,
            "no root table: every CSV in the zip is a repeat (PARENT_KEY); "
            "download the form's full CSV zip from ODK Central",
        )
    root_name = next((n for n in roots if "KEY" in tables[n].columns), roots[0])
    frame = _prepare(tables[root_name])
    actor_name = next((n for n in repeats if _names_category(tables[n], actor_aliases)), None)
    ignored = [n for n in repeats if n != actor_name]
    actors = None
    if actor_name is not None:
        actors = _link(path, root_name, frame, actor_name, tables[actor_name])
    dialect = f"ODK Central CSV zip (root table {root_name}"
    if actor_name is not None:
        dialect += f", actors from repeat table {actor_name} joined on PARENT_KEY"
    if ignored:
        dialect += ", repeat tables not read: " + ", ".join(ignored)
    return Table(
        frame=frame,
        dialect=dialect + ")",
        sheet=root_name,
        separators=_SEPARATORS,
        actors=actors,
        actor_sheet=actor_name,
    )


def read_odk_csv(path: Path, sniffed: Sniffed) -> Table:
    """One ODK Central table taken out of its zip: visits only (its repeats are other files)."""
    read = read_delimited(path, sniffed)
    how = describe(sniffed.encoding, sniffed.delimiter)
    return Table(
        frame=_prepare(read.frame),
        dialect=f"ODK Central CSV (root table only, {how})",
        first_data_row=read.first_data_row,
        separators=_SEPARATORS,
    )


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the 0-prefilled split select-multiple columns (the summary column is blank when the
    question was skipped) and `meta-instanceID`, which repeats KEY."""
    frame = frame.drop(columns=split_select_multiple([str(c) for c in frame.columns]))
    if "KEY" in frame.columns:
        instance = [c for c in frame.columns if normalise(str(c)).endswith("instanceid")]
        frame = frame.drop(columns=instance)
    return frame


def _member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes; a damaged, encrypted or oddly compressed member is an InputError."""
    import zlib

    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        message = f"damaged zip member: {exc}"
    except (NotImplementedError, RuntimeError) as exc:
        message = f"unreadable zip member (encrypted or unsupported compression): {exc}"
    raise InputError(path, message, sheet=info.filename)


def _encoding(data: bytes) -> str:
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


def _names_category(frame: pd.DataFrame, actor_aliases: dict[str, str]) -> bool:
    for header in map(str, frame.columns):
        key = normalise(header)
        tails = [key] + [key.rsplit(s, 1)[-1] for s in _SEPARATORS if s in key]
        if any(actor_aliases.get(t) == "category" for t in tails):
            return True
    return False


def _link(
    path: Path, root_name: str, frame: pd.DataFrame, name: str, actors: pd.DataFrame
) -> pd.DataFrame:
    if "KEY" not in frame.columns:
        raise InputError(
            path,
            f"missing key column KEY that links repeat table {name} to its visits",
            sheet=root_name,
            row=1,
            column="KEY",
        )
    visit = link_repeat(
        path,
        frame["KEY"],
        actors["PARENT_KEY"],
        names=("KEY", "PARENT_KEY"),
        sheets=(root_name, name),
        first_rows=(2, 2),
    )
    actors = actors.drop(columns=split_select_multiple([str(c) for c in actors.columns]))
    actors["_visit"] = visit
    actors["_row"] = np.arange(len(actors), dtype=np.int64) + 2
    return actors
