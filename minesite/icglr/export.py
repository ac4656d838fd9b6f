"""`minesite export icglr`: records, their validation against the schema, rejects and manifest.

Nothing here writes a file: `build_export` returns the document, the rejects and the registry's
new text, and the CLI writes them only when every record is valid (or with --partial).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minesite.errors import Position, UsageError
from minesite.icglr.codes import load_codes
from minesite.icglr.records import GROUPS, Builder, Record
from minesite.icglr.registry import appended, read_registry
from minesite.icglr.timeline import computed, published_history
from minesite.icglr.validate import SCHEMA, load_schema, validate
from minesite.render.i18n import position_words, text
from minesite.result import Result

STATUS_SOURCES = ("computed", "published")
_OWNER = tuple(c for c in GROUPS["owner"] if c != "operator_legal_form")
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "icglrId": ("latitude", "longitude"),
    "mineSiteLocation": ("latitude", "longitude"),
    "mineSiteLocation.localGeographicDesignation": ("province",),
    "mineSiteLocation.localGeographicDesignation.addressLocalityText": ("village",),
    "nationalId": ("national_site_id",),
    "activityStatus": ("activity_status",),
    "mineral": ("mineral1",),
    "license": ("title_zone",),
    "license.licenseType": ("title_zone",),
    "license.licenseId": ("license_id",),
    "license.coveredCommodities": ("mineral1",),
    "owner": _OWNER,
    "owner.identifier": ("operator_registration",),
    "owner.name": ("operator_name",),
    "owner.tin": ("operator_tax_number",),
    "owner.contactDetails": _OWNER[3:],
    "owner.contactDetails.legalRepresentative": ("operator_representative",),
    "owner.contactDetails.contactPhoneNumber": ("operator_phone",),
    "owner.contactDetails.contactEmail": ("operator_email",),
    "inspection.inspectionId": ("inspector_name",),
    "inspection.inspectionDate": ("visit_date",),
    "inspection.inspectorName": ("inspector_name",),
    "inspection.inspectorPosition": ("inspector_function",),
    "inspection.governmentAgency": ("inspector_agency",),
}
GROUP_OF = {
    "icglrId": "location",
    "mineSiteLocation.geolocalization": "location",
    "mineSiteLocation.localGeographicDesignation": "address",
    "mineSiteLocation": "location",
    "nationalId": "identity",
    "activityStatus": "activity",
    "mineral": "minerals",
    "license.coveredCommodities": "minerals",
    "license": "licence",
    "owner": "owner",
}
EXPECTED = {
    "contactPhoneNumber": "phone",
    "contactEmail": "email",
    "mineral": "mineral",
    "coveredCommodities": "mineral",
    "subnationalDivisionL1": "province",
    "activityStatus": "activity",
    "licenseType": "title",
}


@dataclass
class Reject:
    """Why one record cannot be written: its site, the field, and the cell or column to fix."""

    site: str
    field: str
    code: str
    params: dict[str, Any]

    def words(self, lang: str) -> str:
        """The problem in one sentence of `lang`."""
        params = dict(self.params)
        if "row" in params:
            where = Position(
                params["file"], params["sheet"] or None, params["row"], params["column"]
            )
            params["cell"] = position_words(where, lang)
            params["expected"] = text(f"icglr.expect.{params['expected']}", lang)
        return text(self.code, lang, site=self.site, field=self.field, **params)


@dataclass
class Export:
    """The document to write, the records left out and why, and the registry's new text."""

    document: dict[str, Any]
    rejects: list[Reject] = field(default_factory=list)
    total: int = 0
    inspections: int = 0
    changes: int = 0
    provisional: int = 0
    new_ids: int = 0
    """Provisional ids this export appends to the registry."""
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
    schema = load_schema()
    valid, rejects, seen = [], [], {}
    for record in records:
        problems = _problems(record, schema, result, seen)
        if problems:
            rejects.extend(problems)
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
        new_ids=len(new_ids) if registry is not None else 0,
        registry_text=appended(ids, kept) if registry is not None and new_ids else None,
    )
    export.document["manifest"] = manifest(
        result, codes, status_source, export, [*extra_inputs, *([registry] if ids.text else [])]
    )
    return export


def _problems(record: Record, schema: dict, result: Result, seen: dict[str, str]) -> list[Reject]:
    """The record's problems, one per field (and per cell), in words a team can act on."""
    found: list[tuple[str, str, str]] = [(f, c, e) for f, c, e in record.invalid]
    invalid_fields = {f.split("[")[0] for f, _, _ in found}
    for problem in validate(record.data, schema, at="MineSite"):
        name = problem.field
        generic = re.sub(r"\[\d+\]", "", name)
        if any(generic == f or generic.startswith(f + ".") for f in invalid_fields):
            continue
        if generic == "license.coveredCommodities" and "mineral" in invalid_fields | {
            re.sub(r"\[\d+\]", "", f) for f, _, _ in found
        }:
            continue
        columns = _columns(generic)
        column = columns[0] if len(columns) == 1 else ""
        found.append((name, column, EXPECTED.get(generic.rsplit(".", 1)[-1], "value")))
    icglr = record.data.get("icglrId")
    out: list[Reject] = []
    if icglr and icglr in seen and seen[icglr] != record.site:
        out.append(
            Reject(
                record.site,
                "icglrId",
                "icglr.problem.shared-id",
                {"id": icglr, "other": seen[icglr]},
            )
        )
    elif icglr:
        seen[icglr] = record.site
    done: set[tuple[str, str]] = set()
    for name, column, expected in found:
        generic = re.sub(r"\[\d+\]", "", name)
        position = _row_of(record, name)
        reject = _reject(record.site, generic, column, expected, position, result)
        key = (generic, str(reject.params.get("row", reject.params.get("columns"))))
        if key not in done:
            done.add(key)
            out.append(reject)
    return out


def _columns(generic: str) -> tuple[str, ...]:
    while generic:
        if generic in FIELD_COLUMNS:
            return FIELD_COLUMNS[generic]
        generic = generic.rpartition(".")[0]
    return ()


def _row_of(record: Record, name: str) -> int:
    match = re.match(r"inspection\[(\d+)\]", name)
    if match:
        return record.inspections[int(match.group(1))]
    generic = re.sub(r"\[\d+\]", "", name)
    for prefix, group in GROUP_OF.items():
        if generic == prefix or generic.startswith(prefix + "."):
            return record.cells[group]
    return record.cells["location"]


def _reject(
    site: str, generic: str, column: str, expected: str, position: int, result: Result
) -> Reject:
    visits = result.inspection.visits
    source = result.inspection.sources[int(visits["_source"].iat[position])]
    columns = [column] if column else list(_columns(generic))
    present = [c for c in columns if c in source.headers]
    if not present:
        return Reject(
            site,
            generic,
            "icglr.problem.missing-column",
            {"columns": columns or [generic], "file": source.path.name},
        )
    name = present[0]
    _, row, header = result.inspection.cell(position, name)
    raw = visits[name].iat[position] if name in visits.columns else ""
    value = raw.strip() if isinstance(raw, str) else ""
    params = {
        "file": source.path.name,
        "sheet": source.sheet or "",
        "row": row,
        "column": header,
        "value": value,
        "expected": expected,
    }
    code = "icglr.problem.blank" if not value else "icglr.problem.invalid"
    return Reject(site, generic, code, params)


def manifest(result: Result, codes, source: str, export: Export, extra: list) -> dict:  # noqa: ANN001
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
