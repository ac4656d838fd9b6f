"""Terminal report (rich): summary first, then each visit that is not green with every failed
criterion and its evidence, what is missing, then each site's status and history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from minesite.render.escape import printable
from minesite.render.i18n import text
from minesite.render.view import View
from minesite.result import Result

STYLES = {
    "green": "bold white on green",
    "yellow": "bold black on yellow",
    "incomplete": "bold white on grey37",
    "red": "bold white on red",
    "blue": "bold white on blue",
}


def safe(value: Any) -> str:
    """Input text for the console: controls made visible (never interpreted), markup escaped."""
    return escape(printable(value))


def said(key: str, lang: str) -> str:
    """A label followed by the language's colon ('Fichiers :' in French, 'Files:' in English)."""
    return text(f"ui.{key}", lang) + text("position.sep", lang).rstrip(" ")


def badge(status: str, lang: str) -> str:
    """A coloured status word, e.g. ' ROUGE '."""
    return f"[{STYLES[status]}] {text(f'status.{status}', lang).upper()} [/]"


def line(console: Console, lead: str, body: str, indent: int = 0) -> None:
    """`lead` then `body` (markup): on a terminal a long body wraps under its own start, not at
    column 0; to a pipe or a file it stays one line (grep finds whole phrases)."""
    if console.soft_wrap:
        console.print(f"{' ' * indent}{lead} {body}")
        return
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text.from_markup(f"{' ' * indent}{lead}"), Text.from_markup(body))
    console.print(grid)


def render(result: Result, console: Console, *, lang: str = "en") -> None:
    """Print the summary, every visit that is not green and why, then the sites."""
    if not console.is_terminal:
        console.soft_wrap = True  # a pipe or a file: no hard wrap at 80 columns
    view = View(result, lang)
    summary = view.summary()
    _summary(view, summary, console)
    shown = view.shown_visits()
    if not shown:
        coloured = summary["visits_coloured"]
        console.print(f"\n{text('ui.all_green' if coloured else 'ui.none_scored', lang)}")
    for position in shown:
        _visit(view.visit(position), console, lang)
    _sites(view, console)
    if len(shown) > 10:
        _counts(summary, console, lang)


def _rows_word(n: int, lang: str) -> str:
    """'1 row', '2 rows'; French keeps the singular below two ('0 ligne', '1 ligne')."""
    single = n < 2 if lang == "fr" else n == 1
    return text("ui.row" if single else "ui.rows", lang)


def _summary(view: View, summary: dict[str, Any], console: Console) -> None:
    lang = view.lang
    console.print(f"[bold]{text('ui.title', lang)}[/]")
    for f in summary["files"]:
        sheet = f", {text('position.sheet', lang, sheet=safe(f['sheet']))}" if f["sheet"] else ""
        console.print(
            f"  {said('files', lang)} {safe(f['file'])}{sheet}{text('position.sep', lang)}"
            f"{f['rows']} {_rows_word(f['rows'], lang)}, "
            f"{text('ui.dialect', lang)} {safe(f['dialect_text'])}, "
            f"sha256 {f['sha256'][:12]}…"
        )
    lists = ", ".join(f"{c['id']} {c['version']}" for c in summary["checklists"])
    scope = summary["scope"]
    scoped = ""
    if scope["excluded"]:
        scoped = f" [bold]({text('profile.scope', lang, n=scope['scored'], m=scope['total'])})[/]"
    console.print(
        f"  {said('checklists', lang)} {lists}{text('ui.list-sep', lang)}{said('profile', lang)} "
        f"{summary['profile']}{scoped}"
    )
    as_of = text("note.history", lang) if summary["history"] else summary["as_of"]
    console.print(f"  {said('as_of', lang)} {as_of}")
    if summary["site"]:
        console.print(f"  [bold]{text('note.site-filter', lang, site=safe(summary['site']))}[/]")
    no_colour = sum(r["count"] for r in summary["rows_without_colour"])
    console.print(
        f"  {said('rows_read', lang)} {summary['rows_read']}{text('ui.list-sep', lang)}"
        f"{said('visits_coloured', lang)} {summary['visits_coloured']}{text('ui.list-sep', lang)}"
        f"{said('no_colour', lang)} {no_colour}"
    )
    for item in summary["rows_without_colour"]:
        console.print(f"    {item['count']} × {safe(item['text'])}")
    _counts(summary, console, lang)
    if summary["not_assessed"]:
        console.print(f"  [bold]{said('not_found', lang)}[/]")
        for item in summary["not_assessed"]:
            files = "" if len(summary["files"]) < 2 else f" — {', '.join(item['files'])}"
            console.print(
                f"    {item['criterion']} {safe(item['title'])} "
                f"[dim]({safe(', '.join(item['columns']))}){safe(files)}[/]"
            )
    for item in summary["notes"]:
        if item["code"] != "profile.scope":  # shown beside the profile
            console.print(f"  [bold]![/] {safe(item['text'])}")
    cells = summary["unrecognised_answers"]
    if cells:
        console.print(f"  [bold]{said('unrecognised', lang)} {len(cells)}[/]")
        for cell in cells[:20]:
            place = view_cell(cell, lang)
            console.print(f'    {place}: "{safe(cell["answer"])}" ({cell["criterion"]})')
        if len(cells) > 20:
            console.print(f"    {text('note.more', lang, count=len(cells) - 20)}")


def view_cell(cell: dict[str, Any], lang: str) -> str:
    """A cell dict in words, escaped."""
    from minesite.render.words import cell as words_cell

    return safe(words_cell(cell["file"], cell["sheet"], cell["row"], cell["column"], lang))


def _counts(summary: dict[str, Any], console: Console, lang: str) -> None:
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column(text("ui.status", lang))
    table.add_column(text("ui.visits", lang), justify="right")
    table.add_column(text("ui.sites_total", lang), justify="right")
    for status in ("red", "yellow", "incomplete", "blue", "green"):
        visits = summary["counts"].get(status)
        sites = summary["sites"].get(status)
        table.add_row(
            badge(status, lang),
            "" if visits is None else str(visits),
            "" if sites is None else str(sites),
        )
    console.print(table)
    if summary["conflicts"] or summary["unverifiable"]:
        console.print(
            f"  {said('conflicts', lang)} {summary['conflicts']}{text('ui.list-sep', lang)}"
            f"{said('unverifiable', lang)} {summary['unverifiable']}"
        )


def _visit(visit: dict[str, Any], console: Console, lang: str) -> None:
    sep = text("position.sep", lang)
    identity = " · ".join(
        part
        for part in (
            f"{text('ui.visit', lang)} {visit['visit_id']}" if visit["visit_id"] else "",
            f"{text('ui.site', lang)} {visit['site_id'] or '?'} {visit['site_name'] or ''}".strip(),
            visit["visit_date"] or text("ui.no_date", lang),
            text("position.row", lang, row=visit["row"]),
        )
        if part
    )
    console.print()
    line(
        console,
        badge(visit["status"], lang),
        f"{safe(identity)}  [dim]{safe(visit['reason_text'])}[/]",
    )
    for finding in visit["failed"]:
        mark = "[bold red]✗[/]" if finding["criterion"] in visit["decisive"] else "[bold]✗[/]"
        line(
            console,
            mark,
            f"[bold]{finding['criterion']}[/] {safe(finding['title'])}{sep}"
            f"{safe(finding['evidence_text'])} [dim]({safe(finding['cell_text'])})[/]",
            indent=2,
        )
    for finding in visit["unknown"]:
        line(
            console,
            "[bold]?[/]",
            f"{finding['criterion']} {safe(finding['title'])}{sep}"
            f"{safe(finding['evidence_text'])} [dim]({safe(finding['cell_text'])})[/]",
            indent=2,
        )
    # An incomplete visit's reason already says what it could be.
    if visit["could_be_text"] and visit["status"] == "yellow":
        console.print(f"  [bold]{safe(visit['could_be_text'])}[/]")


def _sites(view: View, console: Console) -> None:
    lang = view.lang
    sites = view.sites()
    if not sites:
        return
    result = view.result
    as_of = text("note.history", lang) if result.history else result.as_of.isoformat()
    console.print(f"\n[bold]{text('ui.site_status', lang, as_of=as_of)}[/]")
    visits = result.visits
    conflicts = view.conflicts()
    for site in sites:
        dates = []
        if site["valid_until"]:
            dates.append(f"{text('ui.valid_until', lang)} {site['valid_until']}")
        if site["next_inspection_due"]:
            due = f"{text('ui.next_due', lang)} {site['next_inspection_due']}"
            if site["overdue"]:
                due += f" [bold]{text('ui.overdue', lang)}[/]"
            dates.append(due)
        console.print()
        line(
            console,
            badge(site["status"], lang),
            f"{safe(' '.join(filter(None, (site['site_id'], site['site_name']))))}"
            f"{text('position.sep', lang)}"
            f"{safe(site['reason_text'])}" + (f" [dim]({'; '.join(dates)})[/]" if dates else ""),
        )
        for item in conflicts:
            if item["site_id"] == site["site_id"]:
                label = text(f"ui.{item['kind']}", lang)
                console.print(f"  [bold]{label}{text('position.sep', lang)}[/]{safe(item['text'])}")
        rows = visits[visits["site_id"] == site["site_id"]]
        if len(rows) < 2:
            continue
        history = rows.sort_values(["visit_date", "row"])
        for row in history.itertuples(index=False):
            colour = text(f"status.{row.status}", lang) if isinstance(row.status, str) else "—"
            detail = row.failed or (
                text(row.reason, lang) if not isinstance(row.status, str) else ""
            )
            failed = said("failed", lang) if isinstance(row.status, str) else said("reason", lang)
            line(
                console,
                "·",
                f"{said('date', lang)} {safe(row.visit_date or '?')} · "
                f"{said('visit', lang)} {safe(row.visit_id)} · {said('colour', lang)} {colour}"
                + (f" · [dim]{failed} {safe(detail)}[/]" if detail else ""),
                indent=2,
            )


def score_summary(
    summary: dict[str, Any], console: Console, written: list[Any], *, lang: str
) -> None:
    """What `score` did, on stderr: rows in, statuses out, sites, conflicts, files written."""
    number = _number(lang)
    console.print(
        f"{said('rows_read', lang)} {number(summary['rows_read'])}{text('ui.list-sep', lang)}"
        f"{said('visits_coloured', lang)} {number(summary['visits_coloured'])}"
    )
    for item in summary["rows_without_colour"]:
        console.print(f"  {number(item['count'])} × {safe(item['text'])}")
    for key, counts in (
        (text("ui.visits", lang), summary["counts"]),
        (text("ui.sites_total", lang), summary["sites"]),
    ):
        parts = ", ".join(f"{text(f'status.{k}', lang)} {number(v)}" for k, v in counts.items())
        console.print(f"{key}{text('position.sep', lang)}{parts}")
    console.print(
        f"{text('ui.conflicts', lang)}{text('position.sep', lang)}{number(summary['conflicts'])}"
        f"{text('ui.list-sep', lang)}"
        f"{text('ui.unverifiable', lang)}{text('position.sep', lang)}"
        f"{number(summary['unverifiable'])}"
    )
    for item in summary["notes"]:
        console.print(f"! {safe(item['text'])}")
    console.print(
        f"{text('ui.written', lang)}{text('position.sep', lang)}"
        + ", ".join(safe(p) for p in written)
    )


def _number(lang: str):  # noqa: ANN202
    """Thousands grouped the way the language writes them (6 955 in French, 6,955 in English)."""
    if lang == "fr":
        return lambda n: f"{n:,}".replace(",", "\u202f")
    return lambda n: f"{n:,}"


@contextmanager
def progress_steps(console: Console, lang: str) -> Iterator[Callable[[str, dict], None]]:
    """A one-line progress display of the pipeline's steps (catalog codes), on a terminal only:
    a log or a pipe gets nothing, not even the blank line a stopped display leaves."""
    if not console.is_terminal:
        yield lambda code, params: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    shown = (TextColumn("{task.description}"), SpinnerColumn(), TimeElapsedColumn())
    with Progress(*shown, console=console, transient=True) as progress:
        step = progress.add_task("")

        def tell(code: str, params: dict) -> None:
            progress.update(step, description=text(code, lang, **params))

        yield tell
