"""`minesite export icglr`: records that validate, refusals that name the cell, ids that last."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json

import pytest
from conftest import SAMPLES, invoke, score_file, visit, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from minesite.icglr.registry import PATTERN, Registry
from minesite.icglr.timeline import computed
from minesite.icglr.validate import load_schema, validate
from minesite.model import Status
from minesite.policy import load_policy
from minesite.xlsform import RECORD, build

KOBO = SAMPLES / "kobo-icglr.xlsx"
AS_OF = "2026-06-30"


def export(tmp_path, *files, name="sites.icglr.json", extra=()):
    out = tmp_path / name
    result = invoke("export", "icglr", *files, "-o", out, "--as-of", AS_OF, *extra)
    return result, out


def edited(tmp_path, header: str, row: int, value, *more):
    """A copy of the Kobo sample with answers changed: (header, Excel row, value) triples; None
    deletes the whole column."""
    book = load_workbook(KOBO)
    sheet = book.worksheets[0]
    for name, excel_row, answer in [(header, row, value), *more]:
        headers = [c.value for c in sheet[1]]
        column = headers.index(name) + 1
        if answer is None:
            sheet.delete_cols(column)
        else:
            sheet.cell(row=excel_row, column=column, value=answer)
    path = tmp_path / "kobo-edited.xlsx"
    book.save(path)
    return path


def by_site(document):
    return {r["minesiteSiteId"]: r for r in document["data"]}


def test_sample_export_writes_records_that_validate(tmp_path):
    result, out = export(tmp_path, KOBO)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert validate(document) == []
    sites = by_site(document)
    assert set(sites) == {"demo10001", "demo10002", "demo10003", "demo10004"}
    kalimba = sites["demo10001"]
    # The sign of the latitude is always written; the id is flagged until registered.
    assert kalimba["icglrId"] == "CD--3.0417+28.4312-00001"
    assert kalimba["icglrIdProvisional"] is True
    assert kalimba["certificationStatus"] == 1 and kalimba["activityStatus"] == 1
    location = kalimba["mineSiteLocation"]
    assert location["geolocalization"] == {"latitude": -3.0417, "longitude": 28.4312}
    assert location["localGeographicDesignation"]["subnationalDivisionL1"] == "CD-SK"
    assert location["localGeographicDesignation"]["subnationalDivisionL1Text"] == "Sud-Kivu"
    assert kalimba["mineral"] == ["7108.12.00"]
    assert kalimba["license"] == [
        {
            "licenseType": "artisanal_permit",
            "licenseId": "ZEA 360",
            "coveredCommodities": ["7108.12.00"],
        }
    ]
    assert kalimba["owner"]["contactDetails"]["contactPhoneNumber"] == "+243991234567"
    assert [i["inspectionId"] for i in kalimba["inspection"]] == [
        "PS-2025-05-12-10-41",
        "PS-2026-05-20-12-12",
    ]
    assert sites["demo10002"]["mineral"] == ["2609.00.00", "2615.90.00"]
    assert sites["demo10002"]["owner"]["contactDetails"]["contactPhoneNumber"] == "+243812345678"
    assert sites["demo10003"]["certificationStatus"] == 3
    assert sites["demo10003"]["inspection"][0]["minesiteFindings"][0]["criterion"] == "SEC-01"
    # An incomplete visit is result 0 and names what is missing; its site is blue.
    kitagana = sites["demo10004"]
    assert kitagana["certificationStatus"] == 0
    inspection = kitagana["inspection"][0]
    assert inspection["inspectionResult"] == 0 and inspection["minesiteStatus"] == "incomplete"
    assert "CHL-01" in inspection["minesiteCompleteness"]["unknown"]
    assert "CHL-01" in inspection["inspectionResults"]


def test_status_history_is_the_timeline_of_the_same_rules(tmp_path):
    result, out = export(tmp_path, KOBO)
    assert result.exit_code == 0, result.output
    sites = by_site(json.loads(out.read_text(encoding="utf-8")))
    history = [(c["dateOfChange"], c["newStatus"]) for c in sites["demo10002"]["statusChange"]]
    assert history == [("2025-09-03", 2), ("2026-04-15", 1)]
    assert {c["statusSource"] for s in sites.values() for c in s["statusChange"]} == {"computed"}


def test_manifest_names_schema_inputs_and_versions(tmp_path):
    result, out = export(tmp_path, KOBO)
    manifest = json.loads(out.read_text(encoding="utf-8"))["manifest"]
    assert manifest["schema"]["commit"] == "0bf1a62afa934d4494907f489086f3c2ac33b07d"
    assert manifest["statusSource"] == "computed" and manifest["asOf"] == AS_OF
    assert manifest["profile"] == "icglr" and manifest["checklists"]
    digest = hashlib.sha256(KOBO.read_bytes()).hexdigest()
    assert [i["sha256"] for i in manifest["inputs"]] == [digest]
    assert manifest["generator"].startswith("minesite ")


def test_one_blank_required_answer_refuses_the_export_in_one_line(tmp_path):
    path = edited(tmp_path, "operator_email", row=7, value="")
    result, out = export(tmp_path, path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert "1 of 4 site records invalid" in line
    assert "site demo10001: owner.contactDetails.contactEmail missing" in line
    assert "row 7, column operator_email" in line
    assert not out.exists() and not (tmp_path / "sites.icglr.rejects.csv").exists()


def test_refusal_in_french(tmp_path):
    path = edited(tmp_path, "inspector_name", row=4, value="")
    result, _ = export(tmp_path, path, extra=("--lang", "fr"))
    assert result.exit_code == 2
    assert "fiches de site sur 4 invalides" in result.stderr
    assert "inspection.inspectorName manquant : vide en kobo-edited.xlsx" in result.stderr


def test_partial_writes_valid_records_and_a_rejects_table(tmp_path):
    path = edited(tmp_path, "mineral1", row=4, value="inconnu")
    result, out = export(tmp_path, path, extra=("--partial",))
    assert result.exit_code == 1, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(by_site(document)) == {"demo10001", "demo10002", "demo10004"}
    assert validate(document) == []
    with (tmp_path / "sites.icglr.rejects.csv").open(encoding="utf-8-sig") as handle:
        rejects = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["site_id"], r["field"], r["row"], r["value"]) for r in rejects] == [
        ("demo10003", "mineral", "4", "inconnu")
    ]
    assert "HS code" in rejects[0]["message"]


def test_a_missing_column_is_named_with_the_column_to_add(tmp_path):
    path = edited(tmp_path, "national_site_id", row=1, value=None)
    result, _ = export(tmp_path, path)
    assert result.exit_code == 2
    assert "nationalId missing" in result.stderr
    assert "add the column(s) national_site_id" in result.stderr


def test_invalid_answers_are_named_with_what_is_expected(tmp_path):
    path = edited(tmp_path, "operator_phone", row=4, value="numéro inconnu")
    result, _ = export(tmp_path, path)
    assert result.exit_code == 2
    assert '"numéro inconnu"' in result.stderr and "country code" in result.stderr


def test_ipis_open_data_is_refused_for_owner_and_inspector(tmp_path):
    ipis = SAMPLES / "ipis-sample.csv"
    result, out = export(tmp_path, ipis, extra=("--partial",))
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["data"] == []
    with (tmp_path / "sites.icglr.rejects.csv").open(encoding="utf-8-sig") as handle:
        fields = {r["field"] for r in csv.DictReader(handle, delimiter=";")}
    assert {"owner", "inspection.inspectorName", "nationalId"} <= fields


def test_registry_keeps_ids_stable_and_is_only_appended(tmp_path):
    registry = tmp_path / "ids.csv"
    result, out = export(tmp_path, KOBO, extra=("--registry", registry))
    assert result.exit_code == 0, result.output
    first = by_site(json.loads(out.read_text(encoding="utf-8")))
    text = registry.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "site_id,icglr_id,provisional"
    assert "demo10001,CD--3.0417+28.4312-00001,yes" in text
    # A corrected GPS point keeps its id; nothing new to append, so the file is unchanged.
    moved = edited(tmp_path, "latitude", row=7, value=-3.0499)
    result, out = export(tmp_path, moved, extra=("--registry", registry, "--force"))
    assert result.exit_code == 0, result.output
    again = by_site(json.loads(out.read_text(encoding="utf-8")))
    assert {s: r["icglrId"] for s, r in again.items()} == {
        s: r["icglrId"] for s, r in first.items()
    }
    assert registry.read_text(encoding="utf-8") == text


def test_registered_ids_are_used_and_new_sites_appended(tmp_path):
    registry = tmp_path / "ids.csv"
    registry.write_text(
        "site_id,icglr_id,provisional\ndemo10003,CD--2.7310+28.7105-00191,no\n", encoding="utf-8"
    )
    result, out = export(tmp_path, KOBO, extra=("--registry", registry))
    assert result.exit_code == 0, result.output
    sites = by_site(json.loads(out.read_text(encoding="utf-8")))
    assert sites["demo10003"]["icglrId"] == "CD--2.7310+28.7105-00191"
    assert sites["demo10003"]["icglrIdProvisional"] is False
    assert sites["demo10001"]["icglrId"].endswith("-00192")
    lines = registry.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["site_id,icglr_id,provisional", "demo10003,CD--2.7310+28.7105-00191,no"]
    assert len(lines) == 5


@pytest.mark.parametrize(
    "body, words",
    [
        ("site_id,icglr_id\nA,CD-1.2-00001\n", "is not an icglrId"),
        ("site_id,icglr_id\nA,CD-+1.0000+2.0000-00001\nA,CD-+1.0000+2.0000-00002\n", "two ids"),
        ("site_id,icglr_id\nA,CD-+1.0000+2.0000-00001\nB,CD-+1.0000+2.0000-00001\n", "two sites"),
        ("site,id\n", "needs the columns"),
    ],
)
def test_a_changed_or_broken_registry_is_an_error(tmp_path, body, words):
    registry = tmp_path / "ids.csv"
    registry.write_text(body, encoding="utf-8")
    result, out = export(tmp_path, KOBO, extra=("--registry", registry))
    assert result.exit_code == 2 and words in result.stderr
    assert "ids.csv" in result.stderr and not out.exists()
    assert registry.read_text(encoding="utf-8") == body


def test_published_status_source_uses_the_qualifications(tmp_path):
    path = write_csv(
        tmp_path / "visits.csv",
        [
            visit(vid="Q1", visit_date="2025-01-10", qualification="Vert", visit_onsite="0"),
            visit(vid="Q2", visit_date="2025-08-01", qualification="Jaune", visit_onsite="0"),
            visit(vid="V3", visit_date="2026-01-10"),
        ],
    )
    result, out = export(tmp_path, path, extra=("--status-source", "published", "--partial"))
    assert result.exit_code == 1
    rejects = (tmp_path / "sites.icglr.rejects.csv").read_text(encoding="utf-8-sig")
    assert "owner" in rejects
    result = score_file(path, as_of=dt.date(2026, 6, 30))
    from minesite.icglr.timeline import published_history

    history = published_history(result)["site00001"]
    assert [(c["dateOfChange"], c["newStatus"], c["statusSource"]) for c in history] == [
        ("2025-01-10", 1, "published"),
        ("2025-08-01", 2, "published"),
    ]


def test_published_status_source_needs_qualifications(tmp_path):
    result, _ = export(tmp_path, KOBO, extra=("--status-source", "published"))
    assert result.exit_code == 2 and "qualification" in result.stderr


def test_never_overwrites_without_force(tmp_path):
    out = tmp_path / "sites.icglr.json"
    out.write_text("precious", encoding="utf-8")
    result, _ = export(tmp_path, KOBO)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "precious"
    result = invoke("export", "icglr", KOBO, "-o", tmp_path / "x.csv")
    assert result.exit_code == 2


@settings(max_examples=25, deadline=None)
@given(day=st.dates(min_value=dt.date(2009, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_computed_timeline_ends_at_the_status_as_of_any_date(day):
    """The timeline is the same rules as --as-of: its last change is each site's status."""
    result = score_file(SAMPLES / "ipis-sample.csv", as_of=day)
    timeline = computed(result, load_policy("icglr"))
    for site in result.sites.itertuples():
        events = timeline.get(site.site_id, [])
        assert all(e["dateOfChange"] <= day.isoformat() for e in events)
        last = events[-1]["newStatus"] if events else Status.BLUE.icglr_code
        assert last == Status(site.status).icglr_code, site.site_id


@given(
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False),
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False),
)
def test_provisional_ids_always_carry_both_signs(lat, lon):
    icglr = Registry(None).assign("s1", "CD", lat, lon)
    assert PATTERN.match(icglr)
    assert icglr[3] in "+-" and ("+" in icglr[4:] or "-" in icglr[4:])
    assert (icglr[3] == "-") == (round(lat, 4) < 0)


def test_validator_enforces_camel_case_types_codes_and_licence_ids():
    schema = load_schema()
    licence = {"licenseType": "mining_license", "coveredCommodities": ["7108.12.00"]}
    problems = validate(licence, schema, at="License")
    assert [(p.field, p.keyword) for p in problems] == [("licenseId", "required")]
    unlicensed = {"licenseType": "unlicensed", "coveredCommodities": ["7108.12.00"]}
    assert validate(unlicensed, schema, at="License") == []
    change = {"dateOfChange": "2026-02-30", "newStatus": 4, "statusSource": "x", "snake_case": 1}
    found = {(p.field, p.keyword) for p in validate(change, schema, at="StatusChange")}
    assert found == {
        ("dateOfChange", "format"),
        ("newStatus", "enum"),
        ("statusSource", "enum"),
        ("snake_case", "propertyNames"),
    }
    assert [p.keyword for p in validate({"newStatus": True}, schema, at="StatusChange")][-1] == (
        "type"
    )


def test_validator_refuses_keywords_it_does_not_implement(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"type": "object", "uniqueItems": True}), encoding="utf-8")
    with pytest.raises(ValueError, match="uniqueItems"):
        load_schema(path)


def test_generated_form_asks_what_a_record_needs():
    from minesite.checklists import load_checklists

    names = [row["name"] for row in build(load_checklists()).survey]
    assert set(RECORD) <= set(names)


def test_sample_is_the_generated_form_answered(tmp_path):
    """sample_inspections/kobo-icglr.xlsx is what tests/make_icglr_sample.py writes from the
    current form: regenerate it when the form changes."""
    import make_icglr_sample

    fresh = make_icglr_sample.main(tmp_path / "fresh.xlsx")

    def cells(path):
        return [[c.value for c in row] for ws in load_workbook(path) for row in ws.iter_rows()]

    assert cells(fresh) == cells(KOBO)


def test_licence_number_and_status_from_the_cadastre(tmp_path):
    square = [[[28.49, -3.12], [28.51, -3.12], [28.51, -3.10], [28.49, -3.10], [28.49, -3.12]]]
    feature = {
        "type": "Feature",
        "properties": {
            "name": "4731",
            "type": "PE",
            "parties": "CEMA",
            "statut": "Actif",
            "group": "PE",
        },
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    cadastre = tmp_path / "titres.geojson"
    cadastre.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    blanks = [(h, r, "") for h in ("title_zone", "license_id") for r in (3, 6)]
    path = edited(tmp_path, *blanks[0], *blanks[1:])
    result, out = export(tmp_path, path, extra=("--cadastre", cadastre))
    assert result.exit_code == 0, result.output
    mabingo = by_site(json.loads(out.read_text(encoding="utf-8")))["demo10002"]
    assert mabingo["license"][0]["licenseType"] == "mining_license"
    assert mabingo["license"][0]["licenseId"] == "PE 4731"
    assert mabingo["license"][0]["licenseStatus"] == 1
    assert mabingo["mineSiteLocation"]["nationalCadasterLocalization"].startswith("4731 (PE")


def test_inspection_ids_are_unique_and_fall_back_to_the_submission_time(tmp_path):
    # Two visits of one inspector recorded in the same minute; one without the form's end time.
    path = edited(
        tmp_path,
        "recorded_at",
        7,
        "2025-05-12T10:41:30.000+02:00",
        ("visit_date", 7, "2025-05-12"),
        ("recorded_at", 4, ""),
    )
    result, out = export(tmp_path, path)
    assert result.exit_code == 0, result.output
    sites = by_site(json.loads(out.read_text(encoding="utf-8")))
    ids = [i["inspectionId"] for s in sites.values() for i in s["inspection"]]
    assert len(ids) == len(set(ids))
    assert {"PS-2025-05-12-10-41", "PS-2025-05-12-10-41-2"} <= set(ids)
    assert sites["demo10003"]["inspection"][0]["inspectionId"] == "PS-2026-02-10-11-59"


def test_site_dossiers_become_inspection_reports_with_their_hash(tmp_path):
    reports = tmp_path / "dossiers"
    reports.mkdir()
    (reports / "demo10003.pdf").write_bytes(b"%PDF-1.4 dossier")
    result, out = export(tmp_path, KOBO, extra=("--reports", reports))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    inspection = by_site(document)["demo10003"]["inspection"][-1]
    digest = hashlib.sha256(b"%PDF-1.4 dossier").hexdigest()
    assert inspection["inspectionReport"].endswith("demo10003.pdf")
    assert inspection["minesiteReportSha256"] == digest
    assert document["manifest"]["attachments"][0]["sha256"] == digest
    result, _ = export(tmp_path, KOBO, extra=("--reports", tmp_path / "none", "--force"))
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_a_site_without_designated_minerals_is_out_of_rcm_scope(tmp_path):
    path = edited(tmp_path, "mineral1", 4, "diamond")
    result, out = export(tmp_path, path)
    assert result.exit_code == 0, result.output
    mukungwe = by_site(json.loads(out.read_text(encoding="utf-8")))["demo10003"]
    assert mukungwe["mineral"] == ["7102.10.00"]
    assert mukungwe["certificationStatus"] == 0 and mukungwe["minesiteOutOfRcmScope"] is True
    assert "statusChange" not in mukungwe and mukungwe["minesiteStatus"] == "red"


def test_a_crlf_registry_keeps_its_line_endings(tmp_path):
    registry = tmp_path / "ids.csv"
    registry.write_bytes(b"site_id,icglr_id,provisional\r\ndemo10003,CD--2.7310+28.7105-00191,no")
    result, _ = export(tmp_path, KOBO, extra=("--registry", registry))
    assert result.exit_code == 0, result.output
    body = registry.read_bytes()
    assert body.startswith(
        b"site_id,icglr_id,provisional\r\ndemo10003,CD--2.7310+28.7105-00191,no\r\n"
    )
    assert body.count(b"\r\n") == 5 and b"\n" not in body.replace(b"\r\n", b"")


def test_a_registry_changed_during_the_export_is_not_overwritten(tmp_path):
    from minesite.errors import UsageError
    from minesite.icglr.export import build_export
    from minesite.icglr.write import write_export

    registry = tmp_path / "ids.csv"
    result = score_file(KOBO, as_of=dt.date(2026, 6, 30))
    built = build_export(result, registry=registry)
    registry.write_text("site_id,icglr_id,provisional\nX,CD-+1.0000+2.0000-00009,no\n")
    out = tmp_path / "sites.icglr.json"
    with pytest.raises(UsageError, match="changed while the export ran"):
        write_export(built, out, partial=False, lang="en", registry=registry)
    assert not out.exists() and "X,CD-" in registry.read_text()


def test_a_clean_rerun_removes_the_rejects_of_an_earlier_run(tmp_path):
    broken = edited(tmp_path, "mineral1", 4, "inconnu")
    result, _ = export(tmp_path, broken, extra=("--partial",))
    rejects = tmp_path / "sites.icglr.rejects.csv"
    assert result.exit_code == 1 and rejects.exists()
    result, _ = export(tmp_path, KOBO)
    assert result.exit_code == 2 and "--force" in result.stderr
    result, _ = export(tmp_path, KOBO, extra=("--force",))
    assert result.exit_code == 0 and not rejects.exists()


_NASTY = ["", " ", "N/A", "=HYPERLINK(1)", "inconnu", "abc", "+243", "x@y", "0", "-91", "Nord Kivu"]


@settings(max_examples=30, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from([*RECORD[1:], "latitude", "longitude"]),
            st.integers(0, 5),
            st.sampled_from(_NASTY),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_an_export_never_writes_an_invalid_record_and_accounts_for_every_site(edits):
    """Whatever a team writes in the record's questions, each site is either a record that
    validates or a reject that names it."""
    import pandas as pd

    import minesite
    from minesite.icglr.export import build_export

    frame = pd.read_excel(KOBO, sheet_name=0, dtype=str, engine="calamine").fillna("")
    for column, row, value in edits:
        frame.loc[row, column] = value
    result = minesite.run(
        inspection=minesite.inspection_from_frames(frame), as_of=dt.date(2026, 6, 30)
    )
    built = build_export(result)
    written = [r["minesiteSiteId"] for r in built.document["data"]]
    rejected = {r.site for r in built.rejects}
    assert validate({"data": built.document["data"]}) == []
    assert not set(written) & rejected
    assert set(written) | rejected == set(result.sites["site_id"])
    assert all(r.words("fr") and r.words("en") for r in built.rejects)


@pytest.mark.parametrize(
    "who, expected",
    [
        (
            {"inspector_name": "Éric Mwamba", "recorded_at": "2026-03-10T09:12:33.000+02:00"},
            "EM-2026-03-10-09-12",
        ),
        (
            {
                "inspector_name": "Aline Mapendo",
                "recorded_at": "",
                "SubmissionDate": "2026-03-10T16:03:00.000Z",
            },
            "AM-2026-03-10-16-03",
        ),
        ({"inspector_name": "", "recorded_at": ""}, "XX-2026-03-10-V7"),
    ],
)
def test_inspection_ids_from_initials_and_recording_time(who, expected):
    from minesite.icglr.inspections import inspection_id

    assert inspection_id(who, {"visit_date": "2026-03-10", "visit_id": "V7"}) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+243 991 234 567", "+243991234567"),
        ("0812345678", "+243812345678"),
        ("00250 788 123 456", "+250788123456"),
        ("(099) 12-34", "+243991234"),
    ],
)
def test_phone_numbers_in_e164(raw, expected):
    from minesite.icglr.records import phone

    assert phone(raw, "CD") == expected


def test_one_site_only(tmp_path):
    result, out = export(tmp_path, KOBO, extra=("--site", "demo10002"))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [r["minesiteSiteId"] for r in document["data"]] == ["demo10002"]
    assert len(document["data"][0]["inspection"]) == 2
    result, _ = export(tmp_path, KOBO, extra=("--site", "demo1002", "--force"))
    assert result.exit_code == 2 and "demo10002" in result.stderr


def test_every_answer_a_form_may_give_has_its_icglr_code(tmp_path):
    from minesite._resources import bundled
    from minesite.errors import ChecklistError
    from minesite.icglr.codes import load_codes

    text = bundled("icglr.toml").read_text(encoding="utf-8")
    broken = tmp_path / "icglr.toml"
    broken.write_text(text.replace('zircon = "2615.10.00"\n', ""), encoding="utf-8")
    with pytest.raises(ChecklistError) as error:
        load_codes(broken)
    assert error.value.position.key == "minerals.zircon"
    typo = tmp_path / "typo.toml"
    typo.write_text(text.replace("gold = ", "gld = "), encoding="utf-8")
    with pytest.raises(ChecklistError, match="canonical answer"):
        load_codes(typo)


def test_a_site_without_mineral_is_one_problem_named_once(tmp_path):
    path = edited(tmp_path, "mineral1", 4, "")
    result, _ = export(tmp_path, path, extra=("--partial",))
    assert result.exit_code == 1
    with (tmp_path / "sites.icglr.rejects.csv").open(encoding="utf-8-sig") as handle:
        rejects = [
            (r["site_id"], r["field"], r["problem"], r["row"], r["column"])
            for r in csv.DictReader(handle, delimiter=";")
        ]
    assert rejects == [("demo10003", "mineral", "icglr.problem.blank", "4", "mineral1")]
