"""The command line's help in the user's language: every word from the catalog, French first."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib

import pytest
from conftest import ROOT
from typer.main import get_command
from typer.testing import CliRunner

from minesite.cli import app
from minesite.render.i18n import CATALOG, text

HELP_CATALOG = CATALOG / "cli-help.toml"
FRENCH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "fr_FR.UTF-8"}
ENGLISH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}

# Each help page: words it shows in French, and the English they replace.
PAGES = {
    ("--help",): (
        ["Valider les inspections de sites miniers", "Utilisation\u00a0:", "Commandes\u00a0:"],
        ["Validate artisanal mine-site inspections", "Usage:", "Commands:"],
    ),
    ("score", "--help"): (
        ["Évaluer chaque visite des fichiers FILE...", "Remplacer un fichier de sortie"],
        ["Score every visit of FILE..., work out", "Replace an existing output file."],
    ),
    ("validate", "--help"): (
        ["Code de sortie 0\u00a0:", "Format de sortie.", "Arguments\u00a0:"],
        ["Exit code 0: every visit shown is green", "Output format.", "Arguments:"],
    ),
    ("checklists", "--help"): (
        ["Lister, afficher et vérifier les listes de contrôle.", "Lister les listes"],
        ["List, show and check checklists.", "List the bundled checklists"],
    ),
    ("export", "icglr", "--help"): (
        ["Écrire les fiches d’échange de données", "OUT.json (fiches ICGLR)."],
        ["Write ICGLR data-sharing records", "OUT.json (ICGLR records)."],
    ),
}


def _help(args: tuple[str, ...], env: dict[str, str | None]) -> str:
    result = CliRunner().invoke(app, list(args), env=env, terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", list(PAGES))
def test_help_follows_the_locale(args):
    french, english = PAGES[args]
    shown = _help(args, FRENCH)
    assert all(words in shown for words in french), shown
    assert not any(words in shown for words in english), shown
    assert "Afficher ce message et quitter." in shown
    shown = _help(args, ENGLISH)
    assert all(words in shown for words in english), shown
    assert not any(words in shown for words in french), shown
    assert "Show this message and exit." in shown


@pytest.mark.parametrize("args", [a for a in PAGES if a[0] in ("score", "validate", "export")])
def test_lang_on_the_command_line_wins_over_the_locale(args):
    french, english = PAGES[args]
    command = [a for a in args if a != "--help"]
    shown = _help((*command, "--lang", "en", "--help"), FRENCH)
    assert all(words in shown for words in english) and "Afficher" not in shown
    shown = _help((*command, "--lang=FR", "--help"), ENGLISH)
    assert all(words in shown for words in french) and "Show this" not in shown


def test_no_help_text_is_a_code_left_untranslated():
    """Every command, group, argument and option of the tree is a catalog code (no English
    literal, no docstring shown as help), and each is put into words."""
    tree = get_command(app)
    codes = _codes(tree)
    catalog = _help_catalog()
    assert codes and not codes - catalog.keys()
    for lang in ("fr", "en"):
        page = "\n".join(
            _help((*path, "--help"), {**ENGLISH, "LANG": f"{lang}_XX.UTF-8"})
            for path in _paths(tree)
        )
        assert "help." not in page.replace("--help", "")


def _codes(command) -> set[str]:
    found = {command.help} if command.help else set()
    found |= {p.help for p in command.params if p.help}
    for sub in getattr(command, "commands", {}).values():
        found |= _codes(sub)
    # Typer's completion options carry Typer's words until the command line is parsed.
    return {c for c in found if not c.startswith(("Install completion", "Show completion"))}


def _paths(command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, sub in getattr(command, "commands", {}).items():
        paths += _paths(sub, (*prefix, name))
    return paths


def _help_catalog() -> dict[str, dict[str, str]]:
    with HELP_CATALOG.open("rb") as handle:
        table = tomllib.load(handle)
    flat: dict[str, dict[str, str]] = {}

    def walk(node: dict, prefix: str) -> None:
        if "en" in node or "fr" in node:
            flat[prefix] = node
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}.{key}" if prefix else key)

    walk(table, "")
    return flat


def test_every_help_code_has_english_and_french():
    catalog = _help_catalog()
    assert len(catalog) > 40
    for code, entry in catalog.items():
        assert set(entry) == {"en", "fr"}, code
        assert entry["en"].strip() and entry["fr"].strip(), code
        assert text(code, "fr") == entry["fr"] and text(code, "en") == entry["en"], code


def test_french_help_keeps_its_spaces_unbroken():
    """A plain space before : ; ? ! » or after « lets Click's wrapping start a line with the
    mark: French help uses a no-break space there."""
    for code, entry in _help_catalog().items():
        french = entry["fr"]
        assert not any(f" {mark}" in french for mark in ":;?!»"), code
        assert "« " not in french, code


def test_no_help_literal_in_the_cli_source():
    """Every `help=` in minesite/cli/*.py names a code of cli-help.toml: no English literal."""
    catalog = _help_catalog()
    seen = set()
    for path in sorted((ROOT / "minesite" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "help":
                value = node.value
                assert isinstance(value, ast.Constant) and isinstance(value.value, str), (
                    f"{path.name}:{value.lineno}"
                )
                assert value.value in catalog, f"{path.name}:{value.lineno}: {value.value!r}"
                seen.add(value.value)
    assert len(seen) > 30


def test_bare_minesite_shows_the_help_on_several_lines():
    """`minesite` alone prints its help as Click does (stderr, exit 2), not escaped into one
    error line."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    result = subprocess.run(
        [sys.executable, "-m", "minesite"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "LANG": "fr_FR.UTF-8"},
    )
    assert result.returncode == 2
    assert "\\n" not in result.stderr and "\\xa0" not in result.stderr
    assert result.stderr.startswith("Utilisation\u00a0: ") and "minesite [OPTIONS]" in result.stderr
    assert "Commandes\u00a0:\n" in result.stderr


def test_shell_completion_describes_options_in_the_users_language():
    complete = {"_MINESITE_COMPLETE": "complete_zsh"}
    complete["_TYPER_COMPLETE_ARGS"] = "minesite score --for"
    french = CliRunner().invoke(app, [], env={**FRENCH, **complete}, prog_name="minesite")
    assert "Remplacer un fichier de sortie existant." in french.output, french.output
    english = CliRunner().invoke(app, [], env={**ENGLISH, **complete}, prog_name="minesite")
    assert "Replace an existing output file." in english.output, english.output
