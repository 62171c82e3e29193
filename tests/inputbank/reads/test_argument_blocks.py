"""The batch regrouping's reads (inputbank/reads/argument_blocks.py), called directly.

A block holds the inputs whose centroid lies in it (west and south edges in, east and north
out), so each input is in exactly one block however far its line or area reaches; only
inputs not rejected and without an argument are to be placed, oldest first, read with the
wording, themes and stored tokens the matcher compares; the candidates are the published and
pending inputs that already have an argument. The sweep built on them is tested in
tests/inputbank/services/test_arguments_regroup.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import LineString
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank.matching import tokens
from inputbank.models import Input
from inputbank.reads.argument_blocks import (
    newest_placed_with_theme,
    placed_in,
    unplaced_centroids,
    unplaced_extent,
    unplaced_in,
    unplaced_without_place,
)
from inputbank.reads.argument_statements import ThemeKeys
from inputbank.services import ContributorData, argument_match, arguments_reset, input_reject
from tests.factories import make_input, make_theme
from tests.factories import storage_box as square
from tests.factories import storage_point as at

pytestmark = pytest.mark.django_db

# One block of a kilometre in the town centre, EPSG:25832 metres (xmin, ymin, xmax, ymax).
BLOCK = (594000.0, 6589000.0, 595000.0, 6590000.0)
EAST_BLOCK = (595000.0, 6589000.0, 596000.0, 6590000.0)
KONGENS_GATE = (594293.0, 6589758.0)
NESPARKEN = (594454.0, 6589205.0)
RYGGE = (601415.0, 6583615.0)


def received(item: Input, days_ago: int) -> Input:
    Input.objects.filter(pk=item.pk).update(
        received_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    item.refresh_from_db()
    return item


def keys_of(found) -> list[int]:
    return [u.statement.key for u in found]


@pytest.fixture
def unmatched(settings):
    """Input arrives without being matched (an archive import, matching switched off)."""
    settings.INPUTBANK = {**settings.INPUTBANK, "ARGUMENTS_MATCH_AT_SUBMISSION": False}


@pytest.fixture
def bank(unmatched, case_officer):
    """Points, lines and areas around the block, in every state placing meets."""
    items = {
        "point": make_input("Fortauet i Kongens gate er for smalt.", geom=at(*KONGENS_GATE)),
        "pending": make_input(
            "Benkene i Nesparken er ødelagt.", geom=at(*NESPARKEN), published=False
        ),
        # A park reaching west out of the block; its centroid (594100, 6589500) is inside.
        "area": make_input(
            "Mer grøntareal ved Kanalen.", geom=square(593700, 6589300, 594500, 6589700)
        ),
        # A route whose box overlaps the block, but whose centroid is in the next one east.
        "route": make_input(
            "Sykkelveien mot Jeløy mangler belysning.",
            geom=LineString((594800, 6589900), (595400, 6589900), srid=STORAGE_SRID),
        ),
        # On the block's east edge: it belongs to the next block only.
        "edge": make_input("Gatelys ved Kransen.", geom=at(595000, 6589500)),
        "far": make_input("Flystøy over Rygge.", geom=at(*RYGGE)),
        "rejected": make_input("Stygt ord om naboen.", geom=at(594500, 6589500)),
        "nowhere": make_input("Kommunen bør svare raskere på e-post.", no_location=True),
    }
    input_reject(input=items["rejected"], moderator=case_officer, reason="Personangrep")
    for days_ago, key in enumerate(("edge", "route", "area", "point", "pending", "far")):
        received(items[key], days_ago=10 - days_ago)
    return items


def test_the_extent_is_the_box_around_every_unplaced_centroid(bank):
    xs = [594293.0, 594454.0, 594100.0, 595100.0, 595000.0, 601415.0]
    ys = [6589758.0, 6589205.0, 6589500.0, 6589900.0, 6589500.0, 6583615.0]
    assert unplaced_extent() == pytest.approx((min(xs), min(ys), max(xs), max(ys)))
    only = [bank["point"].pk, bank["pending"].pk, bank["nowhere"].pk]
    assert unplaced_extent(only) == pytest.approx((594293.0, 6589205.0, 594454.0, 6589758.0))
    assert unplaced_extent([bank["rejected"].pk, bank["nowhere"].pk]) is None


def test_a_block_holds_the_inputs_to_place_whose_centroid_lies_in_it(bank):
    keys = ThemeKeys()

    inside = unplaced_in(BLOCK, keys)

    assert keys_of(inside) == [bank[k].pk for k in ("area", "point", "pending")]  # oldest first
    assert keys_of(unplaced_in(EAST_BLOCK, keys)) == [bank["edge"].pk, bank["route"].pk]
    only = unplaced_in(BLOCK, keys, ids=[bank["pending"].pk, bank["edge"].pk])
    assert keys_of(only) == [bank["pending"].pk]
    assert [u.status for u in inside] == ["published", "published", "pending"]


def test_an_input_to_place_comes_with_its_wording_themes_and_place(unmatched):
    traffic = make_theme("trafikk")
    school_road = make_theme("skolevei", parent=traffic)
    item = make_input(
        "Jeg heter Kari Nordmann. Fotgjengerfeltet i Kongens gate ved skolen er farlig.",
        geom=at(*KONGENS_GATE),
        themes=(school_road,),
        location_description="Kongens gate 12",
        contributor=ContributorData(name="Kari Nordmann", email="kari@example.no"),
    )
    assert "Kari Nordmann" not in item.public_text

    [found] = unplaced_in(BLOCK, ThemeKeys())

    assert found.text == item.text  # the original, a new argument's staff wording
    assert found.public_text == item.public_text
    assert found.statement.tokens == tokens(item.public_text)  # compared on the public text
    assert (found.statement.x, found.statement.y) == pytest.approx(KONGENS_GATE)
    assert found.statement.street == "kongens gate"
    assert found.theme_ids == (school_road.pk,)
    assert found.statement.themes == {school_road.pk, traffic.pk}
    assert not found.stored


def test_tokens_kept_from_an_earlier_placing_come_along():
    item = make_input("Fortauet i Kongens gate er for smalt.", geom=at(*KONGENS_GATE))
    assert item.argument_id is not None
    arguments_reset()  # a regrouping from scratch takes the machine's placing back

    [found] = unplaced_in(BLOCK, ThemeKeys())

    assert found.statement.key == item.pk and found.stored
    assert found.statement.tokens == tokens(item.public_text)


def test_where_an_import_touches_and_what_has_no_place(bank, case_officer):
    argument_match(input=bank["area"])  # placed already: no longer touched
    ids = [bank[k].pk for k in ("point", "route", "area", "rejected", "nowhere")]
    centroids = sorted((round(x, 3), round(y, 3)) for x, y in unplaced_centroids(ids))
    assert centroids == [(594293.0, 6589758.0), (595100.0, 6589900.0)]
    later = make_input("Bussen til Jeløy går for sjelden.", no_location=True)
    gone = make_input("Søppel i gata, ring meg.", no_location=True)
    input_reject(input=gone, moderator=case_officer, reason="Personopplysninger")

    keys = ThemeKeys()
    assert keys_of(unplaced_without_place(keys)) == [bank["nowhere"].pk, later.pk]
    assert keys_of(unplaced_without_place(keys, ids=[later.pk, bank["point"].pk])) == [later.pk]


def test_candidates_in_a_strip_are_published_and_pending_inputs_with_an_argument(bank):
    # Placed by an interrupted earlier run (the rejected one before it was rejected).
    for key in ("point", "pending", "route", "rejected"):
        argument_match(input=bank[key])
    for key in ("point", "pending"):
        bank[key].refresh_from_db()

    found = sorted(placed_in(BLOCK, ThemeKeys()), key=lambda row: row[2].key)

    assert [(a, s, st.key) for a, s, st in found] == [
        (bank["point"].argument_id, "published", bank["point"].pk),
        (bank["pending"].argument_id, "pending", bank["pending"].pk),
    ]
    # What is placed is no longer to place; the park still is, and is no candidate yet.
    assert keys_of(unplaced_in(BLOCK, ThemeKeys())) == [bank["area"].pk]
    assert keys_of(unplaced_in(EAST_BLOCK, ThemeKeys())) == [bank["edge"].pk]


def test_the_newest_placed_inputs_of_a_theme_are_the_candidates_without_a_place(case_officer):
    bus = make_theme("kollektiv")
    other = make_theme("parkering")
    texts = ("Bussen til Jeløy går for sjelden.", "Flere avganger til Rygge.", "Nattbuss!")
    items = [
        received(make_input(t, themes=(bus,), no_location=True), n) for n, t in enumerate(texts)
    ]
    pending = received(make_input("Busskur ved stasjonen.", themes=(bus,), published=False), 5)
    refused = received(make_input("Bussjåføren var frekk.", themes=(bus,)), 0)
    input_reject(input=refused, moderator=case_officer, reason="Personangrep")
    make_input("For få parkeringsplasser ved stasjonen.", themes=(other,))

    rows = newest_placed_with_theme(bus.pk, 3, ThemeKeys())

    assert [statement.key for _when, _arg, statement in rows] == [i.pk for i in items]
    assert rows[0][1] == Input.objects.get(pk=items[0].pk).argument_id
    everything = newest_placed_with_theme(bus.pk, 10, ThemeKeys())
    assert [s.key for _w, _a, s in everything] == [*(i.pk for i in items), pending.pk]
