"""Property-based checks: whatever JSON arrives, the answer is a 2xx or a 400 with messages,
never a server error (the test client re-raises exceptions, so a 500 fails loudly)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inputbank import antibot
from tests.api.helpers import LIST_URL, PRIOR_URL, body, post_json

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e7),
    st.floats(min_value=10.5, max_value=10.9),
    st.floats(min_value=59.2, max_value=59.6),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=10), children, max_size=5),
    ),
    max_leaves=30,
)
geometry_types = st.sampled_from(
    [
        "Point",
        "LineString",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
        "Circle",
        "",
    ]
)
positions = st.lists(numbers, min_size=0, max_size=4)
coordinates = st.recursive(positions, lambda c: st.lists(c, max_size=6), max_leaves=40)
geometries = st.one_of(
    st.none(),
    json_values,
    st.fixed_dictionaries({"type": geometry_types, "coordinates": coordinates}),
)
properties = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=50), json_values)},
    optional={
        "themes": json_values,
        "process": json_values,
        "language": st.one_of(st.text(max_size=8), json_values),
        "location_source": st.one_of(st.text(max_size=10), json_values),
        "contributor": json_values,
    },
)


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """Hundreds of requests from one client: lift the public rate limits for these tests."""
    rates = dict.fromkeys(("submit", "support", "anon"), "100000/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def _answer_is_sane(response, ok=(200, 201)):
    assert response.status_code in (*ok, 400), response.content[:300]
    if response.status_code == 400:
        errors = body(response)["errors"]
        assert errors and all(isinstance(e["message"], str) and e["message"] for e in errors)


@FUZZ
@given(geometry=geometries, props=properties)
def test_any_submission_is_stored_or_refused_never_an_error(api, geometry, props):
    props = {**props, "form_token": antibot.issue_form_token()}
    response = post_json(
        api, LIST_URL, {"type": "Feature", "geometry": geometry, "properties": props}
    )
    _answer_is_sane(response)


@FUZZ
@given(
    question=st.fixed_dictionaries(
        {},
        optional={
            "geometry": geometries,
            "process": json_values,
            "buffer_m": json_values,
            "themes": json_values,
            "since": json_values,
            "until": json_values,
            "include_pending": json_values,
            "crs": json_values,
            "limit": json_values,
        },
    )
)
def test_any_prior_input_question_is_answered_or_refused(api, question):
    _answer_is_sane(post_json(api, PRIOR_URL, question))


PARAMS = [
    "bbox",
    "theme",
    "process",
    "status",
    "channel",
    "outcome",
    "since",
    "until",
    "q",
    "intersects",
    "crs",
    "page",
    "page_size",
]


@FUZZ
@given(params=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=40), max_size=4))
def test_any_list_parameters_are_answered_or_refused(api, params):
    _answer_is_sane(api.get(LIST_URL, params), ok=(200,))
