"""Gaps: themes, channels and children and young people not heard in the area since a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from inputbank import services
from inputbank.models import Input
from inputbank.reads.gaps import default_since_year
from inputbank.reads.prior_input import prior_input
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db

HERE = (10.6612, 59.4352)
FAR = (10.70, 59.40)


def _received(item: Input, year: int) -> Input:
    Input.objects.filter(pk=item.pk).update(
        received_at=timezone.make_aware(dt.datetime(year, 6, 1, 12))
    )
    return item


def _gaps(user, **kw) -> dict:
    result = prior_input(user=user, geometry=point(*HERE), buffer_m=200, gaps_since=2022, **kw)
    assert result.gaps is not None
    return result.gaps


@pytest.fixture
def themes(db):
    transport = make_theme("transport")
    return {
        "transport": transport,
        "sykkel": make_theme("sykkel", parent=transport),
        "kyststi": make_theme("kyststi"),
        "lek": make_theme("lek"),
    }


def test_a_theme_not_heard_since_the_year_is_a_gap_with_its_last_date(themes):
    _received(
        make_input("Kyststien gror igjen.", geom=point(*HERE), themes=(themes["kyststi"],)), 2019
    )
    _received(make_input("Sykkelvei, takk.", geom=point(*HERE), themes=(themes["sykkel"],)), 2024)
    make_input("Lekeplass langt unna.", geom=point(*FAR), themes=(themes["lek"],))
    gaps = _gaps(AnonymousUser())
    assert gaps["since_year"] == 2022
    by_slug = {g["slug"]: g["last_received"] for g in gaps["themes"]}
    assert by_slug["kyststi"] == "2019-06-01"
    assert by_slug["lek"] is None  # input elsewhere does not count here
    assert "sykkel" not in by_slug
    assert "transport" not in by_slug  # a sub-theme's input is its parent's too


def test_channels_without_input_since_the_year(themes):
    make_input("Sykkelvei, takk.", geom=point(*HERE))
    _received(make_input("Brev om parken.", geom=point(*HERE), channel="letter"), 2020)
    channels = {g["channel"]: g["last_received"] for g in _gaps(AnonymousUser())["channels"]}
    assert "web_map" not in channels
    assert channels["letter"] == "2020-06-01"
    assert channels["sms"] is None


def test_children_heard_through_barnetrakk_count_for_staff_only(themes, case_officer):
    make_input("Sykkelvei, takk.", geom=point(*HERE))
    staff = _gaps(case_officer)["children_and_young"]
    assert staff == {"gap": True, "count": 0, "last_received": None, "complete": True}
    walk = services.input_register(
        text="Her går jeg til skolen, det er skummelt.",
        geom=point(*HERE),
        themes=[],
        channel="barnetrakk",
        registered_by=case_officer,
    )
    services.input_publish(input=walk, moderator=None)
    staff = _gaps(case_officer)["children_and_young"]
    assert staff["gap"] is False and staff["count"] == 1
    # The public never sees Barnetråkk input: for them the line is unknown, not a gap.
    public = _gaps(AnonymousUser())["children_and_young"]
    assert public["complete"] is False and public["count"] == 0


def test_a_childs_own_submission_and_the_youth_council_count(themes, case_officer):
    make_input("Vi trenger en skatepark.", geom=point(*HERE), under_16=True)
    _received(
        services.input_register(
            text="Ungdomsrådet ber om en møteplass.",
            geom=point(*HERE),
            themes=[],
            channel="council",
            source_group="Ungdomsrådet",
            registered_by=case_officer,
        ),
        2021,
    )
    children = _gaps(case_officer, include_pending=True)["children_and_young"]
    assert children["count"] == 1  # the council spoke in 2021, before the year asked
    assert children["last_received"] == timezone.localdate().isoformat()


def test_gaps_look_at_the_whole_area_whatever_the_theme_filter(themes):
    make_input("Sykkelvei, takk.", geom=point(*HERE), themes=(themes["sykkel"],))
    make_input("Lekeplassen er slitt.", geom=point(*HERE), themes=(themes["lek"],))
    gaps = _gaps(AnonymousUser(), themes=["sykkel"])
    assert "lek" not in {g["slug"] for g in gaps["themes"]}


def test_by_default_gaps_count_from_five_years_back():
    assert default_since_year(dt.date(2026, 12, 4)) == 2021
