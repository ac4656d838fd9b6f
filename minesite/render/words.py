"""Codes and their parameters in words: the reasons, evidence, conflicts and notes every
renderer shows, so the terminal, JSON, HTML and PDF say the same thing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from minesite.errors import Position
from minesite.render.i18n import catalog, position_words, text


def cell(file: Any, sheet: Any, row: Any, column: Any, lang: str) -> str:
    """A source cell in words: 'visits.xlsx, sheet "data", row 14, column childunder15'."""
    row = None if row is None or (isinstance(row, float) and np.isnan(row)) else int(row)
    return position_words(
        Position(file=str(file), sheet=sheet or None, row=row, column=column or None), lang
    )


def conduct(flags: Any, lang: str) -> str:
    """Conduct flags (codes joined by spaces, or a sequence) in words, joined by commas."""
    names = flags.split() if isinstance(flags, str) else list(flags)
    return ", ".join(_word("conduct", f, lang) for f in names)


def _word(prefix: str, code: str, lang: str) -> str:
    key = f"{prefix}.{code}"
    return text(key, lang) if key in catalog() else code


def actor(name: str, category: str, flags: Any, lang: str) -> str:
    """'Raïa Mutomboki (Groupe armé local): taxes miners' from an actor's evidence."""
    who = name or category
    if name and category:
        who = text("evidence.actor", lang, name=name, category=category)
    said = conduct(flags, lang)
    return text("evidence.conduct", lang, actor=who, conduct=said) if said else who


def evidence(finding: Mapping[str, Any], lang: str) -> str:
    """What a finding rests on: the actor and its conduct, or the answer as written."""
    if finding.get("actor_name") or finding.get("actor_category"):
        return actor(
            finding.get("actor_name", ""),
            finding.get("actor_category", ""),
            finding.get("actor_conduct", ""),
            lang,
        )
    answer = finding.get("answer") or ""
    return text("evidence.answer", lang, answer=answer) if answer else text("evidence.blank", lang)


def brief(finding: Mapping[str, Any], title: str, lang: str) -> str:
    """One failed criterion in a few words: 'SEC-01 Raïa Mutomboki (...): taxes miners'."""
    if finding.get("actor_name") or finding.get("actor_category"):
        return f"{finding['criterion']} {evidence(finding, lang)}"
    return f"{finding['criterion']} {title}"


def ids_or_none(ids: str, lang: str) -> str:
    """Criterion ids for a sentence, or 'none'."""
    return ", ".join(ids.split()) or text("evidence.no-criteria", lang)


def _missing(visit: Mapping[str, Any]) -> str:
    """The criteria a visit lacks: its unknown answers (blank, no data) first; only when none,
    the criteria its form does not ask (reported once per file elsewhere)."""
    return str(visit.get("unknown") or "").strip() or str(visit.get("not_assessed") or "").strip()


def visit_reason(visit: Mapping[str, Any], lang: str) -> str:
    """A visit's reason code in words (rows without a colour included)."""
    missing = _missing(visit)
    return text(
        visit["reason"],
        lang,
        missing=ids_or_none(missing, lang),
        could_be=visit.get("could_be") or "",
    )


def could_be(visit: Mapping[str, Any], lang: str) -> str:
    """'could be red: CHL-01 not recorded' for a visit with unknowns, else ''."""
    missing = _missing(visit)
    if not missing or not visit.get("could_be"):
        return ""
    return text(
        "evidence.could-be", lang, status=visit["could_be"], criteria=", ".join(missing.split())
    )


def site_reason(
    site: Mapping[str, Any],
    briefs: Mapping[tuple[int, str], str],
    lang: str,
    *,
    blue_years: int = 3,
) -> str:
    """A site's reason in words: 'red: SEC-01 Raïa Mutomboki (armed group): taxes miners'."""
    reason = site["reason"]
    criteria = str(site.get("criteria") or "")
    since = int(site.get("_since", -1))
    source = since if since >= 0 else int(site.get("_position", -1))
    findings = text("ui.list-sep", lang).join(briefs.get((source, c), c) for c in criteria.split())
    findings = findings or ids_or_none(criteria, lang)
    if reason == "site.latest-visit" and site["status"] == "green":
        reason = "site.latest-visit-green"
    return text(reason, lang, **site_params(reason, site, findings, criteria, lang, blue_years))


def site_params(
    reason: str,
    site: Mapping[str, Any],
    findings: str,
    criteria: str,
    lang: str,
    blue_years: int,
) -> dict[str, Any]:
    """The parameters of one site reason code, taken from the site's columns (or placeholders,
    see render/site_reasons)."""
    if reason == "site.latest-visit":
        return {"status": site["status"], "findings": findings}
    if reason in ("site.latest-visit-green", "site.incomplete"):
        return {
            "visit": site.get("decided_by_visit", ""),
            "date": site.get("visit_date", ""),
            "criteria": ids_or_none(criteria, lang),
        }
    if reason == "site.expired":
        return {"date": site.get("valid_until", "")}
    if reason == "site.time-expired":
        return {"years": blue_years, "date": site.get("blue_since", "")}
    if reason == "site.red-held":
        since = {"visit": site.get("since_visit", ""), "date": site.get("since_date", "")}
        return {**since, "findings": findings}
    if reason == "site.escalated":
        return {
            "criteria": ids_or_none(criteria, lang),
            "since": site.get("since_visit", ""),
            "visit": site.get("decided_by_visit", ""),
        }
    if reason == "site.not-visited-insecurity":
        return {"why": site.get("no_visit_reason", "")}
    if reason == "site.armed-group-reported-off-site":
        return {"visit": site.get("off_site_report_visit", ""), "findings": findings}
    if reason == "site.undated-red":
        return {"visit": site.get("since_visit", ""), "findings": findings}
    return {}


def brief_table(findings: pd.DataFrame, titles: Mapping[str, str], lang: str) -> pd.DataFrame:
    """One row per failed finding: `_position`, `criterion` and its `_brief` in words."""
    failed = findings[findings["outcome"] == "fail"]
    keys = ["criterion", "answer", "actor_name", "actor_category", "actor_conduct"]
    # Many visits share a finding's words: each distinct combination is phrased once, found by
    # the codes of its columns (no Python object per finding, no merge on text).
    values, codes = [], []
    combined = np.zeros(len(failed), dtype=np.int64)
    for key in keys:
        column = failed[key]
        coded, distinct = pd.factorize(column)
        # Code -1, a missing cell, stands for the cell as it is (None, NaN...).
        missing = column.iloc[int(np.argmax(coded < 0))] if (coded < 0).any() else np.nan
        values.append(np.array([*distinct, missing], dtype=object))
        codes.append(coded)
        # Factorized again at each step, so the key never outgrows the number of rows.
        combined = pd.factorize(combined * (len(distinct) + 1) + coded + 1)[0]
    _, first = np.unique(combined, return_index=True)  # the codes are 0..m-1, in order
    said = np.array(
        [
            brief(dict(zip(keys, row, strict=True)), titles.get(str(row[0]), ""), lang)
            for row in zip(*(v[c[first]] for v, c in zip(values, codes, strict=True)), strict=True)
        ],
        dtype=object,
    )
    # Python text kept as it is (pandas would copy it into Arrow only to be read back).
    return pd.DataFrame(
        {
            "_position": failed["_position"].to_numpy(dtype=np.int64),
            "criterion": pd.Series(values[0][codes[0]], dtype=object),
            "_brief": pd.Series(said[combined], dtype=object),
        }
    )


def conflict(row: Mapping[str, Any], lang: str) -> str:
    """A conflict or an unverifiable green in words."""
    return text(
        f"conflict.{row['kind']}",
        lang,
        published=row["published"],
        published_date=row["published_date"],
        published_row=row["published_row"],
        visit=row["visit_id"],
        visit_date=row["visit_date"],
        visit_row=row["visit_row"],
        status=row["status"],
        criteria=ids_or_none(str(row["criteria"]), lang),
    )


def note(code: str, params: Mapping[str, Any], lang: str, position: Any = None) -> str:
    """A run note in words, after the cell or file it is about."""
    said = text(code, lang, **params)
    where = position_words(position, lang) if position is not None else ""
    return f"{where}{text('position.sep', lang)}{said}" if where else said
