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
    help="Validate artisanal mine-site inspections: green, yellow or red, and why.",
)
checklists_app = typer.Typer(no_args_is_help=True, help="List, show and check checklists.")
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
    list[Path], typer.Argument(help="Inspection exports (CSV or XLSX).", show_default=False)
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
        typer.echo(f"minesite: {exc}", err=True)
        raise typer.Exit(2) from None
    except MemoryError:
        typer.echo("minesite: out of memory: split the input into smaller files", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if os.environ.get("MINESITE_DEBUG"):
            raise
        typer.echo(
            f"minesite: internal error ({type(exc).__name__}: {exc}); rerun with "
            "MINESITE_DEBUG=1 and report it",
            err=True,
        )
        raise typer.Exit(2) from None


def _lang(lang: Lang | None) -> str:
    from minesite.report.labels import default_lang

    return lang.value if lang else default_lang()


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
) -> None:
    """Score each visit of FILE... and explain every colour that is not green.

    Exit code 0: every visit green; 1: a visit is yellow or red; 2: bad input.

    Example: minesite validate sample_inspections/ipis-sample.csv --lang fr
    """
    with _one_line_errors():
        from minesite import load_checklists, read_inspections, score

        checklists = load_checklists(checklist or (), profile=profile)
        inspection = read_inspections(files, columns=columns)
        if cadastre is not None:
            inspection = _with_cadastre(inspection, cadastre, cadastre_config)
        report = score(inspection, checklists, profile=profile, strict=strict)
        language = _lang(lang)
        if output_format is Format.JSON:
            from minesite.report.tabular import to_json

            typer.echo(to_json(report, lang=language, site=site))
        else:
            from rich.console import Console

            from minesite.report.terminal import render

            render(report, Console(highlight=False), lang=language, site=site)
    raise typer.Exit(0 if report.ok else 1)


def _with_cadastre(inspection, cadastre: Path, config: Path | None):  # noqa: ANN001, ANN202
    """Locate every visit in the cadastre; report repaired polygons on stderr."""
    from minesite.cadastre import apply_cadastre, load_titles

    titles = load_titles(cadastre, config)
    for repaired in titles.repaired:
        typer.echo(f"minesite: {cadastre.name}: {repaired}: invalid polygon repaired", err=True)
    return apply_cadastre(inspection, titles)


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
