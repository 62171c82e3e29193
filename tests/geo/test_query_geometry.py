"""Query areas and RFC 7946 details in geo.validation (plain Python, no database)."""

import pytest
import shapely

from geo.geometry_text import parse_geometry_text
from geo.validation import (
    GeometryError,
    check_overlaps_extent,
    clip_query_area,
    parse_geojson_geometry,
    query_clip_box,
)

MOSS_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[10.65, 59.43], [10.66, 59.43], [10.66, 59.44], [10.65, 59.44], [10.65, 59.43]]
    ],
}


def test_open_ring_is_refused_although_shapely_would_close_it():
    ring = MOSS_SQUARE["coordinates"][0][:-1]
    with pytest.raises(GeometryError, match="must end at the position where it starts"):
        parse_geojson_geometry({"type": "Polygon", "coordinates": [ring]})


def test_collinear_polygon_has_no_area():
    flat = [[10.65, 59.43], [10.66, 59.44], [10.67, 59.45], [10.65, 59.43]]
    with pytest.raises(GeometryError, match="no area"):
        parse_geojson_geometry({"type": "Polygon", "coordinates": [flat]})


def test_query_area_may_reach_beyond_moss():
    county = {
        "type": "Polygon",
        "coordinates": [[[10.0, 59.0], [11.5, 59.0], [11.5, 60.0], [10.0, 60.0], [10.0, 59.0]]],
    }
    checked = parse_geojson_geometry(county, extent_rule="overlaps")
    minx, miny, maxx, maxy = checked.geom.bounds
    assert (minx, miny, maxx, maxy) == pytest.approx(query_clip_box())


def test_query_area_far_from_moss_is_refused():
    with pytest.raises(GeometryError, match="does not touch Moss"):
        check_overlaps_extent(shapely.Point(5.32, 60.39))


def test_query_area_with_swapped_axes_says_so():
    with pytest.raises(GeometryError, match="swapped"):
        check_overlaps_extent(shapely.Point(59.434, 10.658))


def test_clipping_keeps_an_area_inside_moss_unchanged():
    square = shapely.geometry.shape(MOSS_SQUARE)
    assert clip_query_area(square).equals(square)


def test_geometry_text_may_be_geojson_or_wkt():
    from_json = parse_geometry_text('{"type": "Point", "coordinates": [10.658, 59.434]}')
    from_wkt = parse_geometry_text("POINT (10.658 59.434)")
    assert from_json.geom.equals(from_wkt.geom)


def test_geometry_text_refuses_nan_and_collections():
    with pytest.raises(GeometryError, match="not valid GeoJSON"):
        parse_geometry_text('{"type": "Point", "coordinates": [NaN, 59.4]}')
    with pytest.raises(GeometryError, match="GeometryCollection"):
        parse_geometry_text("GEOMETRYCOLLECTION (POINT (10.6 59.4))")
