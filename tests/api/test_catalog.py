"""Themes and processes: public catalogues the map and GIS tools read."""

import pytest

from tests.api.helpers import body
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


def test_themes_list_active_themes_with_parent_slug(api):
    parent = make_theme("transport", sort_order=1)
    make_theme("sykkel", parent=parent, sort_order=2, colour="#aa0000")
    make_theme("gammel", active=False)
    data = body(api.get("/api/v1/themes/"))
    assert [t["slug"] for t in data] == ["transport", "sykkel"]
    assert data[1]["parent"] == "transport"
    assert data[1]["colour"] == "#aa0000"


def test_processes_are_a_feature_collection_with_areas(api):
    process = make_process("sentrum", case_year=2024, case_sequence=77)
    make_input(process=process)
    make_input(process=process, published=False)
    data = body(api.get("/api/v1/processes/"))
    (feature,) = data["features"]
    assert feature["id"] == process.pk
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["geometry"]["coordinates"][0][0][0] == pytest.approx([10.64, 59.42], abs=1e-6)
    assert feature["properties"]["case_number"] == "2024/77"
    assert feature["properties"]["input_count"] == 1


def test_process_detail_by_id_or_slug(api):
    process = make_process("sentrum")
    assert body(api.get(f"/api/v1/processes/{process.pk}/"))["id"] == process.pk
    assert body(api.get("/api/v1/processes/sentrum/"))["properties"]["slug"] == "sentrum"
    assert api.get("/api/v1/processes/finnes-ikke/").status_code == 404


def test_process_indicators_only_for_advisers(api, adviser):
    from tests.api.conftest import client_for

    make_process("sentrum", hours_used=12.5)
    assert "hours_used" not in body(api.get("/api/v1/processes/"))["features"][0]["properties"]
    staff = body(client_for(adviser).get("/api/v1/processes/"))["features"][0]["properties"]
    assert staff["hours_used"] == "12.5"


def test_process_status_filter(api):
    make_process("open-one")
    make_process("closed-one", status="closed")
    data = body(api.get("/api/v1/processes/?status=closed"))
    assert [f["properties"]["slug"] for f in data["features"]] == ["closed-one"]
