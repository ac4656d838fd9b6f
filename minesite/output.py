"""Safe output files: never over an input, never over an existing file without force, and a set of
files (CSV or Parquet tables side by side) replaced as one set.

Every file is written under a temporary name in its own folder and fsynced; only then are the
files renamed over their targets, one rename each. A failure before the renames leaves every old
file untouched; a failure during them puts the old files back (each was hard-linked to a hidden
`.NAME.*.old` first). The residual window: a SIGKILL or power cut *between* the first and the
last rename (a few microseconds for five files) leaves a mixed set, with the old files still in
the hidden `.old` links beside them to restore by hand. Without force, a target that appeared
since the check (a second run writing the same `-o`) is never replaced: the rename is a hard
link, which fails on an existing name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from minesite.errors import UsageError

Writer = Callable[[Path], None]


def check_target(target: Path, inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse to write over an input or option file (the same path, a symlink or a hard link to
    it), over a folder, or over an existing file unless `force`."""
    resolved = target.resolve()
    try:
        own = os.stat(target)
    except OSError:
        own = None
    for path in inputs:
        path = Path(path)
        same = path.resolve() == resolved
        if not same and own is not None:
            with contextlib.suppress(OSError):
                other = os.stat(path)
                same = (other.st_dev, other.st_ino) == (own.st_dev, own.st_ino)
        if same:
            raise UsageError("output.is-an-input", target=str(target), input=str(path))
    if target.is_dir():
        raise UsageError("output.is-a-folder", target=str(target))
    if target.exists() and not force:
        raise UsageError("output.exists", target=str(target))
    if not target.parent.exists():
        raise UsageError("output.no-folder", target=str(target), folder=str(target.parent))


XLSX_CELL_CHARS = 32_767
"""Excel's limit of characters in one cell: a writer cuts anything longer, silently."""


def check_xlsx_cells(tables: dict[str, object]) -> None:
    """Refuse an XLSX output holding a text Excel would cut (the input limit is 1 MB a cell),
    naming the sheet, row and column; CSV, JSON and Parquet keep it whole."""
    for sheet, frame in tables.items():
        for position, column in enumerate(frame.columns):  # type: ignore[attr-defined]
            values = frame.iloc[:, position]  # type: ignore[attr-defined]
            if values.dtype.kind in "biufcmM":  # numbers and dates hold no long text
                continue
            try:
                lengths = values.str.len().fillna(0)
            except AttributeError:  # an object column that is not text
                continue
            if len(lengths) and lengths.max() > XLSX_CELL_CHARS:
                at = int(lengths.to_numpy().argmax())
                raise UsageError(
                    "output.xlsx-cell-too-long",
                    sheet=sheet,
                    row=at + 2,
                    column=str(column),
                    length=int(lengths.iat[at]),
                    limit=XLSX_CELL_CHARS,
                )


def write_atomically(target: Path, write: Writer) -> None:
    """One file written through a temporary file and renamed over the target (replacing it)."""
    write_files([(target, write)], force=True)


def write_files(files: Iterable[tuple[Path, Writer]], *, force: bool) -> list[Path]:
    """Write every (target, write) to a temporary name, fsync them all, then rename them all;
    the old set or the new set is left (see the module docstring for the residual window)."""
    files = list(files)
    with output_set(force=force) as add:
        for target, write in files:
            add(target, write)
    return [target for target, _ in files]


@contextlib.contextmanager
def output_set(*, force: bool) -> Iterator[Callable[[Path, Writer], None]]:
    """`add(target, write)` writes one file of the set now, under a temporary name; leaving the
    block renames them all; an exception inside it deletes them and keeps every old file."""
    pending: list[tuple[Path, Path]] = []

    def add(target: Path, write: Writer) -> None:
        pending.append((target, _write_temporary(target, write)))

    try:
        yield add
        _rename_all(pending, force=force)
    finally:
        for _, temporary in pending:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def _cannot_write(target: Path, exc: BaseException) -> UsageError:
    cause = exc if isinstance(exc, OSError) else exc.__cause__ or exc.__context__
    reason = getattr(cause, "strerror", None) or str(cause or exc)
    return UsageError("output.cannot-write", target=str(target), reason=reason)


def _is_os_failure(exc: BaseException) -> bool:
    """An OSError, or a writer's own error wrapping one (xlsxwriter's FileCreateError)."""
    return isinstance(exc, OSError) or isinstance(exc.__cause__ or exc.__context__, OSError)


def temporary_beside(target: Path, suffix: str = ".part") -> Path:
    """A new hidden file in the target's folder (a rename there is atomic)."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    os.close(handle)
    return Path(name)


def cannot_write(target: Path, exc: BaseException) -> UsageError:
    """The one-line error of a failed write (full disk, no permission...)."""
    return _cannot_write(target, exc)


def _write_temporary(target: Path, write: Writer) -> Path:
    temporary = temporary_beside(target)
    try:
        write(temporary)
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        _fsync(temporary)
    except Exception as exc:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        if _is_os_failure(exc):
            raise _cannot_write(target, exc) from None
        raise
    return temporary


def _fsync(path: Path, *, folder: bool = False) -> None:
    descriptor = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if folder else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _rename_all(pending: list[tuple[Path, Path]], *, force: bool) -> None:
    done: list[tuple[Path, Path | None]] = []  # target, hidden link to its old content
    backups: list[Path] = []
    try:
        for target, temporary in pending:
            if not force:
                os.link(temporary, target)  # fails if the target exists: never replaced
                done.append((target, None))
                continue
            backup = _backup(target)
            if backup is not None:
                backups.append(backup)
            os.replace(temporary, target)
            done.append((target, backup))
    except OSError as exc:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink()
        for backup in backups:  # the one made for the rename that failed
            with contextlib.suppress(OSError):
                backup.unlink()
        if isinstance(exc, FileExistsError):
            raise UsageError("output.exists", target=exc.filename2 or exc.filename) from None
        raise _cannot_write(Path(exc.filename or pending[0][0]), exc) from None
    for backup in backups:
        with contextlib.suppress(OSError):
            backup.unlink()
    for folder in {target.parent for target, _ in pending}:
        with contextlib.suppress(OSError):  # some file systems cannot fsync a folder
            _fsync(folder, folder=True)


def _backup(target: Path) -> Path | None:
    """A hidden hard link to the target's current content (None when there is none, or the file
    system has no hard links: then a failed rename cannot put that one file back)."""
    if not target.exists():
        return None
    for attempt in range(100):
        backup = target.with_name(f".{target.name}.{os.getpid()}-{attempt}.old")
        try:
            os.link(target, backup)
            return backup
        except FileExistsError:
            continue
        except OSError:
            return None
    return None
