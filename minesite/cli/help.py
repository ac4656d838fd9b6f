"""Help in the user's language: every help text is a catalog code, put into words once per run."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from typer.core import TyperCommand, TyperGroup

LANG_KEY = "minesite.lang"
# Click's and Typer's own words: the headings their formatters write, and the options Typer
# adds with an English help of its own (named by parameter, not by their English).
_HEADINGS = {
    "Arguments": "help.section.arguments",
    "Options": "help.section.options",
    "Commands": "help.section.commands",
}
_TYPER_OPTIONS = {
    "install_completion": "help.install-completion",
    "show_completion": "help.show-completion",
}


def command_line_lang(argv: Sequence[str]) -> str:
    """The language a command line asks for (`--lang fr|en`, the last wins), else the locale's."""
    from minesite.render.i18n import default_lang

    lang = default_lang()
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value and value.lower() in ("fr", "en"):
            lang = value.lower()
    return lang


class _Localised:
    """A command whose help is catalog codes: the first command to parse a command line (the
    root) chooses the language from it and puts the whole tree's help into words, so help,
    group listings and shell completion all read the same words."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if LANG_KEY not in ctx.meta:  # ctx.meta is shared by the root and its sub-contexts
            ctx.meta[LANG_KEY] = command_line_lang(args)
            _localise(self, ctx.meta[LANG_KEY])
        ctx.formatter_class = _formatter(type(ctx).formatter_class, ctx.meta[LANG_KEY])
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = words("help.help-option", ctx.meta.get(LANG_KEY, "en"))
        return option


class LocalisedGroup(_Localised, TyperGroup):
    """A command group with help in the user's language."""


class LocalisedCommand(_Localised, TyperCommand):
    """A command with help in the user's language."""


def words(code: str, lang: str) -> str:
    """The words of a help code in `lang` (English if missing); any other text as it is. Help
    takes no parameters: it is read from cli-help.toml alone, not the whole catalog."""
    from minesite.render.i18n import catalog_file

    entry = catalog_file("cli-help").get(code)
    return (entry.get(lang) or entry["en"]) if entry else code


def _localise(command: Any, lang: str) -> None:
    """Replace the help codes of `command`, its parameters and its subcommands by words."""
    if command.help:
        command.help = words(command.help, lang)
    for param in command.params:
        code = _TYPER_OPTIONS.get(param.name or "", getattr(param, "help", None))
        if code:
            param.help = words(code, lang)
    for sub in getattr(command, "commands", {}).values():
        _localise(sub, lang)


@cache
def _formatter(base: type, lang: str) -> type:
    """Click's help formatter writing the usage prefix and the headings in `lang`."""
    usage = f"{words('help.usage', lang)} "

    class Formatter(base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, usage if prefix is None else prefix)

        def write_heading(self, heading: str) -> None:
            if heading not in _HEADINGS:
                return super().write_heading(heading)
            # The catalog's heading carries its colon: French puts a no-break space before it.
            self.write(f"{'':>{self.current_indent}}{words(_HEADINGS[heading], lang)}\n")
            return None

    return Formatter
