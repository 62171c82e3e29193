"""The demo data generator: deterministic, idempotent, plausible, and inside Moss."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from inputbank import roles
from inputbank.demo.loader import InputCounts, load_demo
from inputbank.models import Input, Process, Response, Theme

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def _load(n=400, **kw):
    return load_demo(counts=InputCounts.split(n), today=TODAY, log=lambda _m: None, **kw)


def test_demo_loads_themes_processes_inputs_and_role_users():
    _load()
    assert Theme.objects.filter(slug="sykkel", parent__slug="transport").exists()
    assert Theme.objects.get(slug="skolevei").name_ar == "الطريق إلى المدرسة"
    assert Process.objects.count() == 13
    assert Input.objects.count() == 400
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists()
    assert User.objects.get(username="admin").is_superuser


def test_demo_has_every_geometry_kind_and_open_processes():
    _load()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT GeometryType(geom) FROM inputbank_input WHERE geom IS NOT NULL"
        )
        kinds = {row[0] for row in cursor.fetchall()}
    assert kinds == {"POINT", "LINESTRING", "POLYGON"}
    assert Process.objects.open_on(TODAY).count() == 2


def test_demo_input_lies_in_its_process_area():
    _load()
    process = Process.objects.get(slug="nesparken")
    linked = Input.objects.filter(process=process, geom__isnull=False)
    assert linked.exists()
    assert not linked.exclude(geom__intersects=process.area.buffer(1)).exists()


def test_demo_public_text_is_redacted_and_children_are_hidden():
    _load(1500)
    assert not Input.objects.filter(public_text__contains="@example.no").exists()
    assert Input.objects.filter(text__contains="@example.no").exists()
    barnetrakk = Input.objects.filter(channel="barnetrakk")
    assert barnetrakk.exists()
    assert not Input.objects.published().filter(channel="barnetrakk").exists()


def test_demo_has_responses_for_about_half_of_the_old_input():
    _load(1000)
    answered = Response.objects.filter(input__process__status__in=["closed", "evaluated"]).count()
    total = Input.objects.filter(process__status__in=["closed", "evaluated"]).count()
    assert 0.5 < answered / total < 0.8


def test_demo_is_deterministic():
    _load(200)
    first = list(Input.objects.order_by("id").values_list("public_id", "text")[:50])
    _load(200, replace=True)
    again = list(Input.objects.order_by("id").values_list("public_id", "text")[:50])
    assert first == again


def test_load_demo_command_is_idempotent(capsys):
    call_command("load_demo", "--inputs", "100", "--today", "2026-11-25")
    call_command("load_demo", "--inputs", "100", "--today", "2026-11-25")
    assert Input.objects.count() == 100
    out = capsys.readouterr().out
    assert "already present" in out
    assert "saksbehandler" in out
