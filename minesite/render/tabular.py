"""The tables `minesite score` writes (visits, sites, findings, conflicts, summary) and their
CSV / XLSX / JSON / Parquet files, formula-safe."""

from __future__ import annotations

from typing import Any

from minesite.conflicts import CONFLICT_COLUMNS as _CONFLICTS
from minesite.render import words
from minesite.render.json import dumps
from minesite.render.spreadsheet_safe import write_csv
from minesite.render.view import View
from minesite.result import Result

CONFLICT_COLUMNS = [c for c in _CONFLICTS if not c.startswith("_")]


EXPORT_FORMATS = (".csv", ".xlsx", ".json", ".parquet", ".geojson")


def export_tables(result: Result, *, lang: str = "en", view: View | None = None) -> dict[str, Any]:
    """The tables `minesite score` writes: visits, sites, findings, conflicts, summary.

    Codes (status, reason, criteria) are their own columns, identical in every language; the
    `*_text` columns hold the words in `lang`."""
    view = view or View(result, lang)
    return {
        "visits": visit_table(result, lang),
        "sites": site_table(result, view),
        "findings": finding_table(result, view.titles),
        "conflicts": conflict_table(view),
        "summary": summary_table(view.summary()),
    }


def visit_table(result: Result, lang: str) -> Any:
    """One row per input row: its cell, place, status, reason code and words."""
    import numpy as np
    import pandas as pd

    sources = result.inspection.sources
    visits = result.visits
    source = visits["source"].to_numpy()
    place = _place_columns(result)
    # Visits share a few hundred distinct reasons: each is phrased once, then joined back.
    keys = ["reason", "could_be", "unknown", "not_assessed"]
    distinct = visits[keys].drop_duplicates()
    said = [
        words.visit_reason(dict(zip(keys, row, strict=True)), lang)
        for row in zip(*(distinct[k].to_numpy(dtype=object) for k in keys), strict=True)
    ]
    codes, texts = pd.factorize(pd.Series(said, dtype=object))
    distinct["_text"] = codes
    which = visits[keys].merge(distinct, on=keys, how="left")["_text"].to_numpy()
    at = visits.index.to_numpy()
    # Columns stay Arrow strings or categories: a million Python strings per column would be
    # made here and unmade by the writer.
    return pd.DataFrame(
        {
            "file": _per_source([s.path.name for s in sources], source),
            "sheet": _per_source([s.sheet or "" for s in sources], source),
            "row": visits["row"].to_numpy(),
            "visit_id": visits["visit_id"].array,
            "site_id": visits["site_id"].array,
            "site_name": visits["site_name"].array,
            **{k: v.array.take(at) for k, v in place.items()},
            "visit_date": visits["visit_date"].array,
            "status": pd.Categorical(visits["status"].fillna("").to_numpy(dtype=object)),
            "could_be": visits["could_be"].array,
            "reason": visits["reason"].array,
            "decisive": visits["decisive"].array,
            "failed": visits["failed"].array,
            "unknown": visits["unknown"].array,
            "not_assessed": visits["not_assessed"].array,
            "reason_text": pd.Categorical.from_codes(which, categories=np.asarray(texts)),
        }
    )


def _per_source(values: list[str], source: Any) -> Any:
    """A file's name (or sheet) on each of its rows, as a categorical."""
    import numpy as np
    import pandas as pd

    distinct, code = np.unique(np.array(values, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(code[source], categories=distinct)


def site_table(result: Result, view: View) -> Any:
    """One row per site, with its place (the latest non-blank of its rows)."""
    return next(site_batches(result, view, max(len(result.sites), 1)))


def site_batches(result: Result, view: View, size: int) -> Any:
    """The sites table in batches of `size` rows (a partitioned run writes it so)."""
    places = _site_places(result)
    for rows, table in view.site_batches(size):
        for name, column in places.items():
            table[name] = column[rows]
        yield table[SITE_COLUMNS]


def finding_table(result: Result, titles: dict[str, str]) -> Any:
    """One row per failed or unknown criterion of a visit, with the visit's place."""
    place = _place_columns(result)
    visits = result.verdicts.visits
    positions = result.findings["_position"].to_numpy(dtype="int64")
    findings = result.findings.drop(columns=["_position"])
    findings.insert(2, "site_name", visits["site_name"].array.take(positions))
    findings.insert(3, "visit_date", _repeated(visits["visit_date"], positions))
    for offset, name in enumerate(("province", "territoire", "latitude", "longitude")):
        findings.insert(4 + offset, name, _repeated(place[name], positions))
    findings.insert(
        findings.columns.get_loc("criterion") + 1, "title", findings["criterion"].map(titles)
    )
    return findings


def _repeated(values: Any, positions: Any) -> Any:
    """A visit's text on each of its findings (four a visit): its codes are taken, not its
    text, and the writer reads the few distinct values once."""
    import pandas as pd

    codes, distinct = pd.factorize(values)
    return pd.Categorical.from_codes(codes[positions], categories=distinct)


def conflict_table(view: View) -> Any:
    """Conflicts and unverifiable greens, with their words."""
    from minesite.render.site_reasons import conflict_texts

    table = view.result.conflicts[CONFLICT_COLUMNS].reset_index(drop=True)
    table["text"] = conflict_texts(table, view.lang)
    return table


SITE_COLUMNS = [
    "site_id",
    "site_name",
    "province",
    "territoire",
    "latitude",
    "longitude",
    "status",
    "reason",
    "criteria",
    "decided_by_visit",
    "decided_by_row",
    "visit_date",
    "valid_until",
    "remediation_deadline",
    "next_inspection_due",
    "overdue",
    "blue_since",
    "since_visit",
    "since_date",
    "undated_visits",
    "no_visit_reason",
    "off_site_report_visit",
    "published_qualification",
    "published_date",
    "conflict",
    "status_text",
    "reason_text",
]


def _place_columns(result: Result) -> dict[str, Any]:
    """Province, territoire and coordinates of every input row, as pivots and maps need them."""
    import pandas as pd

    visits = result.inspection.visits
    out = {}
    for name in ("province", "territoire", "latitude", "longitude"):
        if name in visits.columns:
            out[name] = visits[name].fillna("").reset_index(drop=True)
        else:
            out[name] = pd.Series([""] * len(visits), dtype="str")
    return out


def _site_places(result: Result) -> dict[str, Any]:
    """Per row of `result.sites`, the latest non-blank province, territoire and coordinates
    of its site's rows ('' when none)."""
    import numpy as np

    # The codes and ids of `sites.assess`, whose sites are these ids but the blank one.
    codes, ids = result.verdicts.site_codes()
    known = np.flatnonzero(np.asarray(ids != "", dtype=bool))
    if result.site is not None:  # `result.sites` is the one site asked for
        known = known[np.flatnonzero((result.all_sites["site_id"] == result.site).to_numpy())]
    out = {}
    for name, values in _place_columns(result).items():
        # The last filled row of each site: the greatest position per integer code (one pass,
        # no sort and no group-by over text).
        filled = np.flatnonzero((values != "").to_numpy() & (codes >= 0))
        last = np.full(len(ids), -1, dtype=np.int64)
        np.maximum.at(last, codes[filled], filled)
        found = np.flatnonzero(last >= 0)
        column = np.full(len(ids), "", dtype=object)
        column[found] = values.iloc[last[found]].to_numpy(dtype=object)
        out[name] = column[known]
    return out


def summary_table(summary: dict[str, Any]) -> Any:
    """The summary as key / value rows (codes as keys, never words)."""
    import pandas as pd

    rows: list[tuple[str, Any]] = [
        ("rows_read", summary["rows_read"]),
        ("visits_coloured", summary["visits_coloured"]),
        *[(f"visits.{k}", v) for k, v in summary["counts"].items()],
        *[
            (f"rows_without_colour.{r['reason']}", r["count"])
            for r in summary["rows_without_colour"]
        ],
        *[(f"sites.{k}", v) for k, v in summary["sites"].items()],
        ("conflicts", summary["conflicts"]),
        ("unverifiable", summary["unverifiable"]),
        ("profile", summary["profile"]),
        ("as_of", summary["as_of"] or "history"),
        *[(f"checklist.{c['id']}", c["version"]) for c in summary["checklists"]],
        *[(f"file.{f['file']}", f"{f['dialect']}; sha256 {f['sha256']}") for f in summary["files"]],
        *[("not_assessed", item["criterion"]) for item in summary["not_assessed"]],
        *[(n["code"], n["text"]) for n in summary["notes"]],
    ]
    numbers = [v if isinstance(v, int) and not isinstance(v, bool) else None for _, v in rows]
    return pd.DataFrame(
        {
            "key": [k for k, _ in rows],
            "value": [str(v) for _, v in rows],
            "number": pd.array(numbers, dtype="Int64"),
        }
    )


def output_paths(target: Any, names: list[str]) -> dict[str, Any]:
    """CSV and Parquet hold one table per file: visits in OUT, the others beside it."""
    if target.suffix.lower() in (".xlsx", ".json", ".geojson"):
        return dict.fromkeys(names, target)
    return {
        name: target
        if name == "visits"
        else target.with_name(f"{target.stem}.{name}{target.suffix}")
        for name in names
    }


def write_tables(tables: dict[str, Any], target: Any, write_to: Any) -> list[Any]:
    """Write the tables in the format of the target's suffix; returns every file written.

    `write_to(path, fn)` does the safe, atomic write (see minesite.output)."""
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from minesite.output import check_xlsx_cells
        from minesite.render.xlsx import write_xlsx

        check_xlsx_cells(tables)

        write_to(target, lambda path: write_xlsx(tables, path))
        return [target]
    if suffix == ".json":
        document = {name: frame.to_dict(orient="records") for name, frame in tables.items()}
        text = dumps(document)
        write_to(target, lambda path: path.write_text(text, encoding="utf-8"))
        return [target]
    if suffix == ".geojson":
        from minesite.render.geojson import sites_geojson

        text, _ = sites_geojson(tables["sites"])
        write_to(target, lambda path: path.write_text(text, encoding="utf-8"))
        return [target]
    written = []
    paths = output_paths(target, list(tables))
    for name, frame in tables.items():
        path = paths[name]
        if suffix == ".csv":
            # French Excel opens a UTF-8 file with a BOM and ';' separators as columns.
            write_to(path, lambda p, f=frame: write_csv(f, p))
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            from minesite.render.typed import arrow_table

            write_to(path, lambda p, f=frame: pq.write_table(arrow_table(f), p))
        written.append(path)
    return written
