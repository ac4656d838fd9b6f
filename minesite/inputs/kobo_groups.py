"""KoboToolbox header layouts: the "Group separator" an export was written with (`/` by default,
any text in the export settings), and select-multiple questions exported as separate 1/0 columns
only, joined back into the one space-separated answer a "single column" export gives."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

GROUP_SEPARATORS = ("__", "/", ":", ".", "-")
"""Separators tried, longest first ('__' before the '_' of a geopoint part)."""
_ALTERNATIVES = "|".join(re.escape(s) for s in GROUP_SEPARATORS)
_META = re.compile(rf"meta({_ALTERNATIVES})instanceid", re.IGNORECASE)
_GEOPOINT = re.compile(rf".+?({_ALTERNATIVES})_[^/:]+_(?:latitude|longitude)", re.IGNORECASE)
_CHOSEN = {"1", "true"}
_BINARY = {"", "0", "1", "true", "false"}


def group_separator(headers: list[str]) -> str:
    """The separator joining group and question in these headers: the one between `meta` and
    `instanceID` (every Kobo export has it), else between a group and a geopoint part
    (`visite:_gps_latitude`), else `/`."""
    for pattern in (_META, _GEOPOINT):
        for header in headers:
            match = pattern.fullmatch(header.strip())
            if match:
                return match.group(1)
    return "/"


def is_group_system(key: str) -> bool:
    """`meta/instanceID`, `meta:deprecatedID`...: metadata the tool adds, whatever separator."""
    return bool(re.match(rf"meta(?:{_ALTERNATIVES})", key, re.IGNORECASE))


def join_select_multiple(
    frame: pd.DataFrame, separators: tuple[str, ...], known: Callable[[str], bool]
) -> pd.DataFrame:
    """Separate-columns select-multiple (`q/lavage`, `q/vente`: 1/0, True/False, blank when
    skipped) without their summary column `q` -> `q` as the space-joined chosen options, blank
    when every detail is blank, so it reads as the "single column" export does.

    Only for a `q` that `known` recognises (a checklist column), and only when every detail
    cell is binary: a group of yes/no questions written 1/0 is not a select-multiple."""
    headers = [str(c) for c in frame.columns]
    present = set(headers)
    groups: dict[str, list[tuple[str, str]]] = {}
    for header in headers:
        for separator in separators:
            question, _, option = header.rpartition(separator)
            if question and question not in present and option.strip() and known(question):
                groups.setdefault(question, []).append((header, option.strip()))
                break
    for question, details in groups.items():
        if len(details) < 2:
            continue
        cells = frame[[h for h, _ in details]].fillna("").apply(lambda c: c.str.strip())
        lowered = cells.apply(lambda c: c.str.casefold())
        if not lowered.isin(_BINARY).all().all():
            continue
        chosen = lowered.isin(_CHOSEN).to_numpy()
        answered = (lowered != "").to_numpy().any(axis=1)
        options = [option for _, option in details]
        joined = [" ".join(o for o, c in zip(options, row, strict=True) if c) for row in chosen]
        summary = pd.Series(joined, index=frame.index).where(answered, "")
        at = headers.index(details[0][0])
        frame = frame.drop(columns=[h for h, _ in details])
        frame.insert(min(at, len(frame.columns)), question, summary)
        headers = [str(c) for c in frame.columns]
    return frame
