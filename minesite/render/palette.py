"""The status colours every renderer uses (PDF, HTML, maps), as hex strings."""

from __future__ import annotations

FILL = {
    "red": "#c62828",
    "yellow": "#f9c80e",
    "green": "#2e7d32",
    "blue": "#1565c0",
    "incomplete": "#5f6b7a",
}
"""Badge and marker fill per status."""
WHITE, BLACK = "#ffffff", "#000000"
INK = {"red": WHITE, "yellow": BLACK, "green": WHITE, "blue": WHITE, "incomplete": WHITE}
"""Text drawn on a fill (six digits: reportlab reads "#fff" as 0x000fff, a blue)."""
TEXT = {**FILL, "yellow": "#9a7400"}
"""A status word in colour on white (yellow darkened to be readable)."""
