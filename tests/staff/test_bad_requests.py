"""Malformed requests to the workspace get a clear answer, never a 500, and store nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from inputbank.models import Input, Process, Response

pytestmark = pytest.mark.django_db

JUNK_GEOMETRIES = [
    "not json",
    "[]",
    '{"type": "Polygon", "coordinates": [[[1e308, 1e308]]]}',
    '{"type": "Polygon", "coordinates": [[[10.65, 59.43], [10.66, 59.43], [10.65, 59.43]]]}',
    '{"type": "GeometryCollection", "geometries": []}',
    # lat/lon swapped
    json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[59.43, 10.65], [59.44, 10.65], [59.44, 10.66], [59.43, 10.65]]],
        }
    ),
    # a point and a line drawn together
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.6, 59.4]}},
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[10.6, 59.4], [10.7, 59.4]]},
                },
            ],
        }
    ),
]


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


@pytest.mark.parametrize("geometry", JUNK_GEOMETRIES)
@pytest.mark.parametrize(
    "name",
    [
        "staff:prior_input",
        "staff:prior_input_print",
        "staff:prior_input_csv",
        "staff:prior_input_docx",
        "staff:prior_input_gpkg",
    ],
)
def test_prior_input_with_a_bad_area_answers_with_the_form(officer_client, name, geometry):
    response = officer_client.post(reverse(name), {"source": "draw", "geometry": geometry})
    assert response.status_code in (200, 400)
    assert 'class="errorlist' in response.content.decode()


def test_prior_input_about_a_point_is_a_question_like_the_api(officer_client):
    # The report and POST /api/v1/prior-input/ ask the same question (a query area): a point
    # (with or without a buffer) is admitted by both, as inputbank.geometry decides.
    point = '{"type": "Point", "coordinates": [10.65, 59.43]}'
    response = officer_client.post(
        reverse("staff:prior_input"), {"source": "draw", "geometry": point, "buffer_m": 200}
    )
    assert response.status_code == 200
    assert 'class="errorlist' not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"source": "process", "process": "999999"},
        {"source": "process", "process": "abc"},
        {"source": "nowhere"},
        {"source": "draw", "buffer_m": "-5"},
        {"source": "draw", "year_from": "twenty"},
        {"source": "draw", "themes": ["no-such-theme"]},
        {"source": "draw", "outcomes": ["maybe"]},
    ],
)
def test_prior_input_with_bad_parameters_names_the_problem(officer_client, params):
    response = officer_client.get(reverse("staff:prior_input"), params)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"cell_m": "huge"}, {"year_from": "x"}, {"cell_m": "100000"}, {"year_to": "1"}]
)
def test_consultation_grid_refuses_bad_parameters(officer_client, params):
    response = officer_client.get(reverse("staff:grid"), params)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "params",
    [{"process": "x" * 40}, {"process": "99999999999999999999"}, {"status": "<b>"}, {"page": "-1"}],
)
def test_input_list_ignores_junk_filters(officer_client, params):
    assert officer_client.get(reverse("staff:input_list"), params).status_code == 200


def test_indicators_with_a_junk_year_show_all_years(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("staff:indicators"), {"year": "1999x"}).status_code == 200


def test_an_unknown_outcome_records_no_response(officer_client):
    item = Input.objects.create(
        text="x", location_source="none", status="published", published_at="2024-01-01T00:00:00Z"
    )
    officer_client.post(
        reverse("staff:input_respond", kwargs={"public_id": item.public_id}),
        {"outcome": "maybe", "justification": "Hmm", "stage": "other"},
    )
    assert not Response.objects.exists()


def test_a_process_with_a_broken_upload_stores_nothing(officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = officer_client.post(
        reverse("staff:process_create"),
        {
            "title": "Plan",
            "ladder_step": "dialogue",
            "status": "planned",
            "area_file": SimpleUploadedFile("plan.zip", b"PK\x03\x04 broken zip"),
        },
    )
    assert response.status_code == 200
    assert "damaged" in response.content.decode()
    assert not Process.objects.exists()
