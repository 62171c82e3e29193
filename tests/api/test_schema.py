"""The OpenAPI schema validates and documents every parameter; the docs page needs no CDN."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema

from tests.api.helpers import body

pytestmark = pytest.mark.django_db

LIST_PARAMETERS = {
    "bbox",
    "theme",
    "process",
    "status",
    "channel",
    "outcome",
    "shape",
    "since",
    "until",
    "q",
    "intersects",
    "crs",
    "properties",
    "geometry",
    "page",
    "page_size",
}
GRID_PARAMETERS = {
    "bbox", "zoom", "theme", "process", "channel", "outcome", "shape", "since", "until"
}  # fmt: skip


@pytest.fixture
def schema(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return body(response) if response.content.startswith(b"{") else yaml.safe_load(response.content)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_every_input_list_parameter_is_documented(schema):
    params = schema["paths"]["/api/v1/inputs/"]["get"]["parameters"]
    assert {p["name"] for p in params} == LIST_PARAMETERS
    assert [p["name"] for p in params if not p.get("description")] == []


def test_every_grid_parameter_is_documented(schema):
    params = schema["paths"]["/api/v1/inputs/grid/"]["get"]["parameters"]
    assert {p["name"] for p in params} == GRID_PARAMETERS
    assert [p["name"] for p in params if not p.get("description")] == []


def test_an_empty_choice_is_documented_and_selects_as_if_absent(schema, api):
    """Forms send every field, and a page's query string works in the API (docs/api.md): the
    schema must not call "outcome=" or "crs=" invalid when the API answers them as absent."""
    from tests.factories import make_input

    params = {p["name"]: p for p in schema["paths"]["/api/v1/inputs/"]["get"]["parameters"]}
    assert "" in params["crs"]["schema"]["enum"]
    assert "" in params["outcome"]["schema"]["items"]["enum"]
    item = make_input()
    answer = body(api.get("/api/v1/inputs/?outcome=&crs=&status="))
    assert [f["id"] for f in answer["features"]] == [str(item.public_id)]


def test_every_public_path_is_in_the_schema(schema):
    for path in (
        "/api/v1/themes/",
        "/api/v1/processes/",
        "/api/v1/processes/{key}/",
        "/api/v1/inputs/",
        "/api/v1/inputs/grid/",
        "/api/v1/inputs/{public_id}/",
        "/api/v1/inputs/{public_id}/publish/",
        "/api/v1/inputs/{public_id}/reject/",
        "/api/v1/inputs/{public_id}/response/",
        "/api/v1/inputs/{public_id}/comments/",
        "/api/v1/inputs/{public_id}/support/",
        "/api/v1/prior-input/",
        "/api/v1/form-token/",
    ):
        assert path in schema["paths"], path


def test_submit_body_documents_the_bot_fields(schema):
    components = schema["components"]["schemas"]
    props = components["InputProperties"]["properties"]
    assert {"website", "form_token", "text", "themes", "contributor"} <= set(props)


def test_docs_page_loads_its_assets_locally(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the page references its assets"
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "<script>" not in html  # the start-up script is a file: the CSP forbids inline ones


def test_docs_start_up_script_is_served(api):
    response = api.get("/api/v1/docs/?script=")
    assert response.status_code == 200
    assert b"SwaggerUIBundle" in response.content
