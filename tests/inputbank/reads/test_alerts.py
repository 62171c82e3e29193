"""What an area alert's digest holds (inputbank/reads/alerts.py), read directly.

``digest_items`` names only what the public may already see: new processes over the area and
answers to published, not location-restricted input in it, each only in the period it became
new or public. The e-mail around it is tested in tests/inputbank/services/test_alerts.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import LineString
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank import services
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Channel, Input, Outcome, Process, ProcessStatus, Response
from inputbank.reads import alerts
from inputbank.reads.alerts import digest_items
from inputbank.services import ContributorData
from tests.factories import make_input, make_process
from tests.factories import storage_box as square
from tests.factories import storage_point as at

pytestmark = pytest.mark.django_db

# EPSG:25832 metres: Dronningens gate 1 (the alert's centre), Kongens gate, Rygge.
CENTRE = (594048, 6589552)
KONGENS_GATE = (594293, 6589758)
RYGGE = (601415, 6583615)


# "500 m around Dronningens gate 1", as a resident subscribes.
AREA = at(*CENTRE).buffer(500)
# A walk along Kanalen that starts outside the circle and ends inside it.
KANALEN = LineString((593300, 6589552), (593700, 6589552), srid=STORAGE_SRID)
# Nesparken: a park half inside the circle.
NESPARKEN = square(594300, 6589000, 594800, 6589400)
SENTRUM = square(593500, 6589000, 594600, 6590100)
RYGGE_AREA = square(601000, 6583200, 601800, 6584000)


def answer(item: Input, text: str = "Tatt med i planarbeidet.", when=None) -> Response:
    """The municipality's answer to one input, as an officer records it (``when``: the
    moment it was recorded, for answers from before the period)."""
    response = services.response_record(
        input=item, outcome=Outcome.NOTED, justification=text, decided_by=None
    )
    if when is not None:
        Response.objects.filter(pk=response.pk).update(created_at=when, decided_at=when)
    return response


def published_at(item: Input, when: dt.datetime) -> Input:
    Input.objects.filter(pk=item.pk).update(published_at=when, received_at=when)
    return item


def kari() -> ContributorData:
    return ContributorData(name="Kari Nordmann", email="kari@example.no", wants_feedback=True)


def last_week() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return now - dt.timedelta(days=7), now + dt.timedelta(minutes=1)


def answered_inputs(digest) -> list[Input]:
    return [response.input for response in digest.answers]


def test_answers_to_public_input_in_the_area_are_named_whoever_gave_it():
    anonymous = make_input("Benk ved torget, takk.", geom=at(*KONGENS_GATE))
    identified = make_input("Belysning langs Kanalen.", geom=KANALEN, contributor=kari())
    park = make_input("Flere trær i Nesparken.", geom=NESPARKEN)
    far = make_input("Lys i lysløypa på Rygge.", geom=at(*RYGGE))
    unanswered = make_input("Søppelkasser ved torget.", geom=at(*KONGENS_GATE))
    for item in (anonymous, identified, park, far):
        answer(item)

    digest = digest_items(AREA, *last_week())

    assert {i.pk for i in answered_inputs(digest)} == {anonymous.pk, identified.pk, park.pk}
    assert digest.answer_total == 3
    assert far.pk not in {i.pk for i in answered_inputs(digest)}
    assert unanswered.pk not in {i.pk for i in answered_inputs(digest)}
    assert digest


def test_input_the_public_may_not_see_is_never_named(case_officer):
    here = at(*KONGENS_GATE)
    public = make_input("Fortau langs Kongens gate.", geom=here)
    pending = make_input("Fortau mangler, ring meg.", geom=here, published=False)
    rejected = make_input("Upassende innspill.", geom=here)
    services.input_reject(input=rejected, moderator=case_officer, reason="Personangrep")
    child = make_input("Her går jeg til skolen hver dag.", geom=here, under_16=True)
    walk = services.input_register(
        text="Skoleveien min, her er det skummelt.",
        geom=KANALEN,
        themes=[],
        channel=Channel.BARNETRAKK,
        registered_by=case_officer,
        publish=True,
    )
    assert child.location_restricted and walk.location_restricted
    for item in (public, pending, rejected, child, walk):
        answer(item)

    digest = digest_items(AREA, *last_week())

    assert answered_inputs(digest) == [public]
    assert digest.answer_total == 1


def test_an_answer_is_new_when_it_became_public_not_before():
    now = timezone.now()
    two_years_ago = now - dt.timedelta(days=730)
    old_process = make_process(
        "torget-2023",
        area=SENTRUM,
        status=ProcessStatus.EVALUATED,
        opens_on=(now - dt.timedelta(days=760)).date(),
        closes_on=(now - dt.timedelta(days=700)).date(),
    )
    here = at(*KONGENS_GATE)
    # Answered long ago: told in an earlier digest.
    old = published_at(
        make_input("Torget trenger benker.", geom=here, process=old_process), two_years_ago
    )
    answer(old, when=two_years_ago + dt.timedelta(days=30))
    # Answered last month while it waited for moderation, published today: new now.
    waited = make_input("Torget trenger skygge.", geom=here, published=False)
    answer(waited, when=now - dt.timedelta(days=30))
    services.input_publish(input=waited, moderator=None)
    # Published two years ago, answered today.
    late = published_at(
        make_input("Torget trenger vann.", geom=here, process=old_process), two_years_ago
    )
    answer(late)

    digest = digest_items(AREA, *last_week())

    assert {i.pk for i in answered_inputs(digest)} == {waited.pk, late.pk}
    assert not digest_items(AREA, now - dt.timedelta(days=60), now - dt.timedelta(days=8))


def test_consecutive_periods_name_each_answer_exactly_once():
    now = timezone.now()
    start, cut, end = now - dt.timedelta(days=2), now - dt.timedelta(days=1), now
    on_the_cut = make_input("Gatelys i Kongens gate.", geom=at(*KONGENS_GATE))
    published_at(on_the_cut, cut - dt.timedelta(days=5))
    answer(on_the_cut, when=cut)
    after = make_input("Fartshump i Kongens gate.", geom=at(*KONGENS_GATE))
    answer(after)

    first = digest_items(AREA, start, cut)
    second = digest_items(AREA, cut, end + dt.timedelta(seconds=1))

    assert answered_inputs(first) == [on_the_cut]
    assert answered_inputs(second) == [after]


def test_new_processes_over_the_area_registered_or_opening_in_the_period():
    now = timezone.now()
    today = timezone.localdate()

    def registered(process, days_ago: int):
        Process.objects.filter(pk=process.pk).update(created_at=now - dt.timedelta(days=days_ago))
        return process

    announced = make_process(
        "sentrumsplan-2026",
        title="Sentrumsplan 2026",
        area=SENTRUM,
        status=ProcessStatus.PLANNED,
        opens_on=today + dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=75),
    )
    opening = registered(
        make_process(
            "kanalen",
            title="Kanalen",
            area=NESPARKEN,
            status=ProcessStatus.OPEN,
            opens_on=today - dt.timedelta(days=2),
            closes_on=today + dt.timedelta(days=40),
        ),
        days_ago=60,
    )
    registered(
        make_process(
            "torget-2022",
            area=SENTRUM,
            status=ProcessStatus.CLOSED,
            opens_on=today - dt.timedelta(days=1100),
            closes_on=today - dt.timedelta(days=1050),
        ),
        days_ago=1120,
    )
    registered(make_process("open-since-last-month", area=SENTRUM), days_ago=40)
    registered(
        make_process(
            "not-yet",
            area=SENTRUM,
            status=ProcessStatus.PLANNED,
            opens_on=today + dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=50),
        ),
        days_ago=60,
    )
    make_process("rygge-flyplass", area=RYGGE_AREA)

    digest = digest_items(AREA, *last_week())

    assert digest.processes == [opening, announced]  # by opening day
    assert digest.process_total == 2
    # A planned process is told again in the period it opens.
    later = digest_items(AREA, now + dt.timedelta(days=28), now + dt.timedelta(days=31))
    assert later.processes == [announced]


def test_a_busy_period_lists_the_newest_and_counts_all(monkeypatch):
    monkeypatch.setattr(alerts, "DIGEST_MAX_ITEMS", 2)
    now = timezone.now()
    items = [make_input(f"Innspill {n} om Kongens gate.", geom=at(*KONGENS_GATE)) for n in range(3)]
    for hours, item in zip((3, 1, 2), items, strict=True):
        published_at(item, now - dt.timedelta(days=1))
        answer(item, when=now - dt.timedelta(hours=hours))
    for title in ("Bryggeparken", "Alby", "Chr. Frederiks plass"):
        make_process(title=title, area=SENTRUM)

    digest = digest_items(AREA, *last_week())

    assert answered_inputs(digest) == [items[1], items[2]]  # newest first
    assert digest.answer_total == 3
    assert [p.title for p in digest.processes] == ["Alby", "Bryggeparken"]
    assert digest.process_total == 3


def test_nothing_new_in_the_area_is_an_empty_digest():
    make_process("rygge-flyplass", area=RYGGE_AREA)
    answer(make_input("Flystøy over Rygge.", geom=at(*RYGGE)))
    make_input("Ubesvart ved torget.", geom=at(*KONGENS_GATE))

    digest = digest_items(AREA, *last_week())

    assert not digest
    assert (digest.processes, digest.answers) == ([], [])


def test_a_home_is_found_where_the_public_sees_it_not_where_it_is():
    # Anyone can draw an alert area, as small as they like: asked by the real place, a few
    # small areas would locate a home inside its 50 m square (docs/privacy.md).
    home = make_input(
        "Bråk fra utestedet hver natt.", geom=at(*KONGENS_GATE), location_is_home=True
    )
    answer(home)
    centre = at(*home_cell_centre(*KONGENS_GATE))
    around_the_real_place = at(*KONGENS_GATE).buffer(8)  # drawn by someone narrowing it down
    around_the_published_point = centre.buffer(8)
    assert not around_the_real_place.intersects(centre)

    assert answered_inputs(digest_items(around_the_real_place, *last_week())) == []
    assert answered_inputs(digest_items(around_the_published_point, *last_week())) == [home]
