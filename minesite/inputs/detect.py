"""Recognise what a file really is from its bytes (not its extension): XLSX, zip, CSV and how."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from minesite.errors import InputError
from minesite.limits import check_file_size

SAMPLE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Sniffed:
    """What the bytes of a file say it is."""

    kind: str
    """'xlsx', 'zip' (a zip of CSV tables: ODK Central) or 'csv'."""
    encoding: str | None = None
    delimiter: str | None = None


def sniff(path: Path) -> Sniffed:
    """Classify a file, or raise InputError for what cannot be an inspection table."""
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    check_file_size(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise InputError(path, "the file is empty")
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(path))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(path, "old Excel 97-2003 (.xls) workbook: save it as .xlsx and retry")
    if head.startswith(b"%PDF"):
        raise InputError(path, "a PDF, not an inspection table (CSV or XLSX)")
    encoding = _encoding(path, head)
    text = head.decode(encoding, errors="ignore")
    if "\x00" in text:
        raise InputError(path, "binary content: not a CSV or XLSX inspection table")
    return Sniffed("csv", encoding=encoding, delimiter=_delimiter(path, text))


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is not an encoding problem.
        if exc.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


def _delimiter(path: Path, text: str) -> str:
    header = next(csv.reader([text.splitlines()[0] if text else ""]), [])
    line = text.splitlines()[0] if text else ""
    counts = {sep: line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best] == 0:
        if len(header) == 1 and header[0].strip():
            return ","  # a single-column table
        raise InputError(path, "no header row found", row=1)
    return best


def _zip_kind(path: Path) -> str:
    """An XLSX workbook is a zip holding xl/workbook.xml; an ODK Central export holds CSV files."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"a damaged zip or XLSX file: {exc}") from None
    if "xl/workbook.xml" in names or "[Content_Types].xml" in names:
        return "xlsx"
    if any(name.lower().endswith(".csv") for name in names):
        return "zip"
    raise InputError(path, "a zip archive with neither an XLSX workbook nor CSV tables in it")


KOBO_SYSTEM = {"_id", "_uuid", "_submission_time", "_validation_status", "_index"}
"""Columns every KoboToolbox export appends (KPI COPY_FIELDS plus _index)."""
ODK_SYSTEM = {"KEY", "SubmissionDate", "SubmitterID", "ReviewState", "FormVersion"}
"""Columns of an ODK Central CSV (root table: SubmissionDate first, KEY...FormVersion last)."""
IPIS_MARKERS = {"fid", "vid", "pcode", "type_armed_group1", "visit_onsite"}


def csv_dialect(headers: Iterable[str], sniffed: Sniffed) -> str:
    """Which export wrote this CSV, from its header and bytes: never from the file name.

    'kobo' (current KoboToolbox: `;`), 'kobo-legacy' (KoboCAT: `,`), 'odk' (one ODK Central
    table), 'ipis' (IPIS open data), 'french-excel' (Excel "Save as CSV" in a French locale:
    cp1252 and/or `;`), or 'csv' (plain CSV with canonical or mapped headers)."""
    names = {h.strip() for h in headers}
    lowered = {h.lower() for h in names}
    if len(names & ODK_SYSTEM) >= 2:
        return "odk"
    if len(names & KOBO_SYSTEM) >= 2:
        return "kobo" if sniffed.delimiter == ";" else "kobo-legacy"
    if lowered >= IPIS_MARKERS:
        return "ipis"
    if sniffed.encoding == "cp1252" or sniffed.delimiter == ";":
        return "french-excel"
    return "csv"


def header_fields(path: Path, sniffed: Sniffed) -> list[str]:
    """The header row's fields (enough to tell which export wrote the file)."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    text = head.decode(sniffed.encoding or "utf-8", errors="replace")
    lines = text.splitlines()
    return next(csv.reader(lines[:1], delimiter=sniffed.delimiter or ","), [])
