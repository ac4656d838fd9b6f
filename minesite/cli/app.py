"""The typer application and its command groups (the commands register on import)."""

from __future__ import annotations

from typing import Annotated

import typer

from minesite.cli.help import LocalisedGroup

# Every help= below and in the commands is a code of render/catalog/cli-help.toml, put into the
# user's words when the command line is parsed (cli/help.py).
app = typer.Typer(
    cls=LocalisedGroup,
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    # Plain help: rich's help formatter alone doubles the start-up time of `minesite --help`.
    rich_markup_mode=None,
    help="help.app",
)
checklists_app = typer.Typer(
    cls=LocalisedGroup, no_args_is_help=True, rich_markup_mode=None, help="help.checklists"
)
app.add_typer(checklists_app, name="checklists")
export_app = typer.Typer(
    cls=LocalisedGroup, no_args_is_help=True, rich_markup_mode=None, help="help.export"
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
        typer.Option("--version", callback=_version, is_eager=True, help="help.version"),
    ] = False,
) -> None:
    """The application's options (its help is the catalog's help.app)."""
