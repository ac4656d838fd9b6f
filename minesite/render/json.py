"""The JSON document of `validate --format json` (and `score -o x.json`): the view model as is."""

from __future__ import annotations

import json
import math
from typing import Any

from minesite.render.view import View
from minesite.result import Result


def to_json(result: Result, *, lang: str = "en") -> str:
    """Summary, one item per input row, sites and conflicts; codes stable across languages."""
    return dumps(View(result, lang).document(), indent=1)


def dumps(document: Any, *, indent: int | None = None) -> str:
    """Strict JSON: NaN, infinities and NaT become null (bare NaN breaks strict parsers)."""
    return json.dumps(json_safe(document), ensure_ascii=False, indent=indent, default=str)


def json_safe(value: Any) -> Any:
    """`value` with every non-finite float and pandas missing marker as None."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value
