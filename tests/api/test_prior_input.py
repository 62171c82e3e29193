"""POST /api/v1/prior-input/: earlier input about an area, exact, with a summary."""

import datetime as dt
import math

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.utils import timezone

from geo.crs import WEB_SRID
from inputbank import services
from inputbank.geometry import query_area
from inputbank.models import Outcome
from tests.api.helpers import PRIOR_URL, body, error_fields, post_json
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db

CENTRE = {"type": "Point", "coordinates": [10.658, 59.434]}
# ~111 km per degree of latitude; at 59.4° N a degree of longitude is ~56.6 km.
M_PER_DEG_LAT = 111_200
M_PER_DEG_LON = 111_320 * math.cos(math.radians(59.434))


def metres_east(m: float):
    return point(10.658 + m / M_PER_DEG_LON, 59.434)


def test_buffer_is_measured_in_metres(api):
    near = make_input(geom=metres_east(90))
    make_input(geom=metres_east(130))
    data = body(post_json(api, PRIOR_URL, {"geometry": CENTRE, "buffer_m": 110}))
    assert data["summary"]["total"] == 1
    assert [f["id"] for f in data["features"]["features"]] == [str(near.public_id)]


def test_intersection_is_exact_not_bounding_box(api):
    # An L-shaped area: its bounding box covers the input, the area itself does not.
    l_shape = {
        "type": "Polygon",
        "coordinates": [
            [
                [10.60, 59.40],
                [10.70, 59.40],
                [10.70, 59.41],
                [10.61, 59.41],
                [10.61, 59.50],
                [10.60, 59.50],
                [10.60, 59.40],
            ]
        ],
    }
    make_input(geom=point(10.65, 59.45))
    data = body(post_json(api, PRIOR_URL, {"geometry": l_shape}))
    assert data["summary"]["total"] == 0


def test_summary_counts_by_theme_outcome_channel_year_and_process(api):
    transport = make_theme("transport")
    process = make_process("sentrum")
    a = make_input(themes=(transport,), process=process)
    make_input(themes=(transport,))
    services.response_record(input=a, outcome=Outcome.ADOPTED, justification="Ja", decided_by=None)
    summary = body(post_json(api, PRIOR_URL, {"geometry": CENTRE, "buffer_m": 50}))["summary"]
    year = str(timezone.localdate().year)
    assert summary["total"] == 2
    assert summary["by_theme"] == {"transport": 2}
    assert summary["by_outcome"] == {"adopted": 1, "none": 1}
    assert summary["by_channel"] == {"web_map": 2}
    assert summary["by_year"] == {year: 2}
    counts = {p["slug"]: p["count"] for p in summary["by_process"]}
    assert counts == {"sentrum": 1, None: 1}


def test_overlapping_processes_are_listed_even_without_input(api):
    make_process("havna")
    summary = body(post_json(api, PRIOR_URL, {"geometry": CENTRE}))["summary"]
    assert [p["slug"] for p in summary["processes_overlapping"]] == ["havna"]


def test_process_area_can_be_the_question(api):
    process = make_process("sentrum")
    make_input(geom=point(10.66, 59.43))
    make_input(geom=point(10.75, 59.48))
    data = body(post_json(api, PRIOR_URL, {"process": "sentrum"}))
    assert data["summary"]["total"] == 1
    assert process.pk in [p["id"] for p in data["summary"]["processes_overlapping"]]


def test_theme_and_date_filters(api):
    transport = make_theme("transport")
    make_input(themes=(transport,))
    old = make_input(themes=(transport,))
    services.input_update(
        input=old, changed_by=None, received_at=timezone.now() - dt.timedelta(days=800)
    )
    make_input()
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    query = {"geometry": CENTRE, "buffer_m": 50, "themes": ["transport"], "since": since}
    assert body(post_json(api, PRIOR_URL, query))["summary"]["total"] == 1


def test_pending_input_only_for_roles_that_see_it(api, officer_api):
    make_input(published=False)
    query = {"geometry": CENTRE, "buffer_m": 50, "include_pending": True}
    assert body(post_json(api, PRIOR_URL, query))["summary"]["total"] == 0
    assert body(post_json(officer_api, PRIOR_URL, query))["summary"]["total"] == 1


def test_geometry_or_process_is_required(api):
    response = post_json(api, PRIOR_URL, {"buffer_m": 100})
    assert response.status_code == 400
    assert error_fields(response) == ["geometry"]


def test_buffer_is_bounded(api, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_BUFFER_M": 1000}
    response = post_json(api, PRIOR_URL, {"geometry": CENTRE, "buffer_m": 1001})
    assert response.status_code == 400
    assert error_fields(response) == ["buffer_m"]


def test_features_are_limited_but_summary_counts_all(api):
    for _ in range(3):
        make_input()
    data = body(post_json(api, PRIOR_URL, {"geometry": CENTRE, "buffer_m": 50, "limit": 2}))
    assert data["summary"]["total"] == 3
    assert data["features"]["numberReturned"] == 2
    assert len(data["features"]["features"]) == 2


def _ring_polygon(n_vertices: int, radius_deg: float, centre=(10.658, 59.434)) -> Polygon:
    # A star-shaped polygon with many vertices (alternating radii), valid and simple.
    cx, cy = centre
    coords = []
    for k in range(n_vertices):
        r = radius_deg * (1.0 if k % 2 else 0.8)
        a = 2 * math.pi * k / n_vertices
        coords.append((cx + r * math.cos(a) * 2, cy + r * math.sin(a)))
    coords.append(coords[0])
    return Polygon(coords, srid=WEB_SRID)


def test_complex_area_is_subdivided_and_stays_exact(api):
    star = _ring_polygon(3000, 0.01)
    assert len(query_area(star)) > 1
    inside = make_input(geom=point(10.658, 59.434))
    make_input(geom=point(10.658, 59.434 + 0.02))  # outside the star, inside nothing
    query = {"geometry": {"type": "Polygon", "coordinates": [list(map(list, star.coords[0]))]}}
    data = body(post_json(api, PRIOR_URL, query))
    assert [f["id"] for f in data["features"]["features"]] == [str(inside.public_id)]


def test_a_subdivided_area_finds_pending_input_for_staff_only(api, officer_api):
    # Over many pieces the spatial scan applies the asked statuses itself (the published-only
    # index for the public); pending input must still reach the roles that ask for it.
    star = _ring_polygon(3000, 0.01)
    published = make_input(geom=point(10.658, 59.434))
    pending = make_input(geom=point(10.659, 59.434), published=False)
    query = {
        "geometry": {"type": "Polygon", "coordinates": [list(map(list, star.coords[0]))]},
        "include_pending": True,
    }
    public = body(post_json(api, PRIOR_URL, query))["features"]["features"]
    assert [f["id"] for f in public] == [str(published.public_id)]
    staff = body(post_json(officer_api, PRIOR_URL, query))["features"]["features"]
    assert {f["id"] for f in staff} == {str(published.public_id), str(pending.public_id)}


def test_subdivided_multipolygon_counts_each_input_once(api):
    star = _ring_polygon(2000, 0.01)
    area = MultiPolygon(star, srid=WEB_SRID)
    make_input(geom=star.buffer(-0.002))  # a polygon input crossing many pieces
    from django.contrib.auth.models import AnonymousUser

    from inputbank.reads.prior_input import prior_input

    result = prior_input(user=AnonymousUser(), geometry=area)
    assert len(query_area(area)) > 1
    assert result.summary["total"] == 1


def test_crs_in_the_answer(api):
    make_input()
    data = body(
        post_json(api, PRIOR_URL, {"geometry": CENTRE, "buffer_m": 10, "crs": "EPSG:25832"})
    )
    x, _y = data["features"]["features"][0]["geometry"]["coordinates"]
    assert x == pytest.approx(594048.14, abs=0.05)
