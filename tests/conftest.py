"""Shared helpers: small inspection files written with the stdlib csv module, CLI runner."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

import minesite
from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inspections"
SLICE = ROOT / "tests" / "data" / "ipis-slice.csv"

# One on-site visit that passes every bundled criterion; tests change one answer at a time.
GREEN = {
    "vid": "V1",
    "pcode": "site00001",
    "name": "Kalimba",
    "visit_date": "2026-03-02",
    "visit_onsite": "1",
    "presence": "0",
    "armed_group1": "",
    "type_armed_group1": "Aucun",
    "taxation_armed_group1": "",
    "digging_armed_group1": "",
    "forced_labour_armed_group1": "",
    "armed_group2": "",
    "type_armed_group2": "",
    "taxation_armed_group2": "",
    "digging_armed_group2": "",
    "forced_labour_armed_group2": "",
    "childunder15": "0",
    "minors_15_17_work": "0",
    "minors_hazardous_work": "0",
    "pregnant_women_work": "0",
    "women": "1",
    "womenwork": "Lavage, Vendre",
    "sexual_violence": "0",
    "childunder15work": "",
    "minors_tasks": "",
    "minors_sexual_exploitation": "0",
    "forced_or_bonded_labour": "0",
    "serious_abuses": "0",
    "roadblock": "0",
    "roadblock_actor": "",
    "title_zone": "ZEA",
    "title_agreement": "",
    "cooperative_agrement": "1",
    "share_miners_with_card": "100",
    "foreign_miners": "0",
    "heavy_machinery": "0",
    "state_service1": "SAEMAPE",
    "state_service2": "",
    "state_service3": "",
    "state_service4": "",
    "is_3t_mine": "1",
    "traceability": "iTSCi",
}

# Only the columns the armed-groups checklist reads, for files that must be all green.
ARMED_ONLY = [
    "vid",
    "pcode",
    "visit_date",
    "visit_onsite",
    "presence",
    "armed_group1",
    "type_armed_group1",
    "roadblock",
    "roadblock_actor",
]


def visit(**changes: str | None) -> dict[str, str]:
    """GREEN with some answers changed; None drops the column altogether."""
    row = {**GREEN, **{k: v for k, v in changes.items() if v is not None}}
    for key, value in changes.items():
        if value is None:
            row.pop(key, None)
    return row


def distinct_keys(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Give a repeated `vid` a distinct value (V1, V1 -> V1, V1-2): readers reject duplicates."""
    seen: set[str] = set()
    out = []
    for i, row in enumerate(rows, start=1):
        vid = row.get("vid")
        if vid and vid in seen:
            row = {**row, "vid": f"{vid}-{i}"}
        seen.add(row.get("vid", ""))
        out.append(row)
    return out


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    encoding: str = "utf-8",
    lineterminator: str = "\n",
    delimiter: str = ",",
) -> Path:
    """Write rows as CSV; the header is the union of the rows' keys in first-seen order."""
    rows = distinct_keys(rows)
    if header is None:
        header = []
        for row in rows:
            header.extend(k for k in row if k not in header)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=lineterminator, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(k, "") for k in header])
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]], *, sheet: str = "visits") -> Path:
    """The same table as write_csv, as an XLSX workbook written by openpyxl."""
    from openpyxl import Workbook

    rows = distinct_keys(rows)
    header: list[str] = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append([row.get(k, "") for k in header])
    workbook.save(path)
    return path


def score_file(
    *paths: Path, checklists=(), profile: str = "icglr", strict: bool = False, **options
) -> minesite.Result:
    """Result of the given files through the public API (`minesite.run`)."""
    return minesite.run(
        list(paths), checklists=list(checklists), profile=profile, strict=strict, **options
    )


def invoke(*args: str):
    """Run the CLI in-process; the result keeps stdout and stderr apart."""
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def runner_invoke():
    return invoke
