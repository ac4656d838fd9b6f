"""Open a workbook for calamine (zip checked, shared strings and first sheet measured, that sheet
handed to calamine in a thread), and do it ahead for the command line, beside its imports.

Nothing here imports pandas: `minesite score kobo.xlsx` starts calamine's parse of the first
sheet (which lets go of the GIL) while the command loads the rest of minesite (about 0.4 s)."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from minesite.errors import InputError
from minesite.inputs.xlsx_guard import Guard, guard_workbook
from minesite.inputs.zips import check_zip, open_zip

SUFFIXES = (".xlsx", ".xlsm")
"""Names of the files opened ahead (what the file is, the bytes decide later)."""


@dataclass
class Opened:
    """A workbook open for reading: its zip, the guard of its sheets, calamine's handle and the
    sheet names, the parse of the first sheet under way (measured before it began)."""

    archive: zipfile.ZipFile
    guard: Guard
    workbook: CalamineWorkbook
    names: list[str]
    pool: ThreadPoolExecutor
    """The one thread calamine parses in (never two calls on one workbook at once)."""
    first: Future | None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.archive.close()


def open_workbook(path: Path) -> Opened:
    """The zip's member count and declared sizes, the shared strings and the first sheet's range
    checked before calamine decompresses anything; then the first sheet handed to calamine."""
    archive = open_zip(path)
    pool = ThreadPoolExecutor(1, thread_name_prefix="minesite-xlsx")
    try:
        check_zip(path, archive.infolist())
        guard = guard_workbook(path, archive)
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = workbook.sheet_names
            first = None
            if names:
                guard.check(names[0], names)
                first = pool.submit(workbook.get_sheet_by_name, names[0])
        except (CalamineError, ValueError, OSError) as exc:
            raise unreadable(path, exc) from None
    except BaseException:
        pool.shutdown(wait=True)
        archive.close()
        raise
    return Opened(archive, guard, workbook, names, pool, first)


def unreadable(path: Path, exc: Exception) -> InputError:
    """What calamine (or the zip under it) could not read, in one line."""
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return InputError(path, "input.xlsx-unreadable", reason=reason)


_AHEAD: dict[Path, tuple[tuple[int, int], Future]] = {}
"""Workbooks being opened ahead: path -> (size, mtime) when started, the opening."""


@contextmanager
def workbooks_ahead(paths: Sequence[Path]) -> Iterator[None]:
    """Open the first workbook of `paths` in a thread, wait until its first sheet is measured
    (the guard needs the GIL), and let the caller go on beside calamine's parse; what the
    command did not take is closed at the end."""
    started = _start(paths)
    try:
        yield
    finally:
        for path in started:
            _close(_AHEAD.pop(path, None))


def take_opened(path: Path) -> Opened | None:
    """The workbook opened ahead for `path` (what opening it raised is raised here), or None:
    none was, or the file changed since."""
    entry = _AHEAD.pop(_name(path), None)
    if entry is None:
        return None
    key, opening = entry
    if _key(path) != key:
        _close(entry)
        return None
    return opening.result()


def _start(paths: Sequence[Path]) -> list[Path]:
    if any(_name(given) in _AHEAD for given in paths):
        return []  # one workbook ahead at a time (its first sheet is held until read)
    for given in paths:
        path = _name(given)
        if path.suffix.lower() not in SUFFIXES:
            continue
        key = _key(path)
        if key is None:  # not a regular file (a FIFO would block): read as usual
            continue
        opening: Future = Future()
        threading.Thread(target=_open_into, args=(path, opening), daemon=True).start()
        _AHEAD[path] = (key, opening)
        # The first sheet measured, the GIL is the caller's again (a huge sheet: at most a
        # second's wait, so that an error in the command line is still said at once).
        with contextlib.suppress(TimeoutError):
            opening.exception(timeout=1.0)
        return [path]
    return []


def _open_into(path: Path, opening: Future) -> None:
    try:
        opening.set_result(open_workbook(path))
    except BaseException as exc:  # noqa: BLE001 - raised by take_opened, in the reader's place
        opening.set_exception(exc)


def _close(entry: tuple[tuple[int, int], Future] | None) -> None:
    if entry is not None and entry[1].exception() is None:
        entry[1].result().close()


def _name(path: Path | str) -> Path:
    return Path(os.path.abspath(path))  # as given on the command line or found by the reader


def _key(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None
