"""The site dossier's maps and photos, through `minesite report` (PDF and HTML)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from minesite.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inspections"
DATA = Path(__file__).parent / "data"
PHOTOS = SAMPLES / "odk-photos.zip"
MISSING = SAMPLES / "odk-photos-missing.zip"


def _report(*args: str):
    result = CliRunner().invoke(app, ["report", *args, "--as-of", "2026-03-20"])
    return result


def _media_sha256(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            n.removeprefix("media/"): hashlib.sha256(archive.read(n)).hexdigest()
            for n in archive.namelist()
            if n.startswith("media/")
        }


def test_site_pdf_holds_the_photos_and_lists_their_sha256(tmp_path):
    out = tmp_path / "mukungwe.pdf"
    result = _report(str(PHOTOS), "-o", str(out), "--site", "demo00004", "--lang", "fr")
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert sum(len(p.images) for p in reader.pages) == 4
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    shas = _media_sha256(PHOTOS)
    for name in (
        "1710412345678.jpg",
        "1710412399001.jpg",
        "1710412455120.png",
        "1710412420333.jpg",
    ):
        assert name in text and shas[name] in text
    assert "1710067260450.jpg" not in text  # another site's photo
    assert "Photos et pièces jointes" in text and "Carte" in text and "Carte des sites" in text
    assert "Visite 2026-03-14 · odk-photos.zip:5" in text  # which visit each photo documents
    # each photo goes with the criteria answered beside it: its form group, or its actor's row
    bare = "".join(text.split())
    assert "Serapporteà" + "CHL-01,CHL-02,CHL-03,CHL-04" in bare
    assert "Serapporteà" + "SEC-01,SEC-03,SEC-05" in bare
    assert out.stat().st_size < 8 * 1024 * 1024
    front = reader.pages[0].extract_text()
    # The front page is the batch's (counts and map); the pages are the one site asked for.
    assert "VERT 3" in front and "vert 3" in front
    assert "Pages de site : 1 sur 6 sites (--site demo00004)" in front


def test_a_missing_photo_is_named_and_the_report_still_written(tmp_path):
    out = tmp_path / "missing.pdf"
    result = _report(str(MISSING), "-o", str(out), "--site", "demo00004", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1710412455120.png" in result.output and "enfants-photo_enfants" in result.output
    reader = PdfReader(out)
    assert sum(len(p.images) for p in reader.pages) == 3
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert "missing photo" in text and "1710412455120.png" in text


def test_every_site_page_has_a_map_or_says_it_has_no_gps(tmp_path):
    out = tmp_path / "cadastre.pdf"
    cadastre = DATA / "cadastre-squares.geojson"
    visits = DATA / "cadastre-visits.csv"
    result = _report(str(visits), "-o", str(out), "--cadastre", str(cadastre), "--lang", "en")
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert text.count("No GPS coordinates for this site: no map.") == 1  # site6 only
    assert "Map of the sites" in text and "this site" in text
    for label in ("ZEA ZEA-T1", "PE PE-T2", "PR PR-T3", "ZIN ZIN-T4"):
        assert label in text  # the titles are drawn and labelled with class and name
    assert "not in force" in text  # the lapsed PR


def test_html_has_inline_maps_and_embedded_photos_and_names_no_url(tmp_path):
    out = tmp_path / "report.html"
    result = _report(str(PHOTOS), "-o", str(out), "--lang", "fr")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 + 6  # the batch map and one per site (all located)
    assert page.count("data:image/jpeg;base64,") == 5
    for sha in _media_sha256(PHOTOS).values():
        assert sha in page
    assert "http://" not in page and "https://" not in page
    # printed: one row of photos never leaves its heading behind (Chromium honours this)
    assert '<div class="photo-block together"><h3 class="keep">' in page
    assert ".photo-block.together { break-inside: avoid;" in page


def test_kobo_photos_come_from_the_media_folder(tmp_path):
    kobo = (SAMPLES / "kobo-visits.csv").read_text(encoding="utf-8").splitlines()
    kobo[0] += ';"photos/photo_site"'
    kobo[1:] = [line + (';"kalimba.jpg"' if i == 0 else ';""') for i, line in enumerate(kobo[1:])]
    csv = tmp_path / "kobo.csv"
    csv.write_text("\r\n".join(kobo) + "\r\n", encoding="utf-8")
    folder = tmp_path / "media"
    folder.mkdir()
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "green").save(buffer, "JPEG")
    (folder / "kalimba.jpg").write_bytes(buffer.getvalue())
    out = tmp_path / "kobo.pdf"
    result = _report(str(csv), "-o", str(out), "--media", str(folder), "--site", "demo00001")
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert sum(len(p.images) for p in reader.pages) == 1
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert hashlib.sha256(buffer.getvalue()).hexdigest() in text
    result = _report(str(csv), "-o", str(tmp_path / "x.pdf"), "--media", str(tmp_path / "no"))
    assert result.exit_code == 2 and "--media" in result.output


def test_a_title_name_outside_the_default_font_is_still_drawn(tmp_path):
    import json

    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        return  # only DejaVu Sans covers ɛ here; without it the PDF keeps Vera
    titles = json.loads((SAMPLES / "demo-cadastre.geojson").read_text(encoding="utf-8"))
    titles["features"][0]["properties"]["name"] = "Mbɔ́kɛ"  # the ZEA around Kalimba Centre
    path = tmp_path / "titles.geojson"
    path.write_text(json.dumps(titles, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "kalimba.pdf"
    # A fresh process: reportlab keeps the first font registered under a name for the process.
    command = [sys.executable, "-m", "minesite", "report", str(PHOTOS), "-o", str(out)]
    command += ["--site", "demo00001", "--cadastre", str(path), "--as-of", "2026-03-20"]
    subprocess.run(command, check=True, capture_output=True)
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in PdfReader(out).pages
        for f in page["/Resources"].get("/Font", {}).values()
    }
    assert any("DejaVu" in f for f in fonts)


def test_a_site_s_pictures_are_shrunk_to_fit_its_budget(tmp_path, monkeypatch):
    import numpy as np
    from PIL import Image

    from minesite.render import dossier

    def noisy(seed: int) -> bytes:  # a photo JPEG cannot compress much
        noise = np.random.default_rng(seed).integers(0, 255, (600, 800, 3), dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(noise).save(buffer, "JPEG", quality=90)
        return buffer.getvalue()

    big, sizes = tmp_path / "big.zip", []
    with zipfile.ZipFile(PHOTOS) as old, zipfile.ZipFile(big, "w") as new:
        for seed, info in enumerate(old.infolist()):
            data = old.read(info)
            if info.filename.startswith("media/"):
                data = noisy(seed)
                sizes.append(len(data))
            new.writestr(info.filename, data)
    budget = 400_000  # the real one is 6 MB: four noisy photos overflow this small one
    monkeypatch.setattr(dossier, "PHOTO_BUDGET", budget)
    out = tmp_path / "big.pdf"
    result = _report(str(big), "-o", str(out), "--site", "demo00004")
    assert result.exit_code == 0, result.output
    images = [i.data for page in PdfReader(out).pages for i in page.images]
    assert len(images) == 4 and sum(sorted(sizes)[:4]) > budget
    assert sum(len(i) for i in images) <= budget


def test_hostile_attachment_names_are_text_in_html_and_pdf(tmp_path):
    hostile = '<img src=x onerror="alert(1)"> & <b>.jpg'
    kobo = (SAMPLES / "kobo-visits.csv").read_text(encoding="utf-8").splitlines()
    kobo[0] += ';"photos/<script>q</script>"'
    escaped = hostile.replace('"', '""')
    kobo[1:] = [line + (f';"{escaped}"' if i == 0 else ';""') for i, line in enumerate(kobo[1:])]
    csv = tmp_path / "kobo.csv"
    csv.write_text("\r\n".join(kobo) + "\r\n", encoding="utf-8")
    (tmp_path / "m").mkdir()
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    for out in (html, pdf):
        result = _report(str(csv), "-o", str(out), "--media", str(tmp_path / "m"))
        assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>q" not in page and "<b>.jpg" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;.jpg" in page
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "".join(hostile.split()) in "".join(text.split())  # as text, wrapped anywhere


def test_a_photo_goes_with_the_answers_of_its_group_or_its_repeat_row():
    from minesite.findings import Finding
    from minesite.inputs.media import Attachment
    from minesite.render.dossier import documents

    def finding(criterion, sheet, row, column):
        return Finding(criterion, "red", "fail", "", "f.csv", sheet, row, column)

    found = [
        finding("CHL-01", None, 4, "enfants/moins_15"),
        finding("SEC-04", None, 4, "securite/presence"),
        finding("CHL-02", None, 5, "enfants/moins_15"),  # another visit's row
        finding("SEC-01", "actors", 3, "type_acteur"),
        finding("SEC-02", "actors", 4, "type_acteur"),  # another actor
    ]
    kobo = Attachment(0, "enfants/photo", "a.jpg", sheet=None, row=4)
    assert documents(kobo, found) == ("CHL-01",)
    actor = Attachment(0, "actors-photo", "b.jpg", sheet="actors", row=3, repeat=True)
    assert documents(actor, found) == ("SEC-01",)
    ungrouped = Attachment(0, "photo", "c.jpg", sheet=None, row=4)
    assert documents(ungrouped, found) == ()
