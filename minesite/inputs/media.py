"""Photos and other attachments a visit's answers name, found offline and prepared for a dossier.

A cell names an attachment when its value is a file name, or a URL ending in one (KoboToolbox
`question_URL` columns), with an attachment extension. The file is looked up, by name only, in
the `media/` folder of the ODK Central zip the row came from (read in memory, never extracted,
within the zip limits of `minesite/limits.py`), then in the folder given with `--media DIR`
(searched recursively: a Kobo media download nests files under each submission's uuid). Nothing
is ever fetched over the network. Each attachment keeps the SHA-256 of its original bytes;
images are re-encoded as small JPEGs for the PDF. A missing or unreadable file is a warning on
that attachment, never an error.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np

from minesite.errors import InputError
from minesite.inputs.pictures import Picture, picture_of
from minesite.inputs.zips import check_zip
from minesite.limits import current

IMAGES = ("jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif")
OTHERS = ("m4a", "mp3", "amr", "aac", "wav", "ogg", "3gp", "mp4", "mov", "avi", "pdf")
_NAMES = re.compile(r"\.(?:" + "|".join(IMAGES + OTHERS) + r")(?:[?#].*)?$", re.IGNORECASE)
MEDIA_FOLDERS = ("media/", "files/")


@dataclass(frozen=True)
class MediaWarning:
    """Why an attachment is not shown: a catalog code with its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        from minesite.render.i18n import text

        return text(self.code, lang, **self.params)


@dataclass(frozen=True)
class Attachment:
    """One file a visit's answer names."""

    visit: int
    """Position of the visit row in `inspection.visits`."""
    column: str
    """The question: the column's header as written in the file."""
    name: str
    """The file name, as the answer gives it."""
    sha256: str = ""
    """SHA-256 of the original bytes ('' when the file was not found or not read)."""
    picture: Picture | None = None
    warning: MediaWarning | None = None
    sheet: str | None = None
    row: int | None = None
    """Where the answer naming it is: the sheet or zip member, and its row (header = 1)."""
    repeat: bool = False
    """Named in a repeat table (one row per armed actor, say), not on the visit's row."""
    visit_label: str = ""
    """Which visit it documents, for the reader ('2026-03-14 · export.zip:5'); set by the report."""
    documents: tuple[str, ...] = ()
    """Criteria whose evidence is in the same form group or repeat row; set by the report."""

    @property
    def is_image(self) -> bool:
        return self.name.lower().rsplit(".", 1)[-1] in IMAGES


def file_name(value: str) -> str:
    """The file name an answer gives: itself, or the last part of a URL (or of its
    `media_file=` parameter, as older KoboToolbox URLs have); '' when none."""
    value = value.strip()
    if not _NAMES.search(value):
        return ""
    if "://" in value or "?" in value:
        parts = urlsplit(value)
        media = parse_qs(parts.query).get("media_file")
        value = media[0] if media else unquote(parts.path)
    name = value.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name if _NAMES.search(name) and not name.startswith(".") else ""


def find_attachments(inspection, media_dir: Path | None = None) -> list[Attachment]:  # noqa: ANN001
    """Every attachment the visits' answers name, in row then column order."""
    if media_dir is not None and not Path(media_dir).is_dir():
        from minesite.errors import UsageError

        raise UsageError("media.not-a-folder", path=str(media_dir))
    visits = inspection.visits
    order = {c: i for i, c in enumerate(visits.columns)}
    named: dict[tuple[int, str], tuple[str, str | None, int | None]] = {}
    # Plain columns first, so a Kobo `photo` column wins over its `photo_URL` twin.
    columns = sorted(
        (c for c in visits.columns if not str(c).startswith("_")),
        key=lambda c: str(c).lower().endswith("_url"),
    )
    for column in columns:
        values = visits[column].fillna("").astype(str)
        hits = np.flatnonzero(values.str.contains(_NAMES).to_numpy())
        for position in hits.tolist():
            name = file_name(values.iat[position])
            if name:
                named.setdefault((position, name), (column, None, None))
    for position, header, name, sheet, row in _repeat_answers(inspection):
        named.setdefault((position, name), (header, sheet, row))
    finder = _Finder(inspection, media_dir)
    ordered = sorted(named.items(), key=lambda kv: (kv[0][0], order.get(kv[1][0], len(order))))
    return [finder.attachment(position, name, *where) for (position, name), where in ordered]


def _repeat_answers(inspection) -> list[tuple[int, str, str, str, int]]:  # noqa: ANN001
    """(visit position, header, file name, member, row) for each file a repeat table of an ODK
    Central zip names (a photo per armed actor): those columns are not among the visits'. A
    repeat row belongs to the visit whose KEY starts its PARENT_KEY."""
    import csv
    import io

    visits = inspection.visits
    if "vid" not in visits.columns:
        return []
    found = []
    for index, source in enumerate(inspection.sources):
        if not source.dialect.startswith("ODK Central CSV zip"):
            continue
        mine = visits["_source"].to_numpy() == index
        keys = visits["vid"][mine].astype(str).tolist()
        positions = dict(zip(keys, np.flatnonzero(mine).tolist(), strict=True))
        try:
            with zipfile.ZipFile(source.path) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if info.filename.lower().endswith(".csv")
                    and info.filename != source.sheet
                    and not info.filename.lower().startswith(MEDIA_FOLDERS)
                ]
                check_zip(source.path, members)
                tables = [(info.filename, archive.read(info)) for info in members]
        except (InputError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            continue  # the reader has read these tables already; nothing more to find here
        root = (source.sheet or "").removesuffix(".csv")
        for member, data in tables:
            # `Form-repeat.csv` holds repeat `repeat`: name its questions `repeat-question`, as
            # ODK names a group's.
            repeat = member.removesuffix(".csv").removeprefix(root).lstrip("-")
            rows = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace")))
            header = next(rows, [])
            if "PARENT_KEY" not in header:
                continue
            parent = header.index("PARENT_KEY")
            for number, row in enumerate(rows, start=2):
                key = row[parent].split("/", 1)[0] if parent < len(row) else ""
                if key not in positions:
                    continue
                for column, cell in zip(header, row, strict=False):
                    name = file_name(cell) if column not in ("PARENT_KEY", "KEY") else ""
                    if name:
                        found.append((positions[key], f"{repeat}-{column}", name, member, number))
    return found


class _Finder:
    """Looks files up in the rows' zips and the media folder (each listed once)."""

    def __init__(self, inspection, media_dir: Path | None) -> None:  # noqa: ANN001
        self.inspection = inspection
        self.media_dir = Path(media_dir) if media_dir is not None else None
        self._zips: dict[int, dict[str, zipfile.ZipInfo]] = {}
        self._folder: dict[str, list[Path]] | None = None
        self._unzipped = 0

    def attachment(
        self, position: int, name: str, column: str, sheet: str | None, row: int | None
    ) -> Attachment:
        visits = self.inspection.visits
        source_index = int(visits["_source"].iat[position])
        source = self.inspection.sources[source_index]
        header = source.headers.get(column, column)
        own = row is None  # an answer of the visit's own row
        if own:
            sheet, row = source.sheet, int(visits["_row"].iat[position])
        data, warning = self._bytes(source_index, source.path, position, header, name)
        repeat = not own
        found = Attachment(position, header, name, sheet=sheet, row=row, repeat=repeat)
        found = replace(found, warning=warning)
        if data is None:
            return found
        found = replace(found, sha256=hashlib.sha256(data).hexdigest())
        if not found.is_image:
            return found
        picture, problem = picture_of(data)
        if problem:
            why = {"name": name, "column": header, "reason": problem}
            return replace(found, warning=MediaWarning("media.unreadable", why))
        return replace(found, picture=picture)

    def _bytes(self, source_index: int, path: Path, position: int, header: str, name: str):  # noqa: ANN202
        params = {"name": name, "column": header}
        members = self._zip(source_index, path)
        if name in members:
            return self._member(path, members[name], params)
        if self.media_dir is None:
            if members:
                where = {"where": f"{path.name} (media/)"}
                return None, MediaWarning("media.missing", params | where)
            return None, MediaWarning("media.no-folder", params)
        return self._from_folder(position, name, params, zipped=path.name if members else "")

    def _from_folder(self, position: int, name: str, params: dict, zipped: str):  # noqa: ANN202
        candidates = self._in_folder(name)
        if not candidates:
            where = f"{self.media_dir}" + (f", {zipped} (media/)" if zipped else "")
            return None, MediaWarning("media.missing", params | {"where": where})
        warning = None
        if len(candidates) > 1:
            # A Kobo media download nests each submission's files under its uuid.
            visits = self.inspection.visits
            key = str(visits["vid"].iat[position]).removeprefix("uuid:") if "vid" in visits else ""
            candidates = sorted(candidates, key=lambda p: (not key or key not in str(p), str(p)))
            if not key or key not in str(candidates[0]):
                where = {"count": len(candidates), "where": str(self.media_dir)}
                where["chosen"] = str(candidates[0])
                warning = MediaWarning("media.ambiguous", params | where)
        chosen = candidates[0]
        limit = current().file_bytes
        size = chosen.stat().st_size
        if size > limit:
            return None, MediaWarning(
                "media.too-large", params | {"size": size >> 20, "limit": limit >> 20}
            )
        try:
            return chosen.read_bytes(), warning
        except OSError as exc:
            return None, MediaWarning("media.unreadable", params | {"reason": str(exc)})

    def _zip(self, source_index: int, path: Path) -> dict[str, zipfile.ZipInfo]:
        """File name -> member of the media folder of the zip a source was read from."""
        if source_index not in self._zips:
            members: dict[str, zipfile.ZipInfo] = {}
            if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for info in archive.infolist():
                        folder, _, leaf = info.filename.rpartition("/")
                        if f"{folder}/".lower() in MEDIA_FOLDERS and leaf and not info.is_dir():
                            members.setdefault(leaf, info)
            self._zips[source_index] = members
        return self._zips[source_index]

    def _member(self, path: Path, info: zipfile.ZipInfo, params: dict):  # noqa: ANN202
        import zlib

        limit = current().unzipped_bytes
        if self._unzipped + info.file_size > limit:
            return None, MediaWarning("media.zip-limit", params | {"limit": limit >> 20})
        try:
            check_zip(path, [info])
            with zipfile.ZipFile(path) as archive:
                data = archive.read(info)
        except InputError as exc:
            return None, MediaWarning("media.unreadable", params | {"reason": exc.render("en")})
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            return None, MediaWarning("media.unreadable", params | {"reason": str(exc)})
        except RuntimeError as exc:  # encrypted member
            return None, MediaWarning("media.unreadable", params | {"reason": str(exc)})
        self._unzipped += len(data)
        return data, None

    def _in_folder(self, name: str) -> list[Path]:
        if self._folder is None:
            self._folder = {}
            for file in sorted(self.media_dir.rglob("*")):
                if file.is_file():
                    self._folder.setdefault(file.name.casefold(), []).append(file)
        return self._folder.get(name.casefold(), [])
