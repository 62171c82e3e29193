"""OGC API – Features Part 3 (Filtering): CQL2 text and JSON over the queryables, as requests."""

from __future__ import annotations

import orjson
import pytest
from django.db import connection

from inputbank.api import ogc
from inputbank.models import Input
from tests.gis.helpers import to_storage
from tests.gis.test_ogc import ITEMS, LOCATED, gdal, ids, needs_gdal

PROCESS_ITEMS = "/ogc/collections/processes/items"


@pytest.fixture(autouse=True)
def _fresh_api():
    ogc.reset()
    yield
    ogc.reset()


def found(client, sample, flt, **params) -> set[str]:
    """The sample keys a filter returns (asserting a 200)."""
    response = client.get(ITEMS, {"filter": flt, **params})
    assert response.status_code == 200, response.content
    keys = {str(sample[k].public_id): k for k in LOCATED}
    return {keys[i] for i in ids(response.json())}


def refused(client, flt, **params) -> str:
    response = client.get(ITEMS, {"filter": flt, **params})
    assert response.status_code == 400, response.content
    assert "json" in response["Content-Type"]
    return response.json()["description"]


def test_conformance_declares_filtering_and_cql2(client, db):
    classes = set(client.get("/ogc/conformance").json()["conformsTo"])
    cql2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
    part3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
    assert {f"{part3}filter", f"{part3}features-filter"} <= classes
    expected = ("cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators",
                "basic-spatial-functions", "spatial-functions")  # fmt: skip
    assert {cql2 + name for name in expected} <= classes
    assert f"{cql2}temporal-functions" not in classes


def test_queryables_name_the_geometry_for_spatial_filters(client, db):
    doc = client.get("/ogc/collections/inputs/queryables").json()
    assert doc["properties"]["geometry"]["format"] == "geometry-any"


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("utfall = 'adopted'", {"point"}),
        ("utfall <> 'adopted' OR utfall IS NULL", {"line", "area"}),
        ("tema = 'green-areas'", {"line", "area"}),
        ("tema IN ('transport')", {"point", "line"}),
        ("NOT tema = 'transport'", {"area"}),
        ("prosess LIKE 'sentrum-%' AND utfall IS NOT NULL", {"point"}),
        ("prosess LIKE 'sentrum_2024'", {"point", "line", "area"}),
        ("utfall BETWEEN 'a' AND 'b'", {"point"}),
        ("kanal IN ('nothing-like-this')", set()),
    ],
)
def test_cql2_text_comparisons(client, sample, flt, expected):
    assert found(client, sample, flt) == expected


def test_cql2_json_says_the_same(client, sample):
    flt = {"op": "and", "args": [
        {"op": "=", "args": [{"property": "tema"}, "transport"]},
        {"op": "isNull", "args": [{"property": "utfall"}]},
    ]}  # fmt: skip
    assert found(client, sample, orjson.dumps(flt).decode(), **{"filter-lang": "cql2-json"}) == {
        "line"
    }


BOX = "BBOX(10.657, 59.433, 10.659, 59.435)"  # around the point


def test_s_intersects_with_a_point_a_polygon_and_a_bbox(client, sample):
    ring = "10.657 59.433, 10.659 59.433, 10.659 59.435, 10.657 59.435, 10.657 59.433"
    assert found(client, sample, f"S_INTERSECTS(geometry, POLYGON(({ring})))") == {"point"}
    assert found(client, sample, f"S_INTERSECTS(geometry, {BOX})") == {"point"}
    # A point on the area's edge, away from the line.
    assert found(client, sample, "S_INTERSECTS(geometry, POINT(10.652 59.432))") == {"area"}
    assert found(client, sample, f"S_DISJOINT(geometry, {BOX})") == {"line", "area"}


def test_spatial_json_bbox_literal(client, sample):
    box = {"bbox": [10.657, 59.433, 10.659, 59.435]}
    flt = {"op": "s_intersects", "args": [{"property": "geometry"}, box]}
    got = found(client, sample, orjson.dumps(flt).decode(), **{"filter-lang": "cql2-json"})
    assert got == {"point"}


def test_filter_crs_25832_and_4326_axis_order(client, sample):
    x, y = to_storage(10.658, 59.434)
    box = f"BBOX({x - 20}, {y - 20}, {x + 20}, {y + 20})"
    crs = "http://www.opengis.net/def/crs/EPSG/0/25832"
    assert found(client, sample, f"S_INTERSECTS(geometry, {box})", **{"filter-crs": crs}) == {
        "point"
    }
    latlon = "S_WITHIN(geometry, BBOX(59.433, 10.657, 59.435, 10.659))"
    crs = "http://www.opengis.net/def/crs/EPSG/0/4326"
    assert found(client, sample, latlon, **{"filter-crs": crs}) == {"point"}


def test_a_home_is_found_only_at_its_published_cell(client, sample):
    Input.objects.filter(pk=sample["point"].pk).update(location_is_home=True)
    # The exact place (a 2 m box around it) no longer finds it; its 50 m cell centre does.
    x, y = to_storage(10.658, 59.434)
    crs = {"filter-crs": "EPSG:25832"}
    exact = f"S_INTERSECTS(geometry, BBOX({x - 1}, {y - 1}, {x + 1}, {y + 1}))"
    cx, cy = (x // 50) * 50 + 25, (y // 50) * 50 + 25
    if abs(cx - x) > 2 or abs(cy - y) > 2:
        assert found(client, sample, exact, **crs) == set()
    cell = f"S_INTERSECTS(geometry, POINT({cx} {cy}))"
    assert found(client, sample, cell, **crs) == {"point"}


def test_next_links_keep_the_filter(client, sample):
    doc = client.get(ITEMS, {"filter": "tema = 'green-areas'", "limit": 1}).json()
    href = next(link["href"] for link in doc["links"] if link["rel"] == "next")
    assert "filter=tema%20%3D%20%27green-areas%27" in href
    second = client.get(href.replace("http://testserver", "")).json()
    assert len(ids(doc) | ids(second)) == 2


def test_hits_count_what_the_filter_keeps(client, sample):
    doc = client.get(ITEMS, {"filter": "tema = 'transport'", "resulttype": "hits"}).json()
    assert doc["numberMatched"] == 2


def test_processes_filter_on_their_queryables(client, sample):
    response = client.get(PROCESS_ITEMS, {"filter": "kortnavn = 'sentrum-2024'"})
    assert response.status_code == 200
    assert response.json()["numberReturned"] == 1


@pytest.mark.parametrize(
    ("flt", "params", "needle"),
    [
        ("tekst = 'x'", {}, "unknown property 'tekst'"),
        ("navn = 'x'", {}, "queryables: "),
        ("utfall = ", {}, "syntax error"),
        ("utfall = 5", {}, "utfall is text"),
        ("tema < 'b'", {}, "tema is a list"),
        ("utfall = kanal", {}, "two properties"),
        ("S_INTERSECTS(utfall, POINT(10.65 59.43))", {}, "not a geometry"),
        ("S_INTERSECTS(geometry, POINT(5 40))", {}, "filtergeometri: området berører ikke Moss"),
        ("mottatt T_AFTER TIMESTAMP('2024-01-01T00:00:00Z')", {}, "temporal function"),
        ("CASEI(utfall) = 'x'", {}, "function CASEI()"),
        ("utfall = 'x'", {"filter-lang": "ecql"}, "filter-lang"),
        ("utfall = 'x'", {"filter-crs": "EPSG:32633"}, "filter-crs"),
        ("{not json", {"filter-lang": "cql2-json"}, "not JSON"),
        ('{"op": "=", "args": [{"property": "svar"}, "x"]}', {"filter-lang": "cql2-json"},
         "unknown property 'svar'"),
    ],
)  # fmt: skip
def test_bad_filters_are_400_naming_the_problem(client, sample, flt, params, needle):
    assert needle in refused(client, flt, **params)


def test_a_huge_filter_is_refused_before_parsing(client, db):
    assert "longer than" in refused(client, "utfall = 'x' OR " * 3000 + "utfall = 'y'")


def test_filter_values_are_parameters_not_sql(client, sample):
    flt = "utfall = 'x'' OR 1=1 --'"
    response = client.get(ITEMS, {"filter": flt})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["features"] == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inputbank_input")
        assert cursor.fetchone()[0] >= len(LOCATED)


@needs_gdal
@pytest.mark.django_db(transaction=True)
def test_gdal_sends_where_as_a_filter_and_reads_the_result(live_server, sample):
    out = gdal(
        "ogrinfo", "-ro", "-al", "-q", "-where", "prosess = 'sentrum-2024' AND utfall IS NULL",
        f"OAPIF:{live_server.url}/ogc/collections/inputs",
    )  # fmt: skip
    assert str(sample["area"].public_id) in out
    assert str(sample["line"].public_id) in out
    assert str(sample["point"].public_id) not in out
