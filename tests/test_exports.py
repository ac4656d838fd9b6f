"""Exports a coordinator pivots and maps: typed XLSX and Parquet, GeoJSON sites, stable schemas."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
from conftest import SAMPLES, invoke

from minesite.render.typed import arrow_type
from minesite.render.xlsx import write_xlsx

IPIS = SAMPLES / "ipis-sample.csv"


def test_xlsx_has_real_dates_numbers_and_a_filter(tmp_path):
    out = tmp_path / "r.xlsx"
    assert invoke("score", IPIS, "-o", out, "--as-of", "2024-02-29").exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    sites = book["sites"]
    header = [c.value for c in sites[1]]
    row = list(sites[2])
    assert sites.auto_filter.ref is not None and sites.freeze_panes == "A2"
    date = row[header.index("visit_date")]
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    assert isinstance(row[header.index("latitude")].value, float)
    assert isinstance(row[header.index("decided_by_row")].value, int)
    summary = {r[0].value: r[2].value for r in book["summary"].iter_rows(min_row=2)}
    assert summary["rows_read"] == 33 and isinstance(summary["visits.red"], int)


def test_a_table_past_the_row_limit_continues_on_the_next_sheet(tmp_path):
    frame = pd.DataFrame({"visit_id": [str(i) for i in range(7)], "row": range(2, 9)})
    write_xlsx({"visits": frame}, tmp_path / "big.xlsx", limit=3)
    sheets = pd.read_excel(tmp_path / "big.xlsx", sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["visits", "visits (2)", "visits (3)"]
    assert sum(len(s) for s in sheets.values()) == 7


def test_parquet_schema_is_stable_even_for_an_empty_table(tmp_path):
    out = tmp_path / "r.parquet"
    field = SAMPLES / "field-visits.csv"
    assert invoke("score", field, "-o", out).exit_code == 0
    conflicts = pq.read_schema(tmp_path / "r.conflicts.parquet")
    assert pq.read_table(tmp_path / "r.conflicts.parquet").num_rows == 0
    assert {f.name: f.type for f in conflicts}["published_date"] == arrow_type("published_date")
    sites = pq.read_schema(tmp_path / "r.sites.parquet")
    assert str(sites.field("visit_date").type) == "date32[day]"
    assert str(sites.field("overdue").type) == "bool"


def test_sites_geojson_opens_as_points_with_status(tmp_path):
    import shapely.geometry

    out = tmp_path / "sites.geojson"
    assert invoke("score", IPIS, "-o", out, "--as-of", "2024-02-29").exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection" and document["features"]
    feature = document["features"][0]
    point = shapely.geometry.shape(feature["geometry"])
    assert point.geom_type == "Point" and -90 <= point.y <= 90
    assert feature["properties"]["status"] in {"red", "yellow", "blue", "green"}
    assert feature["properties"]["reason"].startswith("site.")


def test_exports_carry_what_a_pivot_needs(tmp_path):
    out = tmp_path / "r.csv"
    assert invoke("score", IPIS, "-o", out, "--as-of", "2024-02-29").exit_code == 0
    for name in ("r.csv", "r.sites.csv", "r.findings.csv"):
        frame = pd.read_csv(tmp_path / name, sep=";", dtype=str, encoding="utf-8-sig")
        assert {"province", "territoire", "latitude", "longitude", "site_name"} <= set(frame)
        assert "visit_date" in frame
    pivot = pd.read_csv(tmp_path / "r.csv", sep=";", dtype=str, encoding="utf-8-sig")
    table = pd.crosstab(pivot["province"], pivot["status"].fillna(""))
    assert table.values.sum() == 33
