"""Command-line interface: parse options, call the API, pick a renderer, set the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich's help formatter alone doubles the start-up time of `minesite --help`.
    rich_markup_mode=None,
    help="Validate artisanal mine-site inspections: green, yellow or red, and why.",
)
checklists_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="List, show and check checklists."
)
app.add_typer(checklists_app, name="checklists")


class Format(StrEnum):
    """What `validate` prints."""

    TERMINAL = "terminal"
    JSON = "json"


class Lang(StrEnum):
    """Report language."""

    FR = "fr"
    EN = "en"


Files = Annotated[
    list[Path],
    typer.Argument(help="Inspection exports (CSV, XLSX or ODK Central zip).", show_default=False),
]
ChecklistOpt = Annotated[
    list[str] | None,
    typer.Option("--checklist", "-c", help="Checklist id or TOML path (repeatable; default: all)."),
]
ProfileOpt = Annotated[str, typer.Option(help="Severity profile: icglr or drc-2012-practice.")]
LangOpt = Annotated[Lang | None, typer.Option(help="Report language (default: from the locale).")]
CadastreOpt = Annotated[
    Path | None,
    typer.Option(
        help="Mining-cadastre title polygons (GeoJSON, CRS84): derives title_zone for LEG-01..03."
    ),
]
CadastreConfigOpt = Annotated[
    Path | None,
    typer.Option(help="How to read the cadastre (TOML, same layout as checklists/cadastre.toml)."),
]
ColumnsOpt = Annotated[
    Path | None, typer.Option(help="Extra header mapping (TOML, same layout as columns.toml).")
]


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Bad input ends in one line on stderr and exit code 2, never a traceback."""
    from minesite.errors import MinesiteError

    try:
        yield
    except MinesiteError as exc:
        typer.echo(f"minesite: {_one_line(str(exc))}", err=True)
        raise typer.Exit(2) from None
    except MemoryError:
        typer.echo("minesite: out of memory: split the input into smaller files", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if os.environ.get("MINESITE_DEBUG"):
            raise
        typer.echo(
            f"minesite: internal error ({type(exc).__name__}: {_one_line(str(exc))}); rerun with "
            "MINESITE_DEBUG=1 and report it",
            err=True,
        )
        raise typer.Exit(2) from None


def _one_line(text: str) -> str:
    """Input text quoted in a message (a header, a zip member name) may hold line breaks or
    control characters (\\n, \\v, U+2028...): escape them so the error stays one line."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _lang(lang: Lang | None) -> str:
    from minesite.render.labels import default_lang

    return lang.value if lang else default_lang()


class FailOn(StrEnum):
    """Colour from which `score` exits 1 (for pipelines)."""

    RED = "red"
    YELLOW = "yellow"


def _as_of(value: str | None):
    import datetime as dt

    from minesite.errors import UsageError

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f'--as-of "{value}": expected a date as YYYY-MM-DD') from None


AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Site status as of this date (YYYY-MM-DD; today).")
]
ForceOpt = Annotated[bool, typer.Option(help="Replace an existing output file.")]


@app.command()
def validate(
    files: Files,
    site: Annotated[str | None, typer.Option(help="Show only this site id (pcode).")] = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TERMINAL
    ),
    lang: LangOpt = None,
    strict: Annotated[bool, typer.Option(help="An answer outside the vocabulary is an error.")] = (
        False
    ),
    columns: ColumnsOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Score each visit of FILE... and explain every colour that is not green.

    When a file holds several visits of a site, the site's status as of --as-of and its
    history follow the visits.

    Exit code 0: every visit green; 1: a visit is yellow or red; 2: bad input.

    Example: minesite validate sample_inspections/ipis-sample.csv --lang fr
    """
    with _one_line_errors():
        report = _scored(files, checklist, profile, columns, cadastre, cadastre_config, strict)
        language = _lang(lang)
        sites = None
        known = report.visits.loc[report.visits["site_id"] != "", "site_id"]
        if known.duplicated().any():
            from minesite.sites import site_statuses

            sites = site_statuses(report, _as_of(as_of))
        if output_format is Format.JSON:
            from minesite.render.tabular import to_json

            typer.echo(to_json(report, lang=language, site=site, sites=sites))
        else:
            from rich.console import Console

            from minesite.render.terminal import render

            render(report, Console(highlight=False), lang=language, site=site, sites=sites)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def score(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.csv|.xlsx|.json|.parquet")],
    as_of: AsOfOpt = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    fail_on: Annotated[
        FailOn | None, typer.Option(help="Exit 1 if a visit is this colour or worse.")
    ] = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
    columns: ColumnsOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
) -> None:
    """Score every visit of FILE..., work out each site's status, and write the results.

    Writes visits, sites, findings, conflicts and a summary (XLSX: one sheet each; CSV and
    Parquet: OUT plus OUT.sites, OUT.findings... beside it). Exit 0 written, 2 bad input.

    Example: minesite score exports/*.xlsx -o results.xlsx --as-of 2026-06-30
    """
    with _one_line_errors():
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from minesite.errors import UsageError
        from minesite.output import check_target, output_set
        from minesite.render.tabular import (
            EXPORT_FORMATS,
            export_tables,
            output_paths,
            write_tables,
        )
        from minesite.sites import assess_sites, load_policy

        if output.suffix.lower() not in EXPORT_FORMATS:
            raise UsageError(f"{output}: output must end in {', '.join(EXPORT_FORMATS)}")
        names = ["visits", "sites", "findings", "conflicts", "summary"]
        for path in set(output_paths(output, names).values()):
            check_target(
                path, _read_paths(files, checklist, columns, cadastre, cadastre_config), force=force
            )
        language = _lang(lang)
        day = _as_of(as_of)
        err = Console(stderr=True, highlight=False)
        columns_ = (TextColumn("{task.description}"), SpinnerColumn(), TimeElapsedColumn())
        # A console that is not a terminal gets no progress (rich ends one with a blank line).
        with Progress(
            *columns_, console=err, transient=True, disable=not err.is_terminal
        ) as progress:
            step = progress.add_task(f"reading {len(files)} file(s)", total=None)
            report = _scored(
                files,
                checklist,
                profile,
                columns,
                cadastre,
                cadastre_config,
                progress=lambda text: progress.update(step, description=text),
            )
            progress.update(step, description="site status and conflicts")
            assessment = assess_sites(report, day, load_policy())
            sites, found = assessment.sites, assessment.conflicts
            progress.update(step, description=f"writing {output.name}")
            tables = export_tables(report, sites, found, lang=language)
            with output_set(force=force) as add:  # the files replaced as one set
                written = write_tables(tables, output, add)
        _score_summary(err, report, sites, found, written, language)
    worst = {"red": {"red"}, "yellow": {"red", "yellow"}}
    if fail_on is not None and report.visits["status"].isin(worst[fail_on.value]).any():
        raise typer.Exit(1)


def _read_paths(files, checklist, *options) -> list[Path]:  # noqa: ANN001
    """Every file the command reads (inputs, checklist and option files): never an output."""
    named = [Path(c) for c in checklist or () if Path(c).exists()]
    return [*files, *named, *(p for p in options if p is not None)]


def _score_summary(err, report, sites, found, written, lang: str) -> None:
    from minesite.render.labels import label

    counts = report.counts()
    site_counts = sites["status"].value_counts()
    err.print(
        f"{label('rows_read', lang)}: {len(report.visits):,}; "
        f"{label('visits_coloured', lang)}: {sum(counts.values()):,}"
    )
    for reason, count in report.no_colour().items():
        err.print(f"  {count:,} × {label(reason, lang)}")
    err.print("visits: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    err.print(
        "sites: "
        + ", ".join(
            f"{k} {int(site_counts.get(k, 0)):,}" for k in ("green", "yellow", "red", "blue")
        )
    )
    err.print(f"conflicts with published qualifications: {len(found):,}")
    err.print("written: " + ", ".join(str(p) for p in written))


def _scored(  # noqa: ANN202
    files: list[Path],
    checklist: list[str] | None,
    profile: str,
    columns: Path | None,
    cadastre: Path | None,
    cadastre_config: Path | None,
    strict: bool = False,
    progress=lambda text: None,  # noqa: ANN001
):
    """The pipeline every command shares: checklists, read, locate in the cadastre, score."""
    from minesite import load_checklists, read_inspections, score

    checklists = load_checklists(checklist or (), profile=profile)
    inspection = read_inspections(files, columns=columns, strict=strict)
    if cadastre is not None:
        progress(f"locating visits in {cadastre.name}")
        inspection = _with_cadastre(inspection, cadastre, cadastre_config)
    progress(f"scoring {len(inspection.visits):,} rows")
    return score(inspection, checklists, profile=profile, strict=strict)


def _with_cadastre(inspection, cadastre: Path, config: Path | None):  # noqa: ANN001, ANN202
    """Locate every visit in the cadastre; report repaired polygons on stderr."""
    from minesite.cadastre import apply_cadastre, load_titles

    titles = load_titles(cadastre, config)
    for repaired in titles.repaired:
        typer.echo(f"minesite: {cadastre.name}: {repaired}: invalid polygon repaired", err=True)
    return apply_cadastre(inspection, titles)


@app.command()
def report(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.pdf or OUT.html")],
    site: Annotated[str | None, typer.Option(help="Only this site id (pcode).")] = None,
    as_of: AsOfOpt = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    lang: LangOpt = None,
    force: ForceOpt = False,
    columns: ColumnsOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
) -> None:
    """Write a printable report: a front page with counts by colour per province and
    territoire, then one page per site (red first) with its colour, why, history and a
    signature block.

    Exit 0 written, 2 bad input.

    Example: minesite report exports/*.xlsx -o summary.pdf --lang fr --as-of 2026-06-30
    """
    with _one_line_errors():
        from minesite.errors import UsageError
        from minesite.output import check_target, write_files
        from minesite.render.document import build_document
        from minesite.sites import assess_sites, load_policy

        kind = output.suffix.lower()
        if kind not in (".pdf", ".html", ".htm"):
            raise UsageError(f"{output}: output must end in .pdf or .html")
        check_target(
            output, _read_paths(files, checklist, columns, cadastre, cadastre_config), force=force
        )
        language = _lang(lang)
        day = _as_of(as_of)
        scored = _scored(files, checklist, profile, columns, cadastre, cadastre_config)
        assessment = assess_sites(scored, day, load_policy())
        sites = assessment.sites
        if site is not None and not (sites["site_id"] == site).any():
            raise UsageError(f'--site "{site}": no such site id in the input')
        document = build_document(scored, sites, assessment.conflicts, lang=language, site=site)
        if kind == ".pdf":
            from minesite.render.pdf import write_pdf

            write_files([(output, lambda path: write_pdf(document, path))], force=force)
        else:
            from minesite.render.html import write_html

            write_files([(output, lambda path: write_html(document, path))], force=force)
        typer.echo(
            f"{output}: {len(document.sites)} site(s), "
            + ", ".join(f"{document.colours[k]} {v}" for k, v in document.totals.items()),
            err=True,
        )


@checklists_app.command("list")
def list_checklists(lang: LangOpt = None) -> None:
    """List the bundled checklists with their versions."""
    with _one_line_errors():
        from minesite.checklist import bundled_paths, load_checklist

        language = _lang(lang)
        for checklist_id, path in bundled_paths().items():
            checklist = load_checklist(path)
            profiles = ", ".join(sorted(checklist.profiles)) or "-"
            typer.echo(
                f"{checklist_id:<16} {checklist.version:<8} {len(checklist.criteria):>2} "
                f"criteria  {checklist.title.get(language, '')}  (profiles: {profiles})"
            )


@checklists_app.command("show")
def show_checklist(checklist_id: str, lang: LangOpt = None) -> None:
    """Show every criterion of a checklist: severity, rule, columns and title."""
    with _one_line_errors():
        from minesite.checklist import load_checklists

        language = _lang(lang)
        checklist = load_checklists([checklist_id])[0]
        typer.echo(f"{checklist.id} {checklist.version}: {checklist.title.get(language, '')}")
        typer.echo(f"file: {checklist.path}")
        for criterion in checklist.criteria:
            columns = ", ".join(criterion.columns)
            typer.echo(
                f"  {criterion.id:<7} {criterion.severity.value:<6} {criterion.rule:<12} "
                f"[{columns}] {criterion.title_in(language)}"
            )
        for name, overrides in checklist.profiles.items():
            changes = ", ".join(f"{cid} -> {sev.value}" for cid, sev in overrides.items())
            typer.echo(f"  profile {name}: {changes}")


@checklists_app.command("check")
def check_checklist(path: Path) -> None:
    """Validate a checklist file; exit 2 with the first problem found."""
    with _one_line_errors():
        from minesite.checklist import load_checklist

        checklist = load_checklist(path)
        typer.echo(
            f"{path}: ok, {checklist.id} {checklist.version}, {len(checklist.criteria)} criteria"
        )


@checklists_app.command("xlsform")
def xlsform(
    out: Annotated[Path, typer.Argument(help="XLSForm to write (.xlsx).", show_default=False)],
    checklist: ChecklistOpt = None,
    force: Annotated[bool, typer.Option(help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Write an XLSForm (KoboToolbox / ODK) asking every question the checklists read.

    Example: minesite checklists xlsform inspection-form.xlsx -c armed-groups -c child-labor
    """
    with _one_line_errors():
        from minesite.checklist import load_checklists
        from minesite.xlsform import build, write

        form = build(load_checklists(checklist or ()))
        write(form, out, force=force)
        questions = sum(r["type"] not in ("begin_repeat", "end_repeat") for r in form.survey)
        typer.echo(f"{out}: XLSForm with {questions} questions, {len(form.choices)} choices")


def main() -> None:
    """Console entry point: never crash on a console that cannot show every character."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app()
