"""Zip archives (XLSX workbooks, ODK Central exports) opened within the limits: the member count
from the end record before the directory is parsed, declared sizes and ratios before anything
is decompressed."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from minesite.errors import InputError
from minesite.limits import current, mb

ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error)
"""What zipfile raises on a damaged archive (a flipped version byte: NotImplementedError)."""
RATIO_FLOOR = 1 << 20
"""Members smaller than this are never refused for their compression ratio."""


def check_zip_directory(path: Path) -> None:
    """Members a zip declares in its end record, checked before its directory is parsed (a
    directory of millions of entries costs gigabytes of memory before any member is read)."""
    limit = current().zip_members
    try:
        with path.open("rb") as handle:
            end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # stable since 2.6
    except ZIP_ERRORS:
        return  # the zip reader reports it
    if not end:
        return
    entries, directory = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    # A directory entry takes 46 bytes plus its name: a larger directory hides more members.
    if entries > limit or directory > limit * 1024:
        raise InputError(
            path,
            "limit.zip-members",
            members=max(entries, directory // 1024),
            limit=limit,
            variable="MINESITE_MAX_ZIP_MEMBERS",
        )


def check_zip(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Declared sizes of the members to be read, checked before anything is decompressed."""
    limits = current()
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.zip_ratio:
                raise InputError(
                    path,
                    "limit.zip-ratio",
                    sheet=info.filename,
                    ratio=round(ratio),
                    size=mb(info.file_size),
                    limit=limits.zip_ratio,
                    variable="MINESITE_MAX_ZIP_RATIO",
                )
        if info.filename.lower().endswith("sharedstrings.xml") and (
            info.file_size > limits.shared_strings_bytes
        ):
            # Every XLSX reader holds the shared strings in memory whole.
            raise InputError(
                path,
                "limit.shared-strings-size",
                sheet=info.filename,
                size=mb(info.file_size),
                limit=mb(limits.shared_strings_bytes),
                variable="MINESITE_MAX_SHARED_STRINGS_MB",
            )
    # Members under the ratio floor still add up: 2,500 members of 1 MB each are 2.5 GB.
    if total > limits.unzipped_bytes:
        raise InputError(
            path,
            "limit.unzipped",
            size=mb(total),
            limit=mb(limits.unzipped_bytes),
            variable="MINESITE_MAX_UNZIPPED_MB",
        )


def open_zip(path: Path) -> zipfile.ZipFile:
    """A zip of no more members than MINESITE_MAX_ZIP_MEMBERS (counted from its end record
    before its directory is parsed, then exactly)."""
    check_zip_directory(path)
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise InputError(path, "input.damaged-zip", reason=str(exc)) from None
    limit = current().zip_members
    if len(archive.infolist()) > limit:
        archive.close()
        raise InputError(
            path,
            "limit.zip-members",
            members=len(archive.infolist()),
            limit=limit,
            variable="MINESITE_MAX_ZIP_MEMBERS",
        )
    return archive
