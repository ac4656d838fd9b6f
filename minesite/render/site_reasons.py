"""Every site's reason (and every conflict) in words at once: each template is filled over
whole columns.

`words.site_reason` phrases one site; this module gives the same words for a whole sites table
(316,693 sites at 1M visits) without a Python call per site: the template of each (reason,
status) is rendered once with placeholders, then its pieces are joined column-wise."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from minesite.render import words
from minesite.render.i18n import text

_MARK = "\x00"
_FIELD = re.compile(f"{_MARK}(\\w+){_MARK}")


class _Placeholders(dict):
    """A site row whose every column reads as a placeholder naming it."""

    def __init__(self, status: str) -> None:
        super().__init__(status=status)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key]  # a placeholder, through __missing__

    def __missing__(self, key: str) -> str:
        return f"{_MARK}{key}{_MARK}"


def site_reasons(
    sites: pd.DataFrame,
    briefs: Briefs,
    lang: str,
    *,
    blue_years: int = 3,
) -> np.ndarray:
    """The reason in words of every site row (Arrow text), equal to `words.site_reason`;
    `briefs` is `Briefs(View.brief_table)`."""
    n = len(sites)
    out: list[tuple[np.ndarray, Any]] = []
    status = sites["status"].to_numpy(dtype=object)
    reason = sites["reason"].to_numpy(dtype=object).copy()
    reason[(reason == "site.latest-visit") & (status == "green")] = "site.latest-visit-green"
    criteria = sites["criteria"].fillna("").to_numpy(dtype=object)
    ids = _mapped(criteria, lambda c: words.ids_or_none(str(c), lang))
    columns: dict[str, np.ndarray] = {"criteria": ids}
    groups = pd.DataFrame({"reason": reason, "status": status}).groupby(
        ["reason", "status"], sort=False
    )
    for (code, colour), rows in groups.indices.items():
        proxy = _Placeholders(colour)
        params = words.site_params(
            code, proxy, f"{_MARK}findings{_MARK}", f"{_MARK}criteria{_MARK}", lang, blue_years
        )

        def values(name: str, rows: np.ndarray = rows) -> np.ndarray:
            if name == "findings":
                return _findings(sites, rows, criteria, ids, briefs, lang)
            if name not in columns:
                columns[name] = _text_column(sites, name)
            return columns[name][rows]

        out.append((rows, fill(text(code, lang, **params), values, len(rows))))
    return _in_row_order(out, n)


def conflict_texts(conflicts: pd.DataFrame, lang: str) -> np.ndarray:
    """Every conflict's words at once (Arrow text), equal to `words.conflict`."""
    out: list[tuple[np.ndarray, Any]] = []
    if not len(conflicts):
        return _in_row_order(out, 0)
    criteria = conflicts["criteria"].fillna("").astype(str).to_numpy(dtype=object)
    ids = _mapped(criteria, lambda c: words.ids_or_none(c, lang))
    for (kind, published, status), rows in conflicts.groupby(
        ["kind", "published", "status"], sort=False
    ).indices.items():
        proxy = _Placeholders(status)
        proxy.update(kind=kind, published=published)
        template = words.conflict(proxy, lang)

        def values(name: str, rows: np.ndarray = rows) -> np.ndarray:
            if name == "criteria":
                return ids[rows]
            return _text_column(conflicts, name)[rows]

        out.append((rows, fill(template, values, len(rows))))
    return _in_row_order(out, len(conflicts))


def fill(template: str, values: Any, n: int) -> Any:
    """A template rendered with placeholders, its fields filled column-wise in Arrow (no Python
    string per piece): `values(name)` gives the n texts of one field."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pieces = _FIELD.split(template)
    if len(pieces) == 1:
        return pa.array(np.full(n, template, dtype=object), type=pa.large_string())
    text = pa.large_string()
    parts: list[Any] = [pa.scalar(pieces[0], text)]
    for name, literal in zip(pieces[1::2], pieces[2::2], strict=True):
        given = values(name)
        given = given if isinstance(given, pa.Array) else pa.array(given, type=text)
        parts += [given, pa.scalar(literal, text)]
    return pc.binary_join_element_wise(*parts, pa.scalar("", text))


def _in_row_order(parts: list[tuple[np.ndarray, Any]], n: int) -> Any:
    """The texts filled group by group, put back in row order as a pandas text column."""
    import pyarrow as pa

    if not parts:
        return pd.array(np.empty(0, dtype=object), dtype="str")
    rows = np.concatenate([at for at, _ in parts])
    joined = pa.concat_arrays([said for _, said in parts])
    placed = joined.take(pa.array(np.argsort(rows, kind="stable")))
    assert len(placed) == n
    return pd.array(placed, dtype="str")


class Briefs:
    """`View.brief_table` keyed by (visit position, criterion) as one integer, for lookups in
    Arrow; a key given twice keeps its last brief, as a dict would."""

    def __init__(self, briefs: pd.DataFrame) -> None:
        import pyarrow as pa

        codes, self.criteria = pd.factorize(briefs["criterion"].to_numpy(dtype=object))
        self.width = len(self.criteria) + 1
        keys = briefs["_position"].to_numpy(dtype=np.int64) * self.width + codes
        last = ~pd.Index(keys).duplicated(keep="last")
        self.keys = pd.Index(keys[last])
        said = briefs["_brief"].to_numpy(dtype=object)[last]
        self.texts = pa.array(said, type=pa.large_string())

    def at(self, source: np.ndarray, criteria: Any) -> np.ndarray:
        """Row of the brief of each (visit, criterion), -1 where there is none."""
        import pyarrow.compute as pc

        coded = pc.dictionary_encode(criteria)
        # The few distinct criteria named, looked up once each.
        known = pd.Index(self.criteria).get_indexer(coded.dictionary.to_pylist())
        code = np.r_[known, -1][coded.indices.to_numpy()] if len(criteria) else known[:0]
        found = self.keys.get_indexer(source.astype(np.int64) * self.width + code)
        return np.where(code >= 0, found, -1)


def _findings(
    sites: pd.DataFrame,
    rows: np.ndarray,
    criteria: np.ndarray,
    ids: np.ndarray,
    briefs: Briefs,
    lang: str,
) -> Any:
    """The failed criteria of the visit behind each site, in a few words each, joined by the
    list separator of `lang` (Arrow lists: split, looked up on integer keys, joined back)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    since = sites["_since"].to_numpy()[rows]
    source = np.where(since >= 0, since, sites["_position"].to_numpy()[rows])
    split = pc.utf8_split_whitespace(pa.array(criteria[rows], type=pa.large_string()))
    named = pc.list_flatten(split)
    parent = pc.list_parent_indices(split).to_numpy()
    given = pc.not_equal(named, "").to_numpy(zero_copy_only=False)
    named, parent = named.filter(pa.array(given)), parent[given]
    at = briefs.at(source[parent], named)
    found = (
        pc.if_else(
            pa.array(at >= 0),
            briefs.texts.take(pa.array(np.maximum(at, 0))),
            named.cast(pa.large_string()),
        )
        if len(briefs.texts)
        else named.cast(pa.large_string())
    )
    offsets = np.r_[0, np.cumsum(np.bincount(parent, minlength=len(rows)))]
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), found)
    joined = pc.binary_join(lists, pa.scalar(text("ui.list-sep", lang), pa.large_string()))
    return pc.if_else(pc.equal(joined, ""), pa.array(ids[rows], type=pa.large_string()), joined)


def _text_column(sites: pd.DataFrame, name: str) -> np.ndarray:
    """A site column as text ('' when blank or absent, as `words.site_reason` reads it)."""
    if name not in sites.columns:
        return np.full(len(sites), "", dtype=object)
    return sites[name].fillna("").astype(str).to_numpy(dtype=object)


def _mapped(values: np.ndarray, phrase: Any) -> np.ndarray:
    """`phrase` applied once per distinct value."""
    codes, distinct = pd.factorize(values)
    said = np.array([phrase(v) for v in distinct] + [""], dtype=object)
    return said[codes]
