"""ICGLR data-sharing records (MD.01 mine sites, MD.07 inspections, MD.10 status history) from a
Result, validated against the project's own schema before anything is written.

    from minesite.icglr.export import build_export
    export = build_export(minesite.run(["visits.xlsx"]), registry=Path("ids.csv"))
    export.document  # {"data": [MineSite...], "manifest": {...}}; export.rejects: why not

`minesite export icglr` writes it (minesite/icglr/write.py).
"""
