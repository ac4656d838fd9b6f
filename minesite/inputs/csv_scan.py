"""One pass over a CSV file's bytes, in windows: whether the fast parser could read it other
than the exact one does, and whether some line is long enough to hold an over-long cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

_WINDOW = 1 << 22
"""Bytes read at a time: a few MB of temporaries, never the whole file in memory or mapped
(a mapped 381 MB file counted 381 MB more of resident memory)."""
_LF, _CR, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class Scan:
    """What the bytes say before any parser reads them."""

    exact: bool
    """Only the exact parser reads this file right (a blank line outside quotes, irregular
    quoting)."""
    long_line: bool
    """Some aligned window of half the cell limit holds no line feed (see limits.has_long_line):
    a cell may be over the limit, so every cell is measured."""
    multiline: bool = False
    """A quoted value holds a line break: pyarrow must be told (newlines_in_values), or it
    gives up where a block of the file ends inside the value."""
    cuts: tuple[int, ...] = ()
    """With `every`: where records start, the header's end first, then every `every` bytes."""


def scan(path: Path, delimiter: str, cell_limit: int, every: int = 0) -> Scan:
    """Read the file once; `exact` stops the scan at the first sign (then the rest is not
    known). `every` > 0 also gives the byte offsets at which to cut it in whole records."""
    size = path.stat().st_size
    step = max(1, cell_limit // 2)
    # has_long_line's aligned windows [k * step, (k + 1) * step), over whole windows only.
    windows = (size - step) // step + 1 if size > cell_limit else 0
    with_feed = np.zeros(windows, dtype=bool)
    boundary = np.zeros(256, dtype=bool)
    boundary[[ord(delimiter), _LF, _CR, _QUOTE]] = True
    # One byte either side of each window: the byte before a quote or a line break, and the
    # one after a quote. A line start before the file and a line end after it, for quotes.
    buffer = bytearray(_WINDOW + 2)
    quotes = 0
    multiline = False
    cuts: list[int] = []
    with path.open("rb") as handle:
        for start in range(0, size, _WINDOW):
            end = min(start + _WINDOW, size)
            if start:
                handle.seek(start - 1)
                got = handle.readinto(memoryview(buffer)[: end - start + 2])
            else:
                buffer[0] = _LF
                got = 1 + handle.readinto(memoryview(buffer)[1 : end + 2])
            if end == size:
                buffer[got] = _LF
            data = np.frombuffer(buffer, dtype=np.uint8, count=end - start + 2)
            core = data[1:-1]
            feeds = np.flatnonzero(core == _LF) + 1  # indices into data
            if windows:
                at = (feeds - 1 + start) // step
                with_feed[at[at < windows]] = True
            at_quotes = returns = feeds[:0]
            if buffer.find(b"\r", 1, end - start + 1) >= 0:
                returns = np.flatnonzero(core == _CR) + 1
            if buffer.find(b'"', 1, end - start + 1) >= 0:
                at_quotes = np.flatnonzero(core == _QUOTE) + 1
                # Well-formed quoting: the k-th quote of the file opens a field (even k: after
                # a delimiter, a line break or an escaping quote) or closes it (odd k: before
                # one, or an escaped quote). pyarrow and the C parser read the rest differently.
                odd = (np.arange(len(at_quotes)) + quotes) % 2 == 1
                opening, closing = at_quotes[~odd], at_quotes[odd]
                if not (boundary[data[opening - 1]].all() and boundary[data[closing + 1]].all()):
                    return Scan(exact=True, long_line=False)
            breaks = np.concatenate([feeds, returns]) if len(returns) else feeds
            # A line break after an odd number of quotes is inside a quoted value.
            inside = (quotes + np.searchsorted(at_quotes, breaks)) % 2 == 1
            multiline = multiline or bool(inside.any())
            if every:
                # A line feed outside quotes ends a record: the next one starts after it.
                starts = feeds[~inside[: len(feeds)]] + start
                _cut(cuts, starts[starts < size], every)
            quotes += len(at_quotes)
            # A blank line ("\n\n", "\r\n\r\n") or a line ended by a lone CR ("\r\r", "\n\r")
            # outside quotes: pyarrow skips it, shifting Excel row numbers. Never the virtual
            # byte before the file.
            ends = breaks[~inside]
            ends = ends[ends >= (2 if start == 0 else 1)]
            before = data[ends - 1]
            if ((before == _LF) | ((data[ends] == _CR) & (before == _CR))).any():
                return Scan(exact=True, long_line=False)
    return Scan(
        exact=quotes % 2 == 1,
        long_line=not with_feed.all(),
        multiline=multiline,
        cuts=tuple(cuts),
    )


def _cut(cuts: list[int], starts: np.ndarray, every: int) -> None:
    """Add the first record start of the window (the header's end), then the first one
    `every` bytes past the last cut, as often as the window allows."""
    while len(starts):
        at = int(np.searchsorted(starts, cuts[-1] + every)) if cuts else 0
        if at >= len(starts):
            return
        cuts.append(int(starts[at]))
        starts = starts[at + 1 :]
