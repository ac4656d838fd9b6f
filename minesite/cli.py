"""Command-line interface: parse options, call minesite.run(), render, write, set the exit code."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich's help formatter alone doubles the start-up time of `minesite --help`.
    rich_markup_mode=None,
    help="Validate artisanal mine-site inspections: red, yellow, incomplete or green, and why.",
)
checklists_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="List, show and check checklists."
)
app.add_typer(checklists_app, name="checklists")
export_app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Export records for other systems."
)
app.add_typer(export_app, name="export")


def _version(value: bool) -> None:
    if value:
        from minesite import __version__

        typer.echo(f"minesite {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Validate artisanal mine-site inspections: red, yellow, incomplete or green, and why."""


class Format(StrEnum):
    """What `validate` prints."""

    TERMINAL = "terminal"
    JSON = "json"


class Lang(StrEnum):
    """Report language."""

    FR = "fr"
    EN = "en"


class StatusSource(StrEnum):
    """Where an ICGLR record's certification status and history come from."""

    COMPUTED = "computed"
    PUBLISHED = "published"


class FailOn(StrEnum):
    """Status from which `score` exits 1 (for pipelines); French words accepted."""

    RED = "red"
    YELLOW = "yellow"
    ROUGE = "rouge"
    JAUNE = "jaune"


Files = Annotated[
    list[Path],
    typer.Argument(
        help="Inspection exports (CSV, XLSX or ODK Central zip).",
        show_default=False,
        metavar="FILE...",
    ),
]
ChecklistOpt = Annotated[
    list[str] | None,
    typer.Option("--checklist", "-c", help="Checklist id or TOML path (repeatable; default: all)."),
]
ProfileOpt = Annotated[
    str, typer.Option(help="Profile: icglr, drc-2012-practice... (minesite checklists list).")
]
LangOpt = Annotated[
    Lang | None,
    typer.Option(case_sensitive=False, help="Report language (default: from the locale)."),
]
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
SiteOpt = Annotated[str | None, typer.Option(help="Only this site id (pcode).", metavar="ID")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Site status as of this date (YYYY-MM-DD; today).", metavar="DATE"
    ),
]
HistoryOpt = Annotated[
    bool, typer.Option(help="Each site's status at its latest visit, without expiry.")
]
ForceOpt = Annotated[bool, typer.Option(help="Replace an existing output file.")]
StrictOpt = Annotated[bool, typer.Option(help="An answer outside the vocabulary is an error.")]


@contextmanager
def _one_line_errors(lang: Lang | None = None) -> Iterator[str]:
    """Bad input ends in one line on stderr and exit code 2, never a traceback."""
    from minesite.errors import MinesiteError
    from minesite.render.i18n import default_lang, text

    language = lang.value if lang else default_lang()
    try:
        yield language
    except MinesiteError as exc:
        typer.echo(f"minesite: {_one_line(exc.render(language))}", err=True)
        raise typer.Exit(2) from None
    except MemoryError:
        typer.echo(f"minesite: {text('error.out-of-memory', language)}", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if os.environ.get("MINESITE_DEBUG"):
            raise
        detail = _one_line(f"{type(exc).__name__}: {exc}")
        typer.echo(f"minesite: {text('error.internal', language, detail=detail)}", err=True)
        raise typer.Exit(2) from None


def _one_line(text: str) -> str:
    """Input text quoted in a message (a header, a zip member name) may hold line breaks or
    control characters (\\n, \\v, U+2028...): escape them so the error stays one line."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _date(value: str | None, option: str = "--as-of") -> dt.date | None:
    from minesite.errors import UsageError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("usage.bad-date", option=option, value=value) from None


def _run(files: list[Path], **options: Any) -> Any:
    from minesite.pipeline import run

    options["as_of"] = _date(options.get("as_of"))
    options["checklists"] = options.pop("checklist", None) or ()
    return run(files, **options)


def _inputs(files: list[Path], checklist: list[str] | None, *options: Path | None) -> list[Path]:
    """Every file the command reads (inputs, checklist and option files): never an output."""
    named = [Path(c) for c in checklist or () if Path(c).exists()]
    return [*files, *named, *(p for p in options if p is not None)]


@app.command()
def validate(
    files: Files,
    site: SiteOpt = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    output_format: Annotated[Format, typer.Option("--format", help="Output format.")] = (
        Format.TERMINAL
    ),
    lang: LangOpt = None,
    strict: StrictOpt = False,
    columns: ColumnsOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    as_of: AsOfOpt = None,
    history: HistoryOpt = False,
) -> None:
    """Score each visit of FILE... and explain every status that is not green, then each
    site's status as of --as-of.

    Exit code 0: every visit shown is green; 1: a visit is red, yellow or incomplete; 2: bad
    input.

    Example: minesite validate sample_inspections/ipis-sample.csv --lang fr
    """
    with _one_line_errors(lang) as language:
        result = _run(
            files,
            site=site,
            checklist=checklist,
            profile=profile,
            strict=strict,
            columns=columns,
            cadastre=cadastre,
            cadastre_config=cadastre_config,
            as_of=as_of,
            history=history,
        )
        if output_format is Format.JSON:
            from minesite.render.json import to_json

            typer.echo(to_json(result, lang=language))
        else:
            from rich.console import Console

            from minesite.render.terminal import render

            render(result, Console(highlight=False), lang=language)
    raise typer.Exit(1 if result.fails("incomplete") else 0)


@app.command()
def score(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.csv|.xlsx|.json|.parquet")],
    as_of: AsOfOpt = None,
    history: HistoryOpt = False,
    site: SiteOpt = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            case_sensitive=False,
            help="Exit 1 if a visit is this status or worse (yellow counts incomplete visits).",
        ),
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
    with _one_line_errors(lang) as language:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from minesite.errors import UsageError
        from minesite.output import check_target, output_set
        from minesite.render.i18n import text
        from minesite.render.tabular import (
            EXPORT_FORMATS,
            export_tables,
            output_paths,
            write_tables,
        )
        from minesite.render.terminal import score_summary
        from minesite.render.view import View

        if output.suffix.lower() not in EXPORT_FORMATS:
            raise UsageError("usage.bad-output", file=str(output), choices=EXPORT_FORMATS)
        names = ["visits", "sites", "findings", "conflicts", "summary"]
        for path in sorted(set(output_paths(output, names).values())):
            check_target(
                path, _inputs(files, checklist, cadastre, cadastre_config, columns), force=force
            )
        err = Console(stderr=True, highlight=False)
        shown = (TextColumn("{task.description}"), SpinnerColumn(), TimeElapsedColumn())
        # A progress display only on a terminal: a log or a pipe gets the summary alone.
        with Progress(*shown, console=err, transient=True, disable=not err.is_terminal) as progress:
            step = progress.add_task(text("progress.reading", language, files=len(files)))

            def tell(code: str, params: dict) -> None:
                progress.update(step, description=text(code, language, **params))

            result = _run(
                files,
                site=site,
                checklist=checklist,
                profile=profile,
                columns=columns,
                cadastre=cadastre,
                cadastre_config=cadastre_config,
                as_of=as_of,
                history=history,
                progress=tell,
            )
            tell("progress.writing", {"file": output.name})
            view = View(result, language)
            tables = export_tables(result, lang=language, view=view)
            with output_set(force=force) as add:  # the files are replaced as one set
                written = write_tables(tables, output, add)
        score_summary(view.summary(), err, written, lang=language)
    threshold = (
        {"rouge": "red", "jaune": "yellow"}.get(fail_on.value, fail_on.value) if fail_on else None
    )
    if threshold is not None and result.fails(threshold):
        raise typer.Exit(1)


@app.command()
def report(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.pdf or OUT.html")],
    site: SiteOpt = None,
    as_of: AsOfOpt = None,
    history: HistoryOpt = False,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    lang: LangOpt = None,
    force: ForceOpt = False,
    columns: ColumnsOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    media: Annotated[
        Path | None,
        typer.Option(
            help="Folder holding the export's photos and attachments (KoboToolbox media "
            "download); an ODK Central zip's own media/ is always read."
        ),
    ] = None,
) -> None:
    """Write a printable report: a front page with counts by status per province and
    territoire, then one section per site (red first) with its status, why, every failed
    criterion, what is missing, its history and a signature block.

    Exit 0 written, 2 bad input.

    Example: minesite report exports/*.xlsx -o summary.pdf --lang fr --as-of 2026-06-30
    """
    with _one_line_errors(lang) as language:
        from minesite.errors import UsageError
        from minesite.output import check_target, write_files
        from minesite.render.document import build_document
        from minesite.render.i18n import text

        kind = output.suffix.lower()
        if kind not in (".pdf", ".html", ".htm"):
            raise UsageError("usage.bad-output", file=str(output), choices=[".pdf", ".html"])
        check_target(
            output, _inputs(files, checklist, cadastre, cadastre_config, columns), force=force
        )
        result = _run(
            files,
            site=site,
            checklist=checklist,
            profile=profile,
            columns=columns,
            cadastre=cadastre,
            cadastre_config=cadastre_config,
            as_of=as_of,
            history=history,
        )
        attachments = _attachments(result, media, language)
        document = build_document(result, lang=language, attachments=attachments)
        titles = result.titles
        if kind == ".pdf":
            from minesite.render.pdf import write_pdf

            write_files([(output, lambda p: write_pdf(document, p, titles=titles))], force=force)
        else:
            from minesite.render.html import write_html

            write_files([(output, lambda p: write_html(document, p, titles=titles))], force=force)
        counts = ", ".join(
            f"{text(f'status.{k}', language)} {v}" for k, v in document.totals.items()
        )
        typer.echo(
            f"{output}: {text('ui.sites_written', language, count=len(document.sites))}, {counts}",
            err=True,
        )


def _attachments(result: Any, media: Path | None, lang: str) -> list:
    """The photos the answers name; each one missing or unreadable is a warning on stderr."""
    from minesite.inputs.media import find_attachments

    found = find_attachments(result.inspection, media)
    for attachment in found:
        if attachment.warning is not None:
            typer.echo(f"minesite: {attachment.warning.render(lang)}", err=True)
    return found


@checklists_app.command("list")
def list_checklists(lang: LangOpt = None) -> None:
    """List the bundled checklists with their versions and profiles."""
    with _one_line_errors(lang) as language:
        from minesite.checklists import bundled_paths, load_checklist
        from minesite.render.i18n import text

        for checklist_id, path in bundled_paths().items():
            checklist = load_checklist(path)
            profiles = ", ".join(sorted(checklist.profiles)) or "-"
            typer.echo(
                text(
                    "ui.checklist-line",
                    language,
                    id=f"{checklist_id:<16}",
                    version=f"{checklist.version:<8}",
                    criteria=f"{len(checklist.criteria):>2}",
                    title=checklist.title.get(language, ""),
                    profiles=profiles,
                )
            )


@checklists_app.command("show")
def show_checklist(checklist_id: str, lang: LangOpt = None) -> None:
    """Show every criterion of a checklist: columns, failing answers, flags, unknowns, basis."""
    with _one_line_errors(lang) as language:
        from minesite.checklists import describe_checklist, load_checklists

        for line in describe_checklist(load_checklists([checklist_id])[0], language):
            typer.echo(line)


@checklists_app.command("check")
def check_checklist(path: Path, lang: LangOpt = None) -> None:
    """Validate a checklist file; exit 2 with the first problem found."""
    with _one_line_errors(lang) as language:
        from minesite.checklists import load_checklist
        from minesite.render.i18n import text

        checklist = load_checklist(path)
        typer.echo(
            text(
                "ui.checklist-ok",
                language,
                file=str(path),
                id=checklist.id,
                version=checklist.version,
                criteria=len(checklist.criteria),
            )
        )


@checklists_app.command("xlsform")
def xlsform(
    out: Annotated[Path, typer.Argument(help="XLSForm to write (.xlsx).", show_default=False)],
    checklist: ChecklistOpt = None,
    force: Annotated[bool, typer.Option(help="Overwrite OUT if it exists.")] = False,
    lang: LangOpt = None,
) -> None:
    """Write an XLSForm (KoboToolbox / ODK) asking every question the checklists read.

    Example: minesite checklists xlsform inspection-form.xlsx -c armed-groups -c child-labor
    """
    with _one_line_errors(lang) as language:
        from minesite.checklists import load_checklists
        from minesite.render.i18n import text
        from minesite.xlsform import build, write

        form = build(load_checklists(checklist or ()))
        write(form, out, force=force)
        questions = sum(r["type"] not in ("begin_repeat", "end_repeat") for r in form.survey)
        typer.echo(
            text(
                "ui.xlsform-written",
                language,
                file=str(out),
                questions=questions,
                choices=len(form.choices),
            )
        )


@export_app.command("icglr")
def export_icglr(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.json (ICGLR records).")],
    site: SiteOpt = None,
    as_of: AsOfOpt = None,
    profile: ProfileOpt = "icglr",
    checklist: ChecklistOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    registry: Annotated[
        Path | None,
        typer.Option(help="CSV site_id,icglr_id[,provisional]; new provisional ids appended."),
    ] = None,
    status_source: Annotated[
        StatusSource,
        typer.Option(help="certificationStatus and MD.10 from minesite's rules or published."),
    ] = StatusSource.COMPUTED,
    partial: Annotated[
        bool, typer.Option(help="Write the valid records and a rejects table beside OUT.")
    ] = False,
    reports: Annotated[
        Path | None,
        typer.Option(help="Folder of site dossiers <site id>.pdf: each is inspectionReport."),
    ] = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
    columns: ColumnsOpt = None,
) -> None:
    """Write ICGLR data-sharing records: one MD.01 mine site per site, with its MD.07
    inspections and MD.10 status history, each validated before anything is written.

    Exit 0 written; 1 written with --partial, some records left out; 2 bad input or a record
    invalid (nothing written).

    Example: minesite export icglr visits.xlsx -o sites.icglr.json --registry icglr-ids.csv
    """
    with _one_line_errors(lang) as language:
        from minesite.errors import UsageError
        from minesite.icglr.export import build_export
        from minesite.icglr.write import rejects_path, write_export
        from minesite.output import check_target

        if output.suffix.lower() != ".json":
            raise UsageError("usage.bad-output", file=str(output), choices=[".json"])
        inputs = _inputs(files, checklist, cadastre, cadastre_config, columns, registry)
        for target in (output, rejects_path(output)):
            check_target(target, inputs, force=force)
        result = _run(
            files,
            site=site,
            checklist=checklist,
            profile=profile,
            columns=columns,
            cadastre=cadastre,
            cadastre_config=cadastre_config,
            as_of=as_of,
        )
        export = build_export(
            result,
            lang=language,
            status_source=status_source.value,
            registry=registry,
            cadastre=cadastre,
            cadastre_config=cadastre_config,
            extra_inputs=tuple(p for p in (columns, cadastre_config) if p is not None),
            reports=reports,
        )
        lines, code = write_export(
            export, output, partial=partial, lang=language, registry=registry
        )
        for line in lines:
            typer.echo(line, err=True)
    raise typer.Exit(code)


def main() -> None:
    """Console entry point: never crash on a console that cannot show every character; option
    errors in one line, in the user's language, exit code 2."""
    # Typer may vendor Click: its usage-error class is found from typer.BadParameter's bases.
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        code = app(standalone_mode=False)
    except usage_error as exc:
        typer.echo(f"minesite: {_one_line(_usage_line(exc, sys.argv[1:]))}", err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_line(exc: Any, argv: list[str]) -> str:
    """A Click usage error in the language the command line asks for (or the locale's)."""
    from minesite.render.i18n import default_lang, text

    lang = default_lang()
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value and value.lower() in ("fr", "en"):
            lang = value.lower()
    param = getattr(exc, "param", None)
    name = "/".join(param.opts) if param is not None and getattr(param, "opts", None) else ""
    name = name or (getattr(exc, "param_hint", None) or "")
    kinds = {c.__name__ for c in type(exc).__mro__}
    if "NoSuchOption" in kinds:
        hint = sorted(exc.possibilities or [])
        return text(
            "usage.no-such-option", lang, option=exc.option_name, hint=hint[0] if hint else ""
        )
    if "MissingParameter" in kinds:
        return text("usage.missing-parameter", lang, name=name or exc.param_type or "")
    if "BadParameter" in kinds:
        value = next(
            (argv[i + 1] for i, a in enumerate(argv[:-1]) if param and a in param.opts), ""
        )
        choices = list(getattr(getattr(param, "type", None), "choices", []) or [])
        if choices:
            return text("usage.bad-choice", lang, name=name, value=value, choices=choices)
        return text("usage.bad-value", lang, name=name, value=value)
    return text("usage.bad-usage", lang, detail=exc.format_message())
