"""Why a record cannot be accepted, in terms a team can act on: the site, the field, and the
input cell to fill or correct, or the column to add to the form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from minesite.errors import Position
from minesite.icglr.records import GROUPS, Record
from minesite.icglr.validate import validate
from minesite.render.i18n import position_words, text
from minesite.result import Result

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


def problems(record: Record, schema: dict, result: Result, seen: dict[str, str]) -> list[Reject]:
    """The record's problems, one per field (and per cell), in words a team can act on."""
    found: list[tuple[str, str, str]] = list(record.invalid)
    invalid_fields = {_generic(f) for f, _, _ in found}
    for problem in validate(record.data, schema, at="MineSite"):
        generic = _generic(problem.field)
        if any(generic == f or generic.startswith(f + ".") for f in invalid_fields):
            continue  # an answer already named as unusable
        columns = _columns(generic)
        column = columns[0] if len(columns) == 1 else ""
        expected = EXPECTED.get(generic.rsplit(".", 1)[-1], "value")
        found.append((problem.field, column, expected))
    if any(_generic(f) == "mineral" for f, _, _ in found):
        # The licence covers the site's minerals: one problem, named once, as the mineral.
        found = [p for p in found if _generic(p[0]) != "license.coveredCommodities"]
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
        generic = _generic(name)
        position = _row_of(record, name)
        reject = _reject(record.site, generic, column, expected, position, result)
        key = (generic, str(reject.params.get("row", reject.params.get("columns"))))
        if key not in done:
            done.add(key)
            out.append(reject)
    return out


def _generic(name: str) -> str:
    """inspection[2].inspectorName -> inspection.inspectorName."""
    return re.sub(r"\[\d+\]", "", name)


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
    generic = _generic(name)
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
