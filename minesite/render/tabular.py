"""Machine-readable renderings of a Report (JSON document with one item per input row)."""

from __future__ import annotations

import json
import re
from typing import Any

from minesite.findings import Report
from minesite.model import Outcome
from minesite.render.labels import label


def to_document(
    report: Report, *, lang: str = "en", site: str | None = None, sites: Any = None
) -> dict[str, Any]:
    """The whole report as plain data: summary, then one item per input row."""
    visits = report.visits
    sources = report.inspection.sources
    items = []
    for position in _positions(report, site):
        row = visits.iloc[position]
        source = sources[int(row["source"])]
        status = row["status"] if isinstance(row["status"], str) else None  # NaN: no colour
        findings = (
            [f.__dict__ for f in report.findings(position, lang=lang)] if status is not None else []
        )
        items.append(
            {
                "visit_id": row["visit_id"] or None,
                "site_id": row["site_id"] or None,
                "site_name": row["site_name"] or None,
                "visit_date": row["visit_date"] or None,
                "file": source.path.name,
                "sheet": source.sheet,
                "row": int(row["row"]),
                "status": status,
                "reason": label(row["reason"], lang),
                "decisive": row["decisive"].split(),
                "unknown": row["unknown"].split(),
                "findings": findings,
            }
        )
    document: dict[str, Any] = {"summary": summary(report, lang=lang), "visits": items}
    if sites is not None:
        chosen = sites if site is None else sites[sites["site_id"] == site]
        document["sites"] = chosen.drop(columns=["decided_by_position"]).to_dict(orient="records")
    return document


def _positions(report: Report, site: str | None) -> list[int]:
    if site is None:
        return list(range(len(report.visits)))
    return [int(i) for i in (report.visits["site_id"] == site).to_numpy().nonzero()[0]]


def summary(report: Report, *, lang: str = "en") -> dict[str, Any]:
    """Counts in and out, colours, files, checklists and what could not be assessed."""
    counts = report.counts()
    return {
        "rows_read": len(report.visits),
        "visits_coloured": sum(counts.values()),
        "rows_without_colour": {label(k, lang): v for k, v in report.no_colour().items()},
        "counts": counts,
        "profile": report.profile,
        "checklists": [{"id": c.id, "version": c.version} for c in report.checklists],
        "files": [
            {
                "file": s.path.name,
                "sheet": s.sheet,
                "dialect": s.dialect,
                "sha256": s.sha256,
                "rows": s.rows,
            }
            for s in report.inspection.sources
        ],
        "not_assessed": report.missing_columns(),
        "unrecognised_answers": report.unrecognised_cells(),
        "outcome_codes": [o.label for o in Outcome],
    }


def to_json(report: Report, *, lang: str = "en", site: str | None = None, sites: Any = None) -> str:
    """The JSON document printed by `minesite validate --format json`."""
    document = to_document(report, lang=lang, site=site, sites=sites)
    return json.dumps(_json_safe(document), ensure_ascii=False, indent=1, default=str)


def _json_safe(value: Any) -> Any:
    """NaN, infinities and NaT become null: bare `NaN` is not JSON and breaks strict parsers."""
    import math

    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


EXPORT_FORMATS = (".csv", ".xlsx", ".json", ".parquet")
# A cell starting with one of these can run as a formula when a spreadsheet opens the file.
_FORMULA_START = "=+-@\t\r"
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def export_tables(
    report: Report, sites: Any, conflicts: Any, *, lang: str = "en"
) -> dict[str, Any]:
    """The tables `minesite score` writes: visits, sites, findings, conflicts, summary."""
    import pandas as pd

    from minesite.findings import findings_frame

    sources = report.inspection.sources
    visits = report.visits
    source = visits["source"].to_numpy()
    names = pd.Series([s.path.name for s in sources])
    sheets = pd.Series([s.sheet or "" for s in sources])
    table = pd.DataFrame(
        {
            "file": names.to_numpy()[source],
            "sheet": sheets.to_numpy()[source],
            "row": visits["row"].to_numpy(),
            "visit_id": visits["visit_id"],
            "site_id": visits["site_id"],
            "site_name": visits["site_name"],
            "visit_date": visits["visit_date"],
            "status": visits["status"].fillna(""),
            "decisive": visits["decisive"],
            "unknown": visits["unknown"],
            "reason": visits["reason"].map(
                {r: label(r, lang) for r in pd.unique(visits["reason"])}
            ),
        }
    )
    site_table = sites.drop(columns=["decided_by_position"])
    info = summary(report, lang=lang)
    summary_rows = [
        ("rows_read", info["rows_read"]),
        ("visits_coloured", info["visits_coloured"]),
        *[(f"visits_{k}", v) for k, v in info["counts"].items()],
        *[(f"rows_without_colour: {k}", v) for k, v in info["rows_without_colour"].items()],
        *[
            (f"sites_{k}", int((sites["status"] == k).sum()))
            for k in ("green", "yellow", "red", "blue")
        ],
        ("conflicts", len(conflicts)),
        ("profile", report.profile),
        ("as_of", str(sites["as_of"].iat[0]) if len(sites) else ""),
        *[(f"checklist {c['id']}", c["version"]) for c in info["checklists"]],
        *[(f"file {f['file']}", f"{f['dialect']}; sha256 {f['sha256']}") for f in info["files"]],
        *[("not assessed", item) for item in info["not_assessed"]],
    ]
    return {
        "visits": table,
        "sites": site_table,
        "findings": findings_frame(report, lang=lang),
        "conflicts": conflicts.drop(columns=["text"]) if len(conflicts) else conflicts,
        "summary": pd.DataFrame(summary_rows, columns=["key", "value"]).astype(str),
    }


def spreadsheet_safe(frame: Any) -> Any:
    """The frame as an Arrow table whose text cells cannot run as formulas in a spreadsheet:
    a cell starting with = + - @ (tab, CR) gets a leading "'"; numbers stay numbers.

    The check runs in Arrow over whole columns; only the few risky cells are seen by Python."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {}
    starts = pa.array(list(_FORMULA_START))
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind in "biuf":
            columns[name] = pa.array(column.to_numpy())
            continue
        text = pc.fill_null(pa.array(column, from_pandas=True).cast(pa.string()), "")
        first = pc.utf8_slice_codeunits(text, 0, 1)
        risky = np.flatnonzero(pc.is_in(first, value_set=starts).to_numpy(zero_copy_only=False))
        if len(risky):
            # "-3.25" is a number, not a formula.
            values = pc.take(text, pa.array(risky)).to_pylist()
            fixed = [v if _NUMBER.match(v) else "'" + v for v in values]
            mask = np.zeros(len(text), dtype=bool)
            mask[risky] = True
            text = pc.replace_with_mask(text, pa.array(mask), pa.array(fixed, type=pa.string()))
        columns[name] = text
    return pa.table(columns)


def write_csv(frame: Any, path: Any) -> None:
    """CSV that French Excel opens as columns: UTF-8 with a BOM, ';'-separated, formula-safe."""
    import codecs

    import pyarrow.csv as pacsv

    with open(path, "wb") as handle:
        handle.write(codecs.BOM_UTF8)
        pacsv.write_csv(
            spreadsheet_safe(frame), handle, write_options=pacsv.WriteOptions(delimiter=";")
        )


def output_paths(target: Any, names: list[str]) -> dict[str, Any]:
    """CSV and Parquet hold one table per file: visits in OUT, the others beside it."""
    if target.suffix.lower() in (".xlsx", ".json"):
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

        check_xlsx_cells(tables)

        def xlsx(path: Any) -> None:
            import pandas as pd

            # Strings stay strings: no formula, no URL is ever created from input text.
            options = {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            }
            with pd.ExcelWriter(
                path, engine="xlsxwriter", engine_kwargs={"options": options}
            ) as writer:
                for name, frame in tables.items():
                    frame.to_excel(writer, sheet_name=name, index=False)
                    writer.sheets[name].freeze_panes(1, 0)

        write_to(target, xlsx)
        return [target]
    if suffix == ".json":
        document = {name: frame.to_dict(orient="records") for name, frame in tables.items()}
        text = json.dumps(_json_safe(document), ensure_ascii=False, default=str)
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
            write_to(
                path,
                lambda p, f=frame: f.astype(
                    {c: str for c in f.columns if f[c].dtype == object}
                ).to_parquet(p, index=False),
            )
        written.append(path)
    return written
