"""Self-contained HTML rendering of a report Document: inline CSS with print rules, no network.

Every value that comes from an input file goes through `html.escape` (`_e`), so a site named
`<script>...</script>` is shown as text, never run.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from minesite.render.document import ORDER, Document, FindingLine, SiteSection
from minesite.render.dossier import SiteMaps
from minesite.render.html_dossier import CSS as DOSSIER_CSS
from minesite.render.html_dossier import (
    batch_map_html,
    digests_html,
    photos_html,
    signatures_html,
    site_map_html,
)
from minesite.render.i18n import text
from minesite.render.palette import FILL as COLOURS
from minesite.render.palette import INK, TEXT

CSS = """
:root { --rule: #bbb; --grey: #555; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; font-size: 10pt;
       color: #111; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; line-height: 1.35; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.1rem 0 .3rem; }
h3 { font-size: 1rem; margin: .9rem 0 .2rem; }
table { border-collapse: collapse; width: 100%; margin: .2rem 0; }
th, td { text-align: left; vertical-align: top; padding: .15rem .3rem;
         border-bottom: 1px solid var(--rule); }
th { background: #eee; }
td.n, th.n { text-align: right; }
.grey, .cell { color: var(--grey); font-size: .85em; }
.mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .8em;
        overflow-wrap: anywhere; }
.badge { display: inline-block; font-weight: bold; padding: .3rem 1rem; border-radius: 3px;
         text-transform: uppercase; letter-spacing: .03em; }
.badges { display: flex; gap: .5rem; margin: .6rem 0; }
.badges .badge { flex: 1; text-align: center; font-size: 1.1rem; }
.site header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
.site header h2 { font-size: 1.5rem; margin: 0; overflow-wrap: anywhere; }
.site header .badge { font-size: 1.2rem; min-width: 9rem; text-align: center; }
.identity { display: grid; grid-template-columns: 9rem 1fr 9rem 1fr; margin-top: .5rem; }
.identity > div { border-bottom: 1px solid var(--rule); padding: .15rem .3rem;
                  overflow-wrap: anywhere; min-width: 0; }
.identity .k { color: var(--grey); font-size: .85em; }
.bar { display: flex; height: .9rem; min-width: 1px; }
.bar span { display: block; height: 100%; }
.chart td { border: 0; padding: .1rem .3rem; }
.chart td.label { width: 16rem; text-align: right; font-size: .85em; }
.legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .2rem 0 .8rem;
               vertical-align: middle; }
.signatures { break-inside: avoid; page-break-inside: avoid; }
.signatures h3 { break-after: avoid; page-break-after: avoid; }
.signatures th { background: none; color: var(--grey); font-size: .85em; border-bottom: 0; }
.signatures table { table-layout: fixed; border-collapse: separate; border-spacing: .7rem 0; }
.signatures th:first-child { width: 22%; }
.signatures td { height: 2.2rem; vertical-align: bottom; border-bottom: 0; padding: 0; }
.signatures td.line { border-bottom: 1px solid #333; }
.digests td.mono { font-size: .75em; }
.findings td:first-child, .history td:first-child { white-space: nowrap; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  .site { break-before: page; page-break-before: always; }
  tr, .signatures, .site header { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .badge, .bar span, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _badge(status: str, word: str) -> str:
    return (
        f'<span class="badge status-{status}" style="background:{COLOURS[status]};'
        f'color:{INK[status]}">{_e(word)}</span>'
    )


def render_html(document: Document, *, titles=None, front: bool = True, progress=None) -> str:  # noqa: ANN001
    """The whole report as one HTML page (opens offline, prints one site per page): the front
    page unless `front` is False, then each site; `titles` (cadastre.Titles) are drawn on the
    site maps; `progress(n)` is told as each site is written."""
    maps = SiteMaps(document, titles, widen=1.12)  # DejaVu Sans / Verdana: wider than Helvetica
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(document.lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>minesite — {_e(document.title)}</title>",
        f"<style>{CSS}{DOSSIER_CSS}</style></head><body>",
    ]
    if front:
        parts.append(_front(document, maps))
    for i, section in enumerate(document.sites):
        parts.append(_site(document, section, maps, first=not front and i == 0))
        if progress is not None:
            progress(1)
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(document: Document, path: Path | str, *, titles=None, **options) -> None:  # noqa: ANN001
    """Render and write UTF-8 HTML to `path`; `options` as render_html's."""
    with open(os.fspath(path), "w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_html(document, titles=titles, **options))


def _front(doc: Document, maps: SiteMaps) -> str:
    w = doc.words
    out = [
        '<section class="front">',
        f"<h1>{_e(doc.title)}</h1>",
        f"<p>{_e(w('as_of'))} {_e(doc.as_of)} · {_e(w('profile'))} {_e(doc.profile)} · "
        f"{_e(w('sites_total'))} {sum(doc.totals.values())}</p>",
        f'<p class="grey">{_e(doc.selection)} · '
        f"{_e(text('dossier.generated', doc.lang, date=doc.generated))}</p>",
        '<div class="badges">'
        + "".join(_badge(s, f"{doc.colours[s]} {doc.totals[s]}") for s in ORDER)
        + "</div>",
        f"<h2>{_e(w('scope'))}</h2>",
        f"<table><thead><tr><th>{_e(w('files'))}</th><th>{_e(w('dialect'))}</th>"
        f'<th class="n">{_e(w("rows"))}</th><th>SHA-256</th></tr></thead><tbody>',
    ]
    for f in doc.files:
        sheet = f' [{w("sheet")} "{f["sheet"]}"]' if f["sheet"] else ""
        out.append(
            f"<tr><td>{_e(str(f['file']) + sheet)}</td><td>{_e(f['dialect'])}</td>"
            f'<td class="n">{_e(f["rows"])}</td><td class="mono">{_e(f["sha256"])}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(
        f"<table><thead><tr><th>{_e(w('checklists'))}</th><th>{_e(w('version'))}</th><th></th>"
        "</tr></thead><tbody>"
    )
    out.extend(
        f"<tr><td>{_e(c['id'])}</td><td>{_e(c['version'])}</td><td>{_e(c['title'])}</td></tr>"
        for c in doc.checklists
    )
    out.append("</tbody></table>")
    no_colour = text("ui.list-sep", doc.lang).join(f"{v} × {k}" for k, v in doc.no_colour.items())
    sep = text("position.sep", doc.lang)  # "Profil : icglr" in French
    out.append(
        f'<p class="grey">{_e(w("profile"))}{sep}{_e(doc.profile)} · {_e(w("rows_read"))}{sep}'
        f"{doc.rows_read} · {_e(w('visits_coloured'))}{sep}{doc.visits_coloured} · "
        f"{_e(w('no_colour'))}{sep}{sum(doc.no_colour.values())}"
        + (f" ({_e(no_colour)})" if no_colour else "")
        + "</p>"
    )
    out.append(f"<h2>{_e(w('by_area'))}</h2>")
    head = "".join(
        f'<th class="n" style="color:{TEXT[s]}">{_e(doc.colours[s])}</th>' for s in ORDER
    )
    out.append(
        f"<table><thead><tr><th>{_e(w('province'))}</th><th>{_e(w('territoire'))}</th>{head}"
        f'<th class="n">{_e(w("total"))}</th></tr></thead><tbody>'
    )
    for a in doc.areas:
        cells = "".join(f'<td class="n">{a.counts[s] or ""}</td>' for s in ORDER)
        out.append(
            f"<tr><td>{_e(a.province)}</td><td>{_e(a.territoire)}</td>{cells}"
            f'<td class="n">{a.total}</td></tr>'
        )
    totals = "".join(f'<td class="n">{doc.totals[s]}</td>' for s in ORDER)
    out.append(
        f"<tr><th></th><th>{_e(w('total'))}</th>{totals}"
        f'<td class="n">{sum(doc.totals.values())}</td></tr></tbody></table>'
    )
    out.append(_chart(doc))
    out.append(batch_map_html(maps))
    out.append(f"<h2>{_e(w('red_sites'))} ({len(doc.red_sites)})</h2>")
    if not doc.red_sites:
        out.append(f"<p>{_e(w('no_red_sites'))}</p>")
    else:
        out.append(
            f"<table><thead><tr><th>{_e(w('site_id'))}</th><th>{_e(w('name'))}</th>"
            f"<th>{_e(w('province'))} / {_e(w('territoire'))}</th><th>{_e(w('reason'))}</th>"
            "</tr></thead><tbody>"
        )
        for s in doc.red_sites:
            ids = " ".join(f.criterion for f in s.failed)
            why = f"{s.reason} — {ids}" if ids else s.reason
            out.append(
                f'<tr><td><a href="#site-{_e(s.site_id)}">{_e(s.site_id)}</a></td>'
                f"<td>{_e(s.name)}</td><td>{_e(s.province)} / {_e(s.territoire)}</td>"
                f"<td>{_e(why)}</td></tr>"
            )
        out.append("</tbody></table>")
    if doc.not_assessed:
        out.append(
            f"<h2>{_e(w('not_assessed_criteria'))}</h2><table><thead><tr>"
            f"<th>{_e(w('criterion'))}</th><th></th><th>{_e(w('severity'))}</th>"
            f'<th class="n">{_e(w("sites_total"))}</th></tr></thead><tbody>'
        )
        out.extend(
            f"<tr><td>{_e(c.criterion)}</td><td>{_e(c.title)}</td>"
            f'<td>{_e(doc.colours.get(c.severity, c.severity))}</td><td class="n">{c.sites}</td>'
            "</tr>"
            for c in doc.not_assessed
        )
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _chart(doc: Document) -> str:
    """CSS bars: one stacked bar per area (the 15 with the most sites)."""
    areas = sorted(doc.areas, key=lambda a: -a.total)[:15]
    if not areas:
        return ""
    top = max(a.total for a in areas)
    rows = []
    for a in areas:
        spans = "".join(
            f'<span style="width:{100 * a.counts[s] / top:.2f}%;background:{COLOURS[s]}" '
            f'title="{_e(doc.colours[s])} {a.counts[s]}"></span>'
            for s in ORDER
            if a.counts[s]
        )
        rows.append(
            f'<tr><td class="label">{_e(a.province)} / {_e(a.territoire)}</td>'
            f'<td><div class="bar">{spans}</div></td><td class="n">{a.total}</td></tr>'
        )
    legend = "".join(
        f'<span style="background:{COLOURS[s]}"></span>{_e(doc.colours[s])}' for s in ORDER
    )
    note = (
        f'<p class="grey">{_e(text("ui.chart_top", doc.lang, n=15))}</p>'
        if len(doc.areas) > 15
        else ""
    )
    return (
        f'<table class="chart" role="img" aria-label="{_e(doc.words("by_area"))}">'
        + "".join(rows)
        + f'</table><p class="legend grey">{legend}</p>{note}'
    )


def _findings(doc: Document, lines: list[FindingLine]) -> str:
    w = doc.words
    if not lines:
        return ""
    rows = "".join(
        f"<tr><td><b>{_e(f.criterion)}</b></td><td>{_e(f.title)}</td><td>{_e(f.answer)}</td>"
        f'<td class="cell">{_e(f.cell)}</td></tr>'
        for f in lines
    )
    return (
        f'<table class="findings"><thead><tr><th>{_e(w("criterion"))}</th><th></th>'
        f"<th>{_e(w('answer').capitalize())}</th><th>{_e(w('evidence'))}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _site(doc: Document, s: SiteSection, maps: SiteMaps, *, first: bool = False) -> str:
    w = doc.words
    where, standing = s.identity(w)
    pairs = where + [p for p in standing if p[0] != w("published") or s.published]
    identity = "".join(f'<div class="k">{_e(k)}</div><div>{_e(v)}</div>' for k, v in pairs)
    # A site file of --split starts with its site: no blank page before it when printed.
    first_style = ' style="break-before: auto; page-break-before: auto"' if first else ""
    out = [
        f'<section class="site" id="site-{_e(s.site_id)}"{first_style}>',
        f"<header><h2>{_e(s.name or s.site_id)}</h2>{_badge(s.status, s.colour)}</header>",
        f'<div class="identity">{identity}</div>',
        site_map_html(maps, s),
        f'<p class="grey">{_e(s.evidence_of)}</p>' if s.evidence_of else "",
        f"<h3>{_e(w('failed'))}</h3>",
        _findings(doc, s.failed) or f"<p>{_e(w('no_failed'))}</p>",
        f"<h3>{_e(w('dossier.passed.title'))}</h3>",
        _findings(doc, s.passed) or f"<p>{_e(w('dossier.passed.none'))}</p>",
        f"<h3>{_e(w('unknown_criteria'))}</h3>",
        _findings(doc, s.unknown) or f"<p>{_e(w('none'))}</p>",
        f"<h3>{_e(w('not_assessed_criteria'))}</h3>",
    ]
    if s.not_assessed:
        out.append(f"<p>{_e(', '.join(f.criterion for f in s.not_assessed))}</p>")
    else:
        out.append(f"<p>{_e(w('none'))}</p>")
    out.append(
        f'<h3>{_e(w("history"))}</h3><table class="history"><thead><tr><th>{_e(w("date"))}</th>'
        f"<th>{_e(w('visit'))}</th><th>{_e(w('file_row'))}</th><th>{_e(w('colour'))}</th>"
        f"<th>{_e(w('dossier.history.detail'))}</th></tr></thead><tbody>"
    )
    for h in s.history:
        style = f' style="color:{TEXT[h.status]};font-weight:bold"' if h.status else ""
        out.append(
            f"<tr><td>{_e(h.date)}</td><td>{_e(h.visit_id)}</td><td>{_e(h.file)}:{h.row}</td>"
            f"<td{style}>{_e(h.colour)}</td><td>{_e(h.detail)}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(f"<h3>{_e(w('conflicts'))}</h3>")
    if s.conflicts:
        out.append("<ul>" + "".join(f"<li>{_e(c)}</li>" for c in s.conflicts) + "</ul>")
    else:
        out.append(f"<p>{_e(w('no_conflict'))}</p>")
    out.append(photos_html(doc, s))
    out.append(digests_html(doc, s))
    out.append(signatures_html(doc, s))
    out.append("</section>")
    return "\n".join(out)
