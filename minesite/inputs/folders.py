"""A folder given as input stands for the exports inside it (a dataset of partitions)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from minesite.errors import InputError

INPUT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".zip", ".parquet")
"""The exports a folder is read for (hidden files and folders skipped)."""


def expand_folders(paths: Sequence[Path | str]) -> list[Path]:
    """Files as given; a folder stands for the exports inside it (recursively, sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in INPUT_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            raise InputError(path, "input.empty-folder", suffixes=", ".join(INPUT_SUFFIXES))
        files.extend(found)
    return files
