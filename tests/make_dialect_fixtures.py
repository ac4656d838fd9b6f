"""Build one small fixture per input dialect from ONE set of six made-up visits.

Every file holds the same answers, written the way each tool writes them, so scoring any of them
must give the same verdicts as the canonical XLSX. Run from the repository root:

    python tests/make_dialect_fixtures.py            # tests/data/dialects/
    python tests/make_dialect_fixtures.py --samples  # also sample_inspections/kobo-visits.* etc.
"""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "dialects"

FORM_TITLE = "Inspection des sites miniers artisanaux - Sud-Kivu 2026"
REPEAT = "acteurs_armes_et_forces_de_securite"
EXCEL_SHEET_LIMIT = 31

YES, NO = "yes", "no"

# Actor categories: choice name (Kobo/ODK XML values) -> label (French).
CATEGORIES = {
    "nsag_local": "Groupe armé local",
    "fardc_no_interference": "FARDC - Pas d'ingérence constatée",
    "fardc_undisciplined": "FARDC - Éléments indisciplinés",
}
WOMENWORK = {
    "lavage": "Lavage",
    "vente": "Vente",
    "transport": "Transport des minerais",
    "prostitution": "Prostitution",
    "restauration": "Restauration",
}
TITLES = {"zea": "ZEA", "pe": "PE"}

# (uuid, pcode, site, territoire, ISO date, on site, lat, lon)
VISITS = [
    {
        "uuid": "3f1c2a8e-5b7d-4e21-9a0c-1d2e3f4a5b01",
        "pcode": "demo00001",
        "name": "Kalimba Centre",
        "territoire": "Mwenga",
        "visit_date": "2026-03-10",
        "visit_onsite": YES,
        "latitude": "-3.0417",
        "longitude": "28.4312",
        "presence": NO,
        "actors": [],
        "childunder15": NO,
        "minors_15_17_work": NO,
        "minors_hazardous_work": NO,
        "pregnant_women_work": NO,
        "women": YES,
        "womenwork": ["lavage", "vente"],
        "sexual_violence": NO,
        "title_zone": "zea",
        "title_agreement": "",
        "cooperative_agrement": YES,
        "share_miners_with_card": "100",
        "foreign_miners": NO,
        "heavy_machinery": NO,
        "state_service1": "SAEMAPE",
        "state_service2": "Division des mines",
        "is_3t_mine": YES,
        "traceability": "iTSCi",
    },
    {
        "uuid": "3f1c2a8e-5b7d-4e21-9a0c-1d2e3f4a5b02",
        "pcode": "demo00002",
        "name": "Mabingo",
        "territoire": "Mwenga",
        "visit_date": "2026-03-11",
        "visit_onsite": YES,
        "latitude": "-3.112",
        "longitude": "28.5021",
        "presence": NO,
        "actors": [],
        "childunder15": NO,
        "minors_15_17_work": NO,
        "minors_hazardous_work": NO,
        "pregnant_women_work": NO,
        "women": NO,
        "womenwork": None,  # skipped (relevant: women = yes): blank, never "no"
        "sexual_violence": NO,
        "title_zone": "pe",
        "title_agreement": YES,
        "cooperative_agrement": YES,
        "share_miners_with_card": "100",
        "foreign_miners": NO,
        "heavy_machinery": NO,
        "state_service1": "SAEMAPE",
        "state_service2": "",
        "is_3t_mine": NO,
        "traceability": "",
    },
    {
        "uuid": "3f1c2a8e-5b7d-4e21-9a0c-1d2e3f4a5b03",
        "pcode": "demo00003",
        "name": "Nyamurhale",
        "territoire": "Walungu",
        "visit_date": "2026-03-13",
        "visit_onsite": YES,
        "latitude": "-2.6801",
        "longitude": "28.6633",
        "presence": YES,
        "actors": [
            {"name": "FARDC", "category": "fardc_no_interference", "taxation": NO, "forced": NO}
        ],
        "childunder15": NO,
        "minors_15_17_work": NO,
        "minors_hazardous_work": NO,
        "pregnant_women_work": NO,
        "women": YES,
        "womenwork": ["restauration"],
        "sexual_violence": NO,
        "title_zone": "zea",
        "title_agreement": "",
        "cooperative_agrement": YES,
        "share_miners_with_card": "85.5",
        "foreign_miners": NO,
        "heavy_machinery": NO,
        "state_service1": "SAEMAPE",
        "state_service2": "",
        "is_3t_mine": NO,
        "traceability": "",
    },
    {
        "uuid": "3f1c2a8e-5b7d-4e21-9a0c-1d2e3f4a5b04",
        "pcode": "demo00004",
        "name": "Mukungwe",
        "territoire": "Walungu",
        "visit_date": "2026-03-14",
        "visit_onsite": YES,
        "latitude": "-2.731",
        "longitude": "28.7105",
        "presence": YES,
        "actors": [
            {"name": "Raïa Mutomboki", "category": "nsag_local", "taxation": YES, "forced": NO},
            {"name": "FARDC", "category": "fardc_undisciplined", "taxation": YES, "forced": YES},
        ],
        "childunder15": YES,
        "minors_15_17_work": YES,
        "minors_hazardous_work": YES,
        "pregnant_women_work": NO,
        "women": YES,
        "womenwork": ["transport", "prostitution"],
        "sexual_violence": NO,
        "title_zone": "",
        "title_agreement": "",
        "cooperative_agrement": "",
        "share_miners_with_card": "",
        "foreign_miners": "",
        "heavy_machinery": "",
        "state_service1": "Division des mines",
        "state_service2": "",
        "is_3t_mine": NO,
        "traceability": "",
    },
    {
        "uuid": "3f1c2a8e-5b7d-4e21-9a0c-1d2e3f4a5b05",
        "pcode": "demo00005",
        "name": "Kitagana",
        "territoire": "Mwenga",
        "visit_date": "2026-03-16",
        "visit_onsite": YES,
        "latitude": "-3.2204",
        "longitude": "28.398",
        "presence": NO,
        "actors": [],
        "childunder15": "",
        "minors_15_17_work": NO,
        "minors_hazardous_work": NO,
        "pregnant_women_work": NO,
        "women": NO,
        "womenwork": None,
        "sexual_violence": NO,
        "title_zone": "zea",
        "title_agreement": "",
        "cooperative_agrement": YES,
        "share_miners_with_card": "100",
        "foreign_miners": NO,
        "heavy_machinery": NO,
        "state_service1": "SAEMAPE",
        "state_service2": "",
        "is_3t_mine": NO,
        "traceability": "",
    },
    {
        "uuid": "3f1c2a8e-5b7d-4e21-9a0c-1d2e3f4a5b06",
        "pcode": "demo00006",
        "name": "Lubona",
        "territoire": "Walungu",
        "visit_date": "2026-03-17",
        "visit_onsite": NO,
        "latitude": "-2.6588",
        "longitude": "28.649",
        "presence": "",
        "actors": [],
        "childunder15": "",
        "minors_15_17_work": "",
        "minors_hazardous_work": "",
        "pregnant_women_work": "",
        "women": "",
        "womenwork": None,
        "sexual_violence": "",
        "title_zone": "",
        "title_agreement": "",
        "cooperative_agrement": "",
        "share_miners_with_card": "",
        "foreign_miners": "",
        "heavy_machinery": "",
        "state_service1": "",
        "state_service2": "",
        "is_3t_mine": "",
        "traceability": "",
    },
]
WIDE_SLOTS = 2
TEAM = "Division des Mines; SAEMAPE; CSO Kivu"

# Canonical name, Kobo XML path, Kobo French label path, kind, HXL tag.
FIELDS = [
    ("pcode", "identification/code_site", "Identification/Code du site", "text", "#loc+code"),
    ("name", "identification/nom_site", "Identification/Nom du site", "text", "#loc+name"),
    ("province", "identification/province", "Identification/Province", "text", "#adm1+name"),
    ("territoire", "identification/territoire", "Identification/Territoire", "text", "#adm2"),
    ("visit_date", "visite/date_visite", "Visite/Date de la visite", "date", "#date"),
    ("visit_onsite", "visite/visite_sur_site", "Visite/Visite sur site", "yesno", ""),
    ("gps", "visite/gps", "Visite/Coordonnées GPS", "gps", "#geo"),
    ("team", "visite/equipe", "Visite/Équipe", "text", "#org"),
    ("presence", "securite/presence_armee", "Sécurité/Présence d'acteurs armés", "yesno", ""),
    ("wide", "securite", "Sécurité", "wide", ""),
    (
        "childunder15",
        "enfants/enfants_moins_15",
        "Enfants/Enfants de moins de 15 ans qui travaillent",
        "yesno",
        "#indicator+child",
    ),  # noqa: E501
    (
        "minors_15_17_work",
        "enfants/mineurs_15_17",
        "Enfants/Mineurs de 15 à 17 ans qui travaillent",
        "yesno",
        "",
    ),  # noqa: E501
    (
        "minors_hazardous_work",
        "enfants/mineurs_taches_dangereuses",
        "Enfants/Mineurs dans des tâches dangereuses",
        "yesno",
        "",
    ),  # noqa: E501
    (
        "pregnant_women_work",
        "femmes/femmes_enceintes",
        "Femmes/Femmes enceintes qui travaillent",
        "yesno",
        "",
    ),  # noqa: E501
    ("women", "femmes/femmes_presentes", "Femmes/Femmes présentes sur le site", "yesno", ""),
    ("womenwork", "femmes/activites_femmes", "Femmes/Activités des femmes", "multi", ""),
    (
        "sexual_violence",
        "femmes/violence_sexuelle",
        "Femmes/Violences sexuelles signalées",
        "yesno",
        "",
    ),  # noqa: E501
    # Questions added with HRA-02, HRA-03, WOM-04, SEC-07/08 (every visit answers no).
    (
        "minors_sexual_exploitation",
        "enfants/exploitation_sexuelle_mineurs",
        "Enfants/Mineurs dans la prostitution ou l'exploitation sexuelle",
        "yesno",
        "",
    ),
    (
        "forced_or_bonded_labour",
        "abus/travail_force_servitude",
        "Abus/Travail forcé ou servitude pour dettes",
        "yesno",
        "",
    ),
    (
        "serious_abuses",
        "abus/abus_graves",
        "Abus/Torture, traitements cruels ou autres abus graves",
        "yesno",
        "",
    ),
    (
        "roadblock",
        "securite/barriere",
        "Sécurité/Barrière armée ou taxe sur les accès",
        "yesno",
        "",
    ),
    ("roadblock_actor", "securite/acteur_barriere", "Sécurité/Qui tient la barrière", "text", ""),
    ("title_zone", "legal/type_titre", "Légalité/Type de titre", "title", ""),
    ("title_agreement", "legal/accord_titulaire", "Légalité/Accord du titulaire", "yesno", ""),
    (
        "cooperative_agrement",
        "legal/cooperative_agreee",
        "Légalité/Coopérative agréée",
        "yesno",
        "",
    ),  # noqa: E501
    (
        "share_miners_with_card",
        "legal/pct_cartes",
        "Légalité/Part des creuseurs avec carte (%)",
        "number",
        "",
    ),  # noqa: E501
    ("foreign_miners", "legal/etrangers", "Légalité/Étrangers sur le site", "yesno", ""),
    ("heavy_machinery", "legal/engins_lourds", "Légalité/Engins lourds", "yesno", ""),
    ("state_service1", "legal/service_etat_1", "Légalité/Service de l'État 1", "text", ""),
    ("state_service2", "legal/service_etat_2", "Légalité/Service de l'État 2", "text", ""),
    ("is_3t_mine", "legal/mine_3t", "Légalité/Mine de 3T", "yesno", ""),
    ("traceability", "legal/tracabilite", "Légalité/Système de traçabilité", "text", ""),
]
# French Excel sheet: the headers a coordinator types (French labels of columns.toml).
FRENCH_HEADERS = {
    "vid": "Identifiant de la visite",
    "pcode": "Code du site",
    "name": "Nom du site",
    "province": "Province",
    "territoire": "Territoire",
    "visit_date": "Date de la visite",
    "visit_onsite": "Visite sur site",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "team": "Équipe",
    "presence": "Présence d'acteurs armés",
    "childunder15": "Enfants de moins de 15 ans qui travaillent",
    "minors_15_17_work": "Mineurs de 15 à 17 ans qui travaillent",
    "minors_hazardous_work": "Mineurs dans des tâches dangereuses",
    "pregnant_women_work": "Femmes enceintes qui travaillent",
    "women": "Femmes présentes sur le site",
    "womenwork": "Activités des femmes",
    "sexual_violence": "Violences sexuelles signalées",
    "minors_sexual_exploitation": "Mineurs dans la prostitution ou l'exploitation sexuelle",
    "forced_or_bonded_labour": "Travail forcé ou servitude pour dettes",
    "serious_abuses": "Torture, traitements cruels ou autres abus graves",
    "roadblock": "Barrière armée ou taxe sur les accès",
    "roadblock_actor": "Qui tient la barrière",
    "title_zone": "Type de titre",
    "title_agreement": "Accord du titulaire",
    "cooperative_agrement": "Coopérative agréée",
    "share_miners_with_card": "Part des creuseurs avec carte (%)",
    "foreign_miners": "Étrangers sur le site",
    "heavy_machinery": "Engins lourds",
    "state_service1": "Service de l'État 1",
    "state_service2": "Service de l'État 2",
    "is_3t_mine": "Mine de 3T",
    "traceability": "Système de traçabilité",
}
WIDE_FIELDS = [
    ("armed_group{n}", "Acteur armé {n}", "name"),
    ("type_armed_group{n}", "Type d'acteur armé {n}", "category"),
    ("taxation_armed_group{n}", "Taxation par l'acteur armé {n}", "taxation"),
    ("forced_labour_armed_group{n}", "Travail forcé par l'acteur armé {n}", "forced"),
]
REPEAT_FIELDS = [
    ("nom_acteur", "Nom de l'acteur", "name"),
    ("type_acteur", "Catégorie de l'acteur", "category"),
    ("taxe", "Taxe les creuseurs", "taxation"),
    ("travail_force", "Travail forcé", "forced"),
]


class Style:
    """How one export writes answers: XML choice names or labels, '1'/'0' or 'oui'/'non'."""

    def __init__(self, labels: bool, yes: str, no: str, multi_sep: str = " ") -> None:
        self.labels, self.yes, self.no, self.multi_sep = labels, yes, no, multi_sep

    def yesno(self, value: str) -> str:
        return {YES: self.yes, NO: self.no}.get(value, value)

    def category(self, value: str) -> str:
        return CATEGORIES[value] if self.labels and value else value

    def multi(self, values: list[str] | None) -> str:
        if not values:
            return ""
        return self.multi_sep.join(WOMENWORK[v] if self.labels else v for v in values)

    def title(self, value: str) -> str:
        return TITLES[value] if self.labels and value else value


NO_BY_DEFAULT = (
    "minors_sexual_exploitation",
    "forced_or_bonded_labour",
    "serious_abuses",
    "roadblock",
)

XML = Style(labels=False, yes="oui", no="non")
LABELS = Style(labels=True, yes="Oui", no="Non")
CANONICAL = Style(labels=True, yes="1", no="0", multi_sep=", ")


def value(visit: dict, canonical: str, kind: str, style: Style) -> str:
    raw = {"province": "Sud-Kivu", "team": TEAM}.get(canonical, visit.get(canonical, ""))
    if canonical in NO_BY_DEFAULT:
        raw = visit.get(canonical, NO)
    if kind == "yesno":
        return style.yesno(raw)
    if kind == "multi":
        return style.multi(visit["womenwork"])
    if kind == "title":
        return style.title(raw)
    return raw


def actor_value(actor: dict, key: str, style: Style) -> str:
    if key == "category":
        return style.category(actor[key])
    if key in ("taxation", "forced"):
        return style.yesno(actor[key])
    return actor[key]


# --- canonical XLSX ------------------------------------------------------------------------
def canonical_rows() -> tuple[list[str], list[list[str]]]:
    header = ["vid", *[c for c, *_ in FIELDS if c not in ("gps", "wide")], "latitude", "longitude"]
    wide = [t.format(n=n) for n in range(1, WIDE_SLOTS + 1) for t, _, _ in WIDE_FIELDS]
    header = header[:10] + wide + header[10:]
    rows = []
    for visit in VISITS:
        record = {"vid": visit["uuid"], "latitude": visit["latitude"]}
        record["longitude"] = visit["longitude"]
        for canonical, _, _, kind, _ in FIELDS:
            if canonical not in ("gps", "wide"):
                record[canonical] = value(visit, canonical, kind, CANONICAL)
        for n in range(1, WIDE_SLOTS + 1):
            actor = visit["actors"][n - 1] if n <= len(visit["actors"]) else None
            for template, _, key in WIDE_FIELDS:
                record[template.format(n=n)] = actor_value(actor, key, CANONICAL) if actor else ""
        rows.append([record[h] for h in header])
    return header, rows


def write_canonical_xlsx(path: Path) -> None:
    header, rows = canonical_rows()
    with xlsxwriter.Workbook(path) as workbook:
        sheet = workbook.add_worksheet("visits")
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if header[c] in ("latitude", "longitude") and cell:
                    sheet.write_number(r, c, float(cell))
                else:
                    sheet.write_string(r, c, cell)


# --- KoboToolbox ---------------------------------------------------------------------------
def kobo_table(style: Style, *, legacy: bool = False, wide: bool = True) -> list[list[str]]:
    """Header + rows of a Kobo main table (XML names or labels)."""
    labels = style.labels
    header: list[str] = []
    for _canonical, xml, label, kind, _ in FIELDS:
        path = label if labels else xml
        if kind == "gps":
            header.append(path)
            group, name = path.rsplit("/", 1)
            parts = ("latitude", "longitude", "altitude", "precision")
            header.extend(f"{group}/_{name}_{part}" for part in parts)
        elif kind == "wide":
            if wide:
                for n in range(1, WIDE_SLOTS + 1):
                    for template, label_t, _ in WIDE_FIELDS:
                        text = label_t.format(n=n) if labels else template.format(n=n)
                        header.append(f"{path}/{text}")
        elif kind == "multi":
            header.append(path)
            header.extend(f"{path}/{WOMENWORK[c] if labels else c}" for c in WOMENWORK)
        else:
            header.append(path)
    if not legacy:
        header.append("meta/instanceID")
        header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes"]
        header += ["_status", "_submitted_by", "__version__", "_tags", "_index"]
    else:
        header += ["meta/instanceID", "_id", "_uuid", "_submission_time", "_index"]
        header += ["_parent_table_name", "_parent_index", "_tags", "_notes"]
    rows = []
    for index, visit in enumerate(VISITS, start=1):
        row: list[str] = []
        for canonical, _, _, kind, _ in FIELDS:
            if kind == "gps":
                lat, lon = visit["latitude"], visit["longitude"]
                row += [f"{lat} {lon} 1650 5", lat, lon, "1650", "5"]
            elif kind == "wide":
                if wide:
                    for n in range(1, WIDE_SLOTS + 1):
                        actor = visit["actors"][n - 1] if n <= len(visit["actors"]) else None
                        for _, _, key in WIDE_FIELDS:
                            row.append(actor_value(actor, key, style) if actor else "")
            elif kind == "multi":
                chosen = visit["womenwork"]
                row.append(style.multi(chosen))
                for choice in WOMENWORK:
                    if chosen is None:
                        row.append("False" if legacy else "")  # skipped: no answer at all
                    elif legacy:
                        row.append("True" if choice in chosen else "False")
                    else:
                        row.append("1" if choice in chosen else "0")
            else:
                row.append(value(visit, canonical, kind, style))
        uuid = visit["uuid"]
        submitted = f"{visit['visit_date']}T16:{index:02d}:00"
        if not legacy:
            status = "Approved" if labels else "validation_status_approved"
            row += [f"uuid:{uuid}", str(1000 + index), uuid, submitted, status, ""]
            row += ["submitted_via_web", "enqueteur_sk", "vQ7fk2pGz", "", str(index)]
        else:
            row += [f"uuid:{uuid}", str(1000 + index), uuid, submitted, str(index)]
            row += ["", "-1", "", ""]
        rows.append(row)
    return [header, *rows]


def hxl_row(header: list[str]) -> list[str]:
    tags = {label: tag for _, _, label, _, tag in FIELDS if tag}
    return [tags.get(h, "") for h in header]


def kobo_csv_bytes(table: list[list[str]]) -> bytes:
    """formpack: sep=';', every field quoted, inner quotes doubled; KPI: UTF-8, no BOM, CRLF."""
    lines = [";".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in table]
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def write_kobo_xlsx(path: Path) -> None:
    """Main sheet (form title cut at 31) + repeat sheet (group name cut at 31) of actors."""
    table = kobo_table(XML, wide=False)
    header, rows = table[0], table[1:]
    numeric = {"_id", "_index", "visite/_gps_latitude", "visite/_gps_longitude"}
    numeric |= {"visite/_gps_altitude", "visite/_gps_precision", "legal/pct_cartes"}
    repeat_path = f"securite/{REPEAT}"
    repeat_header = [f"{repeat_path}/{name}" for name, _, _ in REPEAT_FIELDS]
    repeat_header += ["_index", "_parent_table_name", "_parent_index", "_submission__id"]
    repeat_header += ["_submission__uuid", "_submission__submission_time"]
    repeat_header += ["_submission__validation_status", "_submission__notes"]
    repeat_header += ["_submission__status", "_submission__submitted_by"]
    repeat_header += ["_submission___version__", "_submission__tags"]
    main_name = FORM_TITLE[:EXCEL_SHEET_LIMIT]
    with xlsxwriter.Workbook(path) as workbook:
        main = workbook.add_worksheet(main_name)
        main.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if header[c] in numeric and cell:
                    main.write_number(r, c, float(cell))
                else:
                    main.write_string(r, c, cell)
        repeat = workbook.add_worksheet(REPEAT[:EXCEL_SHEET_LIMIT])
        repeat.write_row(0, 0, repeat_header)
        r = 1
        actor_index = 1
        for index, visit in enumerate(VISITS, start=1):
            for actor in visit["actors"]:
                cells = [actor_value(actor, key, XML) for _, _, key in REPEAT_FIELDS]
                repeat.write_row(r, 0, cells)
                repeat.write_number(r, len(cells), actor_index)
                repeat.write_string(r, len(cells) + 1, main_name)
                repeat.write_number(r, len(cells) + 2, index)
                repeat.write_number(r, len(cells) + 3, 1000 + index)
                repeat.write_string(r, len(cells) + 4, visit["uuid"])
                repeat.write_string(r, len(cells) + 5, f"{visit['visit_date']}T16:{index:02d}:00")
                repeat.write_string(r, len(cells) + 6, "validation_status_approved")
                r += 1
                actor_index += 1


# --- ODK Central ---------------------------------------------------------------------------
ODK_FORM = "Inspection sites miniers"


def odk_tables() -> dict[str, list[list[str]]]:
    """Root table and actors repeat table as ODK Central's CSV zip holds them."""
    header = ["SubmissionDate"]
    for _canonical, xml, _, kind, _ in FIELDS:
        path = xml.replace("/", "-")
        if kind == "gps":
            header += [f"{path}-{p}" for p in ("Latitude", "Longitude", "Altitude", "Accuracy")]
        elif kind == "wide":
            continue
        elif kind == "multi":
            header.append(path)
            header += [f"{path}/{c}" for c in WOMENWORK]
        else:
            header.append(path)
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent"]
    header += ["AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    rows = []
    actors = [["nom_acteur", "type_acteur", "taxe", "travail_force", "PARENT_KEY", "KEY"]]
    for index, visit in enumerate(VISITS, start=1):
        key = f"uuid:{visit['uuid']}"
        row = [f"{visit['visit_date']}T16:{index:02d}:00.000Z"]
        for canonical, _, _, kind, _ in FIELDS:
            if kind == "gps":
                row += [visit["latitude"], visit["longitude"], "1650", "5"]
            elif kind == "wide":
                continue
            elif kind == "multi":
                chosen = visit["womenwork"] or []
                row.append(XML.multi(visit["womenwork"]))
                # generateDataFrame pre-fills split columns with 0, answered or not.
                row += ["1" if c in chosen else "0" for c in WOMENWORK]
            else:
                row.append(value(visit, canonical, kind, XML))
        row += [key, key, "7", "enqueteur_sk", "0", "0", "", "approved", "collect:abc", "0", "1"]
        rows.append(row)
        for n, actor in enumerate(visit["actors"], start=1):
            cells = [actor_value(actor, key_, XML) for _, _, key_ in REPEAT_FIELDS]
            actors.append([*cells, key, f"{key}/securite/{REPEAT}[{n}]"])
    return {
        f"{ODK_FORM}.csv": [header, *rows],
        f"{ODK_FORM}-{REPEAT}.csv": actors,
    }


def csv_text(table: list[list[str]], delimiter: str = ",", line: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line).writerows(table)
    return buffer.getvalue()


def write_odk_zip(path: Path, tables: dict[str, list[list[str]]] | None = None) -> None:
    tables = odk_tables() if tables is None else tables
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 3, 18, 9, 0, 0)), csv_text(table))


# --- French Excel --------------------------------------------------------------------------
def french_table() -> list[list[str]]:
    """A coordinator's own sheet saved by French Excel: labels, dd/mm/yyyy, decimal comma."""
    header, rows = canonical_rows()
    wide_names = {
        template.format(n=n): label.format(n=n)
        for n in range(1, WIDE_SLOTS + 1)
        for template, label, _ in WIDE_FIELDS
    }
    names = {**FRENCH_HEADERS, **wide_names}
    out = [[names[h] for h in header]]
    for row in rows:
        record = dict(zip(header, row, strict=True))
        for key in ("latitude", "longitude", "share_miners_with_card"):
            record[key] = record[key].replace(".", ",")
        year, month, day = record["visit_date"].split("-")
        record["visit_date"] = f"{day}/{month}/{year}"
        for key, cell in record.items():
            if key in FRENCH_HEADERS and key not in ("share_miners_with_card",):
                record[key] = {"1": "Oui", "0": "Non"}.get(cell, cell) if len(cell) == 1 else cell
        out.append([record[h] for h in header])
    return out


def french_csv_bytes(bom: bool = False) -> bytes:
    text = csv_text(french_table(), delimiter=";", line="\r\n")
    return (b"\xef\xbb\xbf" + text.encode("utf-8")) if bom else text.encode("cp1252")


# --- all -----------------------------------------------------------------------------------
def build(out: Path = OUT) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "canonical": out / "canonical.xlsx",
        "kobo_csv": out / "kobo.csv",
        "kobo_csv_labels_hxl": out / "kobo-labels-hxl.csv",
        "kobo_xlsx": out / "kobo-repeat.xlsx",
        "kobo_legacy": out / "kobo-legacy.csv",
        "odk_zip": out / "odk.zip",
        "french_cp1252": out / "french-excel.csv",
        "french_bom": out / "french-excel-utf8-bom.csv",
    }
    write_canonical_xlsx(files["canonical"])
    files["kobo_csv"].write_bytes(kobo_csv_bytes(kobo_table(XML)))
    labelled = kobo_table(LABELS)
    files["kobo_csv_labels_hxl"].write_bytes(
        kobo_csv_bytes([labelled[0], hxl_row(labelled[0]), *labelled[1:]])
    )
    write_kobo_xlsx(files["kobo_xlsx"])
    files["kobo_legacy"].write_bytes(
        csv_text(kobo_table(XML, legacy=True), delimiter=",", line="\r\n").encode("utf-8")
    )
    write_odk_zip(files["odk_zip"])
    files["french_cp1252"].write_bytes(french_csv_bytes())
    files["french_bom"].write_bytes(french_csv_bytes(bom=True))
    return files


def build_samples(out: Path = ROOT / "sample_inspections") -> None:
    (out / "kobo-visits.csv").write_bytes(kobo_csv_bytes(kobo_table(XML)))
    write_kobo_xlsx(out / "kobo-visits.xlsx")
    write_odk_zip(out / "odk-visits.zip")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", action="store_true", help="also write sample_inspections/")
    arguments = parser.parse_args()
    for name, path in build().items():
        print(f"{name:<22} {path.relative_to(ROOT)}")
    if arguments.samples:
        build_samples()
        print("sample_inspections/kobo-visits.csv, kobo-visits.xlsx, odk-visits.zip")
