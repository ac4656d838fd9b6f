"""How to read one country's mining cadastre: which property holds the title class, which values
mean ZEA/PE/PR/ZIN, which statuses are in force (`checklists/cadastre.toml` or --cadastre-config),
every key type-checked so a mistake is one line naming the file and key."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minesite.checklists.vocabulary import normalise
from minesite.errors import ChecklistError, did_you_mean
from minesite.limits import read_toml

ZONES = ("zea", "pe", "pr", "zin")
"""Canonical title classes (answers of the `title-zone` vocabulary)."""
_TOP_KEYS = {"country", "properties", "classes", "active", "location"}
_PROPERTY_KEYS = {"class", "name", "type", "holder", "status"}
_ACTIVE_KEYS = {"classes", "statuses", "prefixes"}
_LOCATION_KEYS = {"bbox", "predicate"}


@dataclass(frozen=True)
class CadastreConfig:
    """How to read one country's cadastre file."""

    path: Path
    country: str
    properties: dict[str, str]
    classes: dict[str, str]
    """Normalised class-property value -> canonical zone (zea, pe, pr, zin)."""
    active_classes: frozenset[str]
    active_statuses: frozenset[str]
    active_prefixes: tuple[str, ...]
    bbox: tuple[float, float, float, float]
    predicate: str

    def is_active(self, status: str) -> bool:
        """Is a title with this status in force?"""
        text = normalise(status)
        return text in self.active_statuses or text.startswith(self.active_prefixes)


def load_config(path: Path | str | None = None) -> CadastreConfig:
    """Read and validate a cadastre configuration (default: bundled checklists/cadastre.toml)."""
    if path is None:
        from minesite._resources import bundled

        path = bundled("cadastre.toml")
    path = Path(path)
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ChecklistError(path, "cadastre.config-unreadable", reason=str(exc)) from None
    _keys(path, data, _TOP_KEYS, "")
    tables = {
        name: _table(path, data, name) for name in ("properties", "classes", "active", "location")
    }
    for table, allowed in (
        ("properties", _PROPERTY_KEYS),
        ("active", _ACTIVE_KEYS),
        ("location", _LOCATION_KEYS),
    ):
        _keys(path, tables[table], allowed, table + ".")
    properties = {k: _string(path, v, f"properties.{k}") for k, v in tables["properties"].items()}
    if "class" not in properties:
        raise ChecklistError(path, "cadastre.missing-key", key="properties.class")
    classes: dict[str, str] = {}
    for zone, values in tables["classes"].items():
        if zone not in ZONES:
            raise ChecklistError(
                path,
                "cadastre.unknown-class",
                key=f"classes.{zone}",
                hint=did_you_mean(zone, ZONES),
            )
        for value in _texts(path, values, f"classes.{zone}", numbers=True):
            classes[normalise(value)] = zone
    active = tables["active"]
    location = tables["location"]
    bbox = _bbox(path, location.get("bbox", [-180.0, -90.0, 180.0, 90.0]))
    predicate = location.get("predicate", "intersects")
    if predicate not in {"intersects", "within"}:
        raise ChecklistError(path, "cadastre.bad-predicate", key="location.predicate")
    return CadastreConfig(
        path=path,
        country=_string(path, data.get("country", ""), "country"),
        properties=properties,
        classes=classes,
        active_classes=frozenset(_texts(path, active.get("classes", []), "active.classes")),
        active_statuses=frozenset(
            normalise(t) for t in _texts(path, active.get("statuses", []), "active.statuses")
        ),
        active_prefixes=tuple(
            normalise(t) for t in _texts(path, active.get("prefixes", []), "active.prefixes")
        ),
        bbox=bbox,
        predicate=predicate,
    )


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ChecklistError(path, "cadastre.not-a-table", key=name)
    return value


def _string(path: Path, value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ChecklistError(path, "cadastre.not-text", key=key)
    return value


def _texts(path: Path, values: Any, key: str, *, numbers: bool = False) -> list[str]:
    """A list of texts (class codes may be written as numbers)."""
    kinds = (str, int, float) if numbers else (str,)
    if not isinstance(values, list) or not all(
        isinstance(v, kinds) and not isinstance(v, bool) for v in values
    ):
        raise ChecklistError(path, "cadastre.not-a-list", key=key)
    return [str(v) for v in values]


def _bbox(path: Path, value: Any) -> tuple[float, float, float, float]:
    """[lon_min, lat_min, lon_max, lat_max] of finite numbers (NaN turned the check off)."""
    numbers = (
        [float(v) for v in value]
        if isinstance(value, list)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        else []
    )
    if (
        len(numbers) != 4
        or not all(math.isfinite(v) for v in numbers)
        or numbers[0] >= numbers[2]
        or numbers[1] >= numbers[3]
    ):
        raise ChecklistError(path, "cadastre.bad-bbox", key="location.bbox")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def _keys(path: Path, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise ChecklistError(
                path,
                "checklist.unknown-key",
                key=prefix + str(key),
                hint=did_you_mean(key, allowed),
            )
