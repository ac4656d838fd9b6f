"""The XLSX guard's byte scan in one RE2 pass (pyarrow compute: linear time, without the GIL):
a block of a sheet is plain when none of the scan's odd constructs is in it and every cell tag
is canonical and lies inside the declared range.

The pattern is the union of the byte scan's own (inputs/xlsx_fast.py) written without look-around,
which RE2 does not have: a look-behind becomes the characters it refuses (or the start of the
block), a look-ahead the ways a reference can leave the range. A block whose last tag is not
closed is never called plain (at its end a look-ahead sees nothing, a character class needs one).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

_ODD = (
    r"[\t\n\r\"']r[ \t\n\r]*=",  # an attribute r after a tab or a quote
    r"[ :]r[ \t\n\r]+=",  # an attribute r spaced from its '='
    r"(?:^|[^s]|(?:^|[^n])s|(?:^|[^l])ns|(?:^|[^m])lns|(?:^|[^x])mlns):r=",  # x:r, not xmlns:r
    r"(?:^|[^cw]|(?:^|[^<])c|(?:^|[^o])w|(?:^|[^r])ow|(?:^|[^<])row) r=",  # not <c r= or <row r=
    r"<f[ \t\n\r/>]",  # a formula
    r":(?:c[ \t\n\r/>]|row|v[ \t\n\r/>]|is[ \t\n\r/>]|f[ \t\n\r/>]|sheetData)",  # prefixed
    r"<!",  # a comment, CDATA or DTD
    r"<\?",  # a processing instruction
    r"\x00",  # UTF-16
    r"<c(?:[\t\n\r/>]| (?:[^r]|r[^=]|r=[^\"]))",  # a cell tag not starting <c r="
)


@lru_cache(maxsize=64)  # one per declared dimension: few in any run
def odd_or_outside(letters: bytes, digits: bytes) -> str:
    """An RE2 pattern that matches a block holding an odd construct or a cell tag that is not
    `<c r="COLUMN ROW"` followed by a space, '/' or '>' within A1:{letters}{digits}."""
    n, m = len(letters), len(digits)
    column = f"[A-Z]{{1,{n}}}"
    leaves = [
        "[^A-Z]",
        f"[A-Z]{{{n + 1}}}",  # more letters than the last column
        *above(letters.decode(), "A", "Z"),
        column + "[^A-Z0-9]",
        column + "0",  # a row with a leading zero
        column + f"[0-9]{{{m + 1}}}",  # more digits than the last row
        *(column + row for row in above(digits.decode(), "0", "9")),
        column + f'[0-9]{{1,{m}}}(?:[^0-9"]|"[^ />])',
    ]
    return "|".join([*_ODD, '<c r="(?:' + "|".join(leaves) + ")"])


def plain(scan: bytes, pattern: str) -> bool:
    """No match of `pattern` (from `odd_or_outside`) in a block whose last tag is closed."""
    if scan.rfind(b">") < scan.rfind(b"<") or b"<" not in scan:
        return False
    import pyarrow.compute as pc  # here: imported beside the inflating of the first blocks

    return not pc.match_substring_regex(_one(scan), pattern)[0].as_py()


def above(bound: str, low: str, high: str) -> list[str]:
    """Regexes for the strings of len(bound) characters in [low, high] that are > bound."""
    choices = []
    for i, char in enumerate(bound):
        if char < high:
            rest = len(bound) - i - 1
            tail = f"[{low}-{high}]{{{rest}}}" if rest else ""
            choices.append(f"{bound[:i]}[{chr(ord(char) + 1)}-{high}]{tail}")
    return choices


def at_most(bound: str, low: str, high: str, first: str | None = None) -> str:
    """A regex for the strings of len(bound) characters in [low, high] that are <= bound."""
    choices = []
    for i, char in enumerate(bound):
        start = first if i == 0 and first else low
        if char > start:
            below = chr(ord(char) - 1)
            rest = len(bound) - i - 1
            tail = f"[{low}-{high}]{{{rest}}}" if rest else ""
            choices.append(f"{bound[:i]}[{start}-{below}]{tail}")
    return "|".join([*choices, bound])


def _one(scan: bytes) -> pa.Array:
    """The block as a one-element binary array, its bytes not copied. Binary, not string: RE2
    reads binary as Latin-1 (every byte a character); as UTF-8 an invalid byte matches no
    class, and a cell place made of one would pass. 32-bit offsets: blocks are 8 MB."""
    import pyarrow as pa

    offsets = pa.py_buffer(b"\0\0\0\0" + len(scan).to_bytes(4, "little"))
    return pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(scan)])
