"""Write an ICGLR export as one set: the JSON document, the rejects table beside it, the registry.

Every record is validated before anything is written; by default one invalid record refuses the
whole export (exit 2) with a one-line summary naming the first problems.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from minesite.errors import UsageError
from minesite.icglr.export import Export
from minesite.output import write_files
from minesite.render.i18n import text

FIRST = 2
"""Problems named in the refusal line (the rejects table has them all)."""


def rejects_path(output: Path) -> Path:
    """sites.icglr.json -> sites.icglr.rejects.csv beside it."""
    return output.with_name(f"{output.stem}.rejects.csv")


def refusal(export: Export, output: Path, lang: str) -> UsageError:
    """The one-line refusal: how many records are invalid, by field, and the first problems."""
    invalid = {r.site for r in export.rejects}
    fields = Counter(r.field for r in export.rejects)
    counts = ", ".join(f"{name} {n}" for name, n in fields.most_common(6))
    first = text("ui.list-sep", lang).join(r.words(lang) for r in export.rejects[:FIRST])
    return UsageError(
        "icglr.refused",
        file=output.name,
        invalid=len(invalid),
        total=export.total,
        fields=counts,
        first=first,
        valid=export.total - len(invalid),
    )


def write_export(
    export: Export, output: Path, *, partial: bool, lang: str, registry: Path | None
) -> tuple[list[str], int]:
    """Write what the export holds; returns the lines to print and the exit code."""
    if export.rejects and not partial:
        raise refusal(export, output, lang)
    if export.registry_text is not None and registry is not None:
        # Another export (or a person) changed the registry since it was read: never merge blind.
        now = registry.read_bytes().decode("utf-8-sig") if registry.exists() else ""
        if now != export.registry_before:
            raise UsageError("usage.icglr-registry-changed", file=str(registry))
    body = (json.dumps(export.document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files = [(output, lambda path: path.write_bytes(body))]
    target = rejects_path(output)
    if export.rejects:
        files.append((target, lambda path: _write_rejects(export, path, lang)))
    if export.registry_text is not None and registry is not None:
        appended = export.registry_text.encode("utf-8")
        files.append((registry, lambda path: path.write_bytes(appended)))
    # One set: the records, their rejects and the registry's new ids, or none of them.
    # check_target has refused existing outputs without --force; the registry is replaced.
    write_files(files, force=True)
    if not export.rejects:
        # A rejects table of an earlier run (replaced with --force) would describe other data.
        target.unlink(missing_ok=True)
    lines = [
        text(
            "icglr.written",
            lang,
            file=str(output),
            records=len(export.document["data"]),
            inspections=export.inspections,
            changes=export.changes,
            source=export.document["manifest"]["statusSource"],
        )
    ]
    if export.rejects:
        count = len({r.site for r in export.rejects})
        lines.append(text("icglr.rejected", lang, file=str(target), count=count))
    if export.registry_text is not None and registry is not None:
        lines.append(text("icglr.registry-updated", lang, file=str(registry), count=export.new_ids))
    elif export.provisional:
        lines.append(text("icglr.provisional", lang, count=export.provisional))
    return lines, 1 if export.rejects else 0


def _write_rejects(export: Export, path: Path, lang: str) -> None:
    import pandas as pd

    from minesite.render.spreadsheet_safe import write_csv

    names = export.site_names
    rows = [
        {
            "site_id": r.site,
            "site_name": names.get(r.site, ""),
            "field": r.field,
            "problem": r.code,
            "file": r.params.get("file", ""),
            "sheet": r.params.get("sheet", ""),
            "row": str(r.params.get("row", "")),
            "column": r.params.get("column", ""),
            "value": r.params.get("value", ""),
            "add_columns": " ".join(r.params.get("columns", [])),
            "message": r.words(lang),
        }
        for r in export.rejects
    ]
    write_csv(pd.DataFrame(rows, dtype=object).fillna(""), path)
