"""A JSON Schema (draft-07) validator for the subset of keywords the project's ICGLR schema uses.

No network and no extra dependency: `$ref` resolves only inside the schema document, and a
keyword outside the subset is refused when the schema is loaded, so a schema edit can never be
silently ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).with_name("schema.json")
ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "version", "definitions"}
KEYWORDS = {
    "$ref",
    "allOf",
    "type",
    "required",
    "properties",
    "items",
    "enum",
    "pattern",
    "format",
    "minLength",
    "minItems",
    "minimum",
    "maximum",
    "propertyNames",
    "if",
    "then",
    "else",
}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    # JSON has one number type; true and false are not numbers.
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


@dataclass(frozen=True)
class Problem:
    """One way a value breaks the schema: where (JSON path), which keyword, and details."""

    path: tuple[str | int, ...]
    keyword: str
    detail: str = ""

    @property
    def field(self) -> str:
        """The path as dotted field names with [n] for list items: owner.contactDetails.tin."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out


@cache
def load_schema(path: Path = SCHEMA) -> dict[str, Any]:
    """The schema document, checked to use only the supported keywords."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    _check_keywords(schema, "#")
    return schema


def _check_keywords(node: Any, where: str) -> None:
    if not isinstance(node, dict):
        return
    unknown = set(node) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise ValueError(f"{where}: unsupported JSON Schema keyword(s) {sorted(unknown)}")
    for name, sub in node.get("definitions", {}).items():
        _check_keywords(sub, f"{where}/definitions/{name}")
    for name, sub in node.get("properties", {}).items():
        _check_keywords(sub, f"{where}/properties/{name}")
    for key in ("items", "propertyNames", "if", "then", "else"):
        _check_keywords(node.get(key), f"{where}/{key}")
    for i, sub in enumerate(node.get("allOf", [])):
        _check_keywords(sub, f"{where}/allOf/{i}")


def validate(value: Any, schema: dict[str, Any] | None = None, *, at: str = "") -> list[Problem]:
    """Every problem of `value` against the schema (or the definition `at`, e.g. "MineSite")."""
    root = schema or load_schema()
    node = root["definitions"][at] if at else root
    problems: list[Problem] = []
    _check(value, node, root, (), problems)
    return problems


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, not {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _check(value: Any, node: dict[str, Any], root: dict, path: tuple, out: list[Problem]) -> None:
    if "$ref" in node:
        _check(value, _resolve(root, node["$ref"]), root, path, out)
    for sub in node.get("allOf", []):
        _check(value, sub, root, path, out)
    kind = node.get("type")
    if kind is not None and not _TYPES[kind](value):
        out.append(Problem(path, "type", kind))
        return
    if "enum" in node and value not in node["enum"]:
        out.append(Problem(path, "enum", ", ".join(map(str, node["enum"]))))
    if isinstance(value, str):
        _check_string(value, node, path, out)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            out.append(Problem(path, "minimum", str(node["minimum"])))
        if "maximum" in node and value > node["maximum"]:
            out.append(Problem(path, "maximum", str(node["maximum"])))
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            out.append(Problem(path, "minItems", str(node["minItems"])))
        if "items" in node:
            for i, item in enumerate(value):
                _check(item, node["items"], root, (*path, i), out)
    if isinstance(value, dict):
        _check_object(value, node, root, path, out)
    if "if" in node:
        holds = not _fails(value, node["if"], root)
        branch = node.get("then") if holds else node.get("else")
        if branch is not None:
            _check(value, branch, root, path, out)


def _check_string(value: str, node: dict[str, Any], path: tuple, out: list[Problem]) -> None:
    if len(value) < node.get("minLength", 0):
        out.append(Problem(path, "minLength", str(node["minLength"])))
    if "pattern" in node and not re.search(node["pattern"], value):
        out.append(Problem(path, "pattern", node["pattern"]))
    if node.get("format") == "date" and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            out.append(Problem(path, "format", "date"))


def _check_object(value: dict, node: dict[str, Any], root: dict, path: tuple, out: list) -> None:
    out.extend(
        Problem((*path, name), "required") for name in node.get("required", ()) if name not in value
    )
    for name, sub in node.get("properties", {}).items():
        if name in value:
            _check(value[name], sub, root, (*path, name), out)
    if "propertyNames" in node:
        names = node["propertyNames"]
        out.extend(
            Problem((*path, name), "propertyNames", names["pattern"])
            for name in value
            if _fails(name, names, root)
        )


def _fails(value: Any, node: dict[str, Any], root: dict) -> bool:
    probe: list[Problem] = []
    _check(value, node, root, (), probe)
    return bool(probe)
