"""Counts per grid cell for the zoomed-out public map (inputbank/reads/grid.py)."""

import json
from math import floor

import pytest
from pyproj import Transformer

from geo.crs import STORAGE_SRID
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Input
from inputbank.reads.grid import cell_counts, cell_size_m
from tests.factories import make_input, point

pytestmark = pytest.mark.django_db
_TO_STORAGE = Transformer.from_crs(4326, STORAGE_SRID, always_xy=True)


def to_storage_xy(lon: float, lat: float) -> tuple[float, float]:
    return _TO_STORAGE.transform(lon, lat)


def _grid(cell_m=500.0, min_count=3):
    return json.loads(cell_counts(Input.objects.published(), cell_m=cell_m, min_count=min_count))


def test_inputs_in_one_square_are_one_count_at_its_centre():
    for dx in (0, 0.0004, 0.0008):
        make_input("Trafikkfarlig kryss.", geom=point(10.6580 + dx, 59.4340))
    [cell] = _grid()["features"]
    assert cell["properties"]["count"] == 3
    lon, lat = cell["geometry"]["coordinates"]
    # The centre of a 500 m square, not the mean of the pins: it says only "in this square".
    assert abs(lon - 10.659) < 0.01 and abs(lat - 59.434) < 0.005


def test_small_cells_are_left_out_but_still_counted_as_matched():
    for _ in range(3):
        make_input("Mer lys i parken.", geom=point(10.658, 59.434))
    make_input("En ensom nål ved et hus.", geom=point(10.70, 59.46))
    grid = _grid()
    assert [f["properties"]["count"] for f in grid["features"]] == [3]
    assert grid["numberMatched"] == 4
    assert grid["min_count"] == 3


def test_unpublished_input_and_input_without_a_place_are_not_counted():
    for _ in range(3):
        make_input("Bra forslag.", geom=point(10.658, 59.434))
    make_input("Venter på moderering.", geom=point(10.658, 59.434), published=False)
    make_input("Gjelder hele kommunen.", no_location=True)
    assert _grid(min_count=1)["numberMatched"] == 3


def test_cells_follow_the_zoom():
    assert cell_size_m(10) > cell_size_m(14) > 0
    assert cell_size_m(10) == pytest.approx(cell_size_m(14) * 16)


def test_a_public_count_puts_a_home_in_the_cell_of_its_published_point():
    # At street zoom a cell (10 m here) is smaller than a home's 50 m square: counted by its
    # real place, the cell would point at the house. Staff counts keep the real place.
    home = make_input("Det er mørkt utenfor huset mitt.", geom=point(10.65812, 59.43417))
    Input.objects.filter(pk=home.pk).update(location_is_home=True)
    home.refresh_from_db()
    x, y = home.geom.x, home.geom.y
    cx, cy = home_cell_centre(x, y)
    assert abs(cx - x) > 10 or abs(cy - y) > 10  # the two places are in different cells

    def counted_at(queryset) -> tuple[float, float]:
        [cell] = json.loads(cell_counts(queryset, cell_m=10.0, min_count=1))["features"]
        lon, lat = cell["geometry"]["coordinates"]
        return to_storage_xy(lon, lat)

    public_x, public_y = counted_at(Input.objects.published())
    assert (floor(public_x / 10), floor(public_y / 10)) == (floor(cx / 10), floor(cy / 10))
    staff_x, staff_y = counted_at(Input.objects.moderated_published())
    assert (floor(staff_x / 10), floor(staff_y / 10)) == (floor(x / 10), floor(y / 10))
