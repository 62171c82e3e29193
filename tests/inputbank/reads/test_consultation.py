"""Consultation history and the consultation-frequency grid (inputbank/reads/consultation.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.gis.geos import GEOSGeometry

from geo.crs import WEB_SRID
from inputbank.geometry import to_storage
from inputbank.models import Process
from inputbank.reads.consultation import consultation_grid, consultation_history, process_areas
from tests.factories import box, make_input, make_process, point

pytestmark = pytest.mark.django_db


def test_grid_counts_processes_per_cell_and_the_latest_date():
    area = box(10.650, 59.430, 10.656, 59.433)
    make_process("a", area=area, opens_on=dt.date(2019, 1, 1), closes_on=dt.date(2019, 3, 1))
    make_process("b", area=area, opens_on=dt.date(2023, 1, 1), closes_on=dt.date(2023, 3, 1))
    make_process("planned", area=area, status="planned")
    grid = json.loads(consultation_grid(cell_m=250))
    assert grid["features"]
    assert max(f["properties"]["processes"] for f in grid["features"]) == 2
    assert max(f["properties"]["last_consulted"] for f in grid["features"]) == "2023-03-01"


def test_grid_cells_cover_only_consulted_places():
    make_process("a", area=box(10.650, 59.430, 10.656, 59.433), status="closed")
    grid = json.loads(consultation_grid(cell_m=500))
    lons = [c[0] for f in grid["features"] for c in f["geometry"]["coordinates"][0]]
    assert min(lons) > 10.63
    assert max(lons) < 10.68


def test_grid_period_leaves_out_older_processes():
    area = box(10.650, 59.430, 10.656, 59.433)
    make_process("old", area=area, opens_on=dt.date(2015, 1, 1), closes_on=dt.date(2015, 3, 1))
    grid = json.loads(consultation_grid(cell_m=500, since=dt.date(2020, 1, 1)))
    assert grid["features"] == []


def test_grid_counts_published_input_in_each_cell():
    make_process("a", area=box(10.650, 59.430, 10.656, 59.433))
    for _ in range(3):
        make_input("Her", geom=point(10.653, 59.4315))
    make_input("Upublisert", geom=point(10.653, 59.4315), published=False)
    grid = json.loads(consultation_grid(cell_m=2000))
    assert sum(f["properties"]["inputs"] for f in grid["features"]) == 3


def test_history_counts_inputs_in_total_and_in_the_area():
    process = make_process("kyst", area=box(10.60, 59.40, 10.70, 59.45))
    make_input("Inne", geom=point(10.658, 59.434), process=process)
    make_input("Ute", geom=point(10.61, 59.41), process=process)
    query = to_storage(GEOSGeometry(box(10.65, 59.43, 10.66, 59.44).json, srid=WEB_SRID))
    [earlier] = consultation_history(query)
    assert (earlier.inputs_total, earlier.inputs_in_area) == (2, 1)


def test_process_areas_are_the_open_processes_or_the_one_asked_for():
    open_ = make_process("apen", title="Åpen høring")
    make_process("lukket", status="closed")
    make_process("planlagt", status="planned")
    Process.objects.filter(pk=make_process("uten-omrade").pk).update(area=None)
    areas = json.loads(process_areas())
    assert [f["properties"]["title"] for f in areas["features"]] == ["Åpen høring"]
    assert areas["features"][0]["geometry"]["type"] == "MultiPolygon"
    closed = make_process("lukket-2", title="Lukket", status="closed")
    one = json.loads(process_areas(closed.pk))
    assert [f["properties"]["id"] for f in one["features"]] == [closed.pk]
    assert open_.pk not in [f["properties"]["id"] for f in one["features"]]
