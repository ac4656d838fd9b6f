"""Cadastre: visits located in hand-written title squares (tests/data/cadastre-squares.geojson:
a ZEA, an active PE, a PR whose right has lapsed, a forbidden zone) feed LEG-01..03."""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import minesite
from minesite import load_checklists, read_inspections, score
from minesite.cadastre import apply_cadastre, load_titles, locate
from minesite.cli import app
from minesite.errors import ChecklistError, InputError
from minesite.findings import visit_findings
from minesite.model import Outcome
from minesite.render.view import View

DATA = Path(__file__).resolve().parent / "data"
SQUARES = DATA / "cadastre-squares.geojson"
VISITS = DATA / "cadastre-visits.csv"


def _outcomes(report, criterion: str) -> list[str]:
    j = [c.id for c in report.criteria].index(criterion)
    return [Outcome(int(v)).label for v in report.outcomes[:, j]]


@pytest.fixture(scope="module")
def report():
    # National legality: info under icglr, its own severities under drc.
    return minesite.run([VISITS], checklists=["legal-authority"], cadastre=SQUARES, profile="drc")


def test_title_zone_per_visit(report):
    zones = report.inspection.visits["title_zone"].tolist()
    assert zones[:6] == ["ZEA", "PE", "none", "ZIN", "none", ""]
    assert "swapped" in zones[6]
    assert "outside DRC" in zones[7] and "swapped" not in zones[7]


def test_criteria_outcomes(report):
    # ZEA, PE, lapsed PR (no title), ZIN, nowhere, blank, swapped, outside.
    assert _outcomes(report, "LEG-01") == [
        "pass",
        "pass",
        "fail",
        "pass",
        "fail",
        "unknown",
        "unknown",
        "unknown",
    ]
    assert _outcomes(report, "LEG-03") == [
        "pass",
        "pass",
        "pass",
        "fail",
        "pass",
        "unknown",
        "unknown",
        "unknown",
    ]
    # LEG-02 applies inside the active PE only; its agreement is recorded there.
    assert _outcomes(report, "LEG-02")[:5] == ["n/a", "pass", "n/a", "n/a", "n/a"]
    assert report.visits["status"].tolist()[3] == "red"


def test_evidence_names_cadastre_file_and_feature(report):
    finding = next(f for f in visit_findings(report.verdicts, 3) if f.criterion == "LEG-03")
    assert finding.answer == "ZIN"
    assert finding.row == 5
    assert "cadastre-squares.geojson" in finding.column and "ZIN-T4" in finding.column
    listing = report.inspection.visits["cadastre_titles"].tolist()
    assert listing[2] == "PR-T3 (PR (AS), EXPLORATEUR TEST (100%), Droit Déchu)"
    assert listing[4] == listing[5] == ""
    summary = [s.dialect for s in report.inspection.sources]
    assert any(d.startswith("cadastre GeoJSON of 4 titles") for d in summary)


def test_bad_coordinates_are_listed_with_their_cell(report):
    cells = View(report, "en").unrecognised()
    rows = {(c["row"], c["column"]) for c in cells if c["criterion"] == "LEG-01"}
    assert rows == {(8, "latitude/longitude"), (9, "latitude/longitude")}
    swapped = next(c for c in cells if c["row"] == 8)
    assert swapped["answer"].startswith("latitude 28.05, longitude -2.05")


def test_without_cadastre_not_assessed():
    plain = score(read_inspections([VISITS]), load_checklists(["legal-authority"]))
    assert set(_outcomes(plain, "LEG-01")) == {"not-assessed"}
    assert set(_outcomes(plain, "LEG-03")) == {"not-assessed"}


def test_input_title_zone_wins(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "vid,latitude,longitude,presence,title_zone\n"
        "A,-2.05,28.65,0,ZEA\n"  # the input says ZEA although the point is in the ZIN
        "B,-2.05,28.65,0,\n",  # blank: the cadastre answers
        encoding="utf-8",
    )
    inspection = apply_cadastre(read_inspections([path]), load_titles(SQUARES))
    assert inspection.visits["title_zone"].tolist() == ["ZEA", "ZIN"]
    assert "from the input for 1 visits" in inspection.sources[-1].dialect
    _, _, header = inspection.cell(0, "title_zone")
    assert header == "title_zone"


def test_wkt_geom_column(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "vid,presence,geom\nA,0,POINT (28.25 -2.05)\nB,0,POINT (28.05 -2.05)\nC,0,\n",
        encoding="utf-8",
    )
    inspection = apply_cadastre(read_inspections([path]), load_titles(SQUARES))
    assert inspection.visits["title_zone"].tolist() == ["PE", "ZEA", ""]


def test_locate_is_vectorised_and_prioritises_forbidden_zone(tmp_path):
    collection = json.loads(SQUARES.read_text(encoding="utf-8"))
    big_zin = {
        "type": "Feature",
        "properties": {"name": "ZIN-BIG", "group": "ZIN", "statut": "Actif"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[28.15, -2.2], [28.35, -2.2], [28.35, -1.9], [28.15, -1.9]]],
        },
    }
    collection["features"].append(big_zin)
    path = tmp_path / "t.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    titles = load_titles(path)
    located = locate(titles, np.array([28.25, 28.05, np.nan]), np.array([-2.05, -2.05, -2.05]))
    assert located.zone.tolist() == ["zin", "zea", "none"]
    assert titles.names[located.deciding[0]] == "ZIN-BIG"


def test_self_intersecting_polygon_repaired_and_reported(tmp_path):
    bowtie = [[[28.0, -2.1], [28.1, -2.0], [28.1, -2.1], [28.0, -2.0], [28.0, -2.1]]]
    path = tmp_path / "bowtie.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "BOW", "group": "ZEA"},
                        "geometry": {"type": "Polygon", "coordinates": bowtie},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    titles = load_titles(path)
    assert len(titles.repaired) == 1 and 'feature 0 "BOW"' in titles.repaired[0]
    result = CliRunner().invoke(app, ["validate", str(VISITS), "--cadastre", str(path)])
    assert result.exit_code == 1
    assert "invalid polygon repaired" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"type": "Feature", "features": []}', "not a GeoJSON FeatureCollection"),
        (
            '{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:EPSG::32735"}}, "features": []}',
            "unknown CRS",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"name": "UTM"}, "geometry": {"type": "Polygon", "coordinates": '
            "[[[500000, 9700000], [510000, 9700000], [510000, 9710000], [500000, 9700000]]]}}]}",
            'feature 0 "UTM": coordinates 500000',
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"name": "P"}, "geometry": {"type": "Point", "coordinates": [28, -2]}}]}',
            'feature 0 "P": geometry must be a Polygon',
        ),
    ],
)
def test_bad_cadastre_is_one_line_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="bad.geojson"):
        load_titles(path)
    result = CliRunner().invoke(app, ["validate", str(VISITS), "--cadastre", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "bad.geojson" in lines[0]


def test_cli_validate_with_cadastre():
    result = CliRunner().invoke(
        app,
        [
            "validate",
            str(VISITS),
            "--cadastre",
            str(SQUARES),
            "--format",
            "json",
            "-c",
            "legal-authority",
            "--profile",
            "drc",
        ],
    )
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["summary"]["files"][-1]["file"] == "cadastre-squares.geojson"
    red = [v for v in document["visits"] if v["status"] == "red"]
    assert [v["visit_id"] for v in red] == ["V4"]
    assert "ZIN-T4" in red[0]["failed"][0]["column"]


def test_another_country_fits_by_configuration(tmp_path):
    config = tmp_path / "other.toml"
    config.write_text(
        'country = "Elsewhere"\n[properties]\nclass = "kind"\nname = "code"\nstatus = "state"\n'
        '[classes]\nzea = ["artisanal"]\nzin = ["park"]\n'
        '[active]\nclasses = ["pe", "pr"]\nstatuses = ["valid"]\n'
        "[location]\nbbox = [27, -3, 29, -1]\n",
        encoding="utf-8",
    )
    titles_path = tmp_path / "t.geojson"
    titles_path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "NP-1", "kind": "Park", "state": "valid"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[28, -2.1], [28.1, -2.1], [28.1, -2], [28, -2.1]]],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    titles = load_titles(titles_path, config)
    located = locate(titles, np.array([28.09]), np.array([-2.09]))
    assert located.zone.tolist() == ["zin"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[properties]\nclas = "kind"\n', encoding="utf-8")
    with pytest.raises(ChecklistError, match="did you mean"):
        load_titles(titles_path, bad)
