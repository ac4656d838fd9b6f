"""The summary part of the view model: counts in and out, files, checklists, scope, notes,
criteria not asked and answers outside the vocabularies."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from minesite.inputs import dialects
from minesite.render import words
from minesite.render.i18n import text

if TYPE_CHECKING:
    from minesite.render.view import View


def summary(view: View) -> dict[str, Any]:
    """Counts in and out, statuses, files, checklists, scope, notes, what was not assessed."""
    result, lang = view.result, view.lang
    counts = result.counts()
    no_colour = result.no_colour()
    notes = list(result.notes)
    not_asked = result.not_asked()
    return {
        "rows_read": len(result.visits),
        "visits_coloured": sum(counts.values()),
        "rows_without_colour": [
            {"reason": k, "count": v, "text": text(k, lang)} for k, v in no_colour.items()
        ],
        "counts": counts,
        "sites": result.site_counts(),
        "conflicts": int((result.conflicts["kind"] == "conflict").sum())
        if len(result.conflicts)
        else 0,
        "unverifiable": int((result.conflicts["kind"] == "unverifiable").sum())
        if len(result.conflicts)
        else 0,
        "profile": result.profile,
        "scope": scope(view),
        "as_of": None if result.history else result.as_of.isoformat(),
        "history": result.history,
        "site": result.site,
        "checklists": [{"id": c.id, "version": c.version} for c in result.checklists],
        "files": [
            {
                "file": s.path.name,
                "sheet": s.sheet,
                "dialect": s.dialect,
                "dialect_text": dialects.words(s.dialect_parts, lang) or s.dialect,
                "sha256": s.sha256,
                "rows": s.rows,
            }
            for s in result.inspection.sources
        ],
        "not_assessed": [
            {
                "criterion": c.id,
                "title": c.title_in(lang),
                "columns": _columns_of(c),
                "files": not_asked[c.id],
            }
            for c in result.criteria
            if c.id in not_asked and c.severity.value != "info"
        ],
        "notes": [
            {
                "code": n.code,
                "params": n.params,
                "position": None if n.position is None else asdict(n.position),
                "text": words.note(n.code, n.params, lang, n.position),
            }
            for n in notes
        ],
        "unrecognised_answers": unrecognised(view),
    }


def scope(view: View) -> dict[str, Any]:
    """Criteria scored out of those in the checklists, and the ones the profile left out."""
    from minesite.checklists.profiles import scope_of

    scored, total, excluded = scope_of(view.result.checklists)
    return {"scored": scored, "total": total, "excluded": list(excluded)}


def unrecognised(view: View) -> list[dict[str, Any]]:
    """Each raw answer outside the vocabularies, with its cell (of the rows shown)."""
    verdicts = view.result.verdicts
    shown = set(view.result.positions().tolist())
    cells = []
    for item in verdicts.unrecognised.itertuples(index=False):
        if int(item.visit) not in shown:
            continue
        if int(item.actor) >= 0:
            source, row, header = verdicts.inspection.actor_cell(int(item.actor), item.column)
        else:
            source, row, header = verdicts.inspection.cell(int(item.visit), item.column)
        cells.append(
            {
                "criterion": item.criterion,
                "answer": item.raw,
                "file": source.path.name,
                "sheet": source.sheet,
                "row": row,
                "column": header,
            }
        )
    return cells


def _columns_of(criterion: Any) -> list[str]:
    if criterion.rule == "any_actor":
        return [criterion.params["presence"], *criterion.params.get("flags", [])]
    return list(criterion.columns)
