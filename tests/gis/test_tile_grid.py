"""The low-zoom grid counts kept by triggers: every write path keeps them equal to a recount."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from geo.crs import STORAGE_SRID, WEB_SRID
from geo.tiles import BASE_CELL_M, grid_level, tile_lonlat_bounds
from inputbank import services
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Input
from inputbank.publishing import tiles
from tests.factories import make_input, point
from tests.gis.helpers import mvt_layers
from tests.gis.test_tiles import tile_of, url


def grid() -> dict[tuple[int, int], int]:
    """The stored counts, without cells that fell to zero."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cx, cy, n FROM {tiles.GRID_TABLE} WHERE n <> 0")
        return {(cx, cy): n for cx, cy, n in cursor.fetchall()}


def recount() -> dict[tuple[int, int], int]:
    tiles.rebuild_grid()
    return grid()


def test_published_inputs_are_counted_and_pending_ones_are_not(themes):
    make_input(geom=point(10.658, 59.434))
    make_input(geom=point(10.658, 59.434), published=False)
    make_input(no_location=True)
    assert sum(grid().values()) == 1


def test_rejecting_a_published_input_takes_it_out_of_the_count(themes, case_officer):
    item = make_input(geom=point(10.658, 59.434))
    services.input_reject(input=item, moderator=case_officer, reason="spam")
    assert grid() == {}


def test_moving_an_input_moves_its_count(themes, case_officer):
    item = make_input(geom=point(10.658, 59.434))
    before = grid()
    services.input_update(input=item, changed_by=case_officer, geom=point(10.70, 59.40))
    after = grid()
    assert before != after and sum(after.values()) == 1
    assert after == recount()


def test_deleting_inputs_takes_them_out_of_the_count(themes):
    for _ in range(3):
        make_input(geom=point(10.658, 59.434))
    Input.objects.filter(pk__in=Input.objects.values("pk")[:2]).delete()
    assert sum(grid().values()) == 1


def test_location_restricted_input_is_counted(themes):
    item = make_input(geom=point(10.658, 59.434))
    Input.objects.filter(pk=item.pk).update(location_restricted=True)
    assert sum(grid().values()) == 1


def test_rebuild_command_matches_the_triggers(themes):
    for lon in (10.60, 10.658, 10.658, 10.70):
        make_input(geom=point(lon, 59.434))
    kept = grid()
    call_command("rebuild_tile_grid", stdout=None)
    assert grid() == kept


def test_a_cell_on_a_tile_edge_has_the_same_count_in_both_tiles(client, themes, settings):
    # Five inputs in one display cell, on both sides of the border between two z10 tiles.
    z, x, y = tile_of(10.658, 59.434, 10)
    west, *_ = tile_lonlat_bounds(z, x + 1, y)
    border = Point(west, 59.434, srid=WEB_SRID).transform(STORAGE_SRID, clone=True)
    size = BASE_CELL_M * 2 ** grid_level(z, settings.TILES["GRID_CELLS"])
    cell_west = border.x // size * size
    room = min(100.0, border.x - cell_west - 1, cell_west + size - border.x - 1)
    for dx in (-room, -room / 2, room / 3, room / 2, room):
        make_input(geom=Point(border.x + dx, border.y, srid=STORAGE_SRID))
    counts = []
    for tile in ((z, x, y), (z, x + 1, y)):
        layers = mvt_layers(client.get(url(*tile)).content)
        counts.append([f["properties"]["antall"] for f in layers["inputs_grid"]["features"]])
    assert counts == [[5], [5]]


def test_a_home_is_counted_in_the_cell_of_its_published_point(themes, case_officer):
    # 594 105 m east is in the 64 m cell that ends at 594 111; the home's published point
    # (its 50 m square's centre, 594 125) is in the next one. Counted by its real place the
    # tiles would say which side of that border the house is on.
    real = Point(594_105, 6_589_010, srid=STORAGE_SRID)
    item = make_input(geom=real, location_is_home=True)
    published_x, _ = home_cell_centre(real.x, real.y)
    assert real.x // BASE_CELL_M != published_x // BASE_CELL_M
    assert set(grid()) == {(int(published_x // BASE_CELL_M), int(real.y // BASE_CELL_M))}
    assert grid() == recount()
    # Unticking "Her bor jeg" moves the count to the real place, and back.
    Input.objects.filter(pk=item.pk).update(location_is_home=False)
    assert set(grid()) == {(int(real.x // BASE_CELL_M), int(real.y // BASE_CELL_M))}
    Input.objects.filter(pk=item.pk).update(location_is_home=True)
    assert grid() == recount() and sum(grid().values()) == 1
