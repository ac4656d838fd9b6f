"""Random inputs for each class of defect the second red team found (research/review-2/redteam.md):
XLSX XML variants, mixed encodings, blank-heavy tables, deep or odd WKT, TOML type errors, odd
GeoJSON. Plain `random` (seeded, fast: a campaign needs 10^5 inputs), each generator returning
(file name, bytes, target)."""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
WORDS = [
    "V1",
    "p1",
    "0",
    "1",
    "oui",
    "non",
    "Groupe armé local",
    "FARDC",
    "Aucun",
    "金矿",
    "😀",
    "",
    " ",
    "\u202e",
    "=1+1",
    "2026-03-01",
    "03/04/2026",
    "\x1b[2J",
    "é",
    "a\nb",
    '"',
]
HEADERS = [
    "vid",
    "pcode",
    "name",
    "visit_date",
    "visit_onsite",
    "presence",
    "childunder15",
    "type_armed_group1",
    "armed_group1",
    "longitude",
    "latitude",
    "geom",
    "\ufeffpcode",
    "_uuid",
    "_index",
    "KEY",
    "PARENT_KEY",
    "title_zone",
    "x",
]


def _ref(r: random.Random) -> str:
    column = r.choice(["A", "B", "C", "Z", "AA", "XFD", "XFE", "ZZZ", "a", ""])
    row = r.choice(["1", "2", "3", "1048576", "2000000", "99999999999", "0", "", "-1"])
    return column + row


def _cell(r: random.Random, prefix: str, quote: str) -> str:
    attrs = []
    if r.random() < 0.8:
        space = r.choice(["", " ", "\n", "\t"])
        ref = _ref(r) if r.random() < 0.1 else r.choice(["A2", "B2", "C2", "A3"])
        ref = ref.replace("X", "&#88;") if r.random() < 0.05 else ref
        attrs.append(f"r{space}={space}{quote}{ref}{quote}")
    kind = r.choice(["n", "s", "inlineStr", "str", "b", "e"])
    attrs.append(f"t={quote}{kind}{quote}")
    if r.random() < 0.2:
        attrs.append(f"s={quote}1{quote}")
    sep = r.choice([" ", "\n", "  "])
    body = ""
    roll = r.random()
    if roll < 0.2:
        body = f"<{prefix}f>1+1</{prefix}f><{prefix}v>{r.choice(['0', '1', 'x'])}</{prefix}v>"
    elif roll < 0.5:
        body = f"<{prefix}is><{prefix}t>{_escape(r.choice(WORDS))}</{prefix}t></{prefix}is>"
    elif roll < 0.9:
        body = f"<{prefix}v>{r.choice(['0', '1', '5', '-1', '1e308', 'abc', ''])}</{prefix}v>"
    if not body and r.random() < 0.5:
        return f"<{prefix}c{sep}{' '.join(attrs)}/>"
    return f"<{prefix}c{sep}{' '.join(attrs)}>{body}</{prefix}c>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx(r: random.Random) -> tuple[str, bytes, str]:
    """A workbook whose XML varies as an attacker would vary it: part names and case, namespace
    prefixes, quotes, whitespace, cells placed by row, far cells, lying shared-string counts,
    DTDs, formulas; sometimes truncated or bit-flipped."""
    prefix = r.choice(["", "", "x:", "ns0:"])
    quote = r.choice(['"', "'"])
    declare = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    header = "".join(
        f'<{prefix}c r="{chr(65 + i)}1" t="inlineStr"><{prefix}is><{prefix}t>{h}</{prefix}t>'
        f"</{prefix}is></{prefix}c>"
        for i, h in enumerate(r.sample(HEADERS, r.randint(1, 5)))
    )
    rows = [f'<{prefix}row r="1">{header}</{prefix}row>']
    for number in range(2, 2 + r.randint(0, 6)):
        attr = f" r={quote}{r.choice([str(number), '1048576', '', '7'])}{quote}"
        attr = attr if r.random() < 0.8 else ""
        cells = "".join(_cell(r, prefix, quote) for _ in range(r.randint(0, 5)))
        rows.append(f"<{prefix}row{attr}>{cells}</{prefix}row>")
    dtd = '<!DOCTYPE x [<!ENTITY e "e">]>' if r.random() < 0.03 else ""
    sheet = (
        f"{dtd}<{prefix}worksheet {declare}><{prefix}sheetData>{''.join(rows)}"
        f"</{prefix}sheetData></{prefix}worksheet>"
    )
    part = r.choice(
        [
            "worksheets/sheet1.xml",
            "worksheets/sheet1.XML",
            "data/s.xml",
            "/xl/worksheets/a.xml",
            "worksheets/../worksheets/sheet1.xml",
            "Worksheets/Sheet1.xml",
        ]
    )
    name = part.lstrip("/")
    name = name if name.startswith("xl/") else "xl/" + name
    name = name.replace("worksheets/../", "")
    counts = r.choice(
        [
            'count="1" uniqueCount="1"',
            'uniqueCount="4000000000"',
            'count="x"',
            'uniqueCount="-3"',
            "",
            'uniqueCount=" 2"',
        ]
    )
    sst = f'<sst xmlns="{MAIN}" {counts}><si><t>vid</t></si><si><t>1</t></si></sst>'
    calc = '<calcPr fullCalcOnLoad="1"/>' if r.random() < 0.2 else ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet '
            f'name="s" sheetId="1" r:id="rId1"/></sheets>{calc}</workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}"><Relationship '
            f'Id="rId1" Type="{REL}/worksheet" Target="{part}"/></Relationships>',
        )
        z.writestr(name, sheet)
        z.writestr(r.choice(["xl/sharedStrings.xml", "xl/SharedStrings.xml"]), sst)
    data = buffer.getvalue()
    return "f.xlsx", _damage(r, data, 0.1), "read"


def _damage(r: random.Random, data: bytes, chance: float) -> bytes:
    if r.random() >= chance:
        return data
    if r.random() < 0.5:
        return data[: r.randint(0, len(data))]
    at = r.randrange(len(data))
    return data[:at] + bytes([r.randrange(256)]) + data[at + 1 :]


def _table(r: random.Random, rows: int) -> list[list[str]]:
    header = r.sample(HEADERS, r.randint(1, 6))
    return [header] + [[r.choice(WORDS) for _ in header] for _ in range(rows)]


def _csv(table: list[list[str]], delimiter: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(table)
    return out.getvalue()


def encodings(r: random.Random) -> tuple[str, bytes, str]:
    """Rows encoded in utf-8, cp1252, latin-1 or utf-16, mixed line by line, with BOMs,
    overlong and surrogate UTF-8, stray bytes and NULs anywhere."""
    text = _csv(
        _table(r, r.randint(1, 30)), r.choice([",", ";", "\t", "|"]), r.choice(["\n", "\r\n"])
    )
    parts = []
    for line in text.splitlines(keepends=True):
        encoding = r.choice(["utf-8", "utf-8", "utf-8", "cp1252", "latin-1"])
        parts.append(line.encode(encoding, errors="replace"))
    data = b"".join(parts)
    if r.random() < 0.2:
        data = b"\xef\xbb\xbf" + data
    if r.random() < 0.05:
        data = text.encode("utf-16")
    for _ in range(r.choice([0, 0, 1, 3])):
        at = r.randrange(len(data) + 1)
        junk = r.choice(
            [b"\xe9", b"\xc0\xaf", b"\xed\xa0\x80", b"\xff\xfe", b"\x00", b"\x81", b"\r"]
        )
        data = data[:at] + junk + data[at:]
    if r.random() < 0.1:
        data = data + b"a,b\n" * r.randint(1, 70000)  # pushes a bad byte past the 256 KB sample
    return "e.csv", data, "read"


def blanks(r: random.Random) -> tuple[str, bytes, str]:
    """Headers over blank, whitespace-only and delimiter-only rows, leading, inner, trailing."""
    delimiter = r.choice([",", ";"])
    table = _table(r, r.randint(0, 5))
    lines = [delimiter.join(table[0])]
    width = len(table[0])
    for row in table[1:]:
        blank = ["", " ", delimiter * (width - 1), " \t" + delimiter * (width - 1)]
        lines.extend(r.choice(blank) for _ in range(r.choice([0, 0, 1, 5, 50])))
        lines.append(delimiter.join(f'"{v}"' for v in row))
    tail = r.choice([0, 1, 3, 1000, 20000])
    newline = r.choice(["\n", "\r\n"])
    return "b.csv", (newline.join(lines) + newline * tail).encode("utf-8"), "read"


def wkt(r: random.Random) -> tuple[str, bytes, str]:
    """A geom column: deep GEOMETRYCOLLECTION nesting, POINT EMPTY, Z/M, junk numbers."""
    depth = r.choice([1, 10, 1000, 20000, 30000, 60000])
    roll = r.random()
    if roll < 0.3:
        value = "GEOMETRYCOLLECTION(" * depth + "POINT(28 -3)" + ")" * depth
    elif roll < 0.5:
        value = "(" * depth + "POINT(1 2)"
    else:
        value = r.choice(
            [
                "POINT EMPTY",
                "POINT Z (1 2 3)",
                "point(nan inf)",
                "POINT(1e999 1)",
                "SRID=4326;POINT(28 -3)",
                "POINT(28,-3)",
                "LINESTRING(1 2,3 4)",
                "POINT(" + "9" * 5000 + " 1)",
                "POINT((1 2))",
                "MULTIPOINT(1 2)",
            ]
        )
    return "w.csv", value.encode("utf-8"), "wkt"


def toml(r: random.Random) -> tuple[str, bytes, str]:
    """A --columns mapping or a --cadastre-config with wrong types and format specs."""
    values = [
        "3",
        "[1, 2]",
        '"{n}"',
        '"x{n:>99999999}"',
        '"{x}"',
        '"type_{n"',
        '"{n:02d}"',
        '["a", 1]',
        "{}",
        "true",
        "nan",
        '"{n!r}"',
        '"{n}{n}"',
        '"a}"',
        "[nan, 1, 2, 3]",
        "[1.0, 2.0, 3.0, 4.0]",
        "[-180, -90, 180, 90]",
        '["ZEA"]',
        '"type"',
    ]
    if r.random() < 0.5:
        keys = ["visits", "actors", "actors.wide", "actors.repeat", "[visits]", "[[visits]]"]
        sections = ["", "[visits]", "[actors]", "[actors.wide]", "[actors.repeat]", "[[visits]]"]
        target = "mapping"
    else:
        keys = [
            "properties",
            "active",
            "classes",
            "location",
            "country",
            "bbox",
            "class",
            "name",
            "zea",
            "statuses",
            "predicate",
            "prefixes",
        ]
        sections = ["", "[properties]", "[classes]", "[active]", "[location]"]
        target = "cadastre-config"
    lines = []
    for _ in range(r.randint(1, 6)):
        if r.random() < 0.4:
            lines.append(r.choice(sections))
        lines.append(f"{r.choice(keys + ['category', 'vid'])} = {r.choice(values)}")
    return "t.toml", "\n".join(lines).encode("utf-8"), target


def geojson(r: random.Random) -> tuple[str, bytes, str]:
    """Small FeatureCollections with odd members: CRS shapes, huge integers, odd geometries."""
    square = [[[28, -3], [29, -3], [29, -2], [28, -2], [28, -3]]]
    geometry = r.choice(
        [
            {"type": "Polygon", "coordinates": square},
            None,
            [],
            {"type": "Point"},
            {"type": "Polygon", "coordinates": [[[1, 2]]]},
            {"type": "Polygon", "coordinates": [[["a", 2]] * 4]},
        ]
    )
    feature = r.choice(
        [
            {
                "type": "Feature",
                "properties": r.choice([{"type": "PE"}, [1], None, 3]),
                "geometry": geometry,
            },
            7,
            "x",
        ]
    )
    document = {"type": r.choice(["FeatureCollection", "Feature"]), "features": [feature]}
    if r.random() < 0.3:
        document["crs"] = r.choice(
            [
                {"properties": [1]},
                {"properties": {"name": 3}},
                "x",
                {"properties": {"name": "EPSG:4326"}},
            ]
        )
    text = json.dumps(document)
    if r.random() < 0.1:
        text = text.replace('"PE"', "9" * 5000)
    return "g.geojson", text.encode("utf-8"), "geojson"


GENERATORS = {
    "xlsx": xlsx,
    "encodings": encodings,
    "blanks": blanks,
    "wkt": wkt,
    "toml": toml,
    "geojson": geojson,
}
