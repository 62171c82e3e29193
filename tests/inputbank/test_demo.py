"""The demo data generator: deterministic, idempotent, plausible, and inside Moss."""

import datetime as dt
import random
import re

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank import roles
from inputbank.demo.loader import InputCounts, load_demo
from inputbank.demo.texts import TextMaker
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


def test_demo_authorities_write_as_authorities_in_bokmal_on_their_own_theme():
    # The merknadsbehandling's first group: a fylkeskommune or Statens vegvesen that wrote a
    # resident's complaint in Polish made the demo document look wrong to a case officer.
    _load(3000)
    authorities = TextMaker(random.Random(0)).material["authorities"]
    letters = Input.objects.filter(source_group__in=authorities)
    assert letters.count() >= 5
    for item in letters.prefetch_related("themes"):
        assert item.language == "nb"
        sender_word = item.source_group.split()[0]
        assert sender_word in item.text or "Fylkeskommunen" in item.text, item.text
        assert [t.slug for t in item.themes.all()] != []
    # Residents and organisations still speak as themselves, in several languages.
    others = Input.objects.exclude(pk__in=letters.values("pk"))
    assert others.exclude(language="nb").exists()


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


def test_demo_concerns_recur_where_they_belong_as_answered_arguments():
    """Issue 13: statements match their place, recur as arguments across processes and years
    in other words (bokmål, nynorsk, English), some with an earlier answer and case number,
    and every published input is in an argument."""
    _load(1500)
    assert not Input.objects.published().filter(argument__isnull=True).exists()
    assert not Input.objects.filter(status="rejected", argument__isnull=False).exists()
    # Larkollen is 11 km south of the town centre: who names it is down there (the nearest
    # named place; the south of Rygge has few names, so within 5 km).
    larkollen = Point(10.683, 59.3285, srid=WEB_SRID).transform(STORAGE_SRID, clone=True)
    named = Input.objects.filter(text__icontains="larkollen").exclude(geom=None)
    assert named.exists()
    for item in named:
        assert item.geom.centroid.distance(larkollen) < 5_000, item.text
    # Said again and again: an argument across processes and years, in several languages.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT argument_id FROM inputbank_input WHERE argument_id IS NOT NULL
               GROUP BY argument_id
               HAVING count(DISTINCT process_id) >= 2
                  AND count(DISTINCT extract(year FROM received_at)) >= 3
                  AND count(DISTINCT text) >= 5"""
        )
        recurring = [row[0] for row in cursor.fetchall()]
    assert len(recurring) >= 5
    assert {"nn", "en"} <= set(Input.objects.filter(argument__in=recurring).values_list(
        "language", flat=True))  # fmt: skip
    # Some were answered once: one justification and case number, the same day, for many.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.argument_id, r.decision_reference FROM inputbank_response r
               JOIN inputbank_input i ON i.id = r.input_id WHERE i.argument_id = ANY(%s)
               GROUP BY 1, 2, r.justification, r.decided_at HAVING count(*) >= 3""",
            [recurring],
        )
        once = cursor.fetchall()
    assert once
    assert all(re.fullmatch(r"\d{4}/\d+-\d+", ref) for _a, ref in once)
    # The machine says why it put them together.
    assert Input.objects.exclude(argument_reason="").exists()


def test_a_large_demo_writes_each_input_in_its_argument_and_its_reference():
    """Size L cannot be grouped after the load (hours): each voice of a recurring concern is
    written in that concern's argument, each statement of its own in the argument of its
    theme, place and language; the references are numbered in order of receipt per year and
    the counters continue after them (inputbank.demo.placed, inputbank.demo.inputs)."""
    from django.db.models import Count

    from inputbank.demo.inputs import generate_inputs
    from inputbank.demo.loader import load_processes, load_themes
    from inputbank.demo.places import moss_boundary
    from inputbank.models import Argument, InputReferenceCounter

    themes = load_themes()
    processes = load_processes(TODAY, moss_boundary())
    generate_inputs(
        counts=InputCounts.split(600), processes=processes, themes=themes, today=TODAY,
        extras=False, place_arguments=True,
    )  # fmt: skip
    assert not Input.objects.exclude(status="rejected").filter(argument__isnull=True).exists()
    assert not Input.objects.filter(status="rejected", argument__isnull=False).exists()
    # No empty placeholder is left; each argument is titled by its first member and themed.
    assert not Argument.objects.filter(inputs__isnull=True).exists()
    first = Argument.objects.order_by("id").first()
    opener = first.inputs.order_by("received_at", "id").first()
    assert first.text == opener.public_text
    assert first.themes.exists()
    # A recurring concern is one argument with many voices, in several wordings.
    assert Argument.objects.annotate(n=Count("inputs")).filter(n__gte=10).exists()
    years = Input.objects.values_list("reference_year", flat=True).distinct()
    for year in years:
        numbers = list(
            Input.objects.filter(reference_year=year)
            .order_by("received_at", "id")
            .values_list("reference_number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
        assert InputReferenceCounter.objects.get(year=year).last == len(numbers)
    # Answers and the matcher's tokens are there as the app would have written them: an
    # argument with an answered published input shows an answer, and a submission compares
    # with stored tokens instead of tokenising every neighbour.
    from inputbank.matching.text import token_key
    from inputbank.models import Response
    from inputbank.reads.arguments import latest_answer

    answered = (
        Response.objects.filter(input__status="published", input__argument__isnull=False)
        .values_list("input__argument_id", flat=True)
        .first()
    )
    assert answered is not None and latest_answer([answered])
    for item in Input.objects.exclude(status="rejected")[:50]:
        assert item.match_tokens and item.match_key == token_key(item.public_text or item.text)
