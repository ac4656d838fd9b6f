"""Terminal report (rich): summary first, then each visit that is not green and why."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from minesite.findings import Report
from minesite.model import STATUS_WORDS, Outcome
from minesite.render.escape import printable
from minesite.render.labels import label, site_reason, where


def safe(text: object) -> str:
    """Input text for the console: controls made visible (never interpreted), markup escaped."""
    return escape(printable(text))


STYLES = {
    "green": "bold white on green",
    "yellow": "bold black on yellow",
    "red": "bold white on red",
    "blue": "bold white on blue",
}


def badge(status: str, lang: str) -> str:
    """A coloured status word, e.g. ' ROUGE '."""
    return f"[{STYLES[status]}] {STATUS_WORDS[lang][status].upper()} [/]"


def render(
    report: Report,
    console: Console,
    *,
    lang: str = "en",
    site: str | None = None,
    sites: pd.DataFrame | None = None,
) -> None:
    """Print the summary, every non-green visit with its decisive findings and cells, then
    the status and history of each site that has several visits."""
    _summary(report, console, lang)
    visits = report.visits
    selected = visits if site is None else visits[visits["site_id"] == site]
    shown = selected[selected["status"].isin(["red", "yellow"])]
    order = shown.assign(rank=shown["status"].map({"red": 0, "yellow": 1})).sort_values(
        ["rank", "row"], kind="stable"
    )
    if not len(order):
        console.print(f"\n{label('all_green', lang)}")
    for position in order.index:
        _visit(report, console, int(position), lang)
    if sites is not None:
        _sites(report, console, sites, lang, site)


def _sites(
    report: Report, console: Console, sites: pd.DataFrame, lang: str, only: str | None
) -> None:
    visits = report.visits
    counts = visits.loc[visits["site_id"] != "", "site_id"].value_counts()
    several = counts[counts > 1].index
    chosen = sites[sites["site_id"].isin(several)]
    if only is not None:
        chosen = chosen[chosen["site_id"] == only]
    if not len(chosen):
        return
    console.print(
        f"\n[bold]{label('site_history', lang)}[/] ({label('as_of', lang)} "
        f"{chosen['as_of'].iat[0]})"
    )
    for item in chosen.itertuples(index=False):
        dates = []
        if item.valid_until:
            dates.append(f"{label('valid_until', lang)} {item.valid_until}")
        if item.next_inspection_due:
            dates.append(f"{label('next_due', lang)} {item.next_inspection_due}")
        console.print(
            f"\n{badge(item.status, lang)} {safe(item.site_id)} {safe(item.site_name)}: "
            f"{safe(site_reason(item.reason, lang))}"
            + (f" [dim]({'; '.join(dates)})[/]" if dates else "")
        )
        if item.conflict:
            console.print(
                f"  [bold]{label('conflict', lang)}:[/] {safe(site_reason(item.conflict, lang))}"
            )
        history = visits[visits["site_id"] == item.site_id].sort_values(["visit_date", "row"])
        for row in history.itertuples(index=False):
            scored = isinstance(row.status, str)
            colour = STATUS_WORDS[lang][row.status] if scored else "—"
            detail = row.decisive if scored else label(row.reason, lang)
            console.print(
                f"  {safe(row.visit_date or '?')}  {safe(str(row.visit_id))}  {colour}  "
                f"[dim]{safe(detail)}[/]"
            )


def _summary(report: Report, console: Console, lang: str) -> None:
    console.print(f"[bold]{label('title', lang)}[/]")
    for source in report.inspection.sources:
        sheet = f', {label("sheet", lang)} "{safe(source.sheet)}"' if source.sheet else ""
        console.print(
            f"  {label('files', lang)}: {safe(source.path.name)}{sheet}: "
            f"{source.rows} {label('rows', lang)}, "
            f"{label('dialect', lang)} {safe(source.dialect)}, sha256 {source.sha256[:12]}…"
        )
    lists = ", ".join(f"{c.id} {c.version}" for c in report.checklists)
    console.print(
        f"  {label('checklists', lang)}: {lists}; {label('profile', lang)}: {report.profile}"
    )
    counts = report.counts()
    no_colour = report.no_colour()
    console.print(
        f"  {label('rows_read', lang)}: {len(report.visits)}; "
        f"{label('visits_coloured', lang)}: {sum(counts.values())}; "
        f"{label('no_colour', lang)}: {sum(no_colour.values())}"
    )
    for reason, count in no_colour.items():
        console.print(f"    {count} × {safe(label(reason, lang))}")
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column(label("status", lang))
    table.add_column(label("count", lang), justify="right")
    for status in ("red", "yellow", "green"):
        table.add_row(badge(status, lang), str(counts[status]))
    console.print(table)
    missing = report.missing_columns()
    if missing:
        console.print(f"  {label('not_found', lang)}: {safe(', '.join(missing))}")
    cells = report.unrecognised_cells()
    if cells:
        console.print(f"  [bold]{label('unrecognised', lang)}: {len(cells)}[/]")
        for cell in cells[:20]:
            place = safe(where(cell, lang))
            console.print(f'    {place}: "{safe(cell["answer"])}" ({safe(cell["criterion"])})')
        if len(cells) > 20:
            console.print(f"    … {len(cells) - 20} more (--format json lists them all)")


def _visit(report: Report, console: Console, position: int, lang: str) -> None:
    row = report.visits.loc[position]
    status = row["status"]
    identity = " · ".join(
        part
        for part in (
            f"{label('visit', lang)} {row['visit_id']}" if row["visit_id"] else "",
            f"{label('site', lang)} {row['site_id']} {row['site_name']}".strip(),
            row["visit_date"],
            f"{label('row', lang)} {row['row']}",
        )
        if part
    )
    console.print(f"\n{badge(status, lang)} {safe(identity)}  [dim]{label(row['reason'], lang)}[/]")
    findings = report.findings(position, lang=lang, outcomes=(Outcome.FAIL,))
    decisive = set(row["decisive"].split())
    for finding in findings:
        if finding.criterion not in decisive:
            continue
        answer = finding.answer or label("blank", lang)
        place = safe(where(finding.__dict__, lang))
        console.print(
            f"  [bold]{safe(finding.criterion)}[/] {safe(finding.title)}: "
            f'{label("answer", lang)} "{safe(answer)}" [dim]({place})[/]'
        )
    unknown = row["unknown"].split()
    if unknown:
        console.print(f"  [dim]{label('incomplete', lang)}: {' '.join(unknown)}[/]")
