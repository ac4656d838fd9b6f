"""Recognise what a file really is from its bytes (not its extension): XLSX, zip, CSV and how."""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from minesite.errors import InputError
from minesite.inputs.delimiters import detect_delimiter
from minesite.inputs.reading import Reading
from minesite.inputs.zips import ZIP_ERRORS, check_zip_directory
from minesite.limits import check_file_size

SAMPLE_BYTES = 256 * 1024
_BLOCK = 1 << 24
_SEP_LINE = re.compile(r"sep=.?\s*")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OTHER_OFFICE = {"word/document.xml": "input.word-document", "ppt/presentation.xml": "input.slides"}


@dataclass(frozen=True)
class Sniffed:
    """What the bytes of a file say it is."""

    kind: str
    """'xlsx', 'zip' (a zip of CSV tables: ODK Central) or 'csv'."""
    encoding: str | None = None
    delimiter: str | None = None
    invalid_utf8: bool = False
    """A UTF-8 file with a few bytes that are not UTF-8: read as UTF-8, those cells named."""


def sniff(path: Path, reading: Reading | None = None) -> Sniffed:
    """Classify a file, or raise InputError for what cannot be an inspection table; `reading`
    gives the delimiter or the encoding of a CSV when detection cannot know them."""
    reading = reading or Reading()
    if not path.exists():
        raise InputError(path, "input.file-not-found")
    if path.is_dir():
        raise InputError(path, "input.is-a-folder")
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as exc:
        raise InputError(path, "input.cannot-read", reason=exc.strerror or str(exc)) from None
    if not regular:
        # A pipe (`<(cat x.csv)`) can be read once only, and every reader reads twice.
        raise InputError(path, "input.not-a-regular-file")
    check_file_size(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(path, "input.cannot-read", reason=exc.strerror or str(exc)) from None
    if not head.strip():
        raise InputError(path, "input.empty-file")
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(path))
    if head.startswith(b"PAR1"):
        return Sniffed("parquet")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE container: an old .xls, or an .xlsx saved with a password (encrypted).
        code = "input.encrypted-workbook" if _contains(path, _ENCRYPTED) else "input.old-xls"
        raise InputError(path, code)
    if head.startswith(b"%PDF"):
        raise InputError(path, "input.pdf")
    encoding, invalid = (
        _encoding(path, head) if reading.encoding is None else (reading.encoding, False)
    )
    if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"  # --encoding utf-8 on a file with a BOM
    if not encoding.startswith(("utf-16", "utf-32")):
        _check_no_nul(path)
    text = head.decode(encoding, errors="replace")
    if "\x00" in text:
        raise InputError(path, "input.binary", row=1)
    whole = len(head) < SAMPLE_BYTES
    delimiter = reading.delimiter or _delimiter(path, text, whole=whole)
    return Sniffed("csv", encoding, delimiter, invalid)


def _contains(path: Path, needle: bytes) -> bool:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return view.find(needle) >= 0


def _check_no_nul(path: Path) -> None:
    """A NUL byte anywhere (not only in the first 256 KB) is binary content, not text."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        at = view.find(b"\x00")
        if at >= 0:
            raise InputError(path, "input.binary", row=view[:at].count(b"\n") + 1)


def _encoding(path: Path, head: bytes) -> tuple[str, bool]:
    """The encoding of the whole file, and whether it is UTF-8 with a few invalid bytes.

    One stray Windows-1252 byte used to re-decode a UTF-8 file as cp1252, turning every accent
    into mojibake (`armé` -> `armÃ©`: a red visit read yellow). So the whole content decides:
    valid UTF-8 is UTF-8; bytes that fail UTF-8 are a cp1252 file only when the file holds no
    (or fewer) valid multi-byte UTF-8 characters than invalid bytes; otherwise it is UTF-8 and
    the cells with the invalid bytes are named (a file with a UTF-8 BOM is always UTF-8)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    bom = head.startswith(codecs.BOM_UTF8)
    encoding = "utf-8-sig" if bom else "utf-8"
    if head.isascii() and path.stat().st_size <= len(head):
        return encoding, False
    valid, invalid = _utf8_counts(path)
    if not invalid:
        return encoding, False
    if bom or valid >= invalid:
        return encoding, True
    return "cp1252", False


def _utf8_counts(path: Path) -> tuple[int, int]:
    """Valid multi-byte UTF-8 characters and invalid byte sequences in the file (0 invalid:
    the file is UTF-8; counted only then)."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        if valid_utf8(view):
            return 0, 0
        strict = codecs.getincrementaldecoder("utf-8")()
        try:
            for start in range(0, len(view), _BLOCK):
                block = view[start : start + _BLOCK]
                if block.isascii() and not strict.getstate()[0]:
                    continue  # ASCII is UTF-8: skip the decode (most blocks of most files)
                strict.decode(block, final=start + _BLOCK >= len(view))
            strict.decode(b"", final=True)
            return 0, 0
        except UnicodeDecodeError:
            pass
        lenient = codecs.getincrementaldecoder("utf-8")(errors="replace")
        valid = invalid = 0
        for start in range(0, len(view), _BLOCK):
            text = lenient.decode(view[start : start + _BLOCK], final=start + _BLOCK >= len(view))
            bad = text.count("\ufffd")
            invalid += bad
            valid += len(text) - len(text.encode("ascii", "ignore")) - bad
        return valid, invalid


def valid_utf8(data: bytes | mmap.mmap) -> bool:
    """Whether the bytes are UTF-8 throughout, by Arrow's validator (SIMD, no copy: the bytes
    are one string value over the buffer)."""
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    value = pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data))
    try:
        value.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _delimiter(path: Path, text: str, *, whole: bool) -> str:
    line = _first_line(text)
    if _SEP_LINE.fullmatch(line.strip()):
        raise InputError(path, "input.sep-line", row=1, line=line.strip())
    if not line.strip():
        raise InputError(path, "input.no-header", row=1)
    # None: no candidate splits the header, a single-column table.
    return detect_delimiter(text, whole=whole) or ","


def _zip_kind(path: Path) -> str:
    """An XLSX workbook is a zip holding xl/workbook.xml; an ODK Central export holds CSV files."""
    check_zip_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            opendocument = _mimetype(archive) if "mimetype" in names else b""
    except ZIP_ERRORS as exc:
        raise InputError(path, "input.damaged-zip", reason=str(exc)) from None
    # Other Office files are zips too: name them, never "not a readable XLSX workbook".
    if "xl/workbook.xml" not in names:
        for member, code in _OTHER_OFFICE.items():
            if member in names:
                raise InputError(path, code)
        if b"opendocument" in opendocument:
            raise InputError(path, "input.opendocument")
    if "xl/workbook.xml" in names or "[Content_Types].xml" in names:
        return "xlsx"
    if any(name.lower().endswith(".csv") for name in names):
        return "zip"
    raise InputError(path, "input.zip-without-tables")


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """An OpenDocument file's first member names its type; unreadable, it names nothing."""
    import zlib

    try:
        with archive.open("mimetype") as member:
            return member.read(80)
    except (*ZIP_ERRORS, RuntimeError, zlib.error):
        return b""


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
    # A header field longer than csv's default 128 KB limit is the cell-size check's business.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    # A quoted label may hold a line break (an XLSForm label on two lines): read one record.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniffed.delimiter or ",")
    return next(reader, [])
