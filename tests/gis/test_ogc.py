"""OGC API – Features at /ogc/: JSON only, public columns, no count(*) per page, GDAL reads it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inputbank.api import ogc
from tests.gis.conftest import PUBLISHED, SECRET_EMAIL, SECRET_NAME
from tests.gis.helpers import read, to_storage

ITEMS = "/ogc/collections/inputs/items"


@pytest.fixture(autouse=True)
def _fresh_api():
    ogc.reset()
    yield
    ogc.reset()


def ids(doc) -> set[str]:
    return {f["id"] for f in doc["features"]}


def feature(doc, key) -> dict:
    return next(f for f in doc["features"] if f["id"] == key)


@pytest.mark.parametrize(
    "path", ["/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/inputs",
             "/ogc/openapi", ITEMS],
)  # fmt: skip
def test_every_page_is_json_even_when_a_browser_asks_for_html(client, sample, path):
    response = client.get(path, {"f": "html"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    body = response.content.decode()
    for needle in ("<script", "unpkg", "cdn", "text/html"):
        assert needle not in body


def test_collections_are_inputs_and_processes(client, sample):
    doc = client.get("/ogc/collections").json()
    assert {c["id"] for c in doc["collections"]} == {"inputs", "processes"}


def test_items_are_published_inputs_in_crs84(client, sample):
    doc = client.get(ITEMS).json()
    assert ids(doc) == {str(sample[k].public_id) for k in PUBLISHED}
    lon, lat = feature(doc, str(sample["point"].public_id))["geometry"]["coordinates"]
    assert (lon, lat) == (pytest.approx(10.658, abs=1e-6), pytest.approx(59.434, abs=1e-6))
    assert "numberMatched" not in doc


def test_items_hold_no_personal_data(client, sample):
    body = client.get(ITEMS).content.decode()
    for secret in (SECRET_NAME, SECRET_EMAIL, "Ikke moderert", "Avvist"):
        assert secret not in body


def test_items_page_runs_no_count(client, sample):
    with CaptureQueriesContext(connection) as queries:
        client.get(ITEMS, {"limit": 2})
    assert not [q for q in queries.captured_queries if "count(" in q["sql"].lower()]


def test_paging_gives_next_links_until_the_end(client, sample):
    first = client.get(ITEMS, {"limit": 3}).json()
    assert len(first["features"]) == 3
    next_link = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(next_link.replace("http://testserver", "")).json()
    assert ids(first) | ids(second) == {str(sample[k].public_id) for k in PUBLISHED}
    assert ids(first).isdisjoint(ids(second))


def test_items_document_wraps_the_features_with_count_links_and_time(client, sample):
    doc = client.get(ITEMS, {"limit": 2, "offset": 1}).json()
    assert doc["type"] == "FeatureCollection"
    assert doc["numberReturned"] == len(doc["features"]) == 2
    assert all(f["type"] == "Feature" and f["properties"]["lokalId"] for f in doc["features"])
    rels = {link["rel"] for link in doc["links"]}
    assert {"self", "alternate", "prev", "next", "collection"} <= rels
    assert doc["timeStamp"].endswith("Z")


def test_json_ld_items_still_carry_the_features(client, sample):
    doc = client.get(ITEMS, {"f": "jsonld"}).json()
    assert len(doc["features"]) == len(PUBLISHED)
    assert None not in doc["features"]


def test_an_empty_page_is_an_empty_feature_list(client, sample):
    doc = client.get(ITEMS, {"offset": 100}).json()
    assert (doc["features"], doc["numberReturned"]) == ([], 0)


def test_hits_count_only_when_asked(client, sample):
    doc = client.get(ITEMS, {"resulttype": "hits"}).json()
    assert doc["numberMatched"] == len(PUBLISHED)


def test_crs_25832_output(client, sample):
    response = client.get(ITEMS, {"crs": "http://www.opengis.net/def/crs/EPSG/0/25832"})
    assert "25832" in response["Content-Crs"]
    x, y = feature(response.json(), str(sample["point"].public_id))["geometry"]["coordinates"]
    ex, ey = to_storage(10.658, 59.434)
    assert (x, y) == (pytest.approx(ex, abs=0.01), pytest.approx(ey, abs=0.01))


def test_epsg_4326_output_is_lat_lon(client, sample):
    doc = client.get(ITEMS, {"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}).json()
    lat, lon = feature(doc, str(sample["point"].public_id))["geometry"]["coordinates"]
    assert (lat, lon) == (pytest.approx(59.434, abs=1e-6), pytest.approx(10.658, abs=1e-6))


def test_bbox_in_crs84_and_in_25832(client, sample):
    doc = client.get(ITEMS, {"bbox": "10.657,59.433,10.659,59.435"}).json()
    assert ids(doc) == {str(sample["point"].public_id)}
    x, y = to_storage(10.658, 59.434)
    doc = client.get(
        ITEMS,
        {"bbox": f"{x - 20},{y - 20},{x + 20},{y + 20}",
         "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/25832"},
    ).json()  # fmt: skip
    assert ids(doc) == {str(sample["point"].public_id)}


def test_property_filters(client, sample):
    doc = client.get(ITEMS, {"tema": "green-areas"}).json()
    assert ids(doc) == {str(sample["line"].public_id), str(sample["area"].public_id)}
    doc = client.get(ITEMS, {"utfall": "adopted"}).json()
    assert ids(doc) == {str(sample["point"].public_id)}


def test_datetime_interval(client, sample):
    assert len(client.get(ITEMS, {"datetime": "2000-01-01T00:00:00Z/.."}).json()["features"]) == 4
    assert client.get(ITEMS, {"datetime": "../2000-01-01T00:00:00Z"}).json()["features"] == []


def test_full_text_search(client, sample):
    doc = client.get(ITEMS, {"q": "parken"}).json()
    assert ids(doc) == {str(sample["area"].public_id)}


def test_single_item_and_missing_items(client, sample):
    ok = client.get(f"{ITEMS}/{sample['point'].public_id}")
    assert ok.json()["properties"]["tekst"] == "Trygg skolevei"
    assert client.get(f"{ITEMS}/{sample['pending'].public_id}").status_code == 404
    assert client.get(f"{ITEMS}/not-a-uuid").status_code == 404


@pytest.mark.parametrize(
    "params", [{"filter": "tema = 'x'"}, {"sortby": "hemmelig"}, {"datetime": "igår"}]
)
def test_bad_queries_are_400(client, sample, params):
    assert client.get(ITEMS, params).status_code == 400


def test_ogc_api_is_read_only(client, sample):
    response = client.post(ITEMS, data="{}", content_type="application/geo+json")
    assert response.status_code == 405


def test_processes_collection(client, sample):
    doc = client.get("/ogc/collections/processes/items").json()
    assert [f["properties"]["kortnavn"] for f in doc["features"]] == ["sentrum-2024"]


needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL tools missing")


@needs_gdal
@pytest.mark.django_db(transaction=True)
def test_gdal_ogrinfo_lists_the_features(live_server, sample):
    out = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", f"OAPIF:{live_server.url}/ogc/collections/inputs"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    for key in PUBLISHED:
        assert str(sample[key].public_id) in out
    assert "Trygg skolevei" in out
    assert SECRET_NAME not in out


@needs_gdal
@pytest.mark.django_db(transaction=True)
def test_gdal_ogr2ogr_copies_the_collection_to_a_geopackage_page_by_page(
    live_server, sample, tmp_path
):
    target = tmp_path / "copy.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(target), "-oo", "PAGE_SIZE=2",
         f"OAPIF:{live_server.url}/ogc/collections/inputs", "-nln", "innspill"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    frame = read(target, layer="innspill")
    assert set(frame["lokalId"]) == {str(sample[k].public_id) for k in PUBLISHED}


@pytest.mark.parametrize(
    "params",
    [{"sortby": ""}, {"q": "\x00"}, {"tema": "a\x00b"}, {"offset": "99999999999999999999"}],
)
def test_malformed_parameters_never_cause_a_server_error(client, sample, params):
    response = client.get(ITEMS, params)
    assert response.status_code < 500
    assert "json" in response["Content-Type"]
