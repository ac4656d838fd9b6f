"""A map plan (render/mapplan.py) as a reportlab Drawing for the PDF or an SVG string for the
HTML; every text of the SVG is escaped, every text of the Drawing is a plain string."""

from __future__ import annotations

from functools import cache
from html import escape

from minesite.render.mapplan import Plan


@cache
def _colour(hex_colour: str):  # noqa: ANN202 - reportlab Color
    from reportlab.lib import colors

    return colors.HexColor(hex_colour)


def to_drawing(plan: Plan):  # noqa: ANN201 - reportlab.graphics.shapes.Drawing
    """The map as a reportlab Drawing (a Flowable: add it to a platypus story)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, Path, Rect, String
    from reportlab.lib.colors import transparent

    def colour(value):  # noqa: ANN001, ANN202
        return transparent if value is None else _colour(value)

    drawing = Drawing(*plan.size)
    add = drawing.add
    for item in plan.items:
        kind = item[0]
        if kind == "circle":
            _, x, y, r, fill, stroke, width = item
            add(
                Circle(
                    x, y, r, fillColor=colour(fill), strokeColor=colour(stroke), strokeWidth=width
                )
            )
        elif kind == "rect":
            _, x, y, w, h, fill, stroke, width, opacity = item
            shape = Rect(x, y, w, h, fillColor=colour(fill), strokeColor=colour(stroke))
            shape.strokeWidth = width
            if opacity < 1:
                shape.fillOpacity = opacity
            add(shape)
        elif kind == "line":
            _, x1, y1, x2, y2, stroke, width = item
            add(Line(x1, y1, x2, y2, strokeColor=colour(stroke), strokeWidth=width))
        elif kind == "path":
            _, rings, fill, opacity, stroke, width, dash = item
            path = Path(
                fillColor=colour(fill),
                strokeColor=colour(stroke),
                strokeWidth=width,
                fillMode=0,  # FILL_EVEN_ODD: holes stay holes
                autoclose="svg",
            )
            for ring in rings:
                path.moveTo(*ring[0])
                for point in ring[1:]:
                    path.lineTo(*point)
                path.closePath()
            if opacity < 1:
                path.fillOpacity = opacity
            if dash:
                path.strokeDashArray = list(dash)
            add(path)
        else:
            _, x, y, words, size, fill, bold, anchor = item
            add(
                String(
                    x,
                    y,
                    words,
                    fontName=plan.bold if bold else plan.font,
                    fontSize=size,
                    fillColor=colour(fill),
                    textAnchor=anchor,
                )
            )
    return drawing


def _n(value: float) -> str:
    """A coordinate to a tenth of a point, without a trailing .0 (3,400 maps in one HTML)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def to_svg(plan: Plan, *, label: str = "") -> str:
    """The map as an SVG element to put inline in HTML (width 100%, scales with the page; no
    xmlns, which HTML does not need, so the page names no URL at all)."""
    width, height = plan.size
    out = [
        f'<svg viewBox="0 0 {width:g} {height:g}" '
        f'width="100%" role="img" aria-label="{escape(label, quote=True)}" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif">'
    ]

    def paint(fill, stroke, width, opacity=1.0) -> str:  # noqa: ANN001
        parts = [f'fill="{fill or "none"}"']
        if opacity < 1:
            parts.append(f'fill-opacity="{opacity:g}"')
        if stroke:
            parts.append(f'stroke="{stroke}" stroke-width="{width:g}"')
        return " ".join(parts)

    for item in plan.items:
        kind = item[0]
        if kind == "circle":
            _, x, y, r, fill, stroke, w = item
            out.append(
                f'<circle cx="{_n(x)}" cy="{_n(height - y)}" r="{r:g}" {paint(fill, stroke, w)}/>'
            )
        elif kind == "rect":
            _, x, y, w, h, fill, stroke, sw, opacity = item
            out.append(
                f'<rect x="{_n(x)}" y="{_n(height - y - h)}" width="{_n(w)}" height="{_n(h)}" '
                f"{paint(fill, stroke, sw, opacity)}/>"
            )
        elif kind == "line":
            _, x1, y1, x2, y2, stroke, w = item
            out.append(
                f'<line x1="{_n(x1)}" y1="{_n(height - y1)}" x2="{_n(x2)}" y2="{_n(height - y2)}" '
                f'stroke="{stroke}" stroke-width="{w:g}"/>'
            )
        elif kind == "path":
            _, rings, fill, opacity, stroke, w, dash = item
            d = "".join(
                "M" + "L".join(f"{_n(x)} {_n(height - y)}" for x, y in ring) + "Z" for ring in rings
            )
            rule = ' fill-rule="evenodd"' if len(rings) > 1 else ""  # holes stay holes
            dashes = f' stroke-dasharray="{dash[0]:g} {dash[1]:g}"' if dash else ""
            out.append(f'<path d="{d}"{rule} {paint(fill, stroke, w, opacity)}{dashes}/>')
        else:
            _, x, y, words, size, fill, bold, anchor = item
            extra = ' font-weight="bold"' if bold else ""
            extra += f' fill="{fill}"' if fill != "#000000" else ""
            extra += f' text-anchor="{anchor}"' if anchor != "start" else ""
            out.append(
                f'<text x="{_n(x)}" y="{_n(height - y)}" font-size="{size:g}"{extra}>'
                f"{escape(words, quote=False)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def map_flowable(plan: Plan):  # noqa: ANN201 - reportlab Flowable
    """The map as a platypus Flowable drawn straight onto the canvas: the same picture as
    `to_drawing`, at a fraction of its cost (no shape objects, no per-shape state), for
    reports of thousands of site pages."""
    from reportlab.platypus import Flowable

    class MapFlowable(Flowable):
        def wrap(self, available_width, available_height):  # noqa: ANN001, ANN202
            return plan.size

        def draw(self) -> None:
            _paint(self.canv, plan)

    flowable = MapFlowable()
    flowable.width, flowable.height = plan.size
    return flowable


def _paint(c, plan: Plan) -> None:  # noqa: ANN001 - reportlab canvas
    c.saveState()
    for item in plan.items:
        kind = item[0]
        if kind == "circle":
            _, x, y, r, fill, stroke, width = item
            _style(c, fill, stroke, width)
            c.circle(x, y, r, stroke=stroke is not None, fill=fill is not None)
        elif kind == "rect":
            _, x, y, w, h, fill, stroke, width, opacity = item
            _style(c, fill, stroke, width, opacity)
            c.rect(x, y, w, h, stroke=stroke is not None, fill=fill is not None)
            if opacity < 1:
                c.setFillAlpha(1)
        elif kind == "line":
            _, x1, y1, x2, y2, stroke, width = item
            _style(c, None, stroke, width)
            c.line(x1, y1, x2, y2)
        elif kind == "path":
            _, rings, fill, opacity, stroke, width, dash = item
            _style(c, fill, stroke, width, opacity)
            path = c.beginPath()
            for ring in rings:
                path.moveTo(*ring[0])
                for point in ring[1:]:
                    path.lineTo(*point)
                path.close()
            if dash:
                c.setDash(*dash)
            c.drawPath(path, stroke=stroke is not None, fill=fill is not None, fillMode=0)
            if dash:
                c.setDash()
            if opacity < 1:
                c.setFillAlpha(1)
        else:
            _, x, y, words, size, fill, bold, anchor = item
            c.setFillColor(_colour(fill))
            c.setFont(plan.bold if bold else plan.font, size)
            if anchor == "middle":
                c.drawCentredString(x, y, words)
            elif anchor == "end":
                c.drawRightString(x, y, words)
            else:
                c.drawString(x, y, words)
    c.restoreState()


def _style(c, fill, stroke, width: float, opacity: float = 1.0) -> None:  # noqa: ANN001
    if fill is not None:
        c.setFillColor(_colour(fill))
        if opacity < 1:
            c.setFillAlpha(opacity)
    if stroke is not None:
        c.setStrokeColor(_colour(stroke))
        c.setLineWidth(width)
