"""Photos prepared for a dossier: decoded safely, turned upright, downscaled and re-encoded as
small JPEGs, and shrunk further when one site's pictures together exceed a budget."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minesite.inputs.media import Attachment

MAX_SIDE, QUALITY = 1024, 72
"""Longest side and JPEG quality of an image shown in a dossier: 100-250 KB a photo."""
MAX_PIXELS = 80_000_000
"""An image with more pixels is not decoded (decompression bombs)."""


@dataclass(frozen=True)
class Picture:
    """An image downscaled and re-encoded as JPEG for the dossier."""

    jpeg: bytes
    width: int
    height: int
    original: tuple[int, int]
    """Width and height of the original image, in pixels."""


def picture_of(data: bytes, max_side: int = MAX_SIDE, quality: int = QUALITY):  # noqa: ANN201
    """(Picture, '') for image bytes, or (None, why it cannot be read)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            original = image.size
            if original[0] * original[1] > MAX_PIXELS:
                return None, f"{original[0]} × {original[1]} pixels"
            image.draft("RGB", (max_side, max_side))  # JPEG: decode at 1/2, 1/4, 1/8 size
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality, optimize=True)
            return Picture(out.getvalue(), image.width, image.height, original), ""
    except (  # what Pillow raises for a truncated, corrupt or hostile file
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as exc:
        return None, str(exc) or type(exc).__name__


def fit_budget(attachments: list[Attachment], budget: int) -> list[Attachment]:
    """The same attachments with their pictures re-encoded smaller when together they exceed
    `budget` bytes (one site's PDF must stay small enough to mail and file)."""
    total = sum(len(a.picture.jpeg) for a in attachments if a.picture)
    if total <= budget:
        return attachments
    ratio = (budget / total) ** 0.5 * 0.9  # bytes grow with the area
    out = []
    for a in attachments:
        if a.picture is None:
            out.append(a)
            continue
        side = max(160, int(max(a.picture.width, a.picture.height) * ratio))
        smaller, _ = picture_of(a.picture.jpeg, side, 60)
        if smaller is not None:
            smaller = replace(smaller, original=a.picture.original)
        out.append(replace(a, picture=smaller))
    return out
