"""OGC API – Features checked by tools written by others, beside our own tests (test_ogc.py).

OGC's own suite (TEAM Engine) is Java from Maven Central and cannot run here (docs/gis.md,
"OGC's own test suite"). What can:

* ogcapi-registry reads the published OpenAPI description the way a registry does before it
  lists a service: the paths and operations Part 1 requires, Part 2's crs parameters, Part 3's
  filter parameters;
* pydantic-ogcapi holds the standard's response schemas (Part 1 landing page, conformance,
  collections, features; Part 3 queryables) as models: every document we answer must parse;
* OWSLib is the OGC client inside QGIS's MetaSearch and many Python tools: it reads the live
  service over HTTP as a GIS user's client would.
"""

from __future__ import annotations

import pytest
from ogcapi_registry import validate_ogc_api
from owslib.ogcapi.features import Features
from pydantic_ogcapi import (
    CONF_CORE,
    CONF_CRS,
    CONF_FILTER,
    CRS84,
    Collection,
    Collections,
    ConformanceDeclaration,
    FeatureCollection,
    LandingPage,
    Queryables,
)
from pydantic_ogcapi import Feature as OGCFeature

from inputbank.api import ogc
from tests.gis.conftest import PUBLISHED

ITEMS = "/ogc/collections/inputs/items"
LOCATED = {k for k in PUBLISHED if k != "nowhere"}


@pytest.fixture(autouse=True)
def _fresh_api():
    ogc.reset()
    yield
    ogc.reset()


def test_the_openapi_description_meets_what_a_registry_checks_for_features(client, sample):
    document = client.get("/ogc/openapi").json()
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    result = validate_ogc_api(document, conformance)
    assert result.is_valid, result.errors
    # Its only remarks are "info" that a single feature's path has no filter parameter: Part 3
    # puts filter and filter-lang on /items, and a single feature takes no filter.
    remarks = [
        w for w in result.warnings
        if not (w["severity"] == "info" and w["path"].endswith("/items/{featureId}.get.parameters"))
    ]  # fmt: skip
    assert not remarks, remarks


def test_the_landing_page_conformance_and_collections_parse_as_the_standard_defines(client, sample):
    LandingPage.model_validate(client.get("/ogc/").json())
    declared = ConformanceDeclaration.model_validate(client.get("/ogc/conformance").json())
    assert {CONF_CORE, CONF_CRS, CONF_FILTER} <= set(declared.conforms_to)
    collections = Collections.model_validate(client.get("/ogc/collections").json())
    assert {c.id for c in collections.collections} == {"inputs", "processes"}
    inputs = Collection.model_validate(client.get("/ogc/collections/inputs").json())
    # Part 2: CRS84 first in the list of CRSs offered.
    assert inputs.crs[0] == CRS84


def test_items_and_a_single_item_parse_as_standard_features(client, sample):
    page = FeatureCollection.model_validate(client.get(ITEMS).json())
    assert {str(f.id) for f in page.features} == {str(sample[k].public_id) for k in LOCATED}
    one = client.get(f"{ITEMS}/{sample['area'].public_id}").json()
    assert OGCFeature.model_validate(one).geometry is not None


def test_queryables_parse_as_part_3_defines(client, sample):
    queryables = Queryables.model_validate(client.get("/ogc/collections/inputs/queryables").json())
    assert {"tema", "utfall", "prosess"} <= set(queryables.properties)


def test_owslib_reads_the_live_service_as_a_gis_client(live_server, sample):
    service = Features(f"{live_server.url}/ogc")
    assert set(service.feature_collections()) == {"inputs", "processes"}
    assert "http://www.opengis.net/def/crs/OGC/1.3/CRS84" in service.collection("inputs")["crs"]
    items = service.collection_items("inputs", limit=2)
    assert len(items["features"]) == 2
    every = service.collection_items("inputs", limit=1000)
    assert {f["id"] for f in every["features"]} == {str(sample[k].public_id) for k in LOCATED}
    queried = service.collection_items("inputs", bbox=[10.657, 59.433, 10.659, 59.435])
    assert str(sample["point"].public_id) in {f["id"] for f in queried["features"]}
    assert "tema" in service.collection_queryables("inputs")["properties"]
