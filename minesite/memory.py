"""How a large run gives memory back: between partitions, and to the system (a million-visit
file's freed text is hundreds of MB that an allocator would otherwise keep)."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any


def partition_rows() -> int:
    """Rows scored at once (MINESITE_PARTITION_ROWS): a larger file is scored in slices."""
    return max(1, int(os.environ.get("MINESITE_PARTITION_ROWS", "100000")))


def release_memory(rows: int, *, collect: bool = True) -> None:
    """Give the memory of `rows` scored visits back before the next step: the frames hold
    reference cycles, and Arrow's allocator keeps freed pages unless asked. Below one slice
    there is little to give, and a full collection costs more than the run (60 ms a call in a
    long-lived process such as the test suite, where it was a third of a small file's score).
    `collect=False` skips the collection: a slice's frames are freed by their last reference
    (a 1M-visit file peaks the same without it, 10 collections sooner)."""
    if rows <= partition_rows():
        return
    import gc

    import pyarrow as pa

    if collect:
        gc.collect()
    pa.default_memory_pool().release_unused()
    _trim()


@functools.cache
def _libc() -> Any:
    """The C library (found once: `find_library` runs `ldconfig`), or None off glibc."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name and sys.platform.startswith("linux") else None


def _trim() -> None:
    """glibc keeps freed heap pages for reuse: hand them back (Linux; a no-op elsewhere)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def use_returning_allocator() -> None:
    """Arrow's jemalloc pool for this process where pyarrow has it (Linux and macOS wheels;
    elsewhere the default stays): scoring 1M visits in one file took a quarter less system
    time (page faults: 4.6-5.9 s against 7.5-8.0 s, two interleaved runs each), the same
    peak. For the command's process only: a library caller keeps the pool it chose."""
    import pyarrow as pa

    if "jemalloc" in pa.supported_memory_backends():
        pa.set_memory_pool(pa.jemalloc_memory_pool())
