"""ODK Central "CSV Download": a zip holding the root table (named after the form), one CSV per
repeat group (ending `PARENT_KEY, KEY`), `media/` attachments and maybe an audit CSV. Headers are
`group-question`; geopoints `gps-Latitude`/`-Longitude`; split select-multiple columns
`question/choice` are pre-filled with 0 even when the question was skipped."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from minesite.checklists.vocabulary import normalise
from minesite.errors import InputError
from minesite.inputs import dialects
from minesite.inputs.delimited import read_delimited
from minesite.inputs.detect import Sniffed
from minesite.inputs.table import Table, link_repeat, split_select_multiple
from minesite.inputs.zips import check_zip, open_zip

_SEPARATORS = ("-", "/")


def read_odk_zip(path: Path, actor_aliases: dict[str, str]) -> Table:
    """The root table as visits and the actors repeat table as actors.

    Each table's header decides what it is; only the root and the actors tables are parsed
    (2,500 repeat tables of 1 MB each, all parsed, took 8 GB)."""
    tables: dict[str, pd.DataFrame] = {}
    try:
        with open_zip(path) as archive:
            members = {info.filename: info for info in _tables(archive.infolist())}
            # Declared sizes are checked before anything is decompressed (zip bombs); members
            # are only read into memory, never extracted, so a name like ../x.csv writes nothing.
            check_zip(path, list(members.values()))
            headers = {name: _header(path, archive, info) for name, info in members.items()}
            roots = [n for n, h in headers.items() if "PARENT_KEY" not in h]
            repeats = [n for n, h in headers.items() if "PARENT_KEY" in h]
            if not roots:
                raise InputError(path, "input.odk-no-root")
            root_name = next((n for n in roots if "KEY" in headers[n]), roots[0])
            actor_name = next(
                (n for n in repeats if _names_category(headers[n], actor_aliases)), None
            )
            for name in (root_name, actor_name):
                if name is not None:
                    data = _member(path, archive, members[name])
                    sniffed = Sniffed("csv", encoding=_encoding(data), delimiter=",")
                    tables[name] = read_delimited(path, sniffed, data=data, sheet=name).frame
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(path, "input.damaged-zip", reason=str(exc)) from None
    frame = _prepare(tables[root_name])
    ignored = [n for n in repeats if n != actor_name]
    actors = None
    if actor_name is not None:
        actors = _link(path, root_name, frame, actor_name, tables[actor_name])
    dialect: tuple = (("dialect.odk-zip", {}), ("dialect.detail.root-table", {"table": root_name}))
    if actor_name is not None:
        dialect += (("dialect.detail.actors-table", {"table": actor_name}),)
    if ignored:
        dialect += (("dialect.detail.repeats-not-read", {"names": ", ".join(ignored)}),)
    return Table(
        frame=frame,
        dialect=dialect,
        sheet=root_name,
        separators=_SEPARATORS,
        actors=actors,
        actor_sheet=actor_name,
    )


def _tables(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The export's tables: the CSVs of its top folder (the zip's root, or the one folder a
    re-zipped export sits in). Attachments (`media/`, Briefcase's `files/`) may be CSVs too, in
    any encoding, and are the dossier's, never tables; the client audit is `<form> - audit.csv`
    (a repeat named `audit` is `<form>-audit.csv`, a table)."""
    csvs = [
        (info, info.filename.replace("\\", "/").split("/"))
        for info in infos
        if info.filename.lower().endswith(".csv")
        and not info.filename.lower().endswith(" - audit.csv")
    ]
    csvs = [(info, parts) for info, parts in csvs if not {"media", "files"} & set(parts[:-1])]
    top = min((len(parts) for _, parts in csvs), default=0)
    return [info for info, parts in csvs if len(parts) == top]


def read_odk_csv(path: Path, sniffed: Sniffed, *, keep_blank: bool = False) -> Table:
    """One ODK Central table taken out of its zip: visits only (its repeats are other files)."""
    read = read_delimited(path, sniffed, keep_blank=keep_blank)
    return Table(
        frame=_prepare(read.frame),
        dialect=(
            ("dialect.odk-csv", {}),
            ("dialect.detail.root-only", {}),
            dialects.encoding(sniffed.encoding, sniffed.delimiter),
        ),
        first_data_row=read.first_data_row,
        separators=_SEPARATORS,
        warnings=read.warnings,
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
        code, reason = "input.damaged-zip", str(exc)
    except (NotImplementedError, RuntimeError) as exc:
        code, reason = "input.zip-member-unreadable", str(exc)
    raise InputError(path, code, sheet=info.filename, reason=reason)


def _header(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    """The header fields of one member, read from its first line only."""
    import zlib

    try:
        with archive.open(info) as stream:
            line = stream.readline(64 << 20)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(path, "input.damaged-zip", sheet=info.filename, reason=str(exc)) from None
    except (NotImplementedError, RuntimeError) as exc:
        raise InputError(
            path, "input.zip-member-unreadable", sheet=info.filename, reason=str(exc)
        ) from None
    text = line.decode("utf-8", errors="replace").lstrip("\ufeff")
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    return [h.strip() for h in next(csv.reader(io.StringIO(text)), [])]


def _encoding(data: bytes) -> str:
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


def _names_category(headers: list[str], actor_aliases: dict[str, str]) -> bool:
    for header in headers:
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
            "input.missing-link-key",
            repeat=name,
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
