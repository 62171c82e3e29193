"""A corpus of malformed requests: each answers 400 naming the field and the problem, stores
nothing, and none causes a 500 (the test client re-raises server errors, so a 500 fails)."""

from __future__ import annotations

import pytest
from django.conf import settings

from inputbank import antibot
from inputbank.models import Comment, Contributor, Input
from tests.api.helpers import LIST_URL, body, post_json
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [10.658, 59.434]}
TOKEN = "<token>"  # replaced by a fresh valid token in the test


def feature(geometry=POINT, **props):
    properties = {"text": "Fartsdumper, takk.", "form_token": TOKEN}
    properties.update(props)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def poly(*ring):
    return {"type": "Polygon", "coordinates": [list(map(list, ring))]}


def many_vertices(n):
    coords = [[10.60 + i * 1e-6, 59.40 + (i % 2) * 1e-4] for i in range(n)]
    return {"type": "LineString", "coordinates": coords}


def nested_collection(depth):
    geom = POINT
    for _ in range(depth):
        geom = {"type": "GeometryCollection", "geometries": [geom]}
    return geom


# (id, body: dict or raw bytes, expected error field, expected words in the message)
CORPUS = [
    ("not-json", b"{", "", "not valid JSON"),
    ("trailing-garbage", b'{"type": "Feature"} x', "", "not valid JSON"),
    ("json-array", b"[]", "", "dictionary"),
    ("json-string", b'"hello"', "", "dictionary"),
    ("json-null", b"null", "", ""),
    ("json-number", b"42", "", "dictionary"),
    (
        "nan-literal",
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,59.4]}}',
        "",
        "not valid JSON",
    ),
    (
        "infinity-literal",
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[Infinity,59.4]}}',
        "",
        "not valid JSON",
    ),
    (
        "minus-infinity",
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[-Infinity,59.4]}}',
        "",
        "not valid JSON",
    ),
    (
        "huge-exponent",
        b'{"type":"Feature","geometry":{"type":"Point","coordinates":[1e999,59.4]},"properties":{"text":"x"}}',
        None,
        "",
    ),
    ("invalid-utf8", b'{"type":"Feature","properties":{"text":"\xff\xfe"}}', "", "not valid JSON"),
    (
        "lone-surrogate",
        b'{"type":"Feature","geometry":null,"properties":{"text":"\\ud800"}}',
        "",
        "not valid JSON",
    ),
    ("deep-nesting", b"[" * 5000 + b"]" * 5000, "", "not valid JSON"),
    ("empty-object", {}, "type", "required"),
    ("type-missing", {"geometry": POINT, "properties": {"text": "x"}}, "type", "required"),
    ("type-collection", {**feature(), "type": "FeatureCollection"}, "type", "Feature"),
    ("geometry-missing", {"type": "Feature", "properties": {"text": "x"}}, "geometry", "required"),
    ("properties-missing", {"type": "Feature", "geometry": POINT}, "properties", "required"),
    (
        "properties-list",
        {"type": "Feature", "geometry": POINT, "properties": []},
        "properties",
        "dictionary",
    ),
    (
        "text-missing",
        feature(text=None) | {"properties": {"form_token": TOKEN}},
        "properties.text",
        "required",
    ),
    ("text-empty", feature(text=""), "properties.text", "blank"),
    ("text-whitespace", feature(text="   \n "), "properties.text", "blank"),
    (
        "text-too-long",
        feature(text="x" * (settings.INPUTBANK["MAX_TEXT_LENGTH"] + 1)),
        "properties.text",
        "longer than",
    ),
    ("text-list", feature(text=["a", "b"]), "properties.text", "valid string"),
    ("text-nul", feature(text="a\x00b"), "properties.text", "Null characters"),
    ("geometry-string", feature(geometry="hello"), "geometry", "GeoJSON geometry object"),
    ("geometry-list", feature(geometry=[10.6, 59.4]), "geometry", "GeoJSON geometry object"),
    ("wkt-refused", feature(geometry="POINT(10.66 59.43)"), "geometry", "GeoJSON geometry object"),
    (
        "type-unknown",
        feature(geometry={"type": "Circle", "coordinates": [10.6, 59.4]}),
        "geometry",
        "unknown geometry type",
    ),
    (
        "type-not-string",
        feature(geometry={"type": 5, "coordinates": [10.6, 59.4]}),
        "geometry",
        "unknown geometry type",
    ),
    (
        "geometry-collection",
        feature(geometry=nested_collection(1)),
        "geometry",
        "GeometryCollection",
    ),
    (
        "nested-collections",
        feature(geometry=nested_collection(100)),
        "geometry",
        "GeometryCollection",
    ),
    (
        "coordinates-missing",
        feature(geometry={"type": "Point"}),
        "geometry",
        "'coordinates' is missing",
    ),
    (
        "coordinates-flat-polygon",
        feature(geometry={"type": "Polygon", "coordinates": [10.6, 59.4]}),
        "geometry",
        "wrong nesting",
    ),
    (
        "point-one-number",
        feature(geometry={"type": "Point", "coordinates": [10.6]}),
        "geometry",
        "[longitude, latitude]",
    ),
    (
        "point-four-numbers",
        feature(geometry={"type": "Point", "coordinates": [10.6, 59.4, 1, 2]}),
        "geometry",
        "[longitude, latitude]",
    ),
    (
        "coordinates-strings",
        feature(geometry={"type": "Point", "coordinates": ["10.6", "59.4"]}),
        "geometry",
        "must be numbers",
    ),
    (
        "coordinates-booleans",
        feature(geometry={"type": "Point", "coordinates": [True, False]}),
        "geometry",
        "must be numbers",
    ),
    ("coordinates-null", feature(geometry={"type": "Point", "coordinates": None}), "geometry", ""),
    (
        "empty-linestring",
        feature(geometry={"type": "LineString", "coordinates": []}),
        "geometry",
        "empty",
    ),
    ("empty-ring", feature(geometry={"type": "Polygon", "coordinates": [[]]}), "geometry", "empty"),
    (
        "empty-multipolygon",
        feature(geometry={"type": "MultiPolygon", "coordinates": []}),
        "geometry",
        "empty",
    ),
    (
        "ring-not-closed",
        feature(geometry=poly([10.65, 59.43], [10.66, 59.43], [10.66, 59.44], [10.65, 59.44])),
        "geometry",
        "must end at the position where it starts",
    ),
    (
        "ring-three-positions",
        feature(geometry=poly([10.65, 59.43], [10.66, 59.43], [10.65, 59.43])),
        "geometry",
        "at least 4 positions",
    ),
    (
        "line-one-position",
        feature(geometry={"type": "LineString", "coordinates": [[10.65, 59.43]]}),
        "geometry",
        "at least 2",
    ),
    (
        "line-zero-length",
        feature(geometry={"type": "LineString", "coordinates": [[10.65, 59.43], [10.65, 59.43]]}),
        "geometry",
        "2 different positions",
    ),
    (
        "collapsed-polygon",
        feature(geometry=poly([10.65, 59.43], [10.66, 59.44], [10.67, 59.45], [10.65, 59.43])),
        "geometry",
        "no area",
    ),
    (
        "spike-polygon-unrepairable",
        feature(
            geometry=poly(
                [10.65, 59.43], [10.66, 59.43], [10.66, 59.44], [10.66, 59.43], [10.65, 59.43]
            )
        ),
        "geometry",
        "",
    ),
    (
        "swapped-lon-lat",
        feature(geometry={"type": "Point", "coordinates": [59.434, 10.658]}),
        "geometry",
        "swapped",
    ),
    (
        "outside-moss",
        feature(geometry={"type": "Point", "coordinates": [10.75, 59.91]}),
        "geometry",
        "outside Moss",
    ),
    (
        "utm-metres",
        feature(geometry={"type": "Point", "coordinates": [594048.1, 6589551.6]}),
        "geometry",
        "EPSG:25832",
    ),
    (
        "crs-member-utm",
        feature(geometry={**POINT, "crs": {"type": "name", "properties": {"name": "EPSG:25832"}}}),
        "geometry",
        "'crs'",
    ),
    (
        "crs-member-link",
        feature(
            geometry={
                **POINT,
                "crs": {"type": "link", "properties": {"href": "http://example.com/crs"}},
            }
        ),
        "geometry",
        "'crs'",
    ),
    (
        "too-many-vertices",
        feature(geometry=many_vertices(settings.INPUTBANK["MAX_VERTICES"] + 1)),
        "geometry",
        "too many vertices",
    ),
    ("theme-unknown", feature(themes=["finnes-ikke"]), "properties.themes", "unknown theme"),
    ("themes-not-list", feature(themes="transport"), "properties.themes", "list"),
    (
        "themes-too-many",
        feature(themes=[f"t{i}" for i in range(21)]),
        "properties.themes",
        "at most 20",
    ),
    ("process-unknown", feature(process="finnes-ikke"), "properties.process", "unknown process"),
    ("process-boolean", feature(process=True), "properties.process", "id or slug"),
    ("process-huge-number", feature(process="9" * 40), "properties.process", "unknown process"),
    ("process-closed", feature(process="stengt"), "properties.process", "not open"),
    ("language-invalid", feature(language="norsk!!"), "properties.language", "language code"),
    (
        "location-source-none",
        feature(location_source="none"),
        "properties.location_source",
        "valid choice",
    ),
    (
        "location-description-long",
        feature(location_description="x" * 201),
        "properties.location_description",
        "200",
    ),
    ("contributor-not-object", feature(contributor="Kari"), "properties.contributor", "dictionary"),
    (
        "contributor-bad-email",
        feature(contributor={"email": "kari-at-example"}),
        "properties.contributor.email",
        "e-mail",
    ),
    (
        "contributor-bad-phone",
        feature(contributor={"phone": "call me"}),
        "properties.contributor.phone",
        "digits",
    ),
    (
        "contributor-unknown-field",
        feature(contributor={"ssn": "01010112345"}),
        "properties.contributor.ssn",
        "unknown field",
    ),
    (
        "contributor-feedback-nowhere",
        feature(contributor={"wants_feedback": True}),
        "properties.contributor.email",
        "feedback",
    ),
    (
        "contributor-feedback-maybe",
        feature(contributor={"wants_feedback": "maybe"}),
        "properties.contributor.wants_feedback",
        "boolean",
    ),
    (
        "contributor-name-long",
        feature(contributor={"name": "x" * 201}),
        "properties.contributor.name",
        "200",
    ),
    ("mass-assign-status", feature(status="published"), "properties.status", "unknown field"),
    (
        "mass-assign-response",
        feature(response={"outcome": "adopted"}),
        "properties.response",
        "unknown field",
    ),
    (
        "mass-assign-id",
        {**feature(), "id": "00000000-0000-0000-0000-000000000001"},
        "id",
        "unknown field",
    ),
    ("honeypot-filled", feature(website="http://spam.example"), "properties.website", "left empty"),
    ("token-missing", feature(form_token=""), "properties.form_token", "missing"),
    (
        "token-forged",
        feature(form_token="x:y:z"),
        "properties.form_token",
        "not a valid form token",
    ),
]


def _fill_token(value, token):
    """Put a fresh valid token where the corpus has the TOKEN placeholder."""
    props = value.get("properties") if isinstance(value, dict) else None
    if isinstance(props, dict) and props.get("form_token") == TOKEN:
        value = {**value, "properties": {**props, "form_token": token}}
    return value


@pytest.fixture
def reference_data(db):
    make_theme("transport")
    make_process("stengt", status="closed")


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 50
    assert len({case[0] for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(
    ("payload", "field", "words"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_malformed_submission_is_a_clear_400_and_stores_nothing(
    api, reference_data, payload, field, words
):
    if isinstance(payload, dict):
        payload = _fill_token(payload, antibot.issue_form_token())
    response = post_json(api, LIST_URL, payload)
    assert response.status_code == 400, response.content[:300]
    errors = body(response)["errors"]
    assert errors and all(e["message"] for e in errors)
    if field is not None:
        assert field in [e["field"] for e in errors]
    assert any(words.lower() in e["message"].lower() for e in errors)
    assert not Input.objects.exists()
    assert not Contributor.objects.exists()


def test_body_over_the_size_limit_is_refused(api, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_BODY_BYTES": 1000}
    payload = feature(text="x" * 2000)
    payload["properties"]["form_token"] = antibot.issue_form_token()
    response = post_json(api, LIST_URL, payload)
    assert response.status_code == 400
    assert "larger than the limit of 1000 bytes" in body(response)["errors"][0]["message"]
    assert not Input.objects.exists()


def test_body_over_the_limit_without_content_length_is_refused(settings):
    from io import BytesIO

    from django.test import RequestFactory
    from rest_framework.exceptions import ParseError

    from inputbank.api.parsers import StrictJSONParser

    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_BODY_BYTES": 10}
    request = RequestFactory().post("/", b"{}", content_type="application/json")
    request.META.pop("CONTENT_LENGTH")
    with pytest.raises(ParseError, match="larger than the limit"):
        StrictJSONParser().parse(
            BytesIO(b'{"text": "0123456789"}'), parser_context={"request": request}
        )


def test_bowtie_polygon_is_repaired_not_refused(api):
    bowtie = poly([10.65, 59.43], [10.66, 59.44], [10.66, 59.43], [10.65, 59.44], [10.65, 59.43])
    payload = _fill_token(feature(geometry=bowtie), antibot.issue_form_token())
    response = post_json(api, LIST_URL, payload)
    assert response.status_code == 201
    assert body(response)["geometry_repaired"] is True


def test_malformed_comment_stores_nothing(api):
    item = make_input()
    url = f"{LIST_URL}{item.public_id}/comments/"
    for payload in (
        {},
        {"text": ""},
        {"text": "x" * 2001, "form_token": antibot.issue_form_token()},
    ):
        response = post_json(api, url, payload)
        assert response.status_code == 400
    assert not Comment.objects.exists()


def test_malformed_response_body_from_staff_is_a_400(officer_api):
    item = make_input()
    url = f"{LIST_URL}{item.public_id}/response/"
    for payload in (
        {"outcome": "adopted"},
        {"outcome": "adopted", "justification": "ok", "decided_at": "soon"},
        {"outcome": "adopted", "justification": "ok", "stage": "later"},
    ):
        assert post_json(officer_api, url, payload).status_code == 400
