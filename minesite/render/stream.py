"""Tables written batch by batch (a partitioned run): CSV or Parquet, one file per table.

Each file is written under a hidden temporary name beside its target; `finish` hands the
finished file to the output set (minesite.output), which replaces the targets as one set."""

from __future__ import annotations

import codecs
import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from minesite.output import Writer, cannot_write, temporary_beside


class TableStream:
    """One table appended partition by partition, with one header (CSV) or schema (Parquet).

    Each batch is made safe and typed here, then written by a thread of its own while the next
    partition is scored: Arrow's writers run without the GIL on a native file, so the second
    core writes (at most one batch waits, so memory stays bounded)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = temporary_beside(target, ".rows")
        self.parquet = target.suffix.lower() == ".parquet"
        self._writer: Any = None
        self._handle: Any = None
        self._thread: ThreadPoolExecutor | None = None
        self._pending: Future | None = None

    def write(self, frame: Any) -> None:
        """Append the rows of `frame` (the same columns every time)."""
        table = self._table(frame)
        self._wait()
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="minesite-write")
        self._pending = self._thread.submit(self._append, table)

    def _table(self, frame: Any) -> Any:
        if self.parquet:
            from minesite.render.typed import arrow_table

            return arrow_table(frame)
        from minesite.render.spreadsheet_safe import spreadsheet_safe

        return spreadsheet_safe(frame)

    def _wait(self) -> None:
        """The batch being written, finished (its error raised here, in the caller's thread)."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            pending.result()
        except OSError as exc:
            raise cannot_write(self.target, exc) from None

    def _append(self, table: Any) -> None:
        import pyarrow as pa

        if self.parquet:
            import pyarrow.parquet as pq

            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, table.schema)
            self._writer.write_table(table.cast(self._writer.schema))
            return
        import pyarrow.csv as pacsv

        first = self._handle is None
        if first:
            self._handle = pa.OSFile(str(self.path), "wb")  # native: written without the GIL
            self._handle.write(codecs.BOM_UTF8)
        options = pacsv.WriteOptions(delimiter=";", include_header=first)
        pacsv.write_csv(table, self._handle, write_options=options)

    def close(self) -> None:
        try:
            self._wait()
        finally:
            if self._thread is not None:
                self._thread.shutdown(wait=True)
                self._thread = None
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def finish(self) -> Writer:
        """The writer that moves the finished file to the output set's temporary name."""
        self.close()
        return lambda temporary: os.replace(self.path, temporary)


SITE_BATCH = 100_000
"""Sites phrased and written at once by a partitioned run."""


@contextlib.contextmanager
def table_streams(targets: dict[str, Path]) -> Iterator[dict[str, TableStream]]:
    """A stream per table; whatever is left unfinished is deleted on the way out."""
    streams: dict[str, TableStream] = {}
    try:
        for name, target in targets.items():
            streams[name] = TableStream(target)
        yield streams
    finally:
        for stream in streams.values():
            # Finished streams close as a no-op; otherwise an error is already on its way out,
            # and it is the one to tell (a failed write of the same stream says less).
            with contextlib.suppress(Exception):
                stream.close()
            with contextlib.suppress(FileNotFoundError):
                stream.path.unlink()


def score_partitioned(
    files: list[Path], output: Path, *, force: bool, lang: str, **options: Any
) -> tuple[Any, list[Path]]:
    """Score the files one at a time into OUT (visits), OUT.findings... (CSV or Parquet):
    visits and findings streamed per partition, then sites, conflicts and summary; the files
    replaced as one set. Returns the View of the Result (failed findings only) and the files
    written."""
    from minesite.memory import release_memory
    from minesite.output import output_set
    from minesite.partitions import run_partitioned
    from minesite.render.tabular import (
        conflict_table,
        finding_table,
        output_paths,
        site_batches,
        summary_table,
        visit_table,
        write_tables,
    )
    from minesite.render.view import View

    names = ["visits", "sites", "findings", "conflicts", "summary"]
    paths = output_paths(output, names)
    with output_set(force=force) as add:
        with table_streams({k: paths[k] for k in ("visits", "findings")}) as streams:

            def write_part(part: Any) -> None:
                streams["visits"].write(visit_table(part, lang))
                streams["findings"].write(finding_table(part, View(part, lang).titles))

            result = run_partitioned(files, write_part=write_part, **options)
            for name, stream in streams.items():
                add(paths[name], stream.finish())
        release_memory(len(result.verdicts.visits))
        # The sites table is written, then let go, before the rest is phrased: at a million
        # sites it and the words of their reasons are the largest things held.
        with table_streams({"sites": paths["sites"]}) as streams:
            for batch in site_batches(result, View(result, lang), SITE_BATCH):
                streams["sites"].write(batch)
            add(paths["sites"], streams["sites"].finish())
        release_memory(len(result.verdicts.visits))
        view = View(result, lang)
        tables = {"conflicts": conflict_table(view), "summary": summary_table(view.summary())}
        write_tables(tables, output, add)
    return view, [paths[name] for name in names]
