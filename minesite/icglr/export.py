"""`minesite export icglr`: records, their validation against the schema, rejects and manifest.

Nothing here writes a file: `build_export` returns the document, the rejects and the registry's
new text, and the CLI writes them only when every record is valid (or with --partial).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minesite.errors import UsageError
from minesite.icglr.codes import Codes, load_codes
from minesite.icglr.problems import Reject, problems
from minesite.icglr.records import Builder
from minesite.icglr.registry import appended, read_registry
from minesite.icglr.timeline import computed, published_history
from minesite.icglr.validate import SCHEMA, load_schema
from minesite.result import Result

STATUS_SOURCES = ("computed", "published")


@dataclass
class Export:
    """The document to write, the records left out and why, and the registry's new text."""

    document: dict[str, Any]
    rejects: list[Reject] = field(default_factory=list)
    total: int = 0
    inspections: int = 0
    changes: int = 0
    provisional: int = 0
    site_names: dict[str, str] = field(default_factory=dict)
    new_ids: int = 0
    """Provisional ids this export appends to the registry."""
    registry_before: str = ""
    """The registry as read, to check it is unchanged before appending."""
    registry_text: str | None = None
    """The registry with this export's new ids appended (None: nothing to append)."""


def build_export(
    result: Result,
    *,
    lang: str = "en",
    status_source: str = "computed",
    registry: Path | None = None,
    cadastre: Path | None = None,
    cadastre_config: Path | None = None,
    extra_inputs: tuple[Path, ...] = (),
    reports: Path | None = None,
) -> Export:
    """Every site of `result` as an MD.01 record validated against the project's schema."""
    from minesite.policy import load_policy

    if status_source not in STATUS_SOURCES:
        raise UsageError(
            "usage.bad-choice",
            name="--status-source",
            value=status_source,
            choices=list(STATUS_SOURCES),
        )
    codes = load_codes()
    if status_source == "published":
        if "qualification" not in result.inspection.visits.columns:
            raise UsageError("usage.icglr-no-published")
        timelines = published_history(result)
    else:
        timelines = computed(result, load_policy(result.profile))
    ids = read_registry(registry)
    titles = None
    if cadastre is not None:
        from minesite.cadastre import load_titles

        titles = load_titles(cadastre, cadastre_config)
    builder = Builder(result, codes, lang, titles)
    records = [
        builder.record(site, ids, timelines.get(site["site_id"], []), status_source)
        for site in result.sites.to_dict(orient="records")
    ]
    attachments = attach_reports(records, reports) if reports is not None else []
    schema = load_schema()
    valid, rejects, seen = [], [], {}
    for record in records:
        found = problems(record, schema, result, seen)
        if found:
            rejects.extend(found)
        else:
            valid.append(record)
    kept = [r.site for r in valid]
    new_ids = [s for s in kept if s in ids.new]
    export = Export(
        document={"data": [r.data for r in valid]},
        rejects=rejects,
        total=len(records),
        inspections=sum(len(r.data.get("inspection", [])) for r in valid),
        changes=sum(len(r.data.get("statusChange", [])) for r in valid),
        provisional=sum(bool(r.data.get("icglrIdProvisional")) for r in valid),
        site_names=dict(zip(result.sites["site_id"], result.sites["site_name"], strict=True)),
        new_ids=len(new_ids) if registry is not None else 0,
        registry_before=ids.text,
        registry_text=appended(ids, kept) if registry is not None and new_ids else None,
    )
    export.document["manifest"] = manifest(
        result, codes, status_source, export, [*extra_inputs, *([registry] if ids.text else [])]
    )
    kept_sites = set(kept)
    export.document["manifest"]["attachments"] = [a for a in attachments if a["site"] in kept_sites]
    return export


def attach_reports(records: list, folder: Path) -> list[dict[str, str]]:
    """Each site's dossier `<site id>.pdf` in `folder` (as `minesite report` writes one per
    site) becomes the `inspectionReport` of its latest inspection, with its SHA-256."""
    if not folder.is_dir():
        raise UsageError("usage.icglr-no-reports", folder=str(folder))
    attached = []
    for record in records:
        inspections = record.data.get("inspection") or []
        if not inspections or any(sep in record.site for sep in ("/", "\\", "..")):
            continue
        path = folder / f"{record.site}.pdf"
        if not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        inspections[-1]["inspectionReport"] = str(path)
        inspections[-1]["minesiteReportSha256"] = digest
        attached.append(
            {
                "site": record.site,
                "file": str(path),
                "sha256": digest,
                "mediaType": "application/pdf",
            }
        )
    return attached


def manifest(result: Result, codes: Codes, source: str, export: Export, extra: list) -> dict:
    """What the records were made from and under which rules (conformance rules 4.3 and 5.3)."""
    import minesite
    from minesite.policy import load_policy

    policy = load_policy(result.profile)
    inputs = [
        {
            "file": s.path.name,
            "sheet": s.sheet or "",
            "dialect": s.dialect,
            "sha256": s.sha256,
            "rows": s.rows,
        }
        for s in result.inspection.sources
    ]
    for path in extra:
        if path is not None and Path(path).exists():
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            inputs.append({"file": Path(path).name, "sha256": digest})
    return {
        "generator": f"minesite {minesite.__version__}",
        "schema": {
            "file": "minesite/icglr/schema.json",
            "version": codes.schema_version,
            "sha256": hashlib.sha256(SCHEMA.read_bytes()).hexdigest(),
            "follows": codes.upstream,
            "commit": codes.upstream_commit,
        },
        "profile": result.profile,
        "asOf": result.as_of.isoformat(),
        "statusSource": source,
        "policy": {
            "greenValidMonths": policy.green_valid_months,
            "yellowRemediationMonths": policy.yellow_remediation_months,
            "redMinimumMonths": policy.red_minimum_months,
            "blueMaxYears": policy.blue_max_years,
        },
        "checklists": [{"id": c.id, "version": c.version} for c in result.checklists],
        "inputs": inputs,
        "attachments": [],
        "records": len(export.document["data"]),
        "rejectedRecords": len({r.site for r in export.rejects}),
        "provisionalIds": export.provisional,
    }
