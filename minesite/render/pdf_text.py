"""Text a PDF font can draw: every value of a report Document on one line (a line break in a
field made a table row taller than the page), and each character the font lacks (CJK, emoji)
shown as its code point, `[U+91D1]`, and remembered for a note on the front page."""

from __future__ import annotations

import dataclasses
import re

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class Drawable:
    """Every text of a Document made drawable: one line, and each character the font lacks
    shown as its code point (remembered, for the note on the front page)."""

    def __init__(self, covered: set[int]) -> None:
        self.covered = covered
        self.missing: set[str] = set()

    def text(self, value: str) -> str:
        value = _CONTROLS.sub(" ", value)
        if all(ord(c) in self.covered for c in set(value)):
            return value
        out = []
        for c in value:
            if ord(c) in self.covered:
                out.append(c)
            else:
                self.missing.add(c)
                out.append(f"[U+{ord(c):04X}]")
        return "".join(out)

    def __call__(self, value: object) -> object:
        if isinstance(value, str):
            return self.text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self(v) for v in value)
        if isinstance(value, dict):
            return {self(k): self(v) for k, v in value.items()}
        return value

    def note(self, lang: str) -> str:
        """The front-page line naming the characters shown as code points."""
        from minesite.render.i18n import text

        points = [f"U+{ord(c):04X}" for c in sorted(self.missing)]
        shown = ", ".join(points[:20]) + (" …" if len(points) > 20 else "")
        return text("pdf.missing-glyphs", lang, count=len(points), points=shown)
