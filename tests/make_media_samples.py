"""Build the made-up ODK Central zips with photos in `media/` (sample_inspections/odk-photos*.zip)
and a made-up cadastre around the same sites (sample_inspections/demo-cadastre.geojson).

The six visits of tests/make_dialect_fixtures.py, plus three photo questions, as ODK Central's
"CSV Download (with media)" writes them: the answer is the file name, the file is
`media/<name>`. The photos are drawn here with Pillow (a coloured card with a caption): no real
photo, no real person. `odk-photos-missing.zip` is the same export where one photo never
reached the server (AttachmentsPresent 3 of AttachmentsExpected 4). Run from the repository root:

    python tests/make_media_samples.py
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_dialect_fixtures import ODK_FORM, ROOT, csv_text, odk_tables  # noqa: E402

QUESTIONS = ["visite-photo_site", "securite-photo_securite", "enfants-photo_enfants"]
# site id -> {question: file name}; the names are what ODK Collect gives (epoch milliseconds).
PHOTOS = {
    "demo00004": {
        "visite-photo_site": "1710412345678.jpg",
        "securite-photo_securite": "1710412399001.jpg",
        "enfants-photo_enfants": "1710412455120.png",
    },
    "demo00001": {"visite-photo_site": "1710067260450.jpg"},
}
MISSING = "1710412455120.png"
CARDS = {
    "1710412345678.jpg": ("#8d6e63", "Mukungwe — vue du site"),
    "1710412399001.jpg": ("#c62828", "Mukungwe — barrière, hommes armés"),
    "1710412455120.png": ("#f9a825", "Mukungwe — enfants au lavage"),
    "1710067260450.jpg": ("#2e7d32", "Kalimba Centre — vue du site"),
    "1710412420333.jpg": ("#4e342e", "Mukungwe — Raïa Mutomboki"),
}
ACTOR_PHOTO = ("Raïa Mutomboki", "1710412420333.jpg")
"""A photo question in the actors repeat table: ODK writes it in the repeat's own CSV."""


def FONT(size: int):  # noqa: N802, ANN201 - Vera ships inside reportlab: the same on every machine
    import reportlab

    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"), size)


def card(name: str) -> bytes:
    """A made-up 'photo': a coloured card with its caption and the words PHOTO FACTICE."""
    colour, caption = CARDS[name]
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 770, 570), outline="white", width=6)
    big, small = FONT(52), FONT(34)
    draw.text((60, 60), "PHOTO FACTICE", fill="white", font=big)
    for i, line in enumerate(caption.split(" — ")):
        draw.text((60, 240 + 50 * i), line, fill="white", font=small)
    draw.text((60, 500), name, fill="white", font=small)
    out = io.BytesIO()
    image.save(out, "PNG" if name.endswith(".png") else "JPEG", quality=80)
    return out.getvalue()


def tables() -> dict[str, list[list[str]]]:
    """The ODK tables with the photo questions added before the meta columns."""
    found = odk_tables()
    root = found[f"{ODK_FORM}.csv"]
    header = root[0]
    at = header.index("meta-instanceID")
    site = header.index("identification-code_site")
    present, expected = header.index("AttachmentsPresent"), header.index("AttachmentsExpected")
    root[0] = header[:at] + QUESTIONS + header[at:]
    for i, row in enumerate(root[1:], start=1):
        photos = PHOTOS.get(row[site], {})
        count = len(photos) + (row[site] == "demo00004")  # the actor's photo counts too
        row[present] = row[expected] = str(count)
        root[i] = row[:at] + [photos.get(q, "") for q in QUESTIONS] + row[at:]
    actors = next(t for n, t in found.items() if n != f"{ODK_FORM}.csv")
    name = actors[0].index("nom_acteur")
    at = actors[0].index("PARENT_KEY")
    actors[0] = actors[0][:at] + ["photo_acteur"] + actors[0][at:]
    for i, row in enumerate(actors[1:], start=1):
        photo = ACTOR_PHOTO[1] if row[name] == ACTOR_PHOTO[0] else ""
        actors[i] = row[:at] + [photo] + row[at:]
    return found


def write(path: Path, *, missing: bool = False) -> None:
    found = tables()
    when = (2026, 3, 18, 9, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in found.items():
            if missing and name == f"{ODK_FORM}.csv":
                table = [list(r) for r in table]
                column = table[0].index("AttachmentsPresent")
                for row in table[1:]:
                    if MISSING in row:
                        row[column] = str(int(row[column]) - 1)
            archive.writestr(zipfile.ZipInfo(name, when), csv_text(table))
        for name in CARDS:
            if not (missing and name == MISSING):
                archive.writestr(zipfile.ZipInfo(f"media/{name}", when), card(name))


# Made-up titles around the demo sites (not cadastre data): name, class, status, lon/lat box.
TITLES = [
    ("ZEA-DEMO-1", "ZEA", "Actif", (28.405, -3.068, 28.462, -3.018)),  # Kalimba Centre inside
    ("PE-DEMO-2", "PE", "Actif-En Convention", (28.47, -3.15, 28.56, -3.09)),  # Mabingo inside
    ("PR-DEMO-3", "PR", "Droit Déchu", (28.69, -2.75, 28.735, -2.715)),  # lapsed, Mukungwe inside
    ("ZIN-DEMO-4", "ZIN", "Actif", (28.735, -2.80, 28.82, -2.70)),  # forbidden, next to Mukungwe
]


def write_cadastre(path: Path) -> None:
    """A GeoJSON in the layout checklists/cadastre.toml reads (the IPIS webmap's CAMI export)."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "name": name,
                "type": cls,
                "parties": "TITULAIRE FICTIF (100%)",
                "statut": status,
                "group": cls,
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
            },
        }
        for name, cls, status, (x0, y0, x1, y1) in TITLES
    ]
    collection = {
        "type": "FeatureCollection",
        "name": "made-up titles (not cadastre data)",
        "features": features,
    }
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build(out: Path = ROOT / "sample_inspections") -> list[Path]:
    paths = [out / "odk-photos.zip", out / "odk-photos-missing.zip", out / "demo-cadastre.geojson"]
    write(paths[0])
    write(paths[1], missing=True)
    write_cadastre(paths[2])
    return paths


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(ROOT))
