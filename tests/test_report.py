"""minesite report: PDF and HTML summaries, read back (pypdf) and checked site by site."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import minesite
from minesite.cli import app
from minesite.render.document import build_document
from minesite.render.html import render_html
from minesite.render.pdf import render_pdf

ROOT = Path(__file__).resolve().parent.parent
FIELD = ROOT / "sample_inspections" / "field-visits.csv"
AS_OF = dt.date(2026, 6, 30)
FRENCH = "Cœur « Sud » — Kalémie"
HOSTILE = "<script>alert(1)</script>"
WORDS = {
    "fr": {"red": "ROUGE", "yellow": "JAUNE", "green": "VERT"},
    "en": {"red": "RED", "yellow": "YELLOW", "green": "GREEN"},
}


@pytest.fixture(scope="module")
def visits_csv(tmp_path_factory) -> Path:
    """Three sites with canonical IPIS-style columns: red (French name), yellow, green."""
    with FIELD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_vid = {r["vid"]: r for r in rows}
    picked = [
        (by_vid["FV-004"], "t-red", FRENCH),  # armed group, child under 15: red
        (by_vid["FV-003"], "t-yellow", HOSTILE),  # FARDC present: yellow
        (by_vid["FV-002"], "t-green", "Mabingo Ouest"),  # green
    ]
    path = tmp_path_factory.mktemp("report") / "visits.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row, pcode, name in picked:
            writer.writerow({**row, "pcode": pcode, "name": name, "vid": f"V-{pcode}"})
    return path


def _document(path: Path, lang: str, site: str | None = None):
    # drc: FARDC present (FV-003) is yellow there, an RCM info under icglr.
    result = minesite.run([path], as_of=AS_OF, site=site, profile="drc")
    return result, build_document(result, lang=lang)


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_names_each_site_with_its_colour_and_decisive_criteria(visits_csv, lang):
    report, document = _document(visits_csv, lang)
    pages = _pages(render_pdf(document))
    decisive = dict(zip(report.visits["site_id"], report.visits["decisive"], strict=True))
    assert set(decisive["t-red"].split()) >= {"SEC-01", "CHL-01"}
    assert decisive["t-yellow"]
    for site, status in (("t-red", "red"), ("t-yellow", "yellow"), ("t-green", "green")):
        # Each site starts its own page: find it by its id and check what is on it.
        page = next(p for p in pages[1:] if site in p)
        assert WORDS[lang][status] in page
        for criterion in decisive[site].split():
            assert criterion in page
    # Red first, then yellow, then green, each from its own page.
    first = {s: next(i for i, p in enumerate(pages) if i and s in p) for s in decisive}
    assert first["t-red"] < first["t-yellow"] < first["t-green"]


def test_french_accents_and_typography_survive_extraction(visits_csv):
    _, document = _document(visits_csv, "fr")
    text = "\n".join(_pages(render_pdf(document)))
    assert FRENCH in text
    for word in ("œ", "«", "»", "—", "Critères non respectés", "Chef d’équipe", "Périmètre"):
        assert word in text


def test_every_pdf_page_has_running_header_and_page_numbers(visits_csv):
    _, document = _document(visits_csv, "en")
    pages = _pages(render_pdf(document))
    total = len(pages)
    assert total >= 4  # front page + one per site
    for number, page in enumerate(pages, start=1):
        assert f"minesite — Mine-site validation report — page {number}/{total}" in page


def test_front_page_scope_counts_and_red_sites(visits_csv):
    _, document = _document(visits_csv, "fr")
    front = _pages(render_pdf(document))[0]
    assert "visits.csv" in front
    assert document.files[0]["sha256"][:20] in front.replace("\n", "")
    assert "armed-groups" in front and "drc" in front
    assert "Sud-Kivu" in front and "Walungu" in front
    assert "Sites rouges (1)" in front
    assert document.totals == {"red": 1, "yellow": 1, "blue": 0, "green": 1}


def test_html_escapes_a_hostile_site_name(visits_csv):
    _, document = _document(visits_csv, "en")
    page = render_html(document)
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page  # no network resource
    assert "@media print" in page and "break-before: page" in page
    assert FRENCH in page


def test_cli_writes_pdf_and_html_limited_to_one_site(visits_csv, tmp_path):
    out = tmp_path / "one.pdf"
    result = CliRunner().invoke(
        app,
        ["report", str(visits_csv), "-o", str(out), "--site", "t-red", "--lang", "fr"]
        + ["--as-of", "2026-06-30"],
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(_pages(out.read_bytes()))
    assert FRENCH in text and "t-yellow" not in text and "t-green" not in text
    html = tmp_path / "all.html"
    result = CliRunner().invoke(app, ["report", str(visits_csv), "-o", str(html)])
    assert result.exit_code == 0, result.output
    assert "t-green" in html.read_text(encoding="utf-8")


def test_cli_refuses_to_overwrite_and_to_write_over_an_input(visits_csv, tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"keep me")
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(visits_csv), "-o", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert out.read_bytes() == b"keep me"
    result = runner.invoke(app, ["report", str(visits_csv), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    fake_input = tmp_path / "visits.html"
    fake_input.write_text("vid\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(fake_input), "-o", str(fake_input), "--force"])
    assert result.exit_code == 2
    assert "input file" in result.output


def test_cli_rejects_unknown_site_and_format(visits_csv, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["report", str(visits_csv), "-o", str(tmp_path / "x.pdf"), "--site", "nope"]
    )
    assert result.exit_code == 2 and "nope" in result.output
    assert not (tmp_path / "x.pdf").exists()
    result = runner.invoke(app, ["report", str(visits_csv), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and ".pdf, .html" in result.output


def test_site_without_qualification_column_or_visits_is_blue(tmp_path):
    path = tmp_path / "desk.csv"
    path.write_text(
        "vid,pcode,name,province,territoire,visit_date,visit_onsite,presence,childunder15\n"
        "D-1,t-desk,Bureau,,,2026-01-10,0,,\n",
        encoding="utf-8",
    )
    _, document = _document(path, "fr")
    assert [s.status for s in document.sites] == ["blue"]
    assert document.sites[0].province == "—"
    assert "BLEU" in "\n".join(_pages(render_pdf(document)))


def test_long_free_text_wraps_instead_of_overflowing(tmp_path):
    with FIELD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    long_name = "Site minier de la colline " + " ".join(["Kalémie-Nord"] * 12)
    long_team = "; ".join(f"Inspecteur n° {i} de la Division des Mines" for i in range(12))
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow({**rows[3], "pcode": "t-long", "name": long_name, "team": long_team})
    _, document = _document(path, "fr")
    text = " ".join(" ".join(_pages(render_pdf(document))).split())
    assert "Kalémie-Nord Kalémie-Nord" in text
    assert "Inspecteur n° 11 de la Division des Mines" in text


def test_site_reasons_are_translated():
    from minesite.render.words import site_reason

    expired = {"reason": "site.expired", "status": "blue", "valid_until": "2025-01-02"}
    assert site_reason(expired, {}, "fr") == "bleu (non vérifié) : le vert a expiré le 2025-01-02"
    assert site_reason(expired, {}, "en") == "blue (not verified): green expired on 2025-01-02"
    timed = {"reason": "site.time-expired", "status": "red", "blue_since": "2022-01-15"}
    assert site_reason(timed, {}, "fr") == (
        "rouge (délai expiré) : bleu (non vérifié) depuis le 2022-01-15, plus de 3 ans"
    )
    escalated = {
        "reason": "site.escalated",
        "status": "red",
        "criteria": "LEG-05",
        "since_visit": "V1",
        "decided_by_visit": "V2",
    }
    assert site_reason(escalated, {}, "fr") == (
        "rouge (aggravé) : LEG-05 de nouveau non respecté(s) après le délai de remédiation"
        " (visites V1 et V2)"
    )


def test_huge_free_text_is_cut_rather_than_breaking_the_layout(tmp_path):
    with FIELD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(
            {**rows[3], "pcode": "t-huge", "name": "Mine " * 2000, "team": "membre " * 5000}
        )
    _, document = _document(path, "en")
    pages = _pages(render_pdf(document))
    assert any("t-huge" in p and "RED" in p for p in pages)


def test_font_is_reportlab_vera_unless_a_character_is_missing():
    from minesite.render.pdf_base import font_files as _font_files

    regular, bold = _font_files("Cœur « Sud » — Kalémie ’ …")
    assert regular.endswith("Vera.ttf") and bold.endswith("VeraBd.ttf")
    if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        assert _font_files("Lingala: mbɛ́")[0].endswith("DejaVuSans.ttf")


def test_french_front_pages_and_summary_line_use_french_punctuation(tmp_path):
    ipis = Path(__file__).parent.parent / "sample_inspections" / "ipis-sample.csv"
    said = {}
    for suffix in (".pdf", ".html"):
        out = tmp_path / f"dossier{suffix}"
        result = CliRunner().invoke(
            app, ["report", str(ipis), "-o", str(out), "--lang", "fr", "--as-of", "2024-02-29"]
        )
        assert result.exit_code == 0, result.output
        said[suffix] = result.output
        front = _pages(out.read_bytes())[0] if suffix == ".pdf" else out.read_text("utf-8")
        front = " ".join(front.split())
        assert "Profil : icglr" in front and "Lignes lues : 33" in front, front[:400]
        assert "non évaluée ; 5 ×" in front, front[:600]
    assert "tous les sites (16) ; rouge 13" in " ".join(said[".pdf"].split())
