"""Attachments named by answers: found offline in an ODK zip's media/ or a --media folder."""

from __future__ import annotations

import hashlib
import io
import socket
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from minesite import read_inspections
from minesite.errors import UsageError
from minesite.inputs import media, pictures
from minesite.inputs.media import file_name, find_attachments
from minesite.inputs.pictures import fit_budget, picture_of

SAMPLES = Path(__file__).resolve().parent.parent / "sample_inspections"
KOBO = SAMPLES / "kobo-visits.csv"


def _jpeg(size=(640, 480), colour="red", kind="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("1710412345678.jpg", "1710412345678.jpg"),
        ("  photo site.JPEG ", "photo site.JPEG"),
        (
            "https://kc.kobotoolbox.org/media/original?media_file=enq%2Fattachments%2Fabc%2F"
            "3f1c%2F1700000000.jpg",
            "1700000000.jpg",
        ),
        (
            "https://kf.kobotoolbox.org/api/v2/assets/a/data/1/photo%20x.png?format=json",
            "photo x.png",
        ),
        ("C:\\Users\\enq\\DCIM\\IMG_0001.jpg", "IMG_0001.jpg"),
        ("../../../etc/secret.jpg", "secret.jpg"),  # looked up by name in the folder, nowhere else
        ("nsag_local", ""),
        ("", ""),
        ("Transport des minerais, Prostitution", ""),
        (".jpg", ""),
    ],
)
def test_file_name_of_an_answer(value, name):
    assert file_name(value) == name


@given(st.text(max_size=80))
def test_a_file_name_is_a_bare_name_with_an_attachment_extension(value):
    name = file_name(value)
    assert name == "" or (
        "/" not in name
        and "\\" not in name
        and name.lower().rsplit(".", 1)[-1] in media.IMAGES + media.OTHERS
    )


def test_odk_zip_media_are_found_with_the_sha256_of_the_original_bytes():
    path = SAMPLES / "odk-photos.zip"
    inspection = read_inspections([path])
    found = find_attachments(inspection)
    assert [(a.column, a.name) for a in found] == [
        ("visite-photo_site", "1710067260450.jpg"),
        ("visite-photo_site", "1710412345678.jpg"),
        ("securite-photo_securite", "1710412399001.jpg"),
        ("enfants-photo_enfants", "1710412455120.png"),
        # a photo question of the actors repeat: the repeat's own CSV, linked by PARENT_KEY
        ("acteurs_armes_et_forces_de_securite-photo_acteur", "1710412420333.jpg"),
    ]
    with zipfile.ZipFile(path) as archive:
        for a in found:
            assert a.sha256 == hashlib.sha256(archive.read(f"media/{a.name}")).hexdigest()
            assert a.warning is None and a.picture is not None
            assert a.picture.jpeg[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG, PNG included
    sites = inspection.visits["pcode"].tolist()
    assert [sites[a.visit] for a in found] == ["demo00001"] + ["demo00004"] * 4


def test_a_photo_missing_from_the_zip_is_a_named_warning():
    found = find_attachments(read_inspections([SAMPLES / "odk-photos-missing.zip"]))
    missing = [a for a in found if a.warning is not None]
    assert len(found) == 5 and len(missing) == 1
    (a,) = missing
    assert a.name == "1710412455120.png" and a.sha256 == "" and a.picture is None
    assert a.warning.code == "media.missing"
    assert "1710412455120.png" in a.warning.render("en")
    assert "enfants-photo_enfants" in a.warning.render("fr")


def _kobo_with_photos(tmp_path: Path, values: dict[int, tuple[str, str]]) -> Path:
    """The sample Kobo CSV with a photo column and its _URL twin; {row: (name, url)}."""
    lines = KOBO.read_text(encoding="utf-8").splitlines()
    lines[0] += ';"photos/photo_site";"photos/photo_site_URL"'
    for i in range(1, len(lines)):
        name, url = values.get(i, ("", ""))
        lines[i] += f';"{name}";"{url}"'
    path = tmp_path / "kobo.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_kobo_attachment_columns_are_read_from_the_media_folder(tmp_path):
    url = "https://kc.kobotoolbox.org/media/original?media_file=enq%2Fattachments%2Fx%2Fy%2F"
    path = _kobo_with_photos(
        tmp_path, {1: ("site1.jpg", url + "site1.jpg"), 4: ("", url + "site4.jpg")}
    )
    folder = tmp_path / "media" / "enq" / "attachments"
    folder.mkdir(parents=True)
    (folder / "site1.jpg").write_bytes(_jpeg())
    (folder / "site4.jpg").write_bytes(_jpeg(colour="blue"))
    found = find_attachments(read_inspections([path]), tmp_path / "media")
    assert [(a.column, a.name, a.warning) for a in found] == [
        ("photos/photo_site", "site1.jpg", None),  # its _URL twin is the same file: listed once
        ("photos/photo_site_URL", "site4.jpg", None),
    ]
    assert found[1].sha256 == hashlib.sha256(_jpeg(colour="blue")).hexdigest()


def test_without_a_media_folder_a_kobo_photo_asks_for_one(tmp_path):
    path = _kobo_with_photos(tmp_path, {2: ("p.jpg", "")})
    (a,) = find_attachments(read_inspections([path]))
    assert a.warning.code == "media.no-folder" and "--media" in a.warning.render("en")


def test_same_name_in_two_submissions_takes_the_visit_s_own(tmp_path):
    path = _kobo_with_photos(tmp_path, {1: ("photo.jpg", ""), 2: ("photo.jpg", "")})
    inspection = read_inspections([path])
    uuids = inspection.visits["vid"].tolist()
    for n, colour in ((0, "red"), (1, "green")):
        folder = tmp_path / "media" / "attachments" / uuids[n]
        folder.mkdir(parents=True)
        (folder / "photo.jpg").write_bytes(_jpeg(colour=colour))
    found = find_attachments(inspection, tmp_path / "media")
    assert [a.warning for a in found] == [None, None]
    assert found[1].sha256 == hashlib.sha256(_jpeg(colour="green")).hexdigest()


def test_an_unreadable_image_keeps_its_sha256_and_says_why(tmp_path):
    path = _kobo_with_photos(tmp_path, {1: ("broken.jpg", ""), 3: ("voice.m4a", "")})
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "broken.jpg").write_bytes(b"not an image at all")
    (tmp_path / "m" / "voice.m4a").write_bytes(b"\x00\x00\x00 ftypM4A ")
    broken, voice = find_attachments(read_inspections([path]), tmp_path / "m")
    assert broken.warning.code == "media.unreadable" and broken.picture is None
    assert broken.sha256 == hashlib.sha256(b"not an image at all").hexdigest()
    assert voice.warning is None and voice.picture is None and not voice.is_image
    assert voice.sha256


def test_a_huge_image_is_not_decoded(tmp_path, monkeypatch):
    monkeypatch.setattr(pictures, "MAX_PIXELS", 1000)
    picture, why = picture_of(_jpeg((100, 100)))
    assert picture is None and "100 × 100" in why


def test_a_zip_bomb_in_media_is_a_warning_not_a_crash(tmp_path):
    source = SAMPLES / "odk-photos.zip"
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "media/1710412345678.jpg":
                data = b"\0" * (8 << 20)  # 8 MB of zeros: ratio about 1,000
            new.writestr(info.filename, data)
    found = find_attachments(read_inspections([bomb]))
    (a,) = [a for a in found if a.name == "1710412345678.jpg"]
    assert a.warning.code == "media.unreadable" and "zip bomb" in a.warning.render("en")
    assert sum(a.picture is not None for a in found) == 4


def test_media_must_be_a_folder(tmp_path):
    with pytest.raises(UsageError):
        find_attachments(read_inspections([KOBO]), tmp_path / "nope")


def test_nothing_is_fetched_over_the_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = _kobo_with_photos(tmp_path, {1: ("", "https://example.org/a/site1.jpg")})
    (tmp_path / "m").mkdir()
    (a,) = find_attachments(read_inspections([path]), tmp_path / "m")
    assert a.warning.code == "media.missing"


def test_large_photos_are_downscaled_and_a_site_fits_its_budget():
    import numpy as np

    noise = np.random.default_rng(1).integers(0, 255, (1500, 2000, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(noise).save(out, "JPEG", quality=95)
    picture, _ = picture_of(out.getvalue())
    assert max(picture.width, picture.height) == pictures.MAX_SIDE
    assert picture.original == (2000, 1500)
    attachment = media.Attachment(visit=0, column="q", name="a.jpg", sha256="x", picture=picture)
    budget = 3 * len(picture.jpeg)
    shrunk = fit_budget([attachment] * 6, budget)
    assert sum(len(a.picture.jpeg) for a in shrunk) <= budget
    assert all(a.picture.original == (2000, 1500) and a.sha256 == "x" for a in shrunk)


def test_a_phone_photo_is_turned_upright():
    image = Image.new("RGB", (400, 300), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    picture, _ = picture_of(out.getvalue())
    assert (picture.width, picture.height) == (300, 400)
