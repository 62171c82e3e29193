"""Indicators for the annual report (inputbank/reads/indicators.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from inputbank.models import Input, Response
from inputbank.reads.indicators import indicators, yearly_trend
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


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
