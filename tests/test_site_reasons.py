"""Every site's reason phrased over whole columns says exactly what the per-site words say."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from test_sites import CHILD, CLEAN, GREEN, HEADER, RED, YELLOW

import minesite
from minesite.render import words
from minesite.render.i18n import catalog
from minesite.render.site_reasons import Briefs, conflict_texts, site_reasons
from minesite.render.view import View

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).parent.parent / "sample_inspections"
RUNS = [
    (DATA / "ipis-slice.csv", {"as_of": dt.date(2024, 2, 29)}),
    (DATA / "ipis-slice.csv", {"as_of": dt.date(2030, 1, 1)}),
    (DATA / "ipis-slice.csv", {"history": True}),
    (DATA / "ipis-slice.csv", {"as_of": dt.date(2024, 2, 29), "profile": "drc"}),
    (SAMPLES / "field-visits.csv", {"as_of": dt.date(2026, 6, 30)}),
    (SAMPLES / "ipis-sample.csv", {"as_of": dt.date(2026, 6, 30)}),
    (SAMPLES / "kobo-visits.csv", {"as_of": dt.date(2026, 6, 30)}),
]
# One site per reason the real slices above do not reach (as of 2025-07-01).
SCENARIOS = {
    "G": [("2025-06-01", GREEN)],
    "E": [("2024-01-01", GREEN)],
    "X": [("2024-10-01", YELLOW), ("2025-06-10", YELLOW)],
    "U": [("", RED)],
    "D": [("", GREEN)],
    "R": [("2025-06-01", {**RED, **CHILD})],
}


def assert_alike(result: minesite.Result, lang: str) -> None:
    view = View(result, lang)
    sites = result.sites
    expected = [
        words.site_reason(row, view.briefs, lang, blue_years=view.blue_years)
        for row in sites.to_dict(orient="records")
    ]
    assert (
        list(site_reasons(sites, Briefs(view.brief_table), lang, blue_years=view.blue_years))
        == expected
    )
    conflicts = result.conflicts
    said = [words.conflict(row, lang) for row in conflicts.to_dict(orient="records")]
    assert list(conflict_texts(conflicts, lang)) == said


def reasons(result: minesite.Result) -> set[str]:
    """The site reason codes of a run (a green latest visit has a code of its own)."""
    sites = result.sites
    green = (sites["reason"] == "site.latest-visit") & (sites["status"] == "green")
    return set(sites["reason"].where(~green, "site.latest-visit-green"))


def scenarios(tmp_path: Path) -> minesite.Result:
    path = tmp_path / "visits.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for site, visits in SCENARIOS.items():
            for i, (day, answers) in enumerate(visits):
                row = {"vid": f"{site}{i}", "pcode": site, "name": site, "visit_date": day}
                writer.writerow({**row, **CLEAN, **answers})
    checklists = ["armed-groups", "child-labor"]
    as_of = dt.date(2025, 7, 1)
    return minesite.run([path], checklists=checklists, profile="drc", as_of=as_of)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("path", "options"), RUNS)
def test_site_reasons_equal_the_per_site_words(path, options, lang):
    assert_alike(minesite.run([path], **options), lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_site_reason_is_phrased_alike(tmp_path, lang):
    assert_alike(scenarios(tmp_path), lang)


def test_the_runs_above_cover_every_site_reason(tmp_path):
    """Its own runs, not what the tests above saw: those may run in another worker."""
    results = [minesite.run([path], **options) for path, options in RUNS]
    results.append(scenarios(tmp_path))
    seen = set().union(*(reasons(r) for r in results))
    codes = {c for c in catalog() if c.startswith("site.") and c != "site.overdue"}
    assert codes <= seen, sorted(codes - seen)
    assert {"conflict", "unverifiable"} == set().union(*(set(r.conflicts["kind"]) for r in results))
