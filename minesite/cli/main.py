"""The console entry point: option errors in one line, in the user's language."""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import typer

from minesite.cli.app import app
from minesite.cli.help import command_line_lang
from minesite.cli.options import _named_inputs, _one_line, _workbooks_ahead


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
        with _workbooks_ahead(_named_inputs(sys.argv[1:])):
            code = app(standalone_mode=False)
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare `minesite`: the help, as Click does
            typer.echo(exc.format_message(), err=True)
            sys.exit(2)
        typer.echo(f"minesite: {_one_line(_usage_line(exc, sys.argv[1:]))}", err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    _leave(code if isinstance(code, int) else 0)


def _leave(code: int) -> NoReturn:
    """Exit once the command has returned, without the interpreter's teardown: every output
    file is closed and every worker thread joined by then, and freeing each module's objects
    one by one took 0.1-0.2 s of a run (a tenth of a one-visit `validate`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): Python's own exit says 120
            code = code or 120
    os._exit(code)


def _usage_line(exc: Any, argv: list[str]) -> str:
    """A Click usage error in the language the command line asks for (or the locale's)."""
    from minesite.render.i18n import text

    lang = command_line_lang(argv)
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
