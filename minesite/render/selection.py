"""Which site pages a report holds, how they are named and referenced: `--status` words, the
`--split` file names, the document reference and the generation date."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable

from minesite.errors import UsageError
from minesite.model import SITE_STATUSES

STATUS_WORDS = {
    **{s: s for s in SITE_STATUSES},
    "rouge": "red",
    "jaune": "yellow",
    "bleu": "blue",
    "vert": "green",
    # A site whose latest visit is incomplete is blue ("not verified"): the visit's word works.
    "incomplete": "blue",
    "incomplet": "blue",
}
SUMMARY = "summary"
"""Stem of the front summary's file in a --split folder (a site id never takes it)."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
_RESERVED |= {f"lpt{i}" for i in range(10)}


def parse_statuses(value: str | None) -> tuple[str, ...] | None:
    """'red,jaune' -> ('red', 'yellow') in report order; None (every site) when not given."""
    if value is None:
        return None
    chosen = []
    for word in (w.strip().lower() for w in value.split(",")):
        if word not in STATUS_WORDS:
            from minesite.errors import did_you_mean

            raise UsageError(
                "usage.bad-status",
                value=word,
                choices=list(STATUS_WORDS),
                hint=did_you_mean(word, list(STATUS_WORDS)),
            )
        chosen.append(STATUS_WORDS[word])
    return tuple(s for s in SITE_STATUSES if s in chosen)


def file_names(site_ids: Iterable[str], suffix: str) -> dict[str, str]:
    """Site id -> a safe file name in one folder: the id itself when it is plain ASCII letters,
    digits, '.', '-', '_'; otherwise (or when two ids would meet on a case-insensitive disk, or
    an id is a reserved name) the cleaned id plus a short hash of the real one, so every name
    is unique, stable from run to run and never leaves the folder."""
    taken = {SUMMARY}
    names = {}
    for site_id in site_ids:
        clean = _UNSAFE.sub("_", site_id).strip("._")[:80] or "site"
        stem = clean
        if clean != site_id or clean.lower() in taken or clean.lower() in _RESERVED:
            stem = f"{clean}-{_short(site_id)}"
        taken.add(stem.lower())
        names[site_id] = stem + suffix
    return names


def reference(site_id: str, as_of: str, digests: Iterable[str]) -> str:
    """A document reference that names the site and the date, and changes with the inputs:
    MS-<site>-<as of>-<8 hex of the inputs' SHA-256, the site and the date>."""
    seed = "\n".join([site_id, as_of, *sorted(digests)])
    stamp = as_of.replace("-", "") if re.fullmatch(r"\d{4}-\d\d-\d\d", as_of) else "H"
    return f"MS-{_UNSAFE.sub('_', site_id)[:40]}-{stamp}-{_short(seed)}"


def _short(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8].upper()


def generated_at() -> str:
    """Now in UTC to the minute; SOURCE_DATE_EPOCH (reproducible builds) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return now.strftime("%Y-%m-%d %H:%M UTC")
