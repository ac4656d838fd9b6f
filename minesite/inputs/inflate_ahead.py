"""A zip member's bytes block by block, inflated in a thread a few blocks ahead of its reader
(zlib lets go of the GIL: the XLSX guard scans one block, or imports pyarrow, beside it)."""

from __future__ import annotations

import queue
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress

_DEPTH = 8
"""Blocks inflated ahead at most (8 of 8 MB: a 60 MB sheet while pyarrow is imported)."""


@contextmanager
def inflated(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int
) -> Iterator[Iterator[bytes]]:
    """The member's blocks of `size` bytes, then one empty block; what reading raised is raised
    where the block it stopped at would have come. Leaving early stops the thread."""
    ready: queue.Queue[bytes | BaseException] = queue.Queue(_DEPTH)
    stop = threading.Event()

    def inflate() -> None:
        try:
            with archive.open(info) as stream:
                while not stop.is_set():
                    block = stream.read(size)
                    ready.put(block)
                    if not block:
                        return
        except BaseException as exc:  # noqa: BLE001 - raised in the reader's thread
            ready.put(exc)

    def blocks() -> Iterator[bytes]:
        while True:
            block = ready.get()
            if isinstance(block, BaseException):
                raise block
            yield block
            if not block:
                return

    worker = threading.Thread(target=inflate, name="minesite-inflate", daemon=True)
    worker.start()
    try:
        yield blocks()
    finally:
        stop.set()
        while worker.is_alive():  # a full queue holds the thread in put(): empty it
            with suppress(queue.Empty):
                ready.get(timeout=0.01)
        worker.join()
