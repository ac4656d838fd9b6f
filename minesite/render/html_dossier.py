"""The map and photo blocks of the HTML report: inline SVG maps, photos as data: URIs (the page
stays one self-contained file), every input text escaped."""

from __future__ import annotations

import base64
from html import escape

from minesite.render.dossier import SiteMaps
from minesite.render.i18n import text
from minesite.render.mapdraw import to_svg

CSS = """
.map { margin: .3rem 0; break-inside: avoid; page-break-inside: avoid; }
.map svg { display: block; width: 100%; max-width: 48rem; height: auto; }
.photos { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
          gap: .6rem; margin: .3rem 0; }
.photos figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
.photos img { display: block; width: 100%; height: auto; max-height: 12rem; object-fit: contain;
              background: #f4f4f4; }
.photos figcaption { font-size: .8em; overflow-wrap: anywhere; }
.photos .missing { display: flex; align-items: center; justify-content: center; height: 6rem;
                   background: #eee; border: 1px solid #c62828; font-weight: bold; }
.photos .warning { color: #c62828; }
h3.keep { break-after: avoid; page-break-after: avoid; }
.photo-block.together { break-inside: avoid; page-break-inside: avoid; }
@media print { .photos { grid-template-columns: repeat(3, 1fr); }
               .map svg { max-width: 150mm; } }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def site_map_html(maps: SiteMaps, section) -> str:  # noqa: ANN001
    """Heading and inline SVG map of one site, or a line saying it has no GPS."""
    lang = maps.document.lang
    title = text("dossier.map.title", lang)
    plan = maps.site(section)
    if plan is None:
        return f"<h3>{_e(title)}</h3><p>{_e(text('dossier.map.no-gps', lang))}</p>"
    svg = to_svg(plan, label=f"{title}: {section.name or section.site_id}")
    return f'<h3 class="keep">{_e(title)}</h3><div class="map">{svg}</div>'


def batch_map_html(maps: SiteMaps) -> str:
    """The front page's map of every located site of the batch ('' when none is)."""
    plan = maps.batch()
    if plan is None:
        return ""
    lang = maps.document.lang
    title = text("dossier.map.batch-title", lang)
    return (
        f'<h2>{_e(title)}</h2><div class="map">{to_svg(plan, label=title)}</div>'
        f'<p class="grey">{_e(text("dossier.map.note", lang))}</p>'
    )


def photos_html(document, section) -> str:  # noqa: ANN001
    """The site's photos, each with its question, file name and SHA-256 ('' when none)."""
    if not section.attachments:
        return ""
    lang = document.lang
    figures = []
    for a in section.attachments:
        if a.picture is not None:
            data = base64.b64encode(a.picture.jpeg).decode("ascii")
            shown = f'<img src="data:image/jpeg;base64,{data}" alt="{_e(a.column)}: {_e(a.name)}">'
        elif a.is_image:
            shown = f'<div class="missing">{_e(text("dossier.photos.missing", lang))}</div>'
        else:
            shown = ""
        lines = [
            f"<b>{_e(a.column)}</b>",
            f"{_e(text('dossier.photos.visit', lang))} {_e(a.visit_label)}",
            f"{_e(text('dossier.photos.file', lang))} {_e(a.name)}",
        ]
        if a.documents:
            lines.append(f"<b>{_e(text('dossier.photos.documents', lang, ids=a.documents))}</b>")
        if a.sha256:
            sha = f'<span class="mono">{_e(a.sha256)}</span>'
            lines.append(f"{_e(text('dossier.photos.sha256', lang))} {sha}")
        if a.picture is None and not a.is_image and a.sha256:
            lines.append(_e(text("dossier.photos.not-image", lang)))
        if a.warning is not None:
            lines.append(f'<span class="warning">{_e(a.warning.render(lang))}</span>')
        figures.append(f"<figure>{shown}<figcaption>{'<br>'.join(lines)}</figcaption></figure>")
    title = text("dossier.photos.title", lang)
    # One row of photos stays with its heading on a printed page; a longer list may break.
    together = " together" if len(figures) <= 3 else ""
    return (
        f'<div class="photo-block{together}"><h3 class="keep">{_e(title)}</h3>'
        f'<div class="photos">{"".join(figures)}</div></div>'
    )


def digests_html(document, section) -> str:  # noqa: ANN001
    """The rules applied and the SHA-256 of the site's input files and attachments."""
    w = document.words
    lists = ", ".join(f"{c['id']} {c['version']}" for c in document.checklists)
    rules = f"{w('checklists')}: {lists} · {w('profile')}: {document.profile} · "
    rules += f"{w('as_of')} {document.as_of}"
    rows = []
    for f in document.files:
        if f["file"] in section.files:
            name = str(f["file"]) + (f' [{w("sheet")} "{f["sheet"]}"]' if f["sheet"] else "")
            rows.append((name, w("dossier.digests.input"), f["sha256"]))
    rows += [
        (a.name, w("dossier.digests.attachment"), a.sha256) for a in section.attachments if a.sha256
    ]
    body = "".join(
        f'<tr><td>{_e(n)}</td><td>{_e(k)}</td><td class="mono">{_e(d)}</td></tr>'
        for n, k, d in rows
    )
    return (
        f'<h3>{_e(w("dossier.digests.title"))}</h3><p class="grey">{_e(rules)}</p>'
        f'<table class="digests"><thead><tr><th>{_e(w("files"))}</th><th></th>'
        f"<th>SHA-256</th></tr></thead><tbody>{body}</tbody></table>"
    )


def signatures_html(document, section) -> str:  # noqa: ANN001
    """The site's signature block, headed by its name and id and kept on one printed page."""
    w = document.words
    name = section.name or section.site_id
    title = text("dossier.signatures.title", document.lang, site=name, id=section.site_id)
    statement = text(
        "dossier.signatures.statement",
        document.lang,
        reference=section.reference,
        status=section.colour,
        as_of=document.as_of,
    )
    keys = ("name", "function", "date", "place", "signature")
    head = "".join(f"<th>{_e(w(f'dossier.signatures.{k}'))}</th>" for k in keys)
    roles = [w("dossier.signatures.team-leader")]
    roles += [text("dossier.signatures.member", document.lang, n=n) for n in (1, 2, 3)]
    roles.append(w("dossier.signatures.official"))
    lines = '<td class="line"></td>' * len(keys)
    rows = "".join(f"<tr><td>{_e(r)}</td>{lines}</tr>" for r in roles)
    return (
        f'<div class="signatures"><h3>{_e(title)}</h3><p class="grey">{_e(statement)}</p>'
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
