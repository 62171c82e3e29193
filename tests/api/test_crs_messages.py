"""A coordinate system the service does not offer is refused in the asker's language
(Accept-Language: bokmål, nynorsk or English) wherever a CRS is asked for: the REST API's
``crs``, the prior-input question, the GIS exports and OGC API – Features."""

from __future__ import annotations

import json

import pytest

from tests.api.helpers import LIST_URL, PRIOR_URL, post_json

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [10.658, 59.434]}
ITEMS = "/ogc/collections/inputs/items"

# Each place a CRS is asked for: (method, url, parameters or JSON body).
ASKED = {
    "input list": ("get", LIST_URL, {"crs": "EPSG:9999"}),
    "process list": ("get", "/api/v1/processes/", {"crs": "EPSG:9999"}),
    "prior-input question": ("post", PRIOR_URL, {"geometry": POINT, "crs": "EPSG:9999"}),
    "input export": ("get", "/api/v1/exports/inputs.gpkg", {"crs": "EPSG:9999"}),
    "process export": ("get", "/api/v1/exports/processes.gpkg", {"crs": "EPSG:9999"}),
    "OGC crs": ("get", ITEMS, {"crs": "EPSG:9999"}),
    "OGC bbox-crs": ("get", ITEMS, {"bbox": "1,2,3,4", "bbox-crs": "EPSG:9999"}),
    "OGC filter-crs": ("get", ITEMS, {"filter": "utfall = 'x'", "filter-crs": "EPSG:9999"}),
}
WORDS = {
    "nb": "koordinatsystemet 'EPSG:9999' er ukjent eller støttes ikke; bruk ett av disse: EPSG:",
    "nn": "koordinatsystemet 'EPSG:9999' er ukjent eller vert ikkje støtta; bruk eitt av desse: ",
    "en": "unknown or unsupported CRS 'EPSG:9999'; use one of EPSG:",
}


@pytest.mark.parametrize("language", list(WORDS))
@pytest.mark.parametrize("place", list(ASKED))
def test_an_unknown_crs_is_refused_in_the_askers_language(api, place, language):
    method, url, data = ASKED[place]
    if method == "post":
        response = post_json(api, url, data, HTTP_ACCEPT_LANGUAGE=language)
    else:
        response = api.get(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, response.content[:300]
    answer = json.dumps(json.loads(response.content), ensure_ascii=False)
    assert WORDS[language] in answer
