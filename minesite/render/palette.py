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
INK = {"red": "#fff", "yellow": "#000", "green": "#fff", "blue": "#fff", "incomplete": "#fff"}
"""Text drawn on a fill."""
TEXT = {**FILL, "yellow": "#9a7400"}
"""A status word in colour on white (yellow darkened to be readable)."""
