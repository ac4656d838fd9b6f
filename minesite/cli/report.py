"""`minesite report`: the printable site dossiers (PDF or HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from minesite.cli.app import app
from minesite.cli.options import (
    AsOfOpt,
    CadastreConfigOpt,
    CadastreOpt,
    ChecklistOpt,
    ColumnsOpt,
    Files,
    ForceOpt,
    HistoryOpt,
    LangOpt,
    ProfileOpt,
    SiteOpt,
    _inputs,
    _one_line_errors,
    _run,
)


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
