"""Input text made safe for a terminal: control characters, escape sequences and bidi overrides
shown as visible escapes (`\\x1b`, `\\u202e`), never interpreted.

A site name holding `ESC[2K ESC[1G GREEN` erased the red badge printed before it; `U+202E`
reverses the line that follows. Every value read from an input passes through `printable`
before a terminal sees it.
"""

from __future__ import annotations

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SEPARATORS = [0x2028, 0x2029, 0x0085]
_UNSAFE = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI, *_SEPARATORS]
_TABLE = {code: chr(code).encode("unicode_escape").decode("ascii") for code in _UNSAFE}


def printable(text: object) -> str:
    """`text` with every C0/C1 control (ESC, CR, LF, TAB, BEL...), DEL, bidi embedding, override
    and isolate, and line separator replaced by its visible escape; all else unchanged."""
    return str(text).translate(_TABLE)
