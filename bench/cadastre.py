"""Cadastre lookup: locate 1,000,000 random points against the real DRC title polygons, and count
the real IPIS sites (latest visit per pcode) by title zone.

    python bench/cadastre.py [TITLES.geojson] [IPIS.csv] [--points N]

Defaults: /work/shared/data/real/ipis_webmap_titres_V2.geojson and
/work/shared/data/real/cod_mines_curated_all_opendata_p_ipis.csv (never copied into the repo:
the cadastre polygons carry no licence).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from minesite.cadastre import apply_cadastre, load_titles, locate
from minesite.inputs import read_inspections

REAL = Path("/work/shared/data/real")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("titles", nargs="?", default=REAL / "ipis_webmap_titres_V2.geojson")
    parser.add_argument(
        "visits", nargs="?", default=REAL / "cod_mines_curated_all_opendata_p_ipis.csv"
    )
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    titles = load_titles(args.titles)
    load_s = time.perf_counter() - start
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.total_bounds(titles.geometries))
    rng = np.random.default_rng(7)
    x = rng.uniform(xmin, xmax, args.points)
    y = rng.uniform(ymin, ymax, args.points)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        located = locate(titles, x, y)
        times.append(time.perf_counter() - start)
    zones = {k: int(v) for k, v in pd.Series(located.zone).value_counts().items()}
    print(f"titles: {len(titles)} features loaded in {load_s:.2f} s from {Path(args.titles).name}")
    print(
        f"locate {args.points:,} random points in bbox "
        f"[{xmin:.2f}, {ymin:.2f}, {xmax:.2f}, {ymax:.2f}]: "
        f"median {statistics.median(times):.2f} s "
        f"over {args.runs} runs ({', '.join(f'{t:.2f}' for t in times)}); "
        f"{located.hits.shape[1]:,} point-title hits; zones {zones}"
    )

    inspection = read_inspections([args.visits])
    visits = inspection.visits
    order = visits.assign(_date=pd.to_datetime(visits["visit_date"], errors="coerce"))
    latest = order.sort_values(["pcode", "_date"], kind="stable").groupby("pcode").tail(1)
    start = time.perf_counter()
    located_sites = apply_cadastre(inspection, titles).visits.loc[latest.index]
    apply_s = time.perf_counter() - start
    zone = located_sites["title_zone"].where(
        located_sites["title_zone"].isin(["ZEA", "PE", "PR", "ZIN", "none", ""]), "bad coordinates"
    )
    zone = zone.replace("", "no coordinates")
    counts = zone.value_counts()
    print(
        f"IPIS sites (latest visit per pcode): {len(latest):,}; apply_cadastre on all "
        f"{len(visits):,} visits {apply_s:.2f} s"
    )
    print(
        "  title_zone (ZIN > active PE > active PR > ZEA): "
        + ", ".join(
            f"{name} {int(counts.get(name, 0))}"
            for name in ("ZEA", "PE", "PR", "ZIN", "none", "no coordinates", "bad coordinates")
        )
    )
    # Any title whatever its status, as in research/domain.md section 5.3.
    lon = pd.to_numeric(latest["longitude"], errors="coerce").to_numpy()
    lat = pd.to_numeric(latest["latitude"], errors="coerce").to_numpy()
    point, title = locate(titles, lon, lat).hits
    classes = pd.DataFrame({"site": point, "zone": titles.zone[title]}).drop_duplicates()
    inside = classes.groupby("zone")["site"].nunique()
    print(
        "  inside any title of the class, whatever its status: "
        + ", ".join(f"{z.upper()} {int(inside.get(z, 0))}" for z in ("zea", "pe", "pr", "zin"))
        + f", in none {len(latest) - classes['site'].nunique()}"
    )


if __name__ == "__main__":
    main()
