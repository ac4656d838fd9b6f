"""The icglrId of each site: from a registry CSV (site id -> ICGLR id), else provisional.

A provisional id is CC-[Lat][Long]-NNNNN from the site's coordinates with both signs written
(`CD-+0.3370+28.7153-00001`: the protocol's examples fold a latitude's minus sign into the
separator, so a northern latitude without its "+" is ambiguous). The registry is what keeps ids
stable when a GPS point is corrected: existing lines are never changed, new ids are appended,
and a site or an id that appears twice with different partners is an error.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from minesite.errors import InputError

PATTERN = re.compile(r"^[A-Z]{2}-[+-]?[0-9]+\.[0-9]{4}[+-][0-9]+\.[0-9]{4}-[0-9]+$")
HEADER = ["site_id", "icglr_id", "provisional"]
_YES = {"yes", "oui", "true", "1", "y", "o"}


@dataclass
class Registry:
    """Site id -> ICGLR id (and whether it is provisional), plus the ids assigned this run."""

    path: Path | None
    ids: dict[str, str] = field(default_factory=dict)
    provisional: set[str] = field(default_factory=set)
    new: dict[str, str] = field(default_factory=dict)
    """Site id -> provisional id assigned by this export (appended to the registry file)."""
    text: str = ""
    """The file as read: appending checks it has not changed meanwhile."""
    flags: bool = True
    """Does the file have a `provisional` column (a new file will)?"""
    _next: int = 0

    def assign(self, site: str, country: str, latitude: float, longitude: float) -> str:
        """The site's registered id, else a new provisional one (unique in this registry)."""
        if site in self.ids:
            return self.ids[site]
        if not self._next:
            self._next = 1 + max((int(i.rsplit("-", 1)[1]) for i in self.ids.values()), default=0)
        number, self._next = self._next, self._next + 1
        lat, lon = round(latitude, 4) + 0.0, round(longitude, 4) + 0.0
        candidate = f"{country}-{lat:+.4f}{lon:+.4f}-{number:05d}"
        self.ids[site] = candidate
        self.provisional.add(site)
        self.new[site] = candidate
        return candidate

    def is_provisional(self, site: str) -> bool:
        """Is the site's id provisional (assigned by minesite, not by the national register)?"""
        return site in self.provisional


def read_registry(path: Path | None) -> Registry:
    """The registry file (a missing file is an empty registry that this export creates)."""
    if path is None:
        return Registry(None)
    if not path.exists():
        return Registry(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, "icglr.registry-unreadable", detail=str(exc)) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return Registry(path, text=text)
    header = [h.strip().casefold() for h in rows[0]]
    for name in HEADER[:2]:
        if name not in header:
            raise InputError(path, "icglr.registry-columns", row=1, columns=HEADER[:2])
    site_at, id_at = header.index("site_id"), header.index("icglr_id")
    flag_at = header.index("provisional") if "provisional" in header else None
    registry = Registry(path, text=text, flags=flag_at is not None)
    owner: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row] + [""] * len(header)
        site, icglr = cells[site_at], cells[id_at]
        if not site and not icglr:
            continue
        if not PATTERN.match(icglr):
            raise InputError(path, "icglr.registry-bad-id", row=number, column="icglr_id", id=icglr)
        if site in registry.ids and registry.ids[site] != icglr:
            raise InputError(
                path,
                "icglr.registry-two-ids",
                row=number,
                site=site,
                first=registry.ids[site],
                second=icglr,
            )
        if icglr in owner and owner[icglr] != site:
            raise InputError(
                path,
                "icglr.registry-shared-id",
                row=number,
                id=icglr,
                first=owner[icglr],
                second=site,
            )
        registry.ids[site], owner[icglr] = icglr, site
        if flag_at is not None and cells[flag_at].casefold() in _YES:
            registry.provisional.add(site)
    return registry


def appended(registry: Registry, sites: list[str]) -> str:
    """The registry's text with the new ids of `sites` appended (header first when new)."""
    text = registry.text
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\r\n" if "\r\n" in text else "\n")
    if not registry.flags and any(site in registry.new for site in sites):
        assert registry.path is not None
        raise InputError(registry.path, "icglr.registry-no-flag", row=1)
    if not text.strip():
        writer.writerow(HEADER)
        text = ""
    elif not text.endswith("\n"):
        text += "\r\n" if "\r\n" in text else "\n"
    for site in sites:
        if site in registry.new:
            writer.writerow([site, registry.new[site], "yes"])
    return text + lines.getvalue()
