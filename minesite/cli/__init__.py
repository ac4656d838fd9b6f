"""Command-line interface: typer only. Each command parses options, calls minesite.run(),
renders, writes and sets the exit code; the library does the rest."""

from minesite.cli import checklists, commands, export, report  # noqa: F401 - registers commands
from minesite.cli.app import app
from minesite.cli.main import main

__all__ = ["app", "main"]
