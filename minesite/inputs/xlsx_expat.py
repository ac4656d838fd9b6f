"""The XLSX guard's expat plumbing: parsers that refuse a DTD, parse errors as input errors, and
the root or the elements of one part by local name."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from minesite.errors import InputError


class _Stop(Exception):
    """Raised inside a handler to stop parsing once the root element is known."""


def parser_for(path: Path, part: str) -> expat.XMLParserType:
    """An expat parser for one part, its attributes as ordered lists, a DTD refused."""
    parser = expat.ParserCreate()
    parser.ordered_attributes = True

    def doctype(*_: object) -> None:
        # No OOXML part has a DTD; refusing it rules out entity expansion and external fetches.
        raise InputError(path, "input.xlsx-doctype", sheet=part)

    parser.StartDoctypeDeclHandler = doctype
    return parser


def parse(
    path: Path,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    parser: expat.XMLParserType,
    block_size: int = 1 << 20,
) -> None:
    try:
        with archive.open(info) as stream:
            while block := stream.read(block_size):
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError as exc:
        raise InputError(
            path,
            "input.xlsx-bad-xml",
            sheet=info.filename,
            reason=expat.errors.messages.get(exc.code, str(exc)),
            line=exc.lineno,
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise InputError(path, "input.damaged-zip", sheet=info.filename, reason=str(exc)) from None
    except (NotImplementedError, RuntimeError) as exc:
        raise InputError(
            path, "input.zip-member-unreadable", sheet=info.filename, reason=str(exc)
        ) from None


def local(name: str) -> str:
    return name.rpartition(":")[2]


def attributes(attrs: list[str]) -> dict[str, str]:
    """Attributes by local name (`r`, `x:r` and `r` in any namespace are all `r`)."""
    return {local(attrs[i]): attrs[i + 1] for i in range(0, len(attrs), 2)}


def root(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> tuple[str, dict[str, str]] | None:
    """Local name and attributes of a part's root element (None when it is not XML)."""
    parser = parser_for(path, info.filename)
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attrs: list[str]) -> None:
        found.append((local(name), attributes(attrs)))
        raise _Stop

    parser.StartElementHandler = start
    try:
        parse(path, archive, info, parser, 1 << 14)
    except InputError as error:
        if error.code == "input.xlsx-bad-xml":
            return None  # not XML at all (a misnamed image): calamine does not read it either
        raise
    return found[0] if found else None


def elements(
    path: Path, archive: zipfile.ZipFile, part: str, on_start: Callable[[str, dict[str, str]], None]
) -> None:
    """Every element of a small part (workbook, relationships), by local name."""
    infos = [i for i in archive.infolist() if i.filename.lower() == part.lower()]
    for info in infos:
        parser = parser_for(path, info.filename)
        parser.StartElementHandler = lambda name, attrs: on_start(local(name), attributes(attrs))
        parse(path, archive, info, parser)
