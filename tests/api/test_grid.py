"""GET /api/v1/inputs/grid/: counts of published input per place, for the map zoomed out."""

import math

import pytest
from django.contrib.gis.geos import LineString

from geo.crs import WEB_SRID
from inputbank import cache
from inputbank.models import Input
from tests.api.helpers import body, error_fields
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db

GRID_URL = "/api/v1/inputs/grid/"
MOSS = "10.55,59.35,10.80,59.50"
STORGATA = (10.6580, 59.4340)
JELOY = (10.6300, 59.4400)  # about 1.7 km west of Storgata


def distance_m(a, b) -> float:
    """Metres between two lon/lat points (equirectangular: fine over a few hundred metres)."""
    dx = (a[0] - b[0]) * 111_320 * math.cos(math.radians(b[1]))
    dy = (a[1] - b[1]) * 110_570
    return math.hypot(dx, dy)


def inputs_at(lonlat, count, **extra):
    return [make_input(f"Innspill {i}", geom=point(*lonlat), **extra) for i in range(count)]


def grid(api, **params):
    response = api.get(GRID_URL, {"bbox": MOSS, "zoom": 13, **params})
    assert response.status_code == 200, response.content
    return body(response)


def counts(data) -> list[int]:
    return [f["properties"]["count"] for f in data["features"]]


def test_inputs_close_together_are_one_count_in_their_square(api):
    inputs_at(STORGATA, 6)
    data = grid(api)
    assert data["type"] == "FeatureCollection"
    (cell,) = data["features"]
    assert cell["properties"] == {"count": 6}
    assert cell["geometry"]["type"] == "Point"
    # The centre of the square holding them: at most half a diagonal away.
    assert distance_m(cell["geometry"]["coordinates"], STORGATA) <= data["cell_m"] * 0.71
    assert data["numberMatched"] == 6


def test_a_square_is_about_64_screen_pixels(api):
    inputs_at(STORGATA, 5)
    assert grid(api, zoom=13)["cell_m"] == pytest.approx(622, abs=2)
    assert grid(api, zoom=14)["cell_m"] == pytest.approx(311, abs=1)


def test_places_far_apart_are_counted_apart(api):
    inputs_at(STORGATA, 5)
    inputs_at(JELOY, 7)
    assert sorted(counts(grid(api))) == [5, 7]


def test_zoomed_out_one_cell_holds_both_places(api):
    inputs_at(STORGATA, 5)
    inputs_at(JELOY, 7)
    assert counts(grid(api, zoom=10)) == [12]


def test_a_place_with_fewer_than_the_minimum_is_left_out_but_counted(api, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "AGGREGATE_MIN_COUNT": 5}
    inputs_at(STORGATA, 5)
    inputs_at(JELOY, 4)
    data = grid(api)
    assert counts(data) == [5]
    assert data["min_count"] == 5
    assert data["numberMatched"] == 9


def test_only_published_public_input_is_counted_also_for_staff(moderator_api):
    inputs_at(STORGATA, 5)
    inputs_at(STORGATA, 3, published=False)
    restricted = inputs_at(STORGATA, 2)
    Input.objects.filter(pk__in=[i.pk for i in restricted]).update(location_restricted=True)
    make_input("Uten sted", no_location=True)
    data = grid(moderator_api)
    assert counts(data) == [5]
    assert data["numberMatched"] == 5


def test_only_input_in_the_box_is_counted(api):
    inputs_at(STORGATA, 5)
    inputs_at((10.75, 59.48), 5)
    data = grid(api, bbox="10.64,59.42,10.67,59.44")
    assert counts(data) == [5]


def test_lines_and_areas_count_where_their_middle_is(api):
    # A line from far west of Storgata to Storgata: counted in Storgata's square at zoom 16.
    for _ in range(5):
        make_input(geom=LineString((10.640, 59.434), (10.676, 59.434), srid=WEB_SRID))
    data = grid(api, zoom=16)
    (cell,) = data["features"]
    assert distance_m(cell["geometry"]["coordinates"], STORGATA) <= data["cell_m"] * 0.71


def test_the_theme_filter_applies(api):
    transport = make_theme("transport")
    inputs_at(STORGATA, 5, themes=(transport,))
    inputs_at(STORGATA, 6, themes=(make_theme("gront"),))
    assert counts(grid(api, theme="transport")) == [5]


def test_places_come_north_to_south(api):
    inputs_at((10.658, 59.40), 5)
    inputs_at((10.658, 59.47), 6)
    assert counts(grid(api)) == [6, 5]


def test_answers_are_cached_until_the_tiles_are_refreshed(api):
    inputs_at(STORGATA, 5)
    assert counts(grid(api)) == [5]
    make_input(geom=point(*STORGATA))
    assert counts(grid(api)) == [5]
    cache.invalidate()  # what an import does
    assert counts(grid(api)) == [6]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zoom": 13}, "bbox"),
        ({"bbox": MOSS}, "zoom"),
        ({"bbox": MOSS, "zoom": 23}, "zoom"),
        ({"bbox": MOSS, "zoom": "x"}, "zoom"),
        ({"bbox": "10.8,59.3,10.5,59.5", "zoom": 13}, "bbox"),
        ({"bbox": MOSS, "zoom": 13, "page": 2}, "page"),
        ({"bbox": MOSS, "zoom": 13, "status": "pending"}, "status"),
    ],
)
def test_a_bad_request_names_the_parameter(api, params, field):
    response = api.get(GRID_URL, params)
    assert response.status_code == 400
    assert error_fields(response) == [field]


def test_a_view_far_outside_moss_is_an_empty_grid_not_an_error(api):
    """Found by schemathesis: filters that say "nothing" before any query made a 500."""
    response = api.get(GRID_URL, {"bbox": "-78.5,39.8,-18,66", "zoom": 1})
    assert response.status_code == 200, response.content
    data = body(response)
    assert (data["features"], data["numberMatched"]) == ([], 0)
