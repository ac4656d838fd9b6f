"""Every word a report shows, in French and English."""

from __future__ import annotations

import locale
import os

LABELS: dict[str, dict[str, str]] = {
    "title": {"fr": "Validation des sites miniers", "en": "Mine-site validation"},
    "rows_read": {"fr": "Lignes lues", "en": "Rows read"},
    "visits_coloured": {"fr": "Visites classées", "en": "Visits coloured"},
    "no_colour": {"fr": "Lignes sans couleur", "en": "Rows without colour"},
    "files": {"fr": "Fichiers", "en": "Files"},
    "dialect": {"fr": "format détecté", "en": "detected as"},
    "checklists": {"fr": "Listes de contrôle", "en": "Checklists"},
    "profile": {"fr": "Profil", "en": "Profile"},
    "not_found": {
        "fr": "Critères non évalués (colonnes absentes)",
        "en": "Criteria not assessed (columns not found)",
    },
    "unrecognised": {"fr": "Réponses non reconnues", "en": "Unrecognised answers"},
    "visit": {"fr": "Visite", "en": "Visit"},
    "site": {"fr": "Site", "en": "Site"},
    "row": {"fr": "ligne", "en": "row"},
    "rows": {"fr": "lignes", "en": "rows"},
    "sheet": {"fr": "feuille", "en": "sheet"},
    "column": {"fr": "colonne", "en": "column"},
    "decisive": {"fr": "Critères décisifs", "en": "Decisive findings"},
    "incomplete": {"fr": "Preuves incomplètes", "en": "Incomplete evidence"},
    "answer": {"fr": "réponse", "en": "answer"},
    "blank": {"fr": "(vide)", "en": "(blank)"},
    "all_green": {"fr": "Toutes les visites sont vertes.", "en": "Every visit is green."},
    "criterion": {"fr": "Critère", "en": "Criterion"},
    "site_history": {
        "fr": "Statut et historique des sites visités plusieurs fois",
        "en": "Status and history of sites with several visits",
    },
    "conflict": {
        "fr": "Conflit avec la qualification publiée",
        "en": "Conflict with the published qualification",
    },
    "status": {"fr": "Statut", "en": "Status"},
    "count": {"fr": "Nombre", "en": "Count"},
    "not-assessed": {"fr": "non évalué", "en": "not assessed"},
    "unknown": {"fr": "inconnu", "en": "unknown"},
    "fail": {"fr": "échec", "en": "fail"},
    "critical criterion failed": {
        "fr": "critère critique non respecté",
        "en": "critical criterion failed",
    },
    "important criterion failed": {
        "fr": "critère important non respecté",
        "en": "important criterion failed",
    },
    "incomplete evidence": {"fr": "preuves incomplètes", "en": "incomplete evidence"},
    "every criterion assessed and passed": {
        "fr": "tous les critères évalués et respectés",
        "en": "every criterion assessed and passed",
    },
    # Printable report (minesite report).
    "report_title": {
        "fr": "Rapport de validation des sites miniers",
        "en": "Mine-site validation report",
    },
    "page": {"fr": "page", "en": "page"},
    "scope": {"fr": "Périmètre", "en": "Scope"},
    "as_of": {"fr": "Statut au", "en": "Status as of"},
    "sha256": {"fr": "SHA-256", "en": "SHA-256"},
    "version": {"fr": "version", "en": "version"},
    "sites_by_colour": {"fr": "Sites par couleur", "en": "Sites by colour"},
    "sites_total": {"fr": "Sites", "en": "Sites"},
    "by_area": {
        "fr": "Sites par province et territoire",
        "en": "Sites by province and territoire",
    },
    "province": {"fr": "Province", "en": "Province"},
    "territoire": {"fr": "Territoire", "en": "Territoire"},
    "total": {"fr": "Total", "en": "Total"},
    "chart_top": {
        "fr": "Graphique : les {n} zones comptant le plus de sites.",
        "en": "Chart: the {n} areas with the most sites.",
    },
    "red_sites": {"fr": "Sites rouges", "en": "Red sites"},
    "no_red_sites": {"fr": "Aucun site rouge.", "en": "No red site."},
    "site_id": {"fr": "Code du site", "en": "Site id"},
    "name": {"fr": "Nom", "en": "Name"},
    "gps": {"fr": "GPS (lat., long.)", "en": "GPS (lat., long.)"},
    "inspection_date": {"fr": "Date d’inspection", "en": "Inspection date"},
    "team": {"fr": "Équipe", "en": "Team"},
    "decided_by": {"fr": "Visite décisive", "en": "Deciding visit"},
    "reason": {"fr": "Motif", "en": "Reason"},
    "valid_until": {"fr": "Valide jusqu’au", "en": "Valid until"},
    "next_due": {"fr": "Prochaine inspection", "en": "Next inspection due"},
    "published": {"fr": "Qualification publiée", "en": "Published qualification"},
    "evidence": {"fr": "Cellule source", "en": "Evidence cell"},
    "no_decisive": {"fr": "Aucun critère décisif.", "en": "No decisive finding."},
    "unknown_criteria": {
        "fr": "Critères inconnus (réponse vide ou non reconnue)",
        "en": "Unknown criteria (blank or unrecognised answer)",
    },
    "not_assessed_criteria": {
        "fr": "Critères non évalués (colonne absente)",
        "en": "Criteria not assessed (no column)",
    },
    "none": {"fr": "Aucun.", "en": "None."},
    "history": {"fr": "Historique des visites", "en": "Visit history"},
    "date": {"fr": "Date", "en": "Date"},
    "file_row": {"fr": "Fichier : ligne", "en": "File: row"},
    "colour": {"fr": "Couleur", "en": "Colour"},
    "conflicts": {
        "fr": "Conflits avec les qualifications publiées",
        "en": "Conflicts with published qualifications",
    },
    "no_conflict": {"fr": "Aucun conflit.", "en": "No conflict."},
    "signatures": {"fr": "Signatures", "en": "Signatures"},
    "team_leader": {"fr": "Chef d’équipe", "en": "Team leader"},
    "member": {"fr": "Membre", "en": "Member"},
    "place": {"fr": "Lieu", "en": "Place"},
    "signature": {"fr": "Signature", "en": "Signature"},
    "name_function": {"fr": "Nom et fonction", "en": "Name and function"},
    "severity": {"fr": "Gravité", "en": "Severity"},
    "generated_by": {"fr": "Produit par minesite", "en": "Produced by minesite"},
    "not inspected on site": {"fr": "pas d’inspection sur site", "en": "not inspected on site"},
    "latest on-site visit": {"fr": "dernière visite sur site", "en": "latest on-site visit"},
    "pass": {"fr": "respecté", "en": "pass"},
    "n/a": {"fr": "sans objet", "en": "n/a"},
    "empty row": {"fr": "ligne vide", "en": "empty row"},
    "published qualification, not a visit: compared, not scored": {
        "fr": "qualification publiée, pas une visite : comparée, non évaluée",
        "en": "published qualification, not a visit: compared, not scored",
    },
    "no on-site visit (visit_onsite = 0): no colour of its own": {
        "fr": "pas de visite sur site (visit_onsite = 0) : pas de couleur propre",
        "en": "no on-site visit (visit_onsite = 0): no colour of its own",
    },
}


def label(key: str, lang: str) -> str:
    """The word for `key` in `lang`; an unlisted key is shown as written."""
    return LABELS.get(key, {}).get(lang, key)


def default_lang() -> str:
    """French when the system locale is French, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    code = (locale.getlocale()[0] or "").lower()
    return "fr" if code.startswith("fr") else "en"


_SITE_REASONS_FR = [
    (r"^latest on-site visit$", "dernière visite sur site"),
    (r"^not inspected on site$", "pas inspecté sur site"),
    (r"^(green|yellow) expired on (.+)$", lambda m: f"{_word(m[1])} expiré le {m[2]}"),
    (r"^blue for more than (\d+) years$", r"bleu depuis plus de \1 ans"),
    (
        r"^red since visit (.+): (.*) not shown to pass since$",
        r"rouge depuis la visite \1 : \2 non levé(s) depuis",
    ),
    (
        r"^escalated: (.+) failed at two consecutive on-site visits$",
        r"aggravé : \1 non respecté(s) à deux visites sur site consécutives",
    ),
    (
        r"^published (\w+) on (\S+) \(row (\d+)\) but visit (.+) of (\S+) "
        r"\(row (\d+)\) is (\w+): (.*)$",
        lambda m: (
            f"publié {_word(m[1])} le {m[2]} (ligne {m[3]}) mais la visite {m[4]} du {m[5]} "
            f"(ligne {m[6]}) est {_word(m[7])} : {m[8]}"
        ),
    ),
]


def _word(status: str) -> str:
    return {"green": "vert", "yellow": "jaune", "red": "rouge", "blue": "bleu"}.get(status, status)


def site_reason(text: str, lang: str) -> str:
    """A site status reason or conflict (built in English by minesite.sites) in `lang`."""
    if lang != "fr":
        return text
    import re

    for pattern, replacement in _SITE_REASONS_FR:
        translated, count = re.subn(pattern, replacement, text)
        if count:
            return translated
    return label(text, lang)


def where(cell: dict[str, object], lang: str) -> str:
    """An evidence cell in words: 'visits.xlsx, sheet "data", row 14, column childunder15'."""
    parts = [str(cell.get("file"))]
    if cell.get("sheet"):
        parts.append(f'{label("sheet", lang)} "{cell["sheet"]}"')
    if cell.get("row") is not None:
        parts.append(f"{label('row', lang)} {cell['row']}")
    if cell.get("column"):
        parts.append(f"{label('column', lang)} {cell['column']}")
    return ", ".join(parts)
