"""Malformed questions: a prior-input question or list parameters that are wrong answer 400
naming the field and the problem, and whole-world areas are clipped, not a crash."""

from __future__ import annotations

import pytest

from inputbank.models import Process
from tests.api.helpers import LIST_URL, PRIOR_URL, body, post_json
from tests.api.test_malformed import POINT, poly
from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


PRIOR_CORPUS = [
    ("nothing", {}, "geometry", "either a geometry or a process"),
    ("both", {"geometry": POINT, "process": "sentrum"}, "geometry", "not both"),
    ("negative-buffer", {"geometry": POINT, "buffer_m": -5}, "buffer_m", "greater than or equal"),
    ("nan-buffer", {"geometry": POINT, "buffer_m": "nan"}, "buffer_m", "valid number"),
    ("huge-buffer", {"geometry": POINT, "buffer_m": 1e9}, "buffer_m", "between 0 and"),
    (
        "process-without-area",
        {"process": "uten-omrade"},
        "process",
        "This process has no area; draw one instead.",
    ),
    (
        "far-away",
        {"geometry": {"type": "Point", "coordinates": [5.3, 60.4]}},
        "geometry",
        "does not touch Moss",
    ),
    (
        "swapped",
        {"geometry": {"type": "Point", "coordinates": [59.434, 10.658]}},
        "geometry",
        "swapped",
    ),
    (
        "not-degrees",
        {"geometry": {"type": "Point", "coordinates": [594048, 6589551]}},
        "geometry",
        "longitude/latitude",
    ),
    ("bad-date", {"geometry": POINT, "since": "yesterday"}, "since", "format"),
    ("year-one", {"geometry": POINT, "since": "0001-01-01"}, "since", "1900"),
    (
        "reversed-dates",
        {"geometry": POINT, "since": "2024-01-01", "until": "2020-01-01"},
        "until",
        "before since",
    ),
    ("bad-crs", {"geometry": POINT, "crs": "EPSG:9999"}, "crs", "unsupported CRS"),
    ("unknown-field", {"geometry": POINT, "radius": 100}, "radius", "unknown field"),
    ("process-unknown", {"process": "finnes-ikke"}, "process", "unknown process"),
    ("limit-negative", {"geometry": POINT, "limit": -1}, "limit", "greater than or equal"),
]


@pytest.mark.parametrize(
    ("payload", "field", "words"), [c[1:] for c in PRIOR_CORPUS], ids=[c[0] for c in PRIOR_CORPUS]
)
def test_malformed_prior_input_question_is_a_clear_400(api, payload, field, words):
    make_process("sentrum")
    Process.objects.filter(pk=make_process("uten-omrade").pk).update(area=None)
    response = post_json(api, PRIOR_URL, payload)
    assert response.status_code == 400, response.content[:300]
    errors = body(response)["errors"]
    assert field in [e["field"] for e in errors]
    assert any(words.lower() in e["message"].lower() for e in errors)


@pytest.mark.parametrize(
    ("language", "buffer", "both"),
    [
        (
            "nb",
            "Bufferen må være mellom 0 og 5000 meter.",
            "Oppgi enten et område eller en prosess, ikke begge deler.",
        ),
        (
            "nn",
            "Bufferen må vere mellom 0 og 5000 meter.",
            "Oppgi anten eit område eller ein prosess, ikkje begge delar.",
        ),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused_in_the_callers_language(
    api, settings, language, buffer, both
):
    # The serializer checks what prior_input would refuse, first, in the same words.
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_BUFFER_M": 5000}
    make_process("sentrum")
    header = {"HTTP_ACCEPT_LANGUAGE": language}
    huge = post_json(api, PRIOR_URL, {"geometry": POINT, "buffer_m": 5001}, **header)
    assert huge.status_code == 400
    assert {"field": "buffer_m", "message": buffer} in body(huge)["errors"]
    twice = post_json(api, PRIOR_URL, {"geometry": POINT, "process": "sentrum"}, **header)
    assert {"field": "geometry", "message": both} in body(twice)["errors"]


def test_whole_world_query_area_is_clipped_not_a_crash(api):
    make_input()
    world = poly([-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90])
    response = post_json(api, PRIOR_URL, {"geometry": world})
    assert response.status_code == 200
    assert body(response)["summary"]["total"] == 1


LIST_CORPUS = [
    ("bbox-three-numbers", {"bbox": "1,2,3"}, "bbox", "four numbers"),
    ("bbox-words", {"bbox": "a,b,c,d"}, "bbox", "four numbers"),
    ("bbox-inverted", {"bbox": "10.7,59.4,10.6,59.5"}, "bbox", "smaller"),
    ("bbox-nan", {"bbox": "nan,59.4,10.7,59.5"}, "bbox", "finite"),
    ("page-zero", {"page": "0"}, "page", "greater than or equal"),
    ("page-words", {"page": "two"}, "page", "valid integer"),
    ("page-size-zero", {"page_size": "0"}, "page_size", "greater than or equal"),
    ("since-words", {"since": "last year"}, "since", "format"),
    ("until-far-future", {"until": "9999-12-31"}, "until", "2999"),
    ("dates-reversed", {"since": "2024-05-31", "until": "2024-05-30"}, "until", "before since"),
    (
        "date-time-after-until-day",
        {"since": "2024-06-01T00:00:00+02:00", "until": "2024-05-31"},
        "until",
        "before since",
    ),
    ("since-given-twice", {"since": ["2024-01-01", "2024-02-01"]}, "since", "once"),
    ("status-unknown", {"status": "deleted"}, "status", "valid choice"),
    ("channel-unknown", {"channel": "pigeon"}, "channel", "valid choice"),
    ("outcome-unknown", {"outcome": "maybe"}, "outcome", "valid choice"),
    ("q-too-long", {"q": "x" * 201}, "q", "200"),
    ("intersects-garbage", {"intersects": "not a geometry"}, "intersects", "GeoJSON or WKT"),
    (
        "intersects-nan",
        {"intersects": '{"type":"Point","coordinates":[NaN,59.4]}'},
        "intersects",
        "not valid GeoJSON",
    ),
    (
        "intersects-collection",
        {"intersects": "GEOMETRYCOLLECTION(POINT(10.6 59.4))"},
        "intersects",
        "GeometryCollection",
    ),
    ("crs-unknown", {"crs": "EPSG:4"}, "crs", "unsupported CRS"),
    ("theme-unknown", {"theme": "nope"}, "theme", "unknown theme"),
    ("process-unknown", {"process": "nope"}, "process", "unknown process"),
    ("unknown-parameter", {"colour": "red"}, "colour", "unknown parameter"),
]


@pytest.mark.parametrize(
    ("params", "field", "words"), [c[1:] for c in LIST_CORPUS], ids=[c[0] for c in LIST_CORPUS]
)
def test_malformed_list_parameters_are_a_clear_400(api, params, field, words):
    response = api.get(LIST_URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content[:300]
    errors = body(response)["errors"]
    assert field in [e["field"] for e in errors]
    assert any(words.lower() in e["message"].lower() for e in errors)


def test_world_bbox_is_clipped_not_a_crash(api):
    make_input()
    response = api.get(LIST_URL, {"bbox": "-180,-90,180,90"})
    assert response.status_code == 200
    assert len(body(response)["features"]) == 1
