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
