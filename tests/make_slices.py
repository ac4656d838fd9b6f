"""Cut the real IPIS slices kept in the repository (run by hand; tests never read ../shared).

    python tests/make_slices.py ../shared/data/real/cod_mines_curated_all_opendata_p_ipis.csv

Writes sample_inspections/ipis-sample.csv (+ .xlsx) and tests/data/ipis-slice.csv: rows copied
byte for byte (UTF-8, CRLF, quoting kept) from IPIS open data. Source: IPIS, Artisanal mining
sites in eastern DRC, open data (ODC-BY 1.0, credit IPIS).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
# Visits chosen to show every colour and every reason for no colour (by IPIS `vid`), plus the
# whole history of three sites.
SAMPLE_VIDS = {
    "9",
    "10",
    "460",
    "461",
    "661",
    "2021",
    "2023",
    "2025",
    "2029",
    "2372",
    "4471",
    "4472",
    "4800",
    "4802",
    "4804",
    "4805",
}
SAMPLE_SITES = {"codmine00309", "codmine02880", "codmine01250"}


def records(path: Path) -> tuple[str, list[tuple[dict[str, str], str]]]:
    """Header line and (row, exact text) of every record, keeping embedded newlines."""
    text = path.read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    header, out, buffer = lines[0], [], ""
    names = next(csv.reader([header]))
    for line in lines[1:]:
        buffer = f"{buffer}\r\n{line}" if buffer else line
        fields = next(csv.reader(io.StringIO(buffer)), [])
        if buffer.count('"') % 2 == 0 and fields:
            out.append((dict(zip(names, fields, strict=False)), buffer))
            buffer = ""
    return header, out


def write(path: Path, header: str, chosen: list[str]) -> None:
    path.write_bytes(("\r\n".join([header, *chosen]) + "\r\n").encode("utf-8"))


def main(source: Path) -> None:
    header, rows = records(source)
    sample = [
        text for row, text in rows if row["vid"] in SAMPLE_VIDS or row["pcode"] in SAMPLE_SITES
    ]
    write(HERE.parent / "sample_inspections" / "ipis-sample.csv", header, sample)
    frame = pd.read_csv(
        HERE.parent / "sample_inspections" / "ipis-sample.csv", dtype=str, keep_default_na=False
    )
    frame.to_excel(
        HERE.parent / "sample_inspections" / "ipis-sample.xlsx", index=False, sheet_name="visits"
    )
    # Every 8th record, plus every record with an embedded newline: about 870 rows.
    sliced = [text for i, (row, text) in enumerate(rows) if i % 8 == 0 or "\n" in text]
    write(HERE / "data" / "ipis-slice.csv", header, sliced)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
