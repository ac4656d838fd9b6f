"""What the user says about how to read the inputs when detection cannot know (`--delimiter`,
`--encoding`, `--dayfirst/--monthfirst`), checked once."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from minesite.errors import UsageError

_NAMED = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
_NOT_DELIMITERS = {'"', "\r", "\n"}


@dataclass(frozen=True)
class Reading:
    """Overrides of what the bytes say; None leaves it to detection.

    `delimiter`: one character (or tab, comma, semicolon, pipe, space, `\\t`).
    `encoding`: any Python codec name (cp1252, latin-1, utf-8...).
    `dayfirst`: True reads 02/03/2026 as 2 March, False as February 3; None keeps the rule
    (French Excel CSV: day first; otherwise a day above 12 in the file decides, else an error).
    `group_separator`: the KoboToolbox export's "Group separator" (detected from
    `meta/instanceID` otherwise).
    Delimiter and encoding apply to CSV tables (a workbook or an ODK Central zip has neither);
    the group separator to Kobo exports; `dayfirst` to every input."""

    delimiter: str | None = None
    encoding: str | None = None
    dayfirst: bool | None = None
    group_separator: str | None = None

    def __post_init__(self) -> None:
        if self.delimiter is not None:
            sign = _NAMED.get(self.delimiter.strip().lower(), self.delimiter)
            if len(sign) != 1 or sign in _NOT_DELIMITERS:
                raise UsageError("usage.bad-delimiter", value=self.delimiter)
            object.__setattr__(self, "delimiter", sign)
        if self.encoding is not None:
            try:
                name = codecs.lookup(self.encoding.strip()).name
                b"a".decode(name)  # LookupError for a codec that is not text (base64, zlib)
            except (LookupError, ValueError):
                raise UsageError("usage.bad-encoding", value=self.encoding) from None
            object.__setattr__(self, "encoding", name)
        if self.group_separator is not None:
            sign = self.group_separator
            if not sign.strip() or not sign.isprintable() or len(sign) > 5:
                raise UsageError("usage.bad-group-separator", value=sign)
