"""`minesite validate` and `minesite score`: options -> minesite.run() -> render -> exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from minesite.cli.app import app
from minesite.cli.help import LocalisedCommand
from minesite.cli.options import (
    AsOfOpt,
    CadastreConfigOpt,
    CadastreOpt,
    ChecklistOpt,
    ColumnsOpt,
    DayFirstOpt,
    DelimiterOpt,
    EncodingOpt,
    FailOn,
    Files,
    ForceOpt,
    Format,
    GroupSeparatorOpt,
    HistoryOpt,
    LangOpt,
    ProfileOpt,
    SiteOpt,
    StrictOpt,
    _inputs,
    _one_line_errors,
    _partitioned,
    _run,
    _score_partitioned,
)


@app.command(cls=LocalisedCommand, help="help.command.validate")
def validate(
    files: Files,
    site: SiteOpt = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    output_format: Annotated[
        Format, typer.Option("--format", help="help.option.validate-format")
    ] = Format.TERMINAL,
    lang: LangOpt = None,
    strict: StrictOpt = False,
    columns: ColumnsOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    dayfirst: DayFirstOpt = None,
    group_separator: GroupSeparatorOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    as_of: AsOfOpt = None,
    history: HistoryOpt = False,
) -> None:
    """Validate FILE... in the terminal or as JSON (help: help.command.validate)."""
    with _one_line_errors(lang, files) as language:
        result = _run(
            files,
            site=site,
            checklist=checklist,
            profile=profile,
            strict=strict,
            columns=columns,
            delimiter=delimiter,
            encoding=encoding,
            dayfirst=dayfirst,
            group_separator=group_separator,
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


@app.command(cls=LocalisedCommand, help="help.command.score")
def score(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="help.option.score-output")],
    as_of: AsOfOpt = None,
    history: HistoryOpt = False,
    site: SiteOpt = None,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            case_sensitive=False,
            help="help.option.fail-on",
        ),
    ] = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
    columns: ColumnsOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    dayfirst: DayFirstOpt = None,
    group_separator: GroupSeparatorOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
) -> None:
    """Score FILE... into tables (help: help.command.score)."""
    with _one_line_errors(lang, files) as language:
        from rich.console import Console

        from minesite.errors import UsageError
        from minesite.output import check_target, output_set
        from minesite.render.tabular import (
            EXPORT_FORMATS,
            export_tables,
            output_paths,
            write_tables,
        )
        from minesite.render.terminal import progress_steps, score_summary
        from minesite.render.view import View

        if output.suffix.lower() not in EXPORT_FORMATS:
            raise UsageError("usage.bad-output", file=str(output), choices=EXPORT_FORMATS)
        names = ["visits", "sites", "findings", "conflicts", "summary"]
        for path in sorted(set(output_paths(output, names).values())):
            check_target(
                path, _inputs(files, checklist, cadastre, cadastre_config, columns), force=force
            )
        err = Console(stderr=True, highlight=False)
        options = {
            "site": site,
            "checklist": checklist,
            "profile": profile,
            "columns": columns,
            "delimiter": delimiter,
            "encoding": encoding,
            "dayfirst": dayfirst,
            "group_separator": group_separator,
            "cadastre": cadastre,
            "cadastre_config": cadastre_config,
            "as_of": as_of,
            "history": history,
        }
        with progress_steps(err, language) as tell:
            if _partitioned(output, site):
                view, written = _score_partitioned(
                    files, output, force=force, lang=language, progress=tell, **options
                )
            else:
                result = _run(files, progress=tell, **options)
                tell("progress.writing", {"file": output.name})
                view = View(result, language)
                tables = export_tables(result, lang=language, view=view)
                with output_set(force=force) as add:  # the files are replaced as one set
                    written = write_tables(tables, output, add)
        score_summary(view.summary(), err, written, lang=language)
    _exit_on(view.result, fail_on)


def _exit_on(result: Any, fail_on: FailOn | None) -> None:
    """Exit 1 when a visit is the --fail-on status or worse."""
    threshold = (
        {"rouge": "red", "jaune": "yellow"}.get(fail_on.value, fail_on.value) if fail_on else None
    )
    if threshold is not None and result.fails(threshold):
        raise typer.Exit(1)
