"""OGC API – Features at /ogc/: JSON only, public columns, no count(*) per page, GDAL reads it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inputbank.api import ogc
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Input
from tests.gis.conftest import PUBLISHED, SECRET_EMAIL, SECRET_NAME
from tests.gis.helpers import read, to_storage

ITEMS = "/ogc/collections/inputs/items"
# The spatial collection holds located input only: "nowhere" (no place) is not in it.
LOCATED = tuple(k for k in PUBLISHED if k != "nowhere")


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


def test_items_are_located_published_inputs_in_crs84(client, sample):
    doc = client.get(ITEMS).json()
    assert ids(doc) == {str(sample[k].public_id) for k in LOCATED}
    assert all(f["geometry"] is not None for f in doc["features"])
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
    first = client.get(ITEMS, {"limit": 2}).json()
    assert len(first["features"]) == 2
    next_link = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(next_link.replace("http://testserver", "")).json()
    assert ids(first) | ids(second) == {str(sample[k].public_id) for k in LOCATED}
    assert ids(first).isdisjoint(ids(second))


def test_items_document_wraps_the_features_with_count_links_and_time(client, sample):
    doc = client.get(ITEMS, {"limit": 1, "offset": 1}).json()
    assert doc["type"] == "FeatureCollection"
    assert doc["numberReturned"] == len(doc["features"]) == 1
    assert all(f["type"] == "Feature" and f["properties"]["lokalId"] for f in doc["features"])
    rels = {link["rel"] for link in doc["links"]}
    assert {"self", "alternate", "prev", "next", "collection"} <= rels
    assert doc["timeStamp"].endswith("Z")


def test_json_ld_items_still_carry_the_features(client, sample):
    doc = client.get(ITEMS, {"f": "jsonld"}).json()
    assert len(doc["features"]) == len(LOCATED)
    assert None not in doc["features"]


def test_an_empty_page_is_an_empty_feature_list(client, sample):
    doc = client.get(ITEMS, {"offset": 100}).json()
    assert (doc["features"], doc["numberReturned"]) == ([], 0)


def test_hits_count_only_when_asked(client, sample):
    doc = client.get(ITEMS, {"resulttype": "hits", "limit": 1}).json()
    assert doc["numberMatched"] == len(LOCATED)
    assert not {"next", "prev"} & {link["rel"] for link in doc["links"]}  # a count has no pages


def test_hits_in_the_wfs3_draft_spelling_gdal_sends(client, sample):
    doc = client.get(ITEMS, {"resultType": "hits"}).json()
    assert doc["numberMatched"] == len(LOCATED)
    params = client.get("/ogc/openapi").json()["paths"]["/collections/inputs/items"]["get"]
    assert "hits" in next(p for p in params["parameters"] if p.get("name") == "resultType")[
        "schema"]["enum"]  # fmt: skip


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


def test_a_bbox_finds_a_home_at_its_published_cell_not_at_its_place(client, sample):
    Input.objects.filter(pk=sample["point"].pk).update(location_is_home=True)
    x, y = to_storage(10.658, 59.434)
    cx, cy = home_cell_centre(x, y)
    crs = "http://www.opengis.net/def/crs/EPSG/0/25832"
    point = str(sample["point"].public_id)

    def bbox(px, py):
        return ids(client.get(ITEMS, {"bbox": f"{px - 2},{py - 2},{px + 2},{py + 2}",
                                      "bbox-crs": crs}).json())  # fmt: skip

    assert abs(cx - x) > 4 or abs(cy - y) > 4  # the sample's point is not its cell's centre
    assert point not in bbox(x, y)
    assert point in bbox(cx, cy)


def test_property_filters(client, sample):
    doc = client.get(ITEMS, {"tema": "green-areas"}).json()
    assert ids(doc) == {str(sample["line"].public_id), str(sample["area"].public_id)}
    doc = client.get(ITEMS, {"utfall": "adopted"}).json()
    assert ids(doc) == {str(sample["point"].public_id)}


def test_datetime_interval(client, sample):
    assert len(client.get(ITEMS, {"datetime": "2000-01-01T00:00:00Z/.."}).json()["features"]) == 3
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
    "params", [{"filter": "tekst = 'x'"}, {"sortby": "hemmelig"}, {"datetime": "igår"}]
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


def gdal(*args: str) -> str:
    """Run a GDAL command-line tool (Debian's, as the GIS team has it); stderr must be empty."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    assert done.stderr == "", done.stderr
    return done.stdout


@needs_gdal
@pytest.mark.django_db(transaction=True)
def test_gdal_ogrinfo_lists_the_features_without_warnings(live_server, sample):
    out = gdal("ogrinfo", "-ro", "-al", "-q", f"OAPIF:{live_server.url}/ogc")
    for key in LOCATED:
        assert str(sample[key].public_id) in out
    assert "Trygg skolevei" in out
    assert SECRET_NAME not in out
    summary = gdal("ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc", "inputs")
    assert "Feature Count" in summary


@needs_gdal
@pytest.mark.django_db(transaction=True)
def test_gdal_ogr2ogr_copies_the_collection_to_a_geopackage_page_by_page(
    live_server, sample, tmp_path
):
    target = tmp_path / "copy.gpkg"
    gdal("ogr2ogr", "-f", "GPKG", str(target), "-oo", "PAGE_SIZE=2",
         f"OAPIF:{live_server.url}/ogc/collections/inputs", "-nln", "innspill")  # fmt: skip
    frame = read(target, layer="innspill")
    assert set(frame["lokalId"]) == {str(sample[k].public_id) for k in LOCATED}


@pytest.mark.parametrize(
    "params",
    [{"sortby": ""}, {"q": "\x00"}, {"tema": "a\x00b"}, {"offset": "99999999999999999999"}],
)
def test_malformed_parameters_never_cause_a_server_error(client, sample, params):
    response = client.get(ITEMS, params)
    assert response.status_code < 500
    assert "json" in response["Content-Type"]


@needs_gdal
@pytest.mark.django_db(transaction=True)
def test_gdal_reads_with_a_bbox_and_an_attribute_filter(live_server, sample):
    out = gdal(
        "ogrinfo", "-ro", "-al", "-q", "-spat", "10.657", "59.433", "10.659", "59.435",
        "-where", "utfall = 'adopted'", f"OAPIF:{live_server.url}/ogc/collections/inputs",
    )  # fmt: skip
    assert str(sample["point"].public_id) in out
    assert str(sample["area"].public_id) not in out


def test_collections_offer_crs84_first_then_the_municipal_crss(client, sample):
    for cid in ("inputs", "processes"):
        doc = client.get(f"/ogc/collections/{cid}").json()
        assert doc["crs"][0] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
        codes = {c.rsplit("/", 1)[-1] for c in doc["crs"][1:]}
        assert codes == {"25832", "25833", "4258", "3857", "4326"}
        assert doc["storageCrs"].endswith("/25832")


@pytest.mark.parametrize(
    "crs",
    ["EPSG:25832", "urn:ogc:def:crs:EPSG::25832", "http://www.opengis.net/def/crs/EPSG/0/25832"],
)
def test_crs_by_uri_urn_or_short_name(client, sample, crs):
    response = client.get(ITEMS, {"crs": crs})
    assert response.status_code == 200
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/25832>"


@pytest.mark.parametrize("code", ["25833", "4258", "3857", "4326"])
def test_every_offered_crs_works_for_crs_and_bbox_crs(client, sample, code):
    uri = f"http://www.opengis.net/def/crs/EPSG/0/{code}"
    doc = client.get(ITEMS, {"crs": uri}).json()
    x, y = feature(doc, str(sample["point"].public_id))["geometry"]["coordinates"]
    # The point's own coordinates in that CRS, in its axis order, make a bbox that finds it.
    bbox = (
        f"{x - 0.0001},{y - 0.0001},{x + 0.0001},{y + 0.0001}"
        if code in ("4258", "4326")
        else f"{x - 10},{y - 10},{x + 10},{y + 10}"
    )
    found = client.get(ITEMS, {"bbox": bbox, "bbox-crs": uri}).json()
    assert ids(found) == {str(sample["point"].public_id)}


def test_an_unoffered_crs_is_400_with_a_message(client, sample):
    response = client.get(ITEMS, {"crs": "EPSG:32633"})
    assert response.status_code == 400
    assert "EPSG:25832" in response.json()["description"]


@pytest.mark.parametrize("path", [ITEMS, "/ogc/collections/processes/items"])
def test_unknown_query_parameters_are_400_naming_them(client, sample, path):
    response = client.get(path, {"temaa": "transport"})
    assert response.status_code == 400
    assert "temaa" in response.json()["description"]


def test_unknown_parameters_on_a_single_item_are_400(client, sample):
    response = client.get(f"{ITEMS}/{sample['point'].public_id}", {"limit": 5})
    assert response.status_code == 400


def test_queryables_are_exactly_the_properties_that_filter(client, sample):
    response = client.get("/ogc/collections/inputs/queryables")
    assert response["Content-Type"] == "application/schema+json"
    doc = response.json()
    assert doc["$id"] == "http://testserver/ogc/collections/inputs/queryables"
    names = set(doc["properties"])
    assert {"tema", "utfall", "kanal", "prosess"} <= names
    assert not names & {"tekst", "svar", "lokalId", "navnerom", "mottatt"}
    for name in names - {"geometry"}:  # geometry: for CQL2's spatial functions (bbox=)
        assert client.get(ITEMS, {name: "x"}).status_code == 200, name
    for name in ("tekst", "mottatt"):
        assert client.get(ITEMS, {name: "x"}).status_code == 400, name


def test_sortby_orders_the_features(client, sample):
    doc = client.get(ITEMS, {"sortby": "tekst"}).json()
    texts = [f["properties"]["tekst"] for f in doc["features"]]
    assert texts == sorted(texts)
    doc = client.get(ITEMS, {"sortby": "-tekst"}).json()
    assert [f["properties"]["tekst"] for f in doc["features"]] == sorted(texts, reverse=True)


def test_openapi_advertises_the_page_size_and_only_what_is_served(client, sample):
    oas = client.get("/ogc/openapi").json()
    params = oas["paths"]["/collections/inputs/items"]["get"]["parameters"]
    limit = next(p for p in params if p.get("name") == "limit")
    assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (1000, 10000)
    names = {p.get("name") for p in params}
    assert {"sortby", "q", "tema"} <= names
    assert "tekst" not in names
    assert not [p for p in oas["paths"] if "jobs" in p or p.endswith("/schema")]


def test_conformance_claims_only_what_is_served(client, sample):
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    assert not [c for c in classes if c.endswith(("/html", "/create-replace-delete", "/schemas"))]


def _hrefs(node):
    if isinstance(node, dict):
        if "href" in node and node.get("rel") not in ("license", "describedby"):
            yield node["href"]
        for value in node.values():
            yield from _hrefs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _hrefs(value)


def test_every_link_is_on_the_host_and_scheme_asked_for_behind_the_proxy(client, sample, settings):
    settings.ALLOWED_HOSTS = ["kart.moss.kommune.no", "testserver"]
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "kart.moss.kommune.no"}
    root = "https://kart.moss.kommune.no/ogc"
    one = f"{ITEMS}/{sample['point'].public_id}"
    pages = ["/ogc/", "/ogc/collections", "/ogc/collections/inputs", ITEMS, one,
             "/ogc/collections/inputs/queryables"]  # fmt: skip
    for page in pages:
        doc = client.get(page, {"limit": 1} if page == ITEMS else {}, **proxy).json()
        hrefs = list(_hrefs(doc)) + ([doc["$id"]] if "$id" in doc else [])
        assert hrefs, page
        assert [h for h in hrefs if not h.startswith(root)] == [], page
    oas = client.get("/ogc/openapi", **proxy).json()
    assert [s["url"] for s in oas["servers"]] == [root]
