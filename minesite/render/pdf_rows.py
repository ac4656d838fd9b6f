"""A table of wrapped text drawn straight on the canvas, for the report's long tables (findings,
history, SHA-256, red sites): reportlab's Table with Paragraph cells costs most of a 1,000-site
report, this costs a tenth. It splits across pages, repeating its header row."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#bbbbbb")
HEAD = colors.HexColor("#eeeeee")
PAD, SIDE = 2.0, 3.0
TITLE_SIZE, TITLE_LEADING, TITLE_SPACE = 11, 14, 11
"""The section title's font size and leading (the report's h2), and the space around it."""
MAX_LINES = 12
"""Longest cell shown, in lines: a longer free text is cut with … (its cell is in the input)."""


@dataclass(frozen=True)
class Column:
    """One column: width in points, font and size, colour, right alignment."""

    width: float
    font: str
    size: float = 7.5
    colour: colors.Color = colors.black
    right: bool = False


def wrap_text(text: str, font: str, size: float, room: float, most: int = MAX_LINES) -> list[str]:
    """`text` in lines that fit `room` points: on spaces, and inside a word too long for a line
    (a uuid, a path); at most `most` lines."""
    lines: list[str] = []
    for part in str(text).split("\n"):
        for line in simpleSplit(part, font, size, room) or [""]:
            while stringWidth(line, font, size) > room and len(line) > 1:
                guess = int(len(line) * room / stringWidth(line, font, size))
                cut = max(1, min(len(line) - 1, guess))
                while cut > 1 and stringWidth(line[:cut], font, size) > room:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1][:-1] + "…"]
    return lines


class Rows(Flowable):
    """Header row on grey, then one row per item with a rule under it; cell colours by
    (row, column) in `colours`, cell fonts in `fonts` (the bold status word of a history)."""

    def __init__(
        self,
        header: list[str],
        rows: list[list[str]],
        columns: list[Column],
        *,
        bold: str,
        colours: dict[tuple[int, int], colors.Color] | None = None,
        fonts: dict[tuple[int, int], str] | None = None,
        title: str = "",
        _laid: list | None = None,
    ) -> None:
        super().__init__()
        self.header, self.columns, self.bold = header, columns, bold
        # A section title drawn with the first rows: it never ends a page on its own, and the
        # table is not pushed whole to the next page to stay with it.
        self.title = title
        self.title_height = TITLE_LEADING + TITLE_SPACE if title else 0.0
        self.colours, self.fonts = colours or {}, fonts or {}
        self.width = sum(c.width for c in columns)
        self.leading = max(c.size for c in columns) + 2
        if _laid is None:
            _laid = [self._lay(i, row) for i, row in enumerate(rows)]
        self.laid = _laid
        self.head = [
            wrap_text(h, bold, 8, c.width - 2 * SIDE) for h, c in zip(header, columns, strict=True)
        ]
        self.head_height = max(len(h) for h in self.head) * 10 + 2 * PAD

    def _lay(self, i: int, row: list[str]) -> tuple[int, list[list[str]], float]:
        cells = []
        for j, (value, column) in enumerate(zip(row, self.columns, strict=True)):
            font = self.fonts.get((i, j), column.font)
            cells.append(wrap_text(value, font, column.size, column.width - 2 * SIDE))
        height = max(len(c) for c in cells) * self.leading + 2 * PAD
        return i, cells, height

    def wrap(self, available_width, available_height):
        self.height = self.title_height + self.head_height + sum(h for _, _, h in self.laid)
        return self.width, self.height

    def split(self, available_width, available_height):
        room = available_height - self.title_height - self.head_height
        taken = 0
        for count, (_, _, height) in enumerate(self.laid):
            if room < height:
                break
            room -= height
            taken = count + 1
        if taken == 0 or taken == len(self.laid):
            return []
        return [self._part(self.laid[:taken], self.title), self._part(self.laid[taken:], "")]

    def _part(self, laid: list, title: str) -> Rows:
        return Rows(
            self.header,
            [],
            self.columns,
            bold=self.bold,
            colours=self.colours,
            fonts=self.fonts,
            title=title,
            _laid=laid,
        )

    def draw(self) -> None:
        c = self.canv
        y = self.height
        if self.title:
            c.setFillColor(colors.black)
            c.setFont(self.bold, TITLE_SIZE)
            c.drawString(0, y - 8 - TITLE_SIZE, self.title)
            y -= self.title_height
        c.setFillColor(HEAD)
        c.rect(0, y - self.head_height, self.width, self.head_height, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(self.bold, 8)
        x = 0.0
        for lines, column in zip(self.head, self.columns, strict=True):
            for k, line in enumerate(lines):
                self._text(x, y - PAD - 7 - k * 10, line, column)
            x += column.width
        y -= self.head_height
        c.setStrokeColor(RULE)
        c.setLineWidth(0.3)
        c.line(0, y, self.width, y)
        for i, cells, height in self.laid:
            x = 0.0
            for j, (lines, column) in enumerate(zip(cells, self.columns, strict=True)):
                font = self.fonts.get((i, j), column.font)
                c.setFillColor(self.colours.get((i, j), column.colour))
                c.setFont(font, column.size)
                top = y - PAD - column.size
                for k, line in enumerate(lines):
                    self._text(x, top - k * self.leading, line, column)
                x += column.width
            y -= height
            c.line(0, y, self.width, y)

    def _text(self, x: float, y: float, line: str, column: Column) -> None:
        if column.right:
            self.canv.drawRightString(x + column.width - SIDE, y, line)
        else:
            self.canv.drawString(x + SIDE, y, line)
