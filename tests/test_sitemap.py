"""Offline site and batch maps: projection, view, furniture, titles, escaping, both outputs."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from minesite.render.mapdraw import map_flowable, to_drawing, to_svg
from minesite.render.mapplan import distance_words, nice_length
from minesite.render.sitemap import (
    DOT_R,
    NEIGHBOUR_R,
    STATUS_FILL,
    MapPoint,
    MapTitle,
    SiteIndex,
    TitleIndex,
    batch_map,
    site_map,
    usable,
)

SITE = MapPoint(28.05, -2.05, "red", "Mukungwe")


def _circles(plan):
    return [i for i in plan.items if i[0] == "circle"]


def _texts(plan):
    return [i[3] for i in plan.items if i[0] == "text"]


def _inside(plan, x, y, slack=0.01):
    fx, fy, fw, fh = plan.frame
    return fx - slack <= x <= fx + fw + slack and fy - slack <= y <= fy + fh + slack


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(None, None), ("", ""), (float("nan"), -2.0), (28.0, 95.0), (190.0, 1.0), (0.0, 0.0)],
)
def test_no_usable_coordinates_give_no_map(lon, lat):
    assert not usable(lon, lat)
    assert site_map(MapPoint(lon, lat, "red", "x")) is None  # type: ignore[arg-type]
    assert batch_map([MapPoint(lon, lat, "red", "x")]) is None  # type: ignore[arg-type]


def test_one_site_is_marked_at_the_centre_with_scale_bar_north_arrow_and_legend():
    plan = site_map(SITE, lang="fr")
    fx, fy, fw, fh = plan.frame
    centre = (fx + fw / 2, fy + fh / 2)
    assert any(
        math.isclose(c[1], centre[0]) and math.isclose(c[2], centre[1]) for c in _circles(plan)
    )
    texts = _texts(plan)
    assert "Mukungwe" in texts and "N" in texts and "Légende" in texts and "ce site" in texts
    assert "0" in texts and any(re.fullmatch(r"\d+ (m|km)", t) for t in texts)
    assert "-2.05000, 28.05000 (WGS84)" in texts


def test_neighbours_are_drawn_in_their_status_colour_and_the_legend_names_them():
    near = MapPoint(28.06, -2.06, "green", "Kalimba")
    far = MapPoint(29.5, -2.05, "yellow", "Far away")
    plan = site_map(SITE, [SITE, near, far], lang="en")
    fills = [c[4] for c in _circles(plan)]
    assert STATUS_FILL["green"] in fills and STATUS_FILL["yellow"] not in fills
    assert "Kalimba" in _texts(plan) and "green" in _texts(plan)
    assert "Far away" not in _texts(plan)


def test_every_site_map_has_the_same_scale_unless_a_title_at_the_site_needs_more():
    alone, crowded = site_map(SITE), site_map(SITE, [MapPoint(28.3, -2.05, "blue", "far")])
    assert _texts(alone)[-1] == _texts(crowded)[-1] == "view 8.6 km × 4.0 km"
    title = MapTitle(shapely.box(28.0, -2.1, 28.1, -2.0), "ZEA", "big")  # 11 km square
    assert _texts(site_map(SITE, titles=[title]))[-1] == "view 26.3 km × 12.2 km"


def test_titles_are_clipped_to_the_view_and_labelled_with_class_and_name():
    huge = MapTitle(shapely.box(20, -10, 35, 5), "PE", "PE-9999")  # far larger than the view
    holed = MapTitle(
        shapely.Polygon(
            [(28.04, -2.06), (28.06, -2.06), (28.06, -2.04), (28.04, -2.04)],
            [[(28.045, -2.055), (28.055, -2.055), (28.055, -2.045), (28.045, -2.045)]],
        ),
        "ZIN",
        "Parc",
        active=False,
    )
    plan = site_map(SITE, titles=[huge, holed], lang="fr")
    paths = [i for i in plan.items if i[0] == "path" and i[4] is not None]
    assert len(paths) == 2
    for _, rings, *_ in paths:
        assert all(_inside(plan, x, y) for ring in rings for x, y in ring)
    assert len(paths[1][1]) == 2  # the hole is its own ring (even-odd fill)
    assert paths[1][6] is not None  # a title not in force is dashed
    texts = _texts(plan)
    assert "PE PE-9999" in texts and "ZIN Parc (non en vigueur)" in texts


def test_title_index_from_a_cadastre_file(cadastre_titles):
    index = TitleIndex.from_cadastre(cadastre_titles)
    site = MapPoint(28.25, -2.05, "green", "In the PE")
    plan = site_map(site, titles=index)
    assert "PE PE-T2" in _texts(plan)


@pytest.fixture
def cadastre_titles(data_dir):
    from minesite.cadastre import load_titles

    return load_titles(data_dir / "cadastre-squares.geojson")


@pytest.fixture
def data_dir():
    from pathlib import Path

    return Path(__file__).parent / "data"


def test_batch_of_sites_at_one_point_and_far_apart():
    same = [MapPoint(28.0, -2.0, s, str(i)) for i, s in enumerate(["red", "green", "blue"])]
    plan = batch_map(same, lang="en")
    assert len(_circles(plan)) >= 3
    assert "red 1" in _texts(plan) and "green 1" in _texts(plan)
    far = [MapPoint(-170.0, -60.0, "red"), MapPoint(170.0, 70.0, "green"), SITE]
    plan = batch_map([*far, MapPoint(None, None, "red")], lang="fr")  # type: ignore[arg-type]
    dots = [c for c in _circles(plan) if c[3] == DOT_R]
    assert len(dots) == 3 and all(_inside(plan, c[1], c[2]) for c in dots)
    assert "1 site(s) sans coordonnées GPS" in _texts(plan)


def test_red_sites_are_drawn_last_on_the_batch_map():
    points = [MapPoint(28.0 + i / 100, -2.0, s) for i, s in enumerate(["red", "green", "yellow"])]
    order = [c[4] for c in _circles(batch_map(points)) if c[3] == DOT_R]
    assert order.index(STATUS_FILL["red"]) > order.index(STATUS_FILL["green"])


@given(st.floats(min_value=0.5, max_value=5e7))
def test_scale_bar_length_is_round_and_at_most_the_room(metres):
    length = nice_length(metres)
    mantissa = length / 10 ** math.floor(math.log10(length))
    assert round(mantissa, 6) in (1.0, 2.0, 5.0)
    assert length <= max(metres, 1) and length > metres / 2.5 - 1e-9


def test_distances_in_words():
    assert distance_words(500, "en") == "500 m"
    assert distance_words(2000, "fr") == "2 km"
    assert distance_words(1500, "fr") == "1,5 km" and distance_words(1500, "en") == "1.5 km"


def test_svg_escapes_every_text_and_is_well_formed():
    hostile = MapPoint(28.05, -2.03, "yellow", '<script>alert("x")</script> & co')
    title = MapTitle(shapely.box(28.0, -2.1, 28.1, -2.0), "PE", "<b>T</b>")
    svg = to_svg(site_map(SITE, [hostile], [title]), label="<x>")
    assert "<script" not in svg and "<b>" not in svg and "http" not in svg
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("text")]
    assert '<script>alert("x")</script> & co' in texts and "PE <b>T</b>" in texts


label_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-179, 179),
    st.floats(-80, 80),
    st.lists(
        st.tuples(
            st.floats(-0.3, 0.3),
            st.floats(-0.3, 0.3),
            st.sampled_from(["red", "yellow", "blue", "green", "other"]),
            label_text,
        ),
        max_size=25,
    ),
    label_text,
)
def test_site_map_invariants(lon, lat, others, name):
    site = MapPoint(lon, lat, "red", name)
    points = [MapPoint(lon + dx, lat + dy, s, n) for dx, dy, s, n in others]
    plan = site_map(site, SiteIndex([site, *points]))
    if not usable(lon, lat):
        assert plan is None
        return
    neighbours = [c for c in _circles(plan) if c[3] == NEIGHBOUR_R]
    assert all(_inside(plan, c[1], c[2]) for c in neighbours)
    svg = ET.fromstring(to_svg(plan))
    assert len(list(svg.iter("text"))) == len(_texts(plan))


def test_drawing_and_flowable_render_into_a_pdf():
    from reportlab.graphics.shapes import Drawing
    from reportlab.platypus import SimpleDocTemplate

    plan = site_map(SITE, [MapPoint(28.06, -2.06, "green", "Kalimba")], lang="fr")
    drawing = to_drawing(plan)
    assert isinstance(drawing, Drawing) and (drawing.width, drawing.height) == plan.size
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([drawing, map_flowable(plan)])
    assert buffer.getvalue().startswith(b"%PDF")


def test_map_colours_are_the_report_colours():
    from minesite.render import html, pdf

    assert STATUS_FILL == html.COLOURS
    assert {k: "#" + v.hexval()[2:] for k, v in pdf.COLOURS.items()} == STATUS_FILL


def test_legend_stays_inside_a_short_map_however_many_titles():
    titles = [
        MapTitle(shapely.box(28.04 + i / 1000, -2.06, 28.045 + i / 1000, -2.055), "PE", f"T{i}")
        for i in range(20)
    ]
    titles.append(MapTitle(shapely.box(28.0, -2.1, 28.1, -2.0), "ZEA", "at-the-site"))
    plan = site_map(
        SITE, [MapPoint(28.06, -2.06, s, s) for s in STATUS_FILL], titles, size=(510, 108)
    )
    assert all(i[2] >= 0 for i in plan.items if i[0] == "text")
    assert any(t.startswith("and ") and t.endswith(" more") for t in _texts(plan))
    legend = _texts(plan)[_texts(plan).index("mining titles (cadastre)") + 1]
    assert legend == "ZEA at-the-site"  # the title holding the site comes first


def test_two_sites_at_one_point_are_both_on_the_map():
    here = MapPoint(28.05, -2.05, "red", "Mukungwe", key="a")
    twin = MapPoint(28.05, -2.05, "red", "Mukungwe", key="b")  # same place, name, colour
    plan = site_map(here, [here, twin])
    assert sum(c[3] == NEIGHBOUR_R for c in _circles(plan)) == 1
