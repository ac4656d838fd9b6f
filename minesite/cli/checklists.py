"""`minesite checklists list|show|check|xlsform`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minesite.cli.app import checklists_app
from minesite.cli.help import LocalisedCommand
from minesite.cli.options import (
    ChecklistOpt,
    LangOpt,
    _one_line_errors,
)


@checklists_app.command("list", cls=LocalisedCommand, help="help.command.checklists-list")
def list_checklists(lang: LangOpt = None) -> None:
    """List the bundled checklists (help: help.command.checklists-list)."""
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


@checklists_app.command("show", cls=LocalisedCommand, help="help.command.checklists-show")
def show_checklist(checklist_id: str, lang: LangOpt = None) -> None:
    """Show a checklist's criteria (help: help.command.checklists-show)."""
    with _one_line_errors(lang) as language:
        from minesite.checklists import describe_checklist, load_checklists

        for line in describe_checklist(load_checklists([checklist_id])[0], language):
            typer.echo(line)


@checklists_app.command("check", cls=LocalisedCommand, help="help.command.checklists-check")
def check_checklist(path: Path, lang: LangOpt = None) -> None:
    """Check a checklist file (help: help.command.checklists-check)."""
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


@checklists_app.command("xlsform", cls=LocalisedCommand, help="help.command.checklists-xlsform")
def xlsform(
    out: Annotated[Path, typer.Argument(help="help.option.xlsform-out", show_default=False)],
    checklist: ChecklistOpt = None,
    force: Annotated[bool, typer.Option(help="help.option.xlsform-force")] = False,
    lang: LangOpt = None,
) -> None:
    """Write the XLSForm (help: help.command.checklists-xlsform)."""
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
