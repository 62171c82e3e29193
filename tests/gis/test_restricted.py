"""Location-restricted input (children's Barnetråkk routes) never reaches a public GIS layer."""

from __future__ import annotations

import pytest
from django.db import connection

from inputbank.models import Input
from tests.factories import make_input, point
from tests.gis.helpers import mvt_layers, read, save
from tests.gis.test_tiles import tile_of, url


@pytest.fixture
def restricted(themes):
    item = make_input("Skoleveien min", geom=point(10.658, 59.434), channel="barnetrakk")
    Input.objects.filter(pk=item.pk).update(location_restricted=True)
    return str(item.public_id)


def test_not_in_public_exports(client, restricted, tmp_path):
    frame = read(save(client.get("/api/v1/exports/inputs.gpkg"), tmp_path, "a.gpkg"), "innspill")
    assert restricted not in set(frame["lokalId"])


def test_staff_exports_mark_it(client, restricted, gis_user, tmp_path):
    client.force_login(gis_user)
    response = client.get("/api/v1/exports/inputs.gpkg?status=all")
    frame = read(save(response, tmp_path, "a.gpkg"), "innspill").set_index("lokalId")
    assert bool(frame.loc[restricted, "begrenset"]) is True


def test_not_in_the_ogc_api(client, restricted):
    doc = client.get("/ogc/collections/inputs/items").json()
    assert restricted not in {f["id"] for f in doc["features"]}
    assert client.get(f"/ogc/collections/inputs/items/{restricted}").status_code == 404


def test_not_a_point_in_tiles_but_counted_in_the_grid(client, restricted, themes):
    features = mvt_layers(client.get(url(*tile_of(10.658, 59.434, 15))).content)
    assert "inputs" not in features
    for _ in range(4):
        make_input(geom=point(10.658, 59.434))
    grid = mvt_layers(client.get(url(*tile_of(10.658, 59.434, 10))).content)
    assert [f["properties"]["antall"] for f in grid["inputs_grid"]["features"]] == [5]


def test_not_in_the_public_database_view(restricted):
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM gis.innspill WHERE "lokalId"::text = %s', [restricted])
        assert cursor.fetchone()[0] == 0


def test_not_in_exports_that_ask_for_published_input(client, restricted, tmp_path):
    response = client.get("/api/v1/exports/inputs.gpkg?status=published")
    frame = read(save(response, tmp_path, "a.gpkg"), "innspill")
    assert restricted not in set(frame["lokalId"])
