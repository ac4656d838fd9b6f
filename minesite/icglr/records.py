"""MD.01 mine-site records (with MD.07 inspections) from a Result, and where each field came from.

A site's attributes (location, address, national id, activity, minerals, licence, owner) come
from its latest row that answers any question of the attribute's group, so a team may record the
operator once and later visits inherit it; `Record.cells` keeps that row per group so a missing
or invalid field is named with the cell (or the column) to fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from minesite.cadastre import coordinates
from minesite.dates import parse_dates
from minesite.icglr.codes import Codes
from minesite.icglr.inspections import Inspections
from minesite.icglr.registry import Registry
from minesite.model import Status
from minesite.result import Result

GROUPS = {
    "location": ("latitude", "longitude"),
    "address": ("province", "territoire", "collectivite", "groupement", "village"),
    "identity": ("national_site_id",),
    "activity": ("activity_status",),
    "minerals": ("mineral1", "mineral2", "mineral3"),
    "licence": ("title_zone", "license_id"),
    "owner": (
        "operator_name",
        "operator_legal_form",
        "operator_registration",
        "operator_tax_number",
        "operator_representative",
        "operator_phone",
        "operator_email",
    ),
}
ORDER = (
    *("icglrId", "icglrIdProvisional", "addressCountry", "nationalId", "certificationStatus"),
    *("statusSource", "activityStatus", "mineSiteLocation", "mineral", "license", "owner"),
    *("inspection", "statusChange"),
)
"""The protocol's fields in the order its schema lists them; extensions follow."""
_PHONE_JUNK = re.compile(r"[\s.\-()/]")


@dataclass
class Record:
    """One MineSite object, its site id, and the input row each attribute group came from."""

    site: str
    data: dict[str, Any]
    cells: dict[str, int] = field(default_factory=dict)
    """Group name -> position of the input row read (or the site's latest row)."""
    inspections: list[int] = field(default_factory=list)
    """Position of the visit behind each `inspection[i]`."""
    invalid: list[tuple[str, str, str]] = field(default_factory=list)
    """(field, column, expected) of answers present but unusable (no HS code, unknown province)."""


class Builder:
    """Builds the records of one Result (one pass over its rows per group)."""

    def __init__(self, result: Result, codes: Codes, lang: str, titles: Any = None) -> None:
        self.result, self.codes, self.lang, self.titles = result, codes, lang, titles
        self.raw = result.inspection.visits
        self.visits = result.verdicts.visits
        self.x, self.y, _, _ = coordinates(self.raw)
        day = parse_dates(self.visits["visit_date"])
        site = self.visits["site_id"].fillna("").to_numpy(dtype=object)
        # Rows of each site from oldest to latest (undated first), input order breaking ties.
        order = np.lexsort((np.arange(len(site)), np.where(np.isnat(day), -1, day.view("i8"))))
        order = order[site[order] != ""]
        self.rows_of = pd.Series(order).groupby(site[order], sort=False).agg(list).to_dict()
        self._columns: dict[str, np.ndarray | None] = {}
        self.inspected = Inspections(result, lang, self.value)
        self.deciding = None
        if titles is not None:
            from minesite.cadastre import locate

            # Every row's point in one query (NaN: no point).
            self.deciding = locate(titles, self.x, self.y).deciding

    def value(self, position: int, column: str) -> str | None:
        """A cell as text: None when its file has no such column, '' when blank."""
        if column not in self._columns:
            known = column in self.raw.columns
            self._columns[column] = self.raw[column].to_numpy(dtype=object) if known else None
        values = self._columns[column]
        cell = None if values is None else values[position]
        return cell.strip() if isinstance(cell, str) else None

    def pick(self, site: str, group: str) -> int:
        """The site's latest row answering the group (else its latest row)."""
        rows = self.rows_of[site]
        columns = GROUPS[group]
        for position in reversed(rows):
            if group == "location" and not np.isnan(self.x[position]):
                return position
            if any(self.value(position, c) for c in columns):
                return position
        return rows[-1]

    def record(
        self, site: dict[str, Any], registry: Registry, timeline: list, source: str
    ) -> Record:
        """The MineSite record of one row of `result.sites`."""
        name = site["site_id"]
        record = Record(site=name, data={})
        cells = record.cells
        for group in GROUPS:
            cells[group] = self.pick(name, group)
        data = record.data
        at = cells["location"]
        lat, lon = float(self.y[at]), float(self.x[at])
        if not np.isnan(lat) and not np.isnan(lon):
            data["icglrId"] = registry.assign(name, self.codes.country, lat, lon)
            data["icglrIdProvisional"] = registry.is_provisional(name)
        data["addressCountry"] = self.codes.country
        national = self.value(cells["identity"], "national_site_id")
        if national:
            data["nationalId"] = national
        activity = self.value(cells["activity"], "activity_status")
        if activity:
            code = self.codes.activity_code(activity)
            if code is None:
                record.invalid.append(("activityStatus", "activity_status", "activity"))
            else:
                data["activityStatus"] = code
        data["mineSiteLocation"] = self.location(record, lat, lon)
        minerals = self.minerals(record)
        if minerals:
            data["mineral"] = minerals
        status = site["status"] if source == "computed" else _published(site, timeline)
        # A site producing no designated mineral is out of the RCM's scope: 0, no RCM history.
        outside = source == "computed" and bool(minerals)
        outside = outside and not any(m in self.codes.designated for m in minerals)
        data["certificationStatus"] = 0 if outside else Status(status).icglr_code
        data["statusSource"] = source
        if outside:
            data["minesiteOutOfRcmScope"] = True
            timeline = []
        data["license"] = [self.licence(record, minerals)]
        owner = self.owner(cells["owner"])
        if owner:
            data["owner"] = owner
        data["inspection"] = self.inspected.of(self.rows_of[name], record.inspections)
        if timeline:
            data["statusChange"] = timeline
        data.update(
            {
                "minesiteSiteId": name,
                "minesiteSiteName": site["site_name"],
                "minesiteStatus": site["status"],
                "minesiteStatusReason": site["reason"],
                "minesiteStatusCriteria": str(site["criteria"]).split(),
            }
        )
        if site.get("valid_until"):
            data["minesiteValidUntil"] = site["valid_until"]
        # The protocol's fields in its order, then minesite's extensions.
        first = [k for k in ORDER if k in data]
        record.data = {k: data[k] for k in (*first, *(k for k in data if k not in ORDER))}
        return record

    def location(self, record: Record, lat: float, lon: float) -> dict[str, Any]:
        location: dict[str, Any] = {}
        if not np.isnan(lat) and not np.isnan(lon):
            location["geolocalization"] = {"latitude": round(lat, 4), "longitude": round(lon, 4)}
        _, described = self._title(record.cells["location"])
        if described:
            location["nationalCadasterLocalization"] = described
        at = record.cells["address"]
        province = self.value(at, "province")
        if province:
            iso = self.codes.province(province)
            if iso is None:
                record.invalid.append(
                    (
                        "mineSiteLocation.localGeographicDesignation.subnationalDivisionL1",
                        "province",
                        "province",
                    )
                )
            locality = next(
                (
                    v
                    for c in ("village", "groupement", "collectivite", "territoire")
                    if (v := self.value(at, c))
                ),
                "",
            )
            address = {"country": self.codes.country, "addressLocalityText": locality}
            if iso:
                address["subnationalDivisionL1"] = iso
            address["subnationalDivisionL1Text"] = self.codes.province_name(province)
            for level, column in (
                ("L2", "territoire"),
                ("L3", "collectivite"),
                ("L4", "groupement"),
            ):
                if value := self.value(at, column):
                    address[f"subnationalDivision{level}"] = value
            location["localGeographicDesignation"] = address
        return location

    def minerals(self, record: Record) -> list[str]:
        at = record.cells["minerals"]
        codes: list[str] = []
        for column in GROUPS["minerals"]:
            raw = self.value(at, column)
            if not raw:
                continue
            code = self.codes.mineral(raw)
            if code is None:
                record.invalid.append(("mineral", column, "mineral"))
            elif code not in codes:
                codes.append(code)
        return codes

    def licence(self, record: Record, minerals: list[str]) -> dict[str, Any]:
        at = record.cells["licence"]
        licence: dict[str, Any] = {}
        zone = self.value(at, "title_zone")
        if zone:
            kind = self.codes.licence_type(zone)
            if kind is None:
                record.invalid.append(("license[0].licenseType", "title_zone", "title"))
            else:
                licence["licenseType"] = kind
        title, _ = self._title(record.cells["location"])
        number = self.value(at, "license_id") or title
        if number and licence.get("licenseType") != "unlicensed":
            licence["licenseId"] = number
            if number == title:
                licence["licenseStatus"] = 1  # only an active title decides a site's zone
        # The cadastre does not list the commodities a title covers: the site's minerals.
        licence["coveredCommodities"] = minerals
        return licence

    def _title(self, position: int) -> tuple[str, str]:
        """The cadastre title deciding the zone at a row's point: its number in the cadastre's
        terms ("PE 5") and its description; ('', '') without a cadastre or a title."""
        if self.deciding is None or self.deciding[position] < 0:
            return "", ""
        titles, deciding = self.titles, self.deciding[position]
        name, zone = str(titles.names[deciding]), str(titles.zone[deciding]).upper()
        number = name if name.upper().startswith(zone) else f"{zone} {name}"
        return number, str(titles.labels[deciding])

    def owner(self, at: int) -> dict[str, Any]:
        value = {c: self.value(at, c) or "" for c in GROUPS["owner"]}
        if not any(value.values()):
            return {}
        entity: dict[str, Any] = {}
        for key, column in (
            ("identifier", "operator_registration"),
            ("name", "operator_name"),
            ("tin", "operator_tax_number"),
            ("legalForm", "operator_legal_form"),
        ):
            if value[column]:
                entity[key] = value[column]
        contact = {}
        if value["operator_representative"]:
            contact["legalRepresentative"] = value["operator_representative"]
        if value["operator_phone"]:
            contact["contactPhoneNumber"] = phone(value["operator_phone"], self.codes.country)
        if value["operator_email"]:
            contact["contactEmail"] = value["operator_email"]
        if contact:
            entity["contactDetails"] = contact
        return entity


def _published(site: dict[str, Any], timeline: list[dict[str, Any]]) -> str:
    """The site's latest published qualification (blue when none was published)."""
    return timeline[-1]["minesiteStatus"] if timeline else Status.BLUE.value


def phone(raw: str, country: str) -> str:
    """A phone number in E.164 when it can be read as one: 00 -> +, a national 0 -> +243."""
    digits = _PHONE_JUNK.sub("", raw)
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0") and country == "CD":
        return "+243" + digits[1:]
    return digits
