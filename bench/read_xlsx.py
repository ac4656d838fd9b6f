"""Reading a 50,000-visit Kobo XLSX: minesite against calamine's own read (DESIGN §7: at most 2x).

Writes a KoboToolbox-style workbook (`group/question` headers, system columns, a repeat sheet of
armed actors linked by _parent_index) by resampling rows of the IPIS open data, then runs,
interleaved (A B, A B ...) as subprocesses under GNU time (wall, peak RSS):
- calamine's raw read: `CalamineWorkbook.from_path(p).get_sheet_by_name(n).to_python()` for
  every sheet (python-calamine, the reader minesite uses);
- `minesite score FILE -o OUT.csv` end to end (XLSX guard, cells to text, scoring, site status,
  every output table);
and prints their medians and the ratio, then the median of `read_sheets` in this process (guard
and cells to text, no scoring). `--openpyxl` adds openpyxl read-only (about 14x calamine).
Run from the repository root:

    .venv/bin/python bench/read_xlsx.py [--visits 50000] [--runs 3] [--keep PATH] [--openpyxl]

With `--keep`, a workbook already at that path is reused.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score import measured  # noqa: E402

IPIS = Path("/work/shared/data/real/cod_mines_curated_all_opendata_p_ipis.csv")
CALAMINE = (
    "import sys; from python_calamine import CalamineWorkbook\n"
    "book = CalamineWorkbook.from_path(sys.argv[1])\n"
    "for name in book.sheet_names:\n"
    "    book.get_sheet_by_name(name).to_python()\n"
)
GROUPS = {
    "pcode": "identification/code_site",
    "name": "identification/nom_site",
    "province": "identification/province",
    "territoire": "identification/territoire",
    "visit_date": "visite/date_visite",
    "visit_onsite": "visite/visite_sur_site",
    "latitude": "visite/_gps_latitude",
    "longitude": "visite/_gps_longitude",
    "workers_numb": "visite/nombre_creuseurs",
    "presence": "securite/presence_armee",
    "childunder15": "enfants/enfants_moins_15",
    "women": "femmes/femmes_presentes",
    "womenwork": "femmes/activites_femmes",
    "mineral1": "production/minerai_1",
    "mineral2": "production/minerai_2",
    "state_service1": "legal/service_etat_1",
    "state_service2": "legal/service_etat_2",
    "traceability": "legal/tracabilite",
}
NUMERIC = {"latitude", "longitude", "workers_numb"}


def write_workbook(path: Path, visits: int, seed: int = 7) -> int:
    """A Kobo-style export of `visits` rows resampled from IPIS; returns the actor row count."""
    ipis = pd.read_csv(IPIS, dtype=str, keep_default_na=False)
    columns = [c for c in GROUPS if c in ipis.columns]
    rng = np.random.default_rng(seed)
    sample = ipis.iloc[rng.integers(0, len(ipis), visits)].reset_index(drop=True)
    if "presence" not in ipis.columns:
        sample["presence"] = np.where(sample["type_armed_group1"].str.strip() != "", "1", "0")
        columns.append("presence")
    header = [GROUPS[c] for c in columns]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]
    actors = 0
    options = {"constant_memory": True, "strings_to_numbers": False}
    with xlsxwriter.Workbook(path, options) as workbook:
        main = workbook.add_worksheet("Inspection des sites miniers ar")
        main.write_row(0, 0, header)
        values = sample[columns].to_numpy(dtype=object)
        for i in range(visits):
            row = values[i]
            for j, cell in enumerate(row):
                if columns[j] in NUMERIC and cell:
                    try:
                        main.write_number(i + 1, j, float(cell))
                        continue
                    except ValueError:
                        pass
                main.write_string(i + 1, j, cell)
            base = len(columns)
            main.write_number(i + 1, base, 100000 + i)
            main.write_string(i + 1, base + 1, str(uuid.UUID(int=int(rng.integers(1 << 62)))))
            main.write_string(i + 1, base + 2, "2026-03-10T16:00:00")
            main.write_string(i + 1, base + 3, "validation_status_approved")
            main.write_number(i + 1, base + 4, i + 1)
        repeat = workbook.add_worksheet("acteurs_armes_et_forces_de_secu")
        repeat.write_row(
            0,
            0,
            [
                "securite/acteurs/nom_acteur",
                "securite/acteurs/type_acteur",
                "securite/acteurs/taxe",
                "_index",
                "_parent_table_name",
                "_parent_index",
            ],
        )
        r = 1
        for i in range(visits):
            for slot in (1, 2):
                name = sample.at[i, f"armed_group{slot}"] if f"armed_group{slot}" in sample else ""
                kind = sample.at[i, f"type_armed_group{slot}"]
                if not (name or kind):
                    continue
                tax = sample.at[i, f"taxation_armed_group{slot}"]
                repeat.write_row(r, 0, [name, kind, tax])
                repeat.write_number(r, 3, r)
                repeat.write_string(r, 4, "Inspection des sites miniers ar")
                repeat.write_number(r, 5, i + 1)
                r += 1
                actors += 1
    return actors


def read_minesite(path: Path) -> int:
    from minesite.inputs.workbook import read_sheets

    return sum(len(s.frame) for s in read_sheets(path))


def read_openpyxl(path: Path) -> int:
    """openpyxl read-only into frames of strings (same cell-to-text rule as minesite)."""
    from openpyxl import load_workbook

    from minesite.inputs.workbook import _text

    workbook = load_workbook(path, read_only=True, data_only=True)
    total = 0
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows)]
        frame = pd.DataFrame([[_text(v) for v in row] for row in rows], columns=header, dtype=str)
        total += len(frame)
    workbook.close()
    return total


def median_seconds(reader, path: Path, runs: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = reader(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def compare(path: Path, out: Path, runs: int) -> None:
    """calamine's raw read and `minesite score -o OUT.csv`, interleaved subprocesses."""
    python = sys.executable
    named = {
        "calamine raw read": [python, "-c", CALAMINE, str(path)],
        "minesite score -> CSV": [
            *(python, "-m", "minesite", "score", str(path), "--force"),
            *("-o", str(out / "r.csv")),
        ],
    }
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in named}
    for _ in range(runs):
        for name, command in named.items():
            figures[name].append(measured(command))
    walls = {}
    for name, runs_of in figures.items():
        walls[name] = statistics.median(w for w, _, _ in runs_of)
        peak = max(p for _, _, p in runs_of)
        each = ", ".join(f"{w:.2f}" for w, _, _ in runs_of)
        print(f"  {name:24s} wall {walls[name]:6.2f} s  [{each}]  peak {peak:6,.0f} MB")
    ratio = walls["minesite score -> CSV"] / walls["calamine raw read"]
    print(f"  ratio score / calamine    {ratio:.2f}x (target 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl read-only")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = arguments.keep or Path(tmp) / f"kobo-{arguments.visits}.xlsx"
        if path.exists() and arguments.keep:
            print(f"workbook: {path} (reused), {path.stat().st_size / 1e6:.1f} MB")
        else:
            start = time.perf_counter()
            actors = write_workbook(path, arguments.visits)
            written = time.perf_counter() - start
            print(
                f"workbook: {arguments.visits} visits + {actors} actor rows, "
                f"{path.stat().st_size / 1e6:.1f} MB, written in {written:.1f} s"
            )
        print(f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}; {arguments.runs} runs each")
        compare(path, Path(tmp), arguments.runs)
        reader, rows = median_seconds(read_minesite, path, arguments.runs)
        print(f"  read_sheets in process   median {reader:.2f} s ({rows} rows, guard + text)")
        if arguments.openpyxl:
            openpyxl, rows_o = median_seconds(read_openpyxl, path, arguments.runs)
            assert rows == rows_o, (rows, rows_o)
            print(f"  openpyxl read-only       median {openpyxl:.2f} s ({openpyxl / reader:.1f}x)")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
