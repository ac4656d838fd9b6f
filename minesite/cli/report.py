"""`minesite report`: the printable site dossiers (PDF or HTML): one file, or one per site with
`--split DIR`; site pages for the sites and statuses asked for; a progress bar on a terminal."""

from __future__ import annotations

from enum import StrEnum
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
    Files,
    GroupSeparatorOpt,
    HistoryOpt,
    LangOpt,
    NoBar,
    ProfileOpt,
    SiteOpt,
    _inputs,
    _one_line_errors,
    _run,
)


class ReportFormat(StrEnum):
    """What `report --split` writes per site."""

    PDF = "pdf"
    HTML = "html"


@app.command(cls=LocalisedCommand, help="help.command.report")
def report(
    files: Files,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="help.option.report-output")
    ] = None,
    split: Annotated[
        Path | None,
        typer.Option(
            help="help.option.split",
            metavar="DIR",
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", case_sensitive=False, help="help.option.report-format"),
    ] = None,
    site: SiteOpt = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="help.option.status",
            metavar="LIST",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    history: HistoryOpt = False,
    checklist: ChecklistOpt = None,
    profile: ProfileOpt = "icglr",
    lang: LangOpt = None,
    force: Annotated[bool, typer.Option(help="help.option.report-force")] = False,
    columns: ColumnsOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    dayfirst: DayFirstOpt = None,
    group_separator: GroupSeparatorOpt = None,
    cadastre: CadastreOpt = None,
    cadastre_config: CadastreConfigOpt = None,
    media: Annotated[
        Path | None,
        typer.Option(help="help.option.media"),
    ] = None,
) -> None:
    """Write the site dossiers (help: help.command.report)."""
    with _one_line_errors(lang, files) as language:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from minesite.errors import UsageError
        from minesite.render.document import build_document
        from minesite.render.i18n import text
        from minesite.render.selection import parse_statuses

        statuses = parse_statuses(status)
        inputs = _inputs(files, checklist, cadastre, cadastre_config, media, columns)
        if (output is None) == (split is None):
            raise UsageError("usage.split-or-output")
        if output is not None:
            kind = _report_kind(output, output_format)
            from minesite.output import check_target

            check_target(output, inputs, force=force)
        else:
            kind = f".{(output_format or ReportFormat.PDF).value}"
            if split.exists() and not split.is_dir():
                raise UsageError("usage.split-not-folder", folder=str(split))
        err = Console(stderr=True, highlight=False)
        shown = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        # A progress bar only on a terminal: a log or a pipe gets nothing, not even the blank
        # line a disabled bar printed on an error (rich 13).
        bar = Progress(*shown, console=err, transient=True) if err.is_terminal else NoBar()
        with bar:
            step = bar.add_task(
                text("dossier.progress.scoring", language, files=len(files)), total=None
            )
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
                history=history,
            )
            attachments = _attachments(result, media, language)
            document = build_document(
                result, lang=language, attachments=attachments, statuses=statuses
            )
            word = "dossier.progress.pages" if output is not None else "dossier.progress.files"
            bar.update(
                step, description=text(word, language), total=len(document.sites), completed=0
            )

            def advance(n: int) -> None:
                bar.advance(step, n)

            if output is not None:
                _write_report(document, output, kind, result.titles, progress=advance, force=force)
                where = str(output)
            else:
                where = _write_split(document, split, kind, result.titles, inputs, force, advance)
        counts = ", ".join(
            f"{text(f'status.{k}', language)} {v}" for k, v in document.totals.items()
        )
        sep = text("position.sep", language)
        listed = text("ui.list-sep", language)
        typer.echo(f"{where}{sep}{document.selection}{listed}{counts}", err=True)


def _report_kind(output: Path, output_format: Any) -> str:
    """.pdf or .html from OUT's suffix; --format, when given, must agree."""
    from minesite.errors import UsageError

    kind = output.suffix.lower()
    if kind not in (".pdf", ".html", ".htm"):
        raise UsageError("usage.bad-output", file=str(output), choices=[".pdf", ".html"])
    kind = ".html" if kind == ".htm" else kind
    if output_format is not None and f".{output_format.value}" != kind:
        raise UsageError("usage.format-mismatch", format=output_format.value, file=str(output))
    return kind


def _write_report(
    document: Any,
    path: Path,
    kind: str,
    titles: Any,
    add: Any = None,
    *,
    force: bool = False,
    **options: Any,
) -> None:
    """One report file: alone (written atomically, never over a file that appeared since the
    check unless --force), or into an output set `add` (--split)."""
    if kind == ".pdf":
        from minesite.render.pdf import write_pdf as write
    else:
        from minesite.render.html import write_html as write

    def writer(tmp: Path) -> None:
        write(document, tmp, titles=titles, **options)

    if add is not None:
        add(path, writer)
        return
    from minesite.output import write_files

    write_files([(path, writer)], force=force)


def _write_split(
    document: Any,
    folder: Path,
    kind: str,
    titles: Any,
    inputs: list[Path],
    force: bool,
    advance: Any,
) -> str:
    """The front summary and one file per site in `folder`, every name checked before the
    first is written (no existing file replaced without --force, never an input)."""
    from dataclasses import replace

    from minesite.errors import UsageError
    from minesite.output import output_set
    from minesite.render.selection import SUMMARY, file_names

    names = file_names([s.site_id for s in document.sites], kind)
    summary = folder / f"{SUMMARY}{kind}"
    targets = [summary, *(folder / names[s.site_id] for s in document.sites)]
    given = {Path(p).resolve(): p for p in inputs}
    for target in targets:
        if target.resolve() in given:
            raise UsageError(
                "output.is-an-input", target=str(target), input=str(given[target.resolve()])
            )
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(
            "usage.split-exists", folder=str(folder), count=len(existing), first=existing[0].name
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            "usage.split-cannot-write", folder=str(folder), reason=exc.strerror or str(exc)
        ) from None
    # One set: a failure part-way leaves every file the folder had, and none of the new ones.
    with output_set(force=force) as add:
        _write_report(replace(document, sites=[]), summary, kind, titles, add)
        for section in document.sites:
            page = replace(document, sites=[section])
            _write_report(page, folder / names[section.site_id], kind, titles, add, front=False)
            advance(1)
    return _split_line(document, folder, summary)


def _split_line(document: Any, folder: Path, summary: Path) -> str:
    """The closing line's 'where': the folder, its site files and its summary file."""
    from minesite.render.i18n import text

    return text(
        "dossier.split-written",
        document.lang,
        folder=str(folder),
        count=len(document.sites),
        summary=summary.name,
    )


def _attachments(result: Any, media: Path | None, lang: str) -> list:
    """The photos the answers name; each one missing or unreadable is a warning on stderr."""
    from minesite.inputs.media import find_attachments

    found = find_attachments(result.inspection, media)
    for attachment in found:
        if attachment.warning is not None:
            typer.echo(f"minesite: {attachment.warning.render(lang)}", err=True)
    return found
