"""`minesite export icglr`: ICGLR data-sharing records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minesite.cli.app import export_app
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
    Files,
    ForceOpt,
    GroupSeparatorOpt,
    LangOpt,
    ProfileOpt,
    SiteOpt,
    StatusSource,
    _inputs,
    _one_line_errors,
    _run,
)


@export_app.command("icglr", cls=LocalisedCommand, help="help.command.export-icglr")
def export_icglr(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="help.option.icglr-output")],
    site: SiteOpt = None,
    as_of: AsOfOpt = None,
    profile: ProfileOpt = "icglr",
    checklist: ChecklistOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    registry: Annotated[
        Path | None,
        typer.Option(help="help.option.registry"),
    ] = None,
    status_source: Annotated[
        StatusSource,
        typer.Option(help="help.option.status-source"),
    ] = StatusSource.COMPUTED,
    partial: Annotated[bool, typer.Option(help="help.option.partial")] = False,
    reports: Annotated[
        Path | None,
        typer.Option(help="help.option.reports"),
    ] = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
    columns: ColumnsOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    dayfirst: DayFirstOpt = None,
    group_separator: GroupSeparatorOpt = None,
) -> None:
    """Write ICGLR records (help: help.command.export-icglr)."""
    with _one_line_errors(lang, files) as language:
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
            delimiter=delimiter,
            encoding=encoding,
            dayfirst=dayfirst,
            group_separator=group_separator,
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
