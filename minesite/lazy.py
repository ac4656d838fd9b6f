"""Names of a package loaded on first use (PEP 562), so that importing the package is cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(table: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` giving each name of `table` from the module it maps to."""

    def __getattr__(name: str) -> Any:
        if name in table:
            return getattr(importlib.import_module(table[name]), name)
        raise AttributeError(name)

    return __getattr__
