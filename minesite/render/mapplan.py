"""A map as a list of drawing primitives in points (y up), and the furniture every map shares:
frame, legend panel, scale bar, north arrow and labels that do not overlap."""

from __future__ import annotations

from dataclasses import dataclass, field

from minesite.render.i18n import text
from minesite.render.palette import FILL as STATUS_FILL

LEGEND_WIDTH = 140.0
PAD = 6.0
MAX_LABEL = 38
"""Longest label drawn on a map (a site or title name is cut with an ellipsis)."""
BACKGROUND, BORDER, GREY = "#f6f5f0", "#9e9e9e", "#555555"
NICE = (1, 2, 5)
UNKNOWN_FILL = "#9e9e9e"


@dataclass
class Plan:
    """What to draw: primitives in order, plus the label boxes placed so far."""

    size: tuple[float, float]
    font: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    widen: float = 1.0
    """Text widths are measured in `font`; an SVG shown in a wider font scales them by this."""
    items: list[tuple] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    frame: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    texts: list[str] = field(default_factory=list)
    """Every text drawn (the PDF checks its font covers them)."""

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=0.5, opacity=1.0) -> None:  # noqa: ANN001
        self.items.append(("rect", x, y, w, h, fill, stroke, width, opacity))

    def circle(self, x, y, r, *, fill, stroke=None, width=0.5) -> None:  # noqa: ANN001
        self.items.append(("circle", x, y, r, fill, stroke, width))

    def line(self, x1, y1, x2, y2, *, stroke="#000000", width=0.5) -> None:  # noqa: ANN001
        self.items.append(("line", x1, y1, x2, y2, stroke, width))

    def polygon(self, points: list[tuple[float, float]], *, fill: str) -> None:
        self.items.append(("path", [points], fill, 1.0, None, 0.0, None))

    def path(self, rings, *, fill, opacity, stroke, width, dash=None) -> None:  # noqa: ANN001
        """Polygons with holes (even-odd fill): a list of closed rings."""
        self.items.append(("path", rings, fill, opacity, stroke, width, dash))

    def text(self, x, y, words, size, *, colour="#000000", bold=False, anchor="start") -> None:  # noqa: ANN001
        words = str(words)
        self.texts.append(words)
        self.items.append(("text", x, y, words, size, colour, bold, anchor))


def text_width(plan: Plan, words: str, size: float, bold: bool = False) -> float:
    """The width of `words` in the plan's font (reportlab's metrics: a standard font or one the
    PDF registered), else an estimate of 0.6 em a character."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    try:
        width = stringWidth(words, plan.bold if bold else plan.font, size)
    except KeyError:
        width = len(words) * size * 0.6
    return width * plan.widen


def cut(words: str, limit: int = MAX_LABEL) -> str:
    words = " ".join(str(words).split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def frame(plan: Plan) -> tuple[float, float, float, float]:
    """Draw the map frame's background left of the legend; returns x, y, width, height."""
    width, height = plan.size
    legend = min(LEGEND_WIDTH, width * 0.34)
    box = (0.5, 0.5, width - legend - PAD - 1, height - 1)
    plan.frame = box
    plan.rect(*box, fill=BACKGROUND, stroke=None)
    x0, y0, w, h = box
    # Keep labels off the north arrow (top right) and the scale bar (bottom left), drawn last.
    plan.boxes += [(x0 + w - 24, y0 + h - 36, 24, 36), (x0, y0, w / 4 + 45, 22)]
    return box


def close_frame(plan: Plan) -> None:
    """The frame's border, over whatever was drawn up to its edge."""
    plan.rect(*plan.frame, fill=None, stroke=BORDER, width=0.6)


def place_label(
    plan: Plan,
    x: float,
    y: float,
    words: str,
    size: float,
    colour: str,
    *,
    gap: float,
    bold: bool = False,
    centre: bool = False,
    first: bool = False,
) -> bool:
    """Put a label beside (x, y) where it fits in the frame and hits no other label; `first`
    labels (the site itself) are placed even when every spot is taken."""
    words = cut(words)
    if not words:
        return False
    w, h = text_width(plan, words, size, bold), size * 1.15
    fx, fy, fw, fh = plan.frame
    spots = (
        [(x - w / 2, y - h / 2)]
        if centre
        else [
            (x + gap, y - h / 2),
            (x - gap - w, y - h / 2),
            (x - w / 2, y + gap),
            (x - w / 2, y - gap - h),
        ]
    )
    for i, (left, bottom) in enumerate(spots):
        inside = fx <= left and left + w <= fx + fw and fy <= bottom and bottom + h <= fy + fh
        free = all(
            left + w < a or a + c < left or bottom + h < b or b + d < bottom
            for a, b, c, d in plan.boxes
        )
        if (inside and free) or (first and i == len(spots) - 1):
            if first and not (inside and free):
                left = min(max(spots[0][0], fx), fx + fw - w)
                bottom = min(max(spots[0][1], fy), fy + fh - h)
            plan.boxes.append((left, bottom, w, h))
            plan.rect(left - 1, bottom, w + 2, h, fill="#ffffff", opacity=0.75)
            plan.text(left, bottom + 0.25 * size, words, size, colour=colour, bold=bold)
            return True
    return False


def nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 x 10^k metres not above `metres`."""
    magnitude = 1.0
    while magnitude * 10 <= metres:
        magnitude *= 10
    while magnitude > metres and magnitude > 1:
        magnitude /= 10
    return max(n * magnitude for n in NICE if n * magnitude <= max(metres, 1))


def distance_words(metres: float, lang: str) -> str:
    """'500 m', '2 km', '1,5 km' (French decimal comma)."""
    if metres < 1000:
        return f"{metres:.0f} m"
    km = metres / 1000
    words = f"{km:.0f}" if km == int(km) else f"{km:.1f}"
    return (words.replace(".", ",") if lang == "fr" else words) + " km"


def scale_bar(plan: Plan, box: tuple[float, float, float, float], scale: float, lang: str) -> None:
    """A two-tone scale bar of a round length (bottom left) and a north arrow (top right)."""
    x0, y0, w, h = box
    metres = nice_length(w / 4 / scale)
    length = metres * scale
    left, bottom = x0 + 8, y0 + 8
    words = distance_words(metres, lang)
    plan.rect(
        left - 4,
        bottom - 3,
        length + 8 + text_width(plan, words, 6.5) / 2,
        16,
        fill="#ffffff",
        opacity=0.75,
    )
    plan.rect(left, bottom, length / 2, 3, fill="#000000", stroke="#000000", width=0.5)
    plan.rect(left + length / 2, bottom, length / 2, 3, fill="#ffffff", stroke="#000000", width=0.5)
    plan.text(left, bottom + 5, "0", 6.5, anchor="middle")
    plan.text(left + length, bottom + 5, words, 6.5, anchor="middle")
    tip_x, tip_y = x0 + w - 14, y0 + h - 8
    plan.rect(tip_x - 8, tip_y - 26, 16, 28, fill="#ffffff", opacity=0.75)
    plan.polygon([(tip_x, tip_y), (tip_x - 5, tip_y - 14), (tip_x, tip_y - 10)], fill="#000000")
    plan.polygon([(tip_x, tip_y), (tip_x + 5, tip_y - 14), (tip_x, tip_y - 10)], fill=GREY)
    north = text("dossier.map.north", lang)
    plan.text(tip_x, tip_y - 23, north, 8, bold=True, anchor="middle")
    close_frame(plan)


def legend_panel(
    plan: Plan,
    lang: str,
    *,
    site: tuple[str, str] | None,
    statuses: list[tuple[str, str]],
    titles: list[tuple[str, str, bool, str]],
    notes: list[str],
    max_titles: int = 6,
) -> None:
    """The legend right of the frame: the site, the statuses shown, the titles, notes."""
    width, height = plan.size
    x = plan.frame[0] + plan.frame[2] + PAD
    room_width = width - x
    y = height - 9
    plan.text(x, y, text("dossier.map.legend", lang), 7.5, bold=True)
    y -= 12
    if site is not None:
        plan.circle(x + 5, y + 2.5, 5, fill=None, stroke="#000000", width=1.2)
        plan.circle(x + 5, y + 2.5, 3.0, fill=site[1], stroke="#000000", width=0.6)
        plan.text(x + 14, y, cut(site[0], 30), 7, bold=True)
        y -= 11
        if statuses:
            plan.text(x, y, text("dossier.map.neighbours", lang), 6.5, colour=GREY)
            y -= 9
    for status, words in statuses:  # at most four statuses: they always fit
        plan.circle(x + 5, y + 2.5, 2.6, fill=STATUS_FILL.get(status, UNKNOWN_FILL))
        plan.text(x + 14, y, words, 7)
        y -= 9.5
    if titles and y > 22:
        y -= 2
        plan.text(x, y, text("dossier.map.titles", lang), 6.5, colour=GREY)
        y -= 9
        room = int((y - 2) // 9)  # lines left above the bottom edge
        shown = (
            titles
            if len(titles) <= min(room, max_titles)
            else titles[: max(min(room, max_titles) - 1, 1)]  # the first: the site's own
        )
        for cls, name, active, colour in shown:
            plan.rect(x + 1, y, 8, 6, fill=colour, stroke=colour, width=0.6, opacity=0.3)
            words = f"{cls} {name}" + ("" if active else f" ({text('dossier.map.inactive', lang)})")
            plan.text(x + 14, y, cut(words, int(room_width / 3.6)), 6.5)
            y -= 9
        if len(shown) < len(titles) and y > 2:
            more = text("dossier.map.more-titles", lang, n=len(titles) - len(shown))
            plan.text(x + 14, y, more, 6.5, colour=GREY)
            y -= 9
    y -= 2
    for note in notes:
        if y < 3:
            break
        plan.text(x, y, cut(note, int(room_width / 3.3)), 6, colour=GREY)
        y -= 8
