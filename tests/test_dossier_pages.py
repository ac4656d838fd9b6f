"""The site dossier's pages: what was checked and passed, reference, signatures that always name
their site, --status and --split, fonts per document (read back with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import minesite
from minesite.cli import app
from minesite.render.document import build_document
from minesite.render.html import render_html
from minesite.render.pdf import render_pdf
from minesite.render.selection import SUMMARY, file_names, parse_statuses, reference

ROOT = Path(__file__).resolve().parent.parent
FIELD = ROOT / "sample_inspections" / "field-visits.csv"
SLICE = Path(__file__).parent / "data" / "ipis-slice.csv"
AS_OF = dt.date(2026, 6, 30)


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _report(*args: str):
    return CliRunner().invoke(app, ["report", *args, "--as-of", AS_OF.isoformat()])


@pytest.fixture(scope="module")
def ipis_document():
    """40 sites of the IPIS slice: long histories, so site pages break across pages."""
    result = minesite.run([SLICE], as_of=AS_OF)
    document = build_document(result, lang="fr")
    busiest = sorted(document.sites, key=lambda s: -len(s.history))[:40]
    return replace(document, sites=busiest)


def test_a_signature_block_never_stands_on_a_page_without_its_site(ipis_document):
    pages = _pages(render_pdf(ipis_document, front=False))
    sites = {s.site_id: s for s in ipis_document.sites}
    assert len(pages) > len(sites)  # some sites run over a page
    signed = 0
    for page in pages:
        # The running header names the site of every site page (its reference when it fits).
        header = page.rsplit("minesite — ", 1)[1]  # drawn last: the end of the page's text
        (site,) = (s for i, s in sites.items() if f"({i})" in header)
        if "Agent validateur" in page:
            signed += 1
            name = " ".join(f"Signatures — {site.name or site.site_id} ({site.site_id})".split())
            assert name in " ".join(page.split())
    assert signed == len(sites)  # one block each, never split over two pages


def test_a_green_page_lists_what_was_checked_and_passed_with_the_answers():
    result = minesite.run([FIELD], as_of=AS_OF, site="demo00001")
    document = build_document(result, lang="en")
    (section,) = document.sites
    assert section.status == "green" and section.passed
    page = "\n".join(_pages(render_pdf(document))[1:])
    assert "Checked and passed (what the signatories certify)" in page
    for line in section.passed:
        assert line.criterion in page
    assert any("answer" in line.answer for line in section.passed)
    # An actor criterion passed by an actor of another kind says so, without its conduct.
    assert all("taxes" not in line.answer for line in section.passed)


def test_every_site_page_carries_a_stable_reference_and_the_generation_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    result = minesite.run([FIELD], as_of=AS_OF)
    first = build_document(result, lang="fr")
    again = build_document(minesite.run([FIELD], as_of=AS_OF), lang="fr")
    assert [s.reference for s in first.sites] == [s.reference for s in again.sites]
    section = next(s for s in first.sites if s.site_id == "demo00004")
    assert section.reference.startswith("MS-demo00004-20260630-")
    assert reference("demo00004", "2026-06-30", ["other"]) != section.reference
    pages = _pages(render_pdf(first))
    assert all("Établi le 2026-09-21 14:13 UTC" in p for p in pages)
    assert any(section.reference in p.replace("\n", "") for p in pages[1:])


def test_a_long_id_in_the_identity_block_is_wrapped_not_run_past_the_margin(tmp_path):
    long_id = "uuid:" + "3f2a9c1e7b" * 15  # wider than the page: cut wherever it is shown
    text = FIELD.read_text(encoding="utf-8").replace("FV-004", long_id)
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    document = build_document(minesite.run([path], as_of=AS_OF, site="demo00004"), lang="fr")
    page = _pages(render_pdf(document))[1]
    assert long_id in page.replace("\n", "")
    assert all(long_id not in line for line in page.splitlines())


def test_a_second_document_needing_dejavu_gets_it_in_the_same_process(tmp_path):
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        pytest.skip("DejaVu Sans not installed")
    plain = build_document(minesite.run([FIELD], as_of=AS_OF, site="demo00001"), lang="fr")
    render_pdf(plain)  # Vera first
    text = FIELD.read_text(encoding="utf-8").replace("Kalimba Centre", "Mbɛ́ngɛ")
    path = tmp_path / "lingala.csv"
    path.write_text(text, encoding="utf-8")
    lingala = build_document(minesite.run([path], as_of=AS_OF, site="demo00001"), lang="fr")
    reader = PdfReader(io.BytesIO(render_pdf(lingala)))
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
        if "/BaseFont" in f.get_object()
    }
    assert any("DejaVu" in f for f in fonts), fonts
    assert "Mbɛ́ngɛ" in "".join(p.extract_text() for p in reader.pages)


def test_status_words_in_french_and_english():
    assert parse_statuses("rouge, jaune") == ("red", "yellow")
    assert parse_statuses("green,RED,vert") == ("red", "green")
    assert parse_statuses("incomplet") == ("blue",)
    assert parse_statuses(None) is None


def test_status_keeps_the_batch_summary_and_only_the_pages_asked_for(tmp_path):
    out = tmp_path / "red.pdf"
    result = _report(str(FIELD), "-o", str(out), "--status", "rouge", "--lang", "fr")
    assert result.exit_code == 0, result.output
    pages = _pages(out.read_bytes())
    front, sites = pages[0], pages[1:]
    assert "ROUGE 1" in front and "VERT 3" in front and "BLEU 2" in front
    assert "Pages de site : 1 sur 6 sites (rouge)" in front
    assert all("demo00004" in p for p in sites)
    assert not any(re.search(r"demo0000[12356]\)", p) for p in sites)


def test_a_bad_status_is_one_line_exit_2(tmp_path):
    result = _report(str(FIELD), "-o", str(tmp_path / "x.pdf"), "--status", "rose")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--status" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_split_writes_one_file_per_site_named_by_its_id_and_the_summary(tmp_path):
    folder = tmp_path / "dossiers"
    result = _report(str(FIELD), "--split", str(folder), "--lang", "fr")
    assert result.exit_code == 0, result.output
    ids = [f"demo0000{i}" for i in range(1, 7)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{SUMMARY}.pdf"] + [f"{i}.pdf" for i in ids]
    )
    for site_id in ids:
        pages = _pages((folder / f"{site_id}.pdf").read_bytes())
        assert all(site_id in p for p in pages)  # no front page, only the site
        assert "Agent validateur" in "".join(pages)
    summary = _pages((folder / f"{SUMMARY}.pdf").read_bytes())
    assert len(summary) == 1 and "Sites par province et territoire" in summary[0]


def test_split_refuses_existing_files_without_force_and_writes_nothing(tmp_path):
    folder = tmp_path / "d"
    assert _report(str(FIELD), "--split", str(folder), "--status", "red").exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = _report(str(FIELD), "--split", str(folder), "--status", "red,green")
    assert again.exit_code == 2 and "--force" in again.output
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    forced = _report(str(FIELD), "--split", str(folder), "--status", "red,green", "--force")
    assert forced.exit_code == 0, forced.output
    assert len(list(folder.iterdir())) == 5  # summary, demo00004, three greens


def test_split_as_html_and_the_output_options_exclude_each_other(tmp_path):
    folder = tmp_path / "h"
    result = _report(str(FIELD), "--split", str(folder), "--format", "html", "--status", "bleu")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["demo00005.html", "demo00006.html", "summary.html"]
    page = (folder / "demo00005.html").read_text(encoding="utf-8")
    assert 'class="signatures"' in page and "Kitagana (demo00005)" in page
    both = _report(str(FIELD), "--split", str(folder), "-o", str(tmp_path / "x.pdf"))
    assert both.exit_code == 2
    mismatch = _report(str(FIELD), "-o", str(tmp_path / "x.pdf"), "--format", "html")
    assert mismatch.exit_code == 2 and "--format" in mismatch.output


def test_split_file_names_are_safe_unique_and_stable():
    ids = ["codmine00162", "../etc/passwd", "a/b", "A b", "CON", "Site1", "site1", SUMMARY, ""]
    names = file_names(ids, ".pdf")
    assert names == file_names(ids, ".pdf")
    assert names["codmine00162"] == "codmine00162.pdf"
    assert len({n.lower() for n in names.values()}) == len(ids)
    assert f"{SUMMARY}.pdf" not in names.values()
    for name in names.values():
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.pdf", name), name
        assert ".." not in name and not name.lower().startswith("con.")


def test_html_signatures_name_the_site_and_stay_on_one_printed_page():
    document = build_document(minesite.run([FIELD], as_of=AS_OF), lang="en")
    page = render_html(document)
    for s in document.sites:
        assert f"<h3>Signatures — {s.name} ({s.site_id})</h3>" in page
    css = page[page.index("<style>") : page.index("</style>")]
    assert re.search(r"\.signatures \{ break-inside: avoid", css)
    assert page.count("Validating official") == len(document.sites)


def test_white_badge_ink_is_white():
    from reportlab.lib import colors

    from minesite.render.palette import INK

    assert colors.HexColor(INK["red"]) == colors.white
    assert colors.HexColor(INK["yellow"]) == colors.black


def test_a_batch_of_more_than_15_areas_says_its_chart_shows_the_top_15(ipis_document):
    assert len(ipis_document.areas) > 15
    front = " ".join(" ".join(_pages(render_pdf(replace(ipis_document, sites=[])))).split())
    assert "Graphique : les 15 zones comptant le plus de sites." in front
    assert "Graphique : les 15 zones" in render_html(replace(ipis_document, sites=[]))


def test_an_actor_finding_names_the_file_it_was_read_from_not_the_actor():
    result = minesite.run(
        [ROOT / "sample_inspections" / "odk-photos.zip"], as_of=AS_OF, site="demo00004"
    )
    findings = result.findings
    assert set(findings["file"]) == {"odk-photos.zip"}
    assert "FARDC" in set(findings["actor_name"])  # the second actor, once taken as the file


def test_a_site_file_starts_with_its_site_even_when_a_neighbour_name_lacks_a_glyph(tmp_path):
    text = FIELD.read_text(encoding="utf-8").replace("Mabingo", "Mabingo 金")
    path = tmp_path / "glyph.csv"
    path.write_text(text, encoding="utf-8")
    folder = tmp_path / "d"
    assert _report(str(path), "--split", str(folder), "--site", "demo00001").exit_code == 0
    first = _pages((folder / "demo00001.pdf").read_bytes())[0]
    assert "Kalimba Centre" in first and "U+91D1" not in first
