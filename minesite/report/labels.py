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
    "as_of": {"fr": "au", "en": "as of"},
    "valid_until": {"fr": "valide jusqu'au", "en": "valid until"},
    "next_due": {"fr": "prochaine inspection", "en": "next inspection due"},
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
        r"aggravé : \1 en échec à deux visites sur site consécutives",
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
    return text
