"""Write sample_inspections/kobo-icglr.xlsx: a made-up KoboToolbox XLSX export of the form that
`minesite checklists xlsform` generates, every question answered, for `minesite export icglr`.

Four made-up sites in Sud-Kivu (demo1000N), six official joint-team visits 2025-2026: a green
site inspected twice, a yellow site (prostitution among women's tasks; FARDC present) remedied to
green, a red site (armed group) and a site whose latest visit is incomplete (child labour
answered "don't know"). Questions the criteria add get a passing answer (a yes-no gate: no).
Run from the repository root:

    python tests/make_icglr_sample.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sample_inspections" / "kobo-icglr.xlsx"
sys.path.insert(0, str(ROOT))

from minesite.checklists import load_checklists, shared_vocabularies  # noqa: E402
from minesite.xlsform import ACTOR_GROUP, build, choice_name  # noqa: E402

EXCEL_SHEET_LIMIT = 31
SITES = {
    "demo10001": {
        "name": "Kalimba Centre",
        "national_site_id": "SK-MWE-0117",
        "territoire": "Mwenga",
        "village": "Kalimba",
        "latitude": "-3.0417",
        "longitude": "28.4312",
        "mineral1": "gold",
        "mineral2": "",
        "title_zone": "zea",
        "license_id": "ZEA 360",
        "operator_name": "Coopérative minière de Kalimba (COMIKA)",
        "operator_legal_form": "Coopérative",
        "operator_registration": "CD/BKV/RCCM/24-B-00417",
        "operator_tax_number": "A2401177K",
        "operator_representative": "Jeanne Mwamini",
        "operator_phone": "+243 991 234 567",
        "operator_email": "comika@example.org",
    },
    "demo10002": {
        "name": "Mabingo",
        "national_site_id": "SK-MWE-0122",
        "territoire": "Mwenga",
        "village": "Mabingo",
        "latitude": "-3.112",
        "longitude": "28.5021",
        "mineral1": "cassiterite",
        "mineral2": "coltan",
        "title_zone": "pe",
        "license_id": "PE 4731",
        "operator_name": "Coopérative des exploitants de Mabingo (CEMA)",
        "operator_legal_form": "Coopérative",
        "operator_registration": "CD/BKV/RCCM/23-B-00981",
        "operator_tax_number": "N/A",
        "operator_representative": "Pascal Bisimwa",
        "operator_phone": "0812345678",
        "operator_email": "cema.mabingo@example.org",
    },
    "demo10003": {
        "name": "Mukungwe",
        "national_site_id": "SK-WAL-0031",
        "territoire": "Walungu",
        "village": "Mukungwe",
        "latitude": "-2.731",
        "longitude": "28.7105",
        "mineral1": "gold",
        "mineral2": "",
        "title_zone": "pr",
        "license_id": "PR 1120",
        "operator_name": "Société minière de Mukungwe SARL",
        "operator_legal_form": "SARL",
        "operator_registration": "CD/BKV/RCCM/19-B-00233",
        "operator_tax_number": "A1900233M",
        "operator_representative": "Éric Cirhuza",
        "operator_phone": "+243 970 000 111",
        "operator_email": "contact@mukungwe.example.org",
    },
    "demo10004": {
        "name": "Kitagana",
        "national_site_id": "SK-MWE-0140",
        "territoire": "Mwenga",
        "village": "Kitagana",
        "latitude": "-3.2204",
        "longitude": "28.398",
        "mineral1": "gold",
        "mineral2": "",
        "title_zone": "zea",
        "license_id": "ZEA 362",
        "operator_name": "Coopérative minière de Kitagana (COMIKI)",
        "operator_legal_form": "Coopérative",
        "operator_registration": "CD/BKV/RCCM/25-B-00012",
        "operator_tax_number": "N/A",
        "operator_representative": "Furaha Nabintu",
        "operator_phone": "+243 853 210 987",
        "operator_email": "comiki@example.org",
    },
}
INSPECTORS = [
    ("Pierre Safari", "Inspecteur des mines", "Division des Mines du Sud-Kivu", "DM-SK-0211"),
    ("Aline Mapendo", "Chef d'antenne", "SAEMAPE", "SAE-0547"),
]
# (uuid, site, date, time recorded, inspector, what differs from a clean visit, actors)
VISITS = [
    ("7b0e4d2a-0001-4c1e-9a10-000000000001", "demo10001", "2025-05-12", "10:41", 0, {}, []),
    (
        "7b0e4d2a-0002-4c1e-9a10-000000000002",
        "demo10002",
        "2025-09-03",
        "14:05",
        1,
        {"womenwork": "Lavage, Prostitution"},
        [("FARDC", "fardc_no_interference", {})],
    ),
    (
        "7b0e4d2a-0003-4c1e-9a10-000000000003",
        "demo10003",
        "2026-02-10",
        "11:20",
        0,
        {},
        [("Raïa Mutomboki", "nsag_local", {"taxation": "yes"})],
    ),
    (
        "7b0e4d2a-0004-4c1e-9a10-000000000004",
        "demo10004",
        "2026-03-16",
        "09:55",
        1,
        {"childunder15": "unknown"},
        [],
    ),
    ("7b0e4d2a-0005-4c1e-9a10-000000000005", "demo10002", "2026-04-15", "15:30", 1, {}, []),
    ("7b0e4d2a-0006-4c1e-9a10-000000000006", "demo10001", "2026-05-20", "12:12", 0, {}, []),
]
CLEAN = {
    "presence": "no",
    "cooperative_agrement": "yes",
    "title_agreement": "yes",
    "share_miners_with_card": "100",
    "foreign_miners": "no",
    "heavy_machinery": "no",
    "state_service1": "SAEMAPE",
    "state_service2": "Division des mines",
    "state_service3": "Police des mines",
    "state_service4": "Aucun",
    "traceability": "iTSCi",
    "childunder15": "no",
    "minors_15_17_work": "no",
    "minors_hazardous_work": "no",
    "pregnant_women_work": "no",
    "women": "yes",
    "womenwork": "Lavage, Vente",
    "sexual_violence": "no",
    "activity_status": "active",
    "province": "sud_kivu",
    "mineral3": "",
}
YES_NO_ACTOR = ("taxation", "commerce_taxation", "entrance_taxation", "monopoly")
YES_NO_ACTOR += ("buying_minerals", "digging", "forced_labour", "pillaging", "pit_ownership")


def passing(checklists) -> dict[str, str]:  # noqa: ANN001
    """A passing canonical answer for each question a criterion reads with an answer list
    ("no" when it passes), so a question a new criterion adds is answered cleanly too."""
    passes: dict[str, set[str]] = {}
    for checklist in checklists:
        for criterion in checklist.criteria:
            if criterion.vocabulary is None or not criterion.passes:
                continue
            for column in criterion.columns:
                # Several criteria may read one column: an answer every one of them passes.
                passes[column] = passes.get(column, set(criterion.passes)) & criterion.passes
    out = {}
    for checklist in checklists:
        for criterion in checklist.criteria:
            gate = criterion.relevant
            # A yes-no gate ("is there a roadblock?") answered no: its questions do not apply.
            if gate and gate["vocabulary"].name == "yes-no" and "no" not in gate["is"]:
                out.setdefault(gate["column"], "no")
    for column, answers_ in passes.items():
        preferred = [a for a in ("no", "none") if a in answers_]
        if preferred or answers_:
            out[column] = (preferred or sorted(answers_))[0]
    return out


def answers(form, visit, clean: dict[str, str]) -> dict[str, str]:  # noqa: ANN001
    """Every top-level question of the form answered, as Kobo writes XML choice names."""
    vocabularies = shared_vocabularies()
    yes_no = vocabularies["yes-no"]
    uuid, site, date, time, who, changes, actors = visit
    inspector = INSPECTORS[who]
    given = {
        **clean,
        "vid": uuid,
        "pcode": site,
        "visit_date": date,
        "visit_onsite": "yes",
        "recorded_at": f"{date}T{time}:07.000+02:00",
        "inspector_name": inspector[0],
        "inspector_function": inspector[1],
        "inspector_agency": inspector[2],
        "inspector_government_id": inspector[3],
        **SITES[site],
        **CLEAN,
        "is_3t_mine": "yes" if SITES[site]["mineral1"] == "cassiterite" else "no",
        **({"presence": "yes"} if actors else {}),
        **changes,
    }
    row = {}
    depth = 0
    for question in form.survey:
        kind, name = question["type"], question["name"]
        depth += {"begin_repeat": 1, "end_repeat": -1}.get(kind, 0)
        if depth or kind == "end_repeat":
            continue  # the actors repeat is its own sheet
        value = given.get(name, "")
        if kind == "select_one yes_no" and value in ("yes", "no", "unknown"):
            value = choice_name(yes_no, value)
        elif kind == "select_one actor_category" and value == "none":
            value = choice_name(vocabularies["actor-category"], "none")
        row[name] = value
    return row


def main(out: Path = OUT) -> Path:
    """Write the sample export to `out`."""
    checklists = load_checklists()
    form = build(checklists)
    clean = passing(checklists)
    yes_no = shared_vocabularies()["yes-no"]
    main_name = form.settings["form_title"][:EXCEL_SHEET_LIMIT]
    rows = [answers(form, visit, clean) for visit in VISITS]
    system = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status"]
    system += ["_submitted_by", "__version__", "_tags", "_index"]
    header = [*rows[0], *system]
    repeat_fields = [f"{ACTOR_GROUP}/{name}" for name in ("category", "name", *YES_NO_ACTOR)]
    repeat_header = [*repeat_fields, "_index", "_parent_table_name", "_parent_index"]
    repeat_header += ["_submission__id", "_submission__uuid", "_submission__submission_time"]
    with xlsxwriter.Workbook(out) as workbook:
        sheet = workbook.add_worksheet(main_name)
        sheet.write_row(0, 0, header)
        actor_rows = []
        for index, (row, visit) in enumerate(zip(rows, VISITS, strict=True), start=1):
            uuid, _, date, time = visit[:4]
            submitted = f"{date}T{time[:2]}:59:00"
            extra = [str(1000 + index), uuid, submitted, "validation_status_approved", "", ""]
            extra += ["inspecteur_sk", "vR4mTn2", "", str(index)]
            for c, cell in enumerate([*row.values(), *extra]):
                if header[c] in ("latitude", "longitude", "_id", "_index") and cell:
                    sheet.write_number(index, c, float(cell))
                else:
                    sheet.write_string(index, c, cell)
            for actor_name, category, flags in visit[6]:
                conduct = [choice_name(yes_no, flags.get(f, "no")) for f in YES_NO_ACTOR]
                actor_rows.append(
                    [
                        category,
                        actor_name,
                        *conduct,
                        str(len(actor_rows) + 1),
                        main_name,
                        str(index),
                        str(1000 + index),
                        uuid,
                        submitted,
                    ]
                )
        repeat = workbook.add_worksheet(ACTOR_GROUP[:EXCEL_SHEET_LIMIT])
        repeat.write_row(0, 0, repeat_header)
        for r, cells in enumerate(actor_rows, start=1):
            for c, cell in enumerate(cells):
                numeric = repeat_header[c] in ("_index", "_parent_index", "_submission__id")
                if numeric:
                    repeat.write_number(r, c, float(cell))
                else:
                    repeat.write_string(r, c, cell)
    return out


if __name__ == "__main__":
    print(main())
