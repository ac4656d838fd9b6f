"""Inputs as coordinators really get them (issue 15): delimiters that quotes hide, short cp1252
files, overrides, Kobo group separators and label exports, ODK Central media."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import invoke, visit

import minesite

KOBO_SYSTEM = ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]


def statuses(result) -> list[str | None]:
    return result.visits["status"].tolist()


def _csv(header: list[str], rows: list[list[str]], delimiter: str, **options) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", **options)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# --- 1. delimiters, quotes, short cp1252 files ---------------------------------------------
def test_narrow_kobo_labels_export_with_commas_in_labels_is_semicolon_separated(tmp_path):
    """More commas inside quoted labels than `;` between fields: today a false "mixed
    delimiters" (review-2 ecosystem §0)."""
    header = [
        "Identification/Code du site",
        "Visite/Date de la visite",
        "Enfants/Enfants de moins de 15 ans qui travaillent",
        "Remarques/Observations (acteurs, taxes, barrières, routes, marchés, puits, eau, santé,"
        " école, église, chef, village, moto, vélo, pirogue)",
        *KOBO_SYSTEM,
    ]
    rows = [
        ["demo1", "2026-03-10", "Oui", "RAS, rien", "1", "u1", "2026-03-10T10:00:00", "", "1"],
        ["demo2", "2026-03-11", "Non", "", "2", "u2", "2026-03-11T10:00:00", "", "2"],
    ]
    path = tmp_path / "kobo-labels.csv"
    path.write_text(_csv(header, rows, ";", quoting=csv.QUOTE_ALL), encoding="utf-8")
    result = minesite.run(path, checklists=["child-labor"])
    assert result.inspection.sources[0].dialect.startswith("KoboToolbox CSV (labels")
    assert statuses(result)[0] == "red"
    out = invoke("validate", path, "--lang", "en", "-c", "child-labor")
    assert out.exit_code == 1, out.stderr


def test_semicolon_file_with_a_quoted_header_full_of_commas(tmp_path):
    """`;` file whose quoted header holds commas: today "none of the checklist columns found"."""
    label = "Nom, prénom, fonction, service, équipe"
    header = ["vid", "pcode", "visit_date", label, "childunder15"]
    rows = [["V1", "s1", "2026-03-10", "Mulumba, Jean, inspecteur", "1"]]
    path = tmp_path / "fr.csv"
    path.write_text(_csv(header, rows, ";"), encoding="utf-8")
    result = minesite.run(path, checklists=["child-labor"])
    assert "semicolon-separated" in result.inspection.sources[0].dialect
    assert statuses(result) == ["red"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_with_the_others_inside_quoted_cells(tmp_path, delimiter):
    others = ",;\t|".replace(delimiter, "")
    row = visit(name=f"Kalimba {others} {others}")
    header = list(row)
    path = tmp_path / "v.csv"
    path.write_text(_csv(header, [list(row.values())], delimiter), encoding="utf-8")
    result = minesite.run(path)
    assert statuses(result) == ["green"]
    assert result.visits["site_name"].iat[0] == row["name"]


def test_single_column_file_and_header_only_are_read_as_before(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("vid\nV1\n", encoding="utf-8")
    out = invoke("validate", path, "--lang", "en")
    assert out.exit_code == 2 and "site" in out.stderr  # no pcode column, named


def test_quadratic_quotes_are_detected_quickly(tmp_path):
    """csv.Sniffer takes 80 s on 256 KB of such lines; the csv reader is linear."""
    path = tmp_path / "q.csv"
    path.write_text('vid,"a\n' * 60000, encoding="utf-8")
    from minesite.inputs.detect import sniff

    assert sniff(path).delimiter == ","


@pytest.mark.parametrize("where", ["start", "end"])
def test_short_cp1252_file_is_detected_and_read(tmp_path, where):
    names = ["Café", "Kalimba"] if where == "start" else ["Kalimba", "Mine à Kamituga"]
    lines = ["vid;pcode;name;visit_date;childunder15"]
    lines += [f"V{k};s{k};{n};2026-03-1{k};0" for k, n in enumerate(names, 1)]
    path = tmp_path / "court.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    result = minesite.run(path, checklists=["child-labor"])
    assert "cp1252" in result.inspection.sources[0].dialect
    assert result.visits["site_name"].tolist() == names
