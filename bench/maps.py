"""Benchmark: 1,000 site maps (with neighbours and cadastre titles) drawn into one PDF.

Sites: the coordinates of the IPIS open data (data/real/...ipis.csv) when present, else 3,400
made-up points over eastern DRC; titles: the IPIS web-map cadastre (data/real/...titres_V2.geojson)
when present, else a grid of 2 km squares around the sites. Times the map plans, then the PDF of
those maps as reportlab Drawings (`to_drawing`) and as direct-canvas flowables (`map_flowable`,
what render/pdf.py uses), several maps a page.

    python bench/maps.py [--real PATH] [--cadastre PATH] [--maps 1000]
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import numpy as np
import shapely

REAL = Path("/work/shared/data/real/cod_mines_curated_all_opendata_p_ipis.csv")
CADASTRE = Path("/work/shared/data/real/ipis_webmap_titres_V2.geojson")
STATUSES = ("red", "yellow", "blue", "green")


def points(real: Path):  # noqa: ANN201
    from minesite.render.sitemap import MapPoint

    rng = np.random.default_rng(14)
    if real.exists():
        import pandas as pd

        frame = pd.read_csv(
            real, dtype=str, keep_default_na=False, usecols=["pcode", "latitude", "longitude"]
        )
        frame = frame.drop_duplicates("pcode")
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy()
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy()
        names = frame["pcode"].tolist()
    else:
        lon, lat = rng.uniform(26.5, 29.5, 3400), rng.uniform(-5.0, 2.0, 3400)
        names = [f"site{i:05d}" for i in range(3400)]
    status = rng.choice(STATUSES, len(names))
    return [
        MapPoint(float(x), float(y), str(s), n)
        for x, y, s, n in zip(lon, lat, status, names, strict=True)
    ]


def titles(sites, cadastre: Path):  # noqa: ANN001, ANN201
    from minesite.render.sitemap import MapTitle

    if cadastre.exists():
        from minesite.cadastre import load_titles
        from minesite.render.sitemap import TitleIndex

        return TitleIndex.from_cadastre(load_titles(cadastre)).titles

    lon = np.array([p.lon for p in sites if np.isfinite(p.lon)])
    lat = np.array([p.lat for p in sites if np.isfinite(p.lat)])
    step = 0.018  # about 2 km
    found = []
    for x, y in zip(lon[:5000], lat[:5000], strict=True):
        for dx in (-1, 0, 1):
            for dy in (-1, 0):
                x0, y0 = round(x / step + dx) * step, round(y / step + dy) * step
                found.append((x0, y0))
    found = sorted(set(found))
    classes = ("ZEA", "PE", "PR", "ZIN")
    return [
        MapTitle(shapely.box(x, y, x + step * 0.95, y + step * 0.95), classes[i % 4], f"T{i}")
        for i, (x, y) in enumerate(found)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--cadastre", type=Path, default=CADASTRE)
    parser.add_argument("--maps", type=int, default=1000)
    args = parser.parse_args()
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from minesite.render.mapdraw import map_flowable, to_drawing
    from minesite.render.sitemap import SiteIndex, TitleIndex, site_map, usable

    sites = points(args.real)
    polygons = titles(sites, args.cadastre)
    cpu = time.process_time()
    start = time.perf_counter()
    index, title_index = SiteIndex(sites), TitleIndex(polygons)
    located = [p for p in sites if usable(p.lon, p.lat)][: args.maps]
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    plans = [site_map(p, index, title_index, size=(180 * mm, 38 * mm)) for p in located]
    planned = time.perf_counter() - start
    plan_cpu = time.process_time() - cpu
    start = time.perf_counter()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([to_drawing(plan) for plan in plans])
    drawn = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    fast = io.BytesIO()
    SimpleDocTemplate(fast, pagesize=A4).build([map_flowable(plan) for plan in plans])
    flowed = time.perf_counter() - start
    flow_cpu = time.process_time() - cpu
    items = sum(len(p.items) for p in plans)
    print(
        f"{len(sites)} sites, {len(polygons)} titles: indexes {indexed:.2f} s; "
        f"{len(plans)} map plans {planned:.2f} s ({items / len(plans):.0f} primitives a map); "
        f"PDF of Drawings {drawn:.2f} s ({len(buffer.getvalue()) / 1e6:.1f} MB); "
        f"PDF of map_flowable {flowed:.2f} s ({len(fast.getvalue()) / 1e6:.1f} MB); "
        f"plans + map_flowable PDF {indexed + planned + flowed:.2f} s wall, "
        f"{plan_cpu + flow_cpu:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
