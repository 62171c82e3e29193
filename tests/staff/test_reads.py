"""The read modules behind the reports: similar statements, the consultation grid, indicators."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from geo.crs import WEB_SRID
from inputbank.geometry import to_storage
from inputbank.models import Input, Response
from inputbank.reads.consultation import consultation_grid, consultation_history
from inputbank.reads.indicators import indicators, yearly_trend
from inputbank.reads.similar import similar_statements
from tests.factories import box, make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db


def ids(items):
    return [i.pk for i in items]


def test_identical_statements_after_normalising_form_one_group():
    items = [make_input(t) for t in ("Mer lys i parken!", "mer lys i parken", "MER LYS I PARKEN.")]
    [group] = similar_statements(ids(items)).groups
    assert group.voices == 3


def test_near_identical_statements_are_grouped():
    a = make_input("Vi trenger en trygg sykkelvei langs Kanalen")
    b = make_input("Vi trenger en trygg sykkelvei langs kanalen nå")
    [group] = similar_statements([a.pk, b.pk]).groups
    assert sorted(group.input_ids) == sorted([a.pk, b.pk])


def test_different_statements_are_not_grouped():
    a = make_input("Vi trenger en trygg sykkelvei langs Kanalen")
    b = make_input("Bevar den gamle eika ved skolen")
    assert similar_statements([a.pk, b.pk]).groups == []


def test_groups_are_largest_first():
    small = [make_input("Flere benker ved stranda") for _ in range(2)]
    large = [make_input("Stenging av Kongensgate for biler") for _ in range(5)]
    groups = similar_statements(ids(small + large)).groups
    assert [g.voices for g in groups] == [5, 2]


def test_grouping_reads_the_public_text_only():
    a = make_input("Ring meg på 912 34 567")
    b = make_input("Ring meg på 48 00 11 22")
    [group] = similar_statements([a.pk, b.pk]).groups
    assert "912" not in group.text


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


def _received(item, when: dt.datetime):
    Input.objects.filter(pk=item.pk).update(received_at=timezone.make_aware(when))


def test_indicators_share_and_median_days_to_response():
    items = [make_input(f"Innspill {i}") for i in range(4)]
    for item in items:
        _received(item, dt.datetime(2024, 3, 1, 12))
    for item, days in zip(items[:3], (10, 20, 60), strict=True):
        Response.objects.create(
            input=item,
            outcome="noted",
            justification="Ok",
            decided_at=timezone.make_aware(dt.datetime(2024, 3, 1, 12) + dt.timedelta(days=days)),
        )
    result = indicators(year=2024)
    assert result.inputs == 4
    assert result.responded == 3
    assert result.share_responded == pytest.approx(0.75)
    assert result.median_days_to_response == pytest.approx(20.0)


def test_indicators_count_by_channel_and_theme():
    transport = make_theme("transport")
    make_input("Brev", channel="letter", themes=(transport,))
    make_input("Kart", themes=(transport,))
    make_input("Kart uten tema")
    result = indicators()
    assert result.inputs_by_channel == {"web_map": 2, "letter": 1}
    assert result.inputs_by_theme == {"transport": 2}


def test_indicators_per_department_and_resources():
    plan = make_process("plan", owner_department="Plan", hours_used=Decimal("10.5"), cost_nok=1000)
    make_process(
        "kultur", owner_department="Kultur", hours_used=Decimal("4"), ladder_step="information"
    )
    make_input("Til plan", process=plan)
    result = indicators(department="Plan")
    assert result.processes == 1
    assert result.processes_by_ladder == {"dialogue": 1}
    assert result.hours_used == Decimal("10.5")
    assert result.inputs == 1


def test_indicators_by_year_leave_out_rejected_input():
    keep = make_input("Beholdes")
    _received(keep, dt.datetime(2023, 5, 5, 12))
    gone = make_input("Avvist", published=False)
    Input.objects.filter(pk=gone.pk).update(status="rejected")
    _received(gone, dt.datetime(2023, 5, 5, 12))
    assert indicators(year=2023).inputs == 1


def test_trend_has_one_row_per_year():
    for year in (2021, 2023):
        _received(make_input(f"Fra {year}"), dt.datetime(year, 5, 5, 12))
    years = [row.year for row in yearly_trend()]
    assert 2021 in years and 2023 in years
    assert years == sorted(years)
