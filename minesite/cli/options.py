"""Options every command shares, and the one-line error handling around each command."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer


class Format(StrEnum):
    """What `validate` prints."""

    TERMINAL = "terminal"
    JSON = "json"


class Lang(StrEnum):
    """Report language."""

    FR = "fr"
    EN = "en"


class StatusSource(StrEnum):
    """Where an ICGLR record's certification status and history come from."""

    COMPUTED = "computed"
    PUBLISHED = "published"


class FailOn(StrEnum):
    """Status from which `score` exits 1 (for pipelines); French words accepted."""

    RED = "red"
    YELLOW = "yellow"
    ROUGE = "rouge"
    JAUNE = "jaune"


Files = Annotated[
    list[Path],
    typer.Argument(
        help="help.option.files",
        show_default=False,
        metavar="FILE...",
    ),
]
ChecklistOpt = Annotated[
    list[str] | None,
    typer.Option("--checklist", "-c", help="help.option.checklist"),
]
ProfileOpt = Annotated[str, typer.Option(help="help.option.profile")]
LangOpt = Annotated[
    Lang | None,
    typer.Option(case_sensitive=False, help="help.option.lang"),
]
CadastreOpt = Annotated[
    Path | None,
    typer.Option(help="help.option.cadastre"),
]
CadastreConfigOpt = Annotated[
    Path | None,
    typer.Option(help="help.option.cadastre-config"),
]
ColumnsOpt = Annotated[Path | None, typer.Option(help="help.option.columns")]
DelimiterOpt = Annotated[
    str | None,
    typer.Option(help="help.option.delimiter", metavar="CHAR"),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(help="help.option.encoding", metavar="NAME"),
]
DayFirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="help.option.dayfirst",
        show_default=False,
    ),
]
GroupSeparatorOpt = Annotated[
    str | None,
    typer.Option(
        help="help.option.group-separator",
        metavar="TEXT",
    ),
]
SiteOpt = Annotated[str | None, typer.Option(help="help.option.site", metavar="ID")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="help.option.as-of", metavar="DATE"),
]
HistoryOpt = Annotated[bool, typer.Option(help="help.option.history")]
ForceOpt = Annotated[bool, typer.Option(help="help.option.force")]
StrictOpt = Annotated[bool, typer.Option(help="help.option.strict")]


@contextmanager
def _one_line_errors(lang: Lang | None = None, files: list[Path] | None = None) -> Iterator[str]:
    """Bad input ends in one line on stderr and exit code 2, never a traceback. A workbook
    among `files` is opened ahead, beside the command's imports (see inputs.workbook_open)."""
    from minesite.errors import MinesiteError
    from minesite.render.i18n import default_lang, text

    language = lang.value if lang else default_lang()
    try:
        with _workbooks_ahead(files or []):
            yield language
    except MinesiteError as exc:
        typer.echo(f"minesite: {_one_line(exc.render(language))}", err=True)
        raise typer.Exit(2) from None
    except MemoryError:
        typer.echo(f"minesite: {text('error.out-of-memory', language)}", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - the user must never see a traceback
        if os.environ.get("MINESITE_DEBUG"):
            raise
        detail = _one_line(f"{type(exc).__name__}: {exc}")
        typer.echo(f"minesite: {text('error.internal', language, detail=detail)}", err=True)
        raise typer.Exit(2) from None


@contextmanager
def _workbooks_ahead(files: list[Path]) -> Iterator[None]:
    # workbook_open.SUFFIXES, not imported for a CSV (it imports calamine and the guard).
    if not any(Path(f).suffix.lower() in (".xlsx", ".xlsm") for f in files):
        yield
        return
    from minesite.inputs.workbook_open import workbooks_ahead

    with workbooks_ahead(files):
        yield


def _named_inputs(argv: list[str]) -> list[Path]:
    """The words of a reading command's line that look like its input files, before typer
    has parsed it (typer and what it imports take 0.15 s): not an option, nor the word after
    one (`-o out.xlsx`). A word taken wrongly costs a read never used, not a wrong one: what
    is opened ahead is taken only for the path the reader asks for."""
    if not argv or argv[0] not in ("validate", "score", "report", "export"):
        return []
    words = argv[1:]
    return [
        Path(word)
        for before, word in zip(["", *words], words, strict=False)
        if not word.startswith("-") and not before.startswith("-")
    ]


def _one_line(text: str) -> str:
    """Input text quoted in a message (a header, a zip member name) may hold line breaks or
    control characters (\\n, \\v, U+2028...): escape them so the error stays one line."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _date(value: str | None, option: str = "--as-of") -> dt.date | None:
    from minesite.errors import UsageError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("usage.bad-date", option=option, value=value) from None


def _run(files: list[Path], **options: Any) -> Any:
    from minesite.pipeline import run

    return run(files, **_run_options(options))


def _run_options(options: dict[str, Any]) -> dict[str, Any]:
    """CLI option values as `minesite.run` takes them."""
    from minesite.inputs.reading import Reading

    options["as_of"] = _date(options.get("as_of"))
    options["checklists"] = options.pop("checklist", None) or ()
    options["reading"] = Reading(
        delimiter=options.pop("delimiter", None),
        encoding=options.pop("encoding", None),
        dayfirst=options.pop("dayfirst", None),
        group_separator=options.pop("group_separator", None),
    )
    return options


def _partitioned(output: Path, site: str | None) -> bool:
    """CSV and Parquet are written file by file and slice by slice (bounded memory); XLSX,
    JSON and GeoJSON, or one site, from the whole run."""
    return output.suffix.lower() in (".csv", ".parquet") and site is None


def _score_partitioned(files: list[Path], output: Path, **options: Any) -> Any:
    from minesite.inputs.folders import expand_folders
    from minesite.memory import use_returning_allocator
    from minesite.render.stream import score_partitioned

    use_returning_allocator()
    return score_partitioned(expand_folders(files), output, **_run_options(options))


def _inputs(files: list[Path], checklist: list[str] | None, *options: Path | None) -> list[Path]:
    """Every file the command reads (inputs, checklist and option files): never an output."""
    named = [Path(c) for c in checklist or () if Path(c).exists()]
    return [*files, *named, *(p for p in options if p is not None)]


class NoBar:
    """A progress bar off a terminal: it does nothing."""

    def __enter__(self) -> NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: object, **kwargs: object) -> int:
        return 0

    def update(self, *args: object, **kwargs: object) -> None:
        return None

    def advance(self, *args: object, **kwargs: object) -> None:
        return None
