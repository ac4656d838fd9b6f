"""How a file was read, as codes: a dialect and its details (encoding, separator, repeat tables),
rendered in words by the catalog; the English words are the machine-readable `dialect`."""

from __future__ import annotations

from typing import Any

Part = tuple[str, dict[str, Any]]
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def encoding(name: str | None, delimiter: str | None) -> Part:
    """'utf-8, comma-separated' as a detail."""
    sign = delimiter or ","
    return ("dialect.detail.encoding", {"encoding": name, "delimiter": DELIMITERS.get(sign, sign)})


def header_mode(mode: str) -> Part:
    """Headers as XML names or as labels."""
    return ("dialect.detail.xml-names" if mode == "XML names" else "dialect.detail.labels", {})


def words(parts: tuple[Part, ...], lang: str) -> str:
    """'KoboToolbox CSV (XML names, utf-8, semicolon-separated)' in `lang`."""
    from minesite.render.i18n import text

    if not parts:
        return ""
    (code, params), *details = parts
    said = [text(c, lang, **_worded(p, lang)) for c, p in details]
    name = text(code, lang, **_worded(params, lang))
    return f"{name} ({', '.join(said)})" if said else name


def _worded(params: dict[str, Any], lang: str) -> dict[str, Any]:
    from minesite.render.i18n import text

    if "delimiter" in params and params["delimiter"] in DELIMITERS.values():
        return {**params, "delimiter": text(f"dialect.delimiter.{params['delimiter']}", lang)}
    return params
