"""Safe output files: never over an input, never over an existing file without force, atomic."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from minesite.errors import UsageError


def check_target(target: Path, inputs: Iterable[Path], *, force: bool) -> None:
    """Refuse to write over an input file, or over an existing file unless `force`."""
    resolved = target.resolve()
    for path in inputs:
        if Path(path).resolve() == resolved:
            raise UsageError(f"{target}: is an input file; choose another output name")
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name")
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; use --force to replace it")
    if not target.parent.exists():
        raise UsageError(f"{target}: folder {target.parent} does not exist")


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename it over the target.

    A crash or a kill mid-write leaves the previous file (if any) intact. A folder that cannot
    be written (missing, read-only, full disk) is a one-line UsageError."""
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        # mkstemp creates the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
