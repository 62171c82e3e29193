"""Vector tiles: ST_AsMVT features at detail zooms, counts on a grid below, cached with ETags."""

from __future__ import annotations

import math

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from geo import tiles as geo_tiles
from geo.crs import STORAGE_SRID, WEB_SRID
from geo.tiles import tile_lonlat_bounds
from inputbank import cache
from inputbank.location_privacy import HOME_GRID_M, home_cell_centre
from inputbank.models import Input
from inputbank.publishing import tiles
from tests.factories import make_input, point
from tests.gis.helpers import mvt_layers


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def url(z: int, x: int, y: int) -> str:
    return f"/tiles/inputs/{z}/{x}/{y}.mvt"


def test_detail_tile_holds_published_inputs_with_public_attributes(client, sample):
    response = client.get(url(*tile_of(10.658, 59.434, 15)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = mvt_layers(response.content)["inputs"]["features"]
    by_id = {f["properties"]["lokalId"]: f for f in features}
    assert str(sample["point"].public_id) in by_id
    assert str(sample["pending"].public_id) not in by_id
    assert str(sample["rejected"].public_id) not in by_id
    props = by_id[str(sample["point"].public_id)]["properties"]
    assert props["tema"] == "transport"
    assert props["hovedtema"] == "transport"
    assert props["utfall"] == "adopted"
    assert set(props) <= {"lokalId", "tema", "hovedtema", "utfall", "kanal", "mottatt"}


def test_point_lands_where_it_belongs_in_the_tile(client, themes):
    make_input(geom=point(10.658, 59.434))
    z, x, y = tile_of(10.658, 59.434, 16)
    feature = mvt_layers(client.get(url(z, x, y)).content)["inputs"]["features"][0]
    n = 2**z
    px = ((10.658 + 180) / 360 * n - x) * geo_tiles.EXTENT
    merc_y = (1 - math.asinh(math.tan(math.radians(59.434))) / math.pi) / 2 * n
    py = (1 - (merc_y - y)) * geo_tiles.EXTENT  # the decoder's y axis points up
    gx, gy = feature["geometry"]["coordinates"]
    assert (gx, gy) == (pytest.approx(px, abs=2), pytest.approx(py, abs=2))


def test_low_zoom_tile_counts_inputs_per_cell_and_hides_small_cells(client, themes, settings):
    for _ in range(6):
        make_input(geom=point(10.658, 59.434))
    make_input(geom=point(10.75, 59.36))  # alone in its cell: never shown at low zoom
    response = client.get(url(*tile_of(10.658, 59.434, 10)))
    layers = mvt_layers(response.content)
    assert "inputs" not in layers
    counts = [f["properties"]["antall"] for f in layers["inputs_grid"]["features"]]
    assert counts == [6]


def test_a_detail_tile_too_full_for_its_inputs_holds_their_counts(client, themes, settings):
    # A town-centre tile of a national bank holds millions of inputs (48 s to draw at 10 M):
    # beyond the limit it holds counts, at any zoom; a tile within it keeps its inputs.
    settings.TILES = {**settings.TILES, "FEATURES_MAX": 5}
    # At a count cell's centre: a cell is drawn at its centre, in the tile that holds it.
    stored = Point(10.658, 59.434, srid=WEB_SRID).transform(STORAGE_SRID, clone=True)
    size = geo_tiles.BASE_CELL_M
    centre = Point(
        (stored.x // size + 0.5) * size, (stored.y // size + 0.5) * size, srid=STORAGE_SRID
    ).transform(WEB_SRID, clone=True)
    for _ in range(6):
        make_input(geom=point(centre.x, centre.y))
    make_input(geom=point(10.75, 59.36))
    full = mvt_layers(client.get(url(*tile_of(centre.x, centre.y, 16))).content)
    assert "inputs" not in full
    assert [f["properties"]["antall"] for f in full["inputs_grid"]["features"]] == [6]
    alone = mvt_layers(client.get(url(*tile_of(10.75, 59.36, 16))).content)
    assert "inputs_grid" not in alone and len(alone["inputs"]["features"]) == 1


def _home_across_a_tile_border(z: int = 18):
    """A home whose real place lies west of a tile border and its cell centre east of it.

    Returns (the real place lon/lat, the tile that holds it, the tile that holds its cell
    centre). Both at least 6 m from the border: beyond the tile's buffer (1 m at z18) and the
    few metres by which the box of a Mercator tile in UTM is wider than the tile. Tile
    borders are Mercator meridians, cells 50 m squares of EUREF89 UTM 32, so along Moss'
    shore some border crosses a cell that way.
    """
    n = 2**z
    row = tile_of(10.6, 59.434, z)[2]
    for x in range(int((10.62 + 180) / 360 * n), int((10.72 + 180) / 360 * n)):
        west_edge, _s, _e, _n = tile_lonlat_bounds(z, x + 1, row)
        border = Point(west_edge, 59.434, srid=WEB_SRID).transform(STORAGE_SRID, clone=True)
        cell_x0 = border.x // HOME_GRID_M * HOME_GRID_M
        if 7 <= border.x - cell_x0 <= HOME_GRID_M / 2 - 6:
            real = Point(border.x - 6, border.y, srid=STORAGE_SRID)
            centre = Point(*home_cell_centre(real.x, real.y), srid=STORAGE_SRID)
            real_ll, centre_ll = (p.transform(WEB_SRID, clone=True) for p in (real, centre))
            east = tile_of(centre_ll.x, centre_ll.y, z)
            if east[1] == x + 1:
                return real_ll, tile_of(real_ll.x, real_ll.y, z), east
    raise AssertionError("no such border: widen the search")


def test_a_tile_holds_a_home_where_its_cell_centre_is_not_where_it_is(client, themes):
    real, its_tile, centre_tile = _home_across_a_tile_border()
    home = make_input(geom=point(real.x, real.y))
    Input.objects.filter(pk=home.pk).update(location_is_home=True)
    cache.invalidate()

    def ids(tile):
        layer = mvt_layers(client.get(url(*tile)).content).get("inputs", {"features": []})
        return {f["properties"]["lokalId"] for f in layer["features"]}

    assert str(home.public_id) not in ids(its_tile)  # where it is: not drawn there
    assert str(home.public_id) in ids(centre_tile)  # where its cell centre is: drawn


def test_tiles_below_the_minimum_zoom_are_empty(client, sample):
    response = client.get(url(*tile_of(10.658, 59.434, 5)))
    assert response.status_code == 204
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"


def test_tiles_outside_moss_are_empty_without_a_query(client, sample, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(url(*tile_of(5.32, 60.39, 14)))  # Bergen
    assert response.status_code == 204
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"


@pytest.mark.parametrize("path", ["/tiles/inputs/3/8/1.mvt", "/tiles/inputs/23/0/0.mvt"])
def test_tiles_that_do_not_exist_are_404(client, db, path):
    assert client.get(path).status_code == 404


def test_cached_tile_is_served_without_touching_the_database(
    client, sample, django_assert_num_queries
):
    first = client.get(url(*tile_of(10.658, 59.434, 15)))
    with django_assert_num_queries(0):
        second = client.get(url(*tile_of(10.658, 59.434, 15)))
    assert second.content == first.content
    assert "max-age=" in second["Cache-Control"] and "public" in second["Cache-Control"]


def test_etag_revalidation_answers_304(client, sample):
    first = client.get(url(*tile_of(10.658, 59.434, 15)))
    again = client.get(url(*tile_of(10.658, 59.434, 15)), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_invalidate_starts_a_fresh_generation(client, themes):
    make_input("Første", geom=point(10.658, 59.434))
    tile = url(*tile_of(10.658, 59.434, 15))
    before = mvt_layers(client.get(tile).content)["inputs"]["features"]
    make_input("Andre", geom=point(10.658, 59.434))
    cache.invalidate()
    after = mvt_layers(client.get(tile).content)["inputs"]["features"]
    assert (len(before), len(after)) == (1, 2)


def test_a_tile_is_served_even_when_the_cache_cannot_be_written(client, sample, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.TILES = {**settings.TILES, "CACHE_DIR": str(blocked)}
    response = client.get(url(*tile_of(10.658, 59.434, 15)))
    assert response.status_code == 200
    assert mvt_layers(response.content)["inputs"]["features"]


def test_tile_query_filters_with_the_spatial_index(sample):
    z, x, y = tile_of(10.658, 59.434, 15)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + tiles.FEATURES_SQL, geo_tiles.tile_params(z, x, y))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index" in plan and "&&" in plan


def test_tiles_refuse_writes(client, db):
    assert client.post(url(15, 17355, 9486)).status_code == 405


# --- One URL for a map client: TileJSON, MapLibre style, OGC API – Tiles tileset -----------


def test_tilejson_points_at_the_tiles_on_the_host_asked(client, sample, settings):
    settings.ALLOWED_HOSTS = ["kart.example.no"]
    response = client.get("/tiles/inputs.json", HTTP_HOST="kart.example.no")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["tilejson"] == "3.0.0"
    assert doc["tiles"] == ["http://kart.example.no/tiles/inputs/{z}/{x}/{y}.mvt"]
    assert {layer["id"] for layer in doc["vector_layers"]} == {"inputs", "inputs_grid"}
    assert "tekst" not in str(doc["vector_layers"])  # only the public tile attributes
    # The template gives the tile the tile endpoint serves.
    z, x, y = tile_of(10.658, 59.434, 15)
    tile_url = doc["tiles"][0].replace("http://kart.example.no", "")
    tile = client.get(tile_url.format(z=z, x=x, y=y), HTTP_HOST="kart.example.no")
    assert tile.status_code == 200


def test_maplibre_style_colours_by_first_theme_and_reads_the_tilejson(client, sample):
    doc = client.get("/tiles/style.json").json()
    assert doc["version"] == 8
    assert doc["sources"]["innspill"] == {"type": "vector",
                                          "url": "http://testserver/tiles/inputs.json"}  # fmt: skip
    ids = {layer["id"] for layer in doc["layers"]}
    assert {"innspill-punkt", "innspill-linje", "innspill-flate", "innspill-rute"} <= ids
    point_layer = next(layer for layer in doc["layers"] if layer["id"] == "innspill-punkt")
    colour = point_layer["paint"]["circle-color"]
    assert colour[:2] == ["match", ["get", "hovedtema"]]
    assert "transport" in colour and "green-areas" in colour


def test_ogc_tileset_links_a_templated_tile_url(client, sample):
    doc = client.get("/tiles/inputs/tiles/WebMercatorQuad").json()
    assert doc["dataType"] == "vector"
    assert doc["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    item = next(link for link in doc["links"] if link["rel"] == "item")
    assert item["templated"] is True
    assert item["type"] == "application/vnd.mapbox-vector-tile"
    z, x, y = tile_of(10.658, 59.434, 15)
    limits = next(lim for lim in doc["tileMatrixSetLimits"] if lim["tileMatrix"] == "15")
    assert limits["minTileCol"] <= x <= limits["maxTileCol"]
    assert limits["minTileRow"] <= y <= limits["maxTileRow"]
    href = item["href"].replace("http://testserver", "")
    path = href.format(tileMatrix=z, tileCol=x, tileRow=y)
    assert client.get(path).status_code == 200
