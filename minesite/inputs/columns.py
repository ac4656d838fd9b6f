"""Header variants -> canonical column names (checklists/columns.toml), and wide actors -> rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from minesite._resources import bundled, read_config
from minesite.checklists.vocabulary import normalise
from minesite.errors import ChecklistError, InputError, did_you_mean
from minesite.inputs.kobo_groups import is_group_system
from minesite.limits import current

_SLOT = re.compile(r"\{n(?::0(\d+)d?)?\}")
"""The actor-slot field of a wide-actor template: `{n}` or zero-padded `{n:02d}`."""


@dataclass(frozen=True)
class ColumnMap:
    """How headers become canonical names, and how actors written side by side are found."""

    aliases: dict[str, str]
    """Normalised header -> canonical name."""
    actor_wide: dict[str, str]
    """Actor field -> header template with {n} for the actor's slot."""
    actor_aliases: dict[str, str] = field(default_factory=dict)
    """Normalised header of a repeat (one actor per row) table -> actor field."""


def load_column_map(extra: Path | None = None) -> ColumnMap:
    """The bundled aliases, extended (and overridden) by a coordinator's mapping file."""
    aliases: dict[str, str] = {}
    actor_wide: dict[str, str] = {}
    actor_aliases: dict[str, str] = {}
    for path in (bundled("columns.toml"), extra):
        if path is None:
            continue
        table = _read(path)
        visits = _table(path, table, "visits")
        actors = _table(path, table, "actors")
        unknown = set(actors) - {"wide", "repeat"}
        if unknown:
            first = sorted(unknown)[0]
            raise ChecklistError(
                path,
                "checklist.unknown-key",
                key=f"actors.{first}",
                hint=did_you_mean(first, ["wide", "repeat"]),
            )
        for canonical, variants in visits.items():
            aliases[normalise(canonical)] = canonical
            for variant in _names(path, variants, f"visits.{canonical}"):
                aliases[normalise(variant)] = canonical
        for name, template in _table(path, actors, "wide", "actors.").items():
            actor_wide[name] = _template(path, template, f"actors.wide.{name}")
        for name, variants in _table(path, actors, "repeat", "actors.").items():
            actor_aliases[normalise(name)] = name
            for variant in _names(path, variants, f"actors.repeat.{name}"):
                actor_aliases[normalise(variant)] = name
    # Wide actor columns keep their names; listing them lets `group/armed_group1` match too.
    for template in actor_wide.values():
        for slot in range(1, 21):
            column = slot_column(template, slot)
            aliases.setdefault(normalise(column), column)
    return ColumnMap(aliases=aliases, actor_wide=actor_wide, actor_aliases=actor_aliases)


def slot_column(template: str, slot: int) -> str:
    """The column of actor `slot` (1, 2...) from a validated template (`armed_group{n}`).

    Never str.format: a mapping is untrusted, and `{n:>999999999}` asked for a gigabyte."""
    return _SLOT.sub(lambda m: str(slot).zfill(int(m.group(1) or 0)), template)


def _table(path: Path, table: dict[str, Any], name: str, prefix: str = "") -> dict[str, Any]:
    value = table.get(name, {})
    if not isinstance(value, dict):
        raise ChecklistError(path, "input.mapping-not-a-table", key=prefix + name)
    return value


def _names(path: Path, variants: Any, key: str) -> list[str]:
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise ChecklistError(path, "input.mapping-not-names", key=key)
    return variants


def _template(path: Path, template: Any, key: str) -> str:
    """A wide-actor template: text with exactly one `{n}` (or `{n:02d}`) and no other braces."""
    fields = _SLOT.findall(template) if isinstance(template, str) else []
    rest = _SLOT.sub("", template) if isinstance(template, str) else "{"
    if len(fields) != 1 or "{" in rest or "}" in rest:
        raise ChecklistError(path, "input.mapping-bad-template", key=key)
    width = int(fields[0] or 0)
    limit = current().slot_width
    if width > limit:
        raise ChecklistError(
            path,
            "limit.slot-width",
            key=key,
            width=width,
            limit=limit,
            variable="MINESITE_MAX_SLOT_WIDTH",
        )
    return template


def _read(path: Path) -> dict:
    table = read_config(path)
    unknown = set(table) - {"visits", "actors"}
    if unknown:
        raise ChecklistError(path, "input.mapping-unknown-section", key=sorted(unknown)[0])
    return table


def canonical_names(
    path: Path,
    sheet: str | None,
    headers: list[str],
    columns: ColumnMap,
    *,
    aliases: dict[str, str] | None = None,
    separators: tuple[str, ...] = ("/",),
    row: int = 1,
) -> dict[str, str]:
    """Original header -> canonical name; two headers meaning one column is an error.

    `aliases` (normalised header -> name) defaults to the visit aliases; `separators` are the
    group-path separators whose last part also matches (Kobo `/`, ODK Central `-`)."""
    table = columns.aliases if aliases is None else aliases
    wanted: dict[str, list[tuple[str, bool]]] = {}
    for header in headers:
        key = normalise(header)
        # Kobo `group/question` and ODK `group-question` headers also match by their last part.
        canonical, tail = table.get(key), key
        for separator in separators:
            if canonical is None and separator in key:
                tail = key.rsplit(separator, 1)[-1].strip()
                canonical = table.get(tail)
        canonical = canonical or header
        exact = tail == normalise(canonical)
        wanted.setdefault(canonical, []).append((header, exact))
    renamed: dict[str, str] = {}
    for canonical, claims in wanted.items():
        if len(claims) > 1:
            # A question named like the canonical column (the form's own `vid`), or the one
            # question among system columns (its label in a Kobo labels export), wins over a
            # system column of the export (Kobo's `_uuid`, ODK's `KEY`), which keeps its name.
            # Two answers to one question are ambiguous evidence: an error.
            exact = [header for header, is_exact in claims if is_exact]
            if len(exact) != 1:
                exact = [header for header, _ in claims if not _is_system(header)]
            others = [header for header, _ in claims if header not in exact]
            if len(exact) != 1 or not all(_is_system(h) for h in others):
                first, second = claims[0][0], claims[1][0]
                raise InputError(
                    path,
                    "input.two-columns-one-name",
                    first=first,
                    second=second,
                    canonical=canonical,
                    sheet=sheet,
                    row=row,
                    column=second,
                )
            renamed.update({header: header for header, _ in claims})
            renamed[exact[0]] = canonical
        else:
            renamed[claims[0][0]] = canonical
    return {header: renamed[header] for header in headers}


def _is_system(header: str) -> bool:
    """Columns the collection tool adds itself (record ids, metadata), not answers."""
    key = normalise(header)
    return key.startswith("_") or is_group_system(key) or key in {"key", "instanceid", "uuid"}


def melt_wide_actors(visits: pd.DataFrame, templates: dict[str, str]) -> pd.DataFrame:
    """IPIS-style armed_group1..3 columns -> one row per actor that has any answer, ordered by
    visit then slot."""
    slots: list[tuple[dict[str, str], np.ndarray]] = []
    for slot in range(1, 100):
        names = {field: slot_column(t, slot) for field, t in templates.items()}
        present = {field: name for field, name in names.items() if name in visits.columns}
        if not present:
            break
        answered = np.zeros(len(visits), dtype=bool)
        for name in present.values():
            answered |= _answered(visits[name])
        slots.append((present, answered))
    if not slots:
        return pd.DataFrame({"visit": pd.Series(dtype="int64"), "slot": pd.Series(dtype="int64")})
    counts = [int(answered.sum()) for _, answered in slots]
    visit = np.concatenate([np.flatnonzero(answered) for _, answered in slots])
    slot = np.repeat(np.arange(1, len(slots) + 1, dtype=np.int64), counts)
    # Each (visit, slot) pair is unique: one integer sort, then one take per field.
    order = np.lexsort((slot, visit))
    melted = {"visit": pd.Series(visit[order]), "slot": pd.Series(slot[order])}
    rows = [np.flatnonzero(answered) for _, answered in slots]
    for key in dict.fromkeys(key for present, _ in slots for key in present):
        columns = [visits[present[key]] if key in present else None for present, _ in slots]
        if all(c is None or isinstance(c.array, pd.arrays.ArrowStringArray) for c in columns):
            melted[key] = _arrow_cells(columns, rows, order)
            continue
        # A slot without this field gives missing cells, as a concat of the slots' frames does.
        pieces = [
            pd.DataFrame({key: _rows(column, answered)})
            if column is not None
            else pd.DataFrame(index=pd.RangeIndex(count))
            for column, (_, answered), count in zip(columns, slots, counts, strict=True)
        ]
        column = pd.concat(pieces, ignore_index=True)[key]
        melted[key] = column.take(order).reset_index(drop=True)
    return pd.DataFrame(melted)


def _arrow_cells(
    columns: list[pd.Series | None], rows: list[np.ndarray], order: np.ndarray
) -> pd.Series:
    """The actors' cells of Arrow text columns (None: a slot without the field, missing
    cells): each slot's answered rows taken, laid end to end (slot-major), put in `order`.
    Only the actors' cells are copied, never the slots' whole columns."""
    import pyarrow as pa

    pieces = []
    for column, at in zip(columns, rows, strict=True):
        taken = (
            pa.nulls(len(at), pa.large_string())
            if column is None
            else pa.array(column.array).take(pa.array(at))
        )
        pieces.extend(taken.chunks if isinstance(taken, pa.ChunkedArray) else [taken])
    cells = pa.chunked_array(pieces, pa.large_string()).combine_chunks()
    dtype = next(c.dtype for c in columns if c is not None)
    return pd.Series(pd.array(cells.take(pa.array(order)), dtype=dtype))


def _rows(column: pd.Series, mask: np.ndarray) -> pd.Series:
    """The masked cells of a column, its dtype kept."""
    return pd.Series(column.array[mask], dtype=column.dtype)


def _answered(column: pd.Series) -> np.ndarray:
    """Cells holding a character that is not whitespace (blank and missing cells are not).

    Arrow's `utf8_is_space` counts as whitespace exactly what Python's `str.isspace` does
    (every code point checked), so an Arrow column is tested without making stripped copies."""
    if isinstance(column.array, pd.arrays.ArrowStringArray):
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.array(column.array)
        filled = pc.and_(
            pc.greater(pc.binary_length(values), 0), pc.invert(pc.utf8_is_space(values))
        )
        return np.asarray(pc.fill_null(filled, False), dtype=bool)
    return (column.fillna("").str.strip() != "").to_numpy(dtype=bool)
