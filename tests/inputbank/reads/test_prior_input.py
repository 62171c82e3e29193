""" "What have we heard here before?" asked of the read model itself: prior_input
(inputbank/reads/prior_input.py) with its SQL pieces (inputbank/reads/prior_sql.py), called
directly, not through the API or the staff report: which inputs an area finds (points, lines
and areas that touch it, an area given in pieces, a buffer in metres) and which it leaves out
(outside it; pending and rejected input and children's restricted input for the public); a
home found and shown by its published 50 m cell centre for the public and by its place for
staff; that the summary counts exactly the hits it returns, per theme, channel, year, outcome
and process; that earlier answers come with their input; that old closed consultations and
open ones are both listed. Refusals, paging, CRS, audience and arguments:
``test_prior_input_answer.py``; the bank: ``prior_bank.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import MultiPolygon, Polygon

from geo.crs import STORAGE_SRID
from inputbank.geometry import query_area
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Input
from inputbank.reads.prior_input import (
    prior_filter,
    prior_input,
)
from tests.factories import make_input
from tests.inputbank.reads.prior_bank import (
    area,
    ask,
    by_id,
    circle,
    collection,
    features,
    hit_ids,
    ids_of,
    pid,
)
from tests.inputbank.reads.sentrum import KARI, at, block, line

pytestmark = pytest.mark.django_db


# --- What an area finds ----------------------------------------------------------------------


def test_points_lines_and_areas_touching_the_area_are_found_and_nothing_outside(bank, case_officer):
    public = ask(AnonymousUser())
    assert hit_ids(public) == ids_of(bank.point, bank.letter, bank.park)
    assert public.summary["total"] == 3
    staff = ask(case_officer)
    # Staff also see the children's walk through the block, still nothing outside it.
    assert hit_ids(staff) == ids_of(bank.point, bank.letter, bank.park, bank.walk)


def test_an_area_given_in_pieces_finds_input_in_each_piece_once(case_officer):
    pieces = MultiPolygon(block(0, 0, 200, 150), circle(1500, 800, 120), srid=STORAGE_SRID)
    assert len(query_area(pieces)) > 1  # really asked piece by piece
    in_block = make_input("Benk ved Torget.", geom=at(50, 50))
    in_circle = make_input("Lekeplassen er slitt.", geom=at(1480, 820))
    across = make_input("Turvei gjennom hele parken.", geom=line((1350, 800), (1650, 800)))
    between = make_input("Mellom områdene.", geom=at(800, 400))
    pending = make_input("Venter.", geom=at(1500, 760), published=False)
    public = ask(AnonymousUser(), pieces, include_pending=True)
    assert hit_ids(public) == ids_of(in_block, in_circle, across)
    assert public.summary["total"] == 3  # the line crossing many pieces counts once
    staff = ask(case_officer, pieces, include_pending=True)
    assert hit_ids(staff) == ids_of(in_block, in_circle, across, pending)
    assert pid(between) not in hit_ids(staff)


def test_a_buffer_in_metres_reaches_lines_and_points_nearby():
    beside = make_input("Støy fra veien.", geom=line((1040, -100), (1040, 100)))  # 40 m east
    further = make_input("Trafikken er tett.", geom=at(930, 0))  # 70 m west
    question = at(1000, 0)
    assert hit_ids(ask(AnonymousUser(), question)) == set()
    assert hit_ids(ask(AnonymousUser(), question, buffer_m=50)) == ids_of(beside)
    assert hit_ids(ask(AnonymousUser(), question, buffer_m=75)) == ids_of(beside, further)


def test_pending_and_rejected_input_never_reach_the_public(bank, case_officer, moderator, gis_user):
    published = ids_of(bank.point, bank.letter, bank.park)
    # Asking for pending input is honoured only for roles that see it.
    assert hit_ids(ask(AnonymousUser(), include_pending=True)) == published
    assert hit_ids(ask(gis_user, include_pending=True)) == published
    staff_sees = published | ids_of(bank.walk, bank.pending)
    assert hit_ids(ask(case_officer, include_pending=True)) == staff_sees
    assert hit_ids(ask(moderator, include_pending=True)) == staff_sees
    # Not asked, staff get published input only; rejected input is never an earlier input.
    assert pid(bank.pending) not in hit_ids(ask(case_officer))
    for user in (case_officer, moderator):
        assert pid(bank.rejected) not in hit_ids(ask(user, include_pending=True))


def test_the_questions_filter_keeps_pending_input_only_for_audiences_that_see_it(bank):
    # The staff GeoPackage export narrows input of every status with this filter: there the
    # filter alone keeps pending input from a role that may not see it (gis).
    def narrowed(**kw) -> set[str]:
        selection = prior_filter(include_pending=True, **kw).narrow(Input.objects.all())
        return {pid(i) for i in selection.within(area())}

    published = ids_of(bank.point, bank.letter, bank.park, bank.walk)
    assert narrowed(audience_sees_unpublished=False) == published
    assert narrowed(audience_sees_unpublished=True) == published | ids_of(bank.pending)


def test_childrens_restricted_input_is_found_by_its_place_for_staff_only(bank, case_officer):
    child = make_input("Vi trenger en skatepark.", geom=at(30, 30), under_16=True)
    staff = ask(case_officer)
    found = by_id(staff)
    assert pid(bank.walk) in found and pid(child) in found
    assert pid(bank.walk_elsewhere) not in found  # restricted input is still asked by place
    assert found[pid(bank.walk)]["properties"]["location_restricted"] is True
    assert staff.summary["by_channel"]["barnetrakk"] == 1
    public = ask(AnonymousUser())
    answer = public.as_json().decode()
    for item in (bank.walk, child):
        assert pid(item) not in answer  # not a feature, nor an argument's or a quote's source
    assert "barnetrakk" not in public.summary["by_channel"]


def test_a_home_is_found_and_shown_at_its_cell_centre_for_the_public(case_officer):
    home = make_input(
        "Fartsdumper utenfor huset mitt, takk.",
        geom=at(12, 8),
        contributor=KARI,
        location_is_home=True,
    )
    beside = make_input("Mer lys på plassen.", geom=at(12, 8))  # the same place, not a home
    real = (home.geom.x, home.geom.y)
    centre = home_cell_centre(*real)
    assert abs(centre[0] - real[0]) > 8 or abs(centre[1] - real[1]) > 8
    far = circle(1500, 800, 120)

    def around(x: float, y: float, *, in_pieces: bool):
        box = Polygon.from_bbox((x - 4, y - 4, x + 4, y + 4))
        box.srid = STORAGE_SRID
        return MultiPolygon(box, far, srid=STORAGE_SRID) if in_pieces else box

    def xy(result, item) -> list[float]:
        return by_id(result)[pid(item)]["geometry"]["coordinates"]

    for in_pieces in (False, True):
        at_real = around(*real, in_pieces=in_pieces)
        at_centre = around(*centre, in_pieces=in_pieces)
        public = ask(AnonymousUser(), at_real, srid=STORAGE_SRID)
        assert hit_ids(public) == ids_of(beside), in_pieces
        public = ask(AnonymousUser(), at_centre, srid=STORAGE_SRID)
        assert hit_ids(public) == ids_of(home), in_pieces
        assert xy(public, home) == pytest.approx(centre, abs=0.01)
        # Staff ask of the place itself and see it.
        staff = ask(case_officer, at_real, srid=STORAGE_SRID)
        assert hit_ids(staff) == ids_of(home, beside), in_pieces
        assert xy(staff, home) == pytest.approx(real, abs=0.01)
        assert hit_ids(ask(case_officer, at_centre)) == set(), in_pieces


# --- The summary and what comes with the hits ------------------------------------------------


def _counted(feats: list[dict]) -> dict:
    """The summary's counts, computed from the returned features themselves."""
    props = [f["properties"] for f in feats]
    outcome = Counter((p["response"] or {}).get("outcome", "none") for p in props)
    process = Counter((p["process"] or {}).get("slug") for p in props)
    return {
        "total": len(feats),
        "by_theme": dict(Counter(slug for p in props for slug in p["themes"])),
        "by_channel": dict(Counter(p["channel"] for p in props)),
        "by_year": dict(Counter(p["received_on"][:4] for p in props)),
        "by_outcome": dict(outcome),
        "by_process": dict(process),
    }


def test_the_summary_counts_exactly_the_hits_for_each_audience(bank, case_officer):
    for user, extra in ((AnonymousUser(), {}), (case_officer, {"include_pending": True})):
        result = ask(user, **extra)
        summary, feats = result.summary, features(result)
        assert collection(result)["numberMatched"] == summary["total"]
        processes = {p["slug"]: p["count"] for p in summary["by_process"]}
        shown = {key: summary[key] for key in ("total", "by_theme", "by_channel", "by_year")}
        shown |= {"by_outcome": summary["by_outcome"], "by_process": processes}
        assert shown == _counted(feats)
    public = ask(AnonymousUser()).summary
    assert public["by_theme"] == {"gront": 2, "trafikk": 1, "sykkel": 1}
    assert public["by_channel"] == {"web_map": 2, "letter": 1}
    assert public["by_year"] == {"2019": 1, "2023": 1, "2025": 1}
    assert public["by_outcome"] == {"none": 2, "not_adopted": 1}


def test_filters_narrow_the_hits_and_the_summary_counts_their_other_themes(bank):
    anonymous = AnonymousUser()
    # A theme includes its sub-themes; the hits' other themes are still counted.
    transport = ask(anonymous, themes=["trafikk"])
    assert hit_ids(transport) == ids_of(bank.point, bank.letter)
    assert transport.summary["by_theme"] == {"trafikk": 1, "sykkel": 1, "gront": 1}
    since = ask(anonymous, since=dt.date(2020, 1, 1))
    assert hit_ids(since) == ids_of(bank.letter, bank.park)
    assert hit_ids(ask(anonymous, until=dt.date(2023, 12, 31))) == ids_of(bank.point, bank.letter)
    assert hit_ids(ask(anonymous, outcomes=["not_adopted"])) == ids_of(bank.point)
    unanswered = ask(anonymous, outcomes=["none"])
    assert hit_ids(unanswered) == ids_of(bank.letter, bank.park)
    assert unanswered.summary["by_outcome"] == {"none": 2}


def test_earlier_answers_come_with_their_input(bank):
    result = ask(AnonymousUser())
    found = by_id(result)
    assert found[pid(bank.point)]["properties"]["response"] == {
        "outcome": "not_adopted",
        "justification": "Krysset ble bygget om i 2020; et nytt fotgjengerfelt trengs ikke.",
        "stage": "final",
        "decided_on": "2019-10-01",
        "decision_reference": "2019/1234-7",
    }
    assert found[pid(bank.letter)]["properties"]["response"] is None
    # The argument the answered input makes carries the answer too.
    [argument] = [a for a in result.arguments if pid(bank.point) in a["input_ids"]]
    assert argument["response"]["outcome"] == "not_adopted"
    assert argument["response"]["decision_reference"] == "2019/1234-7"


def test_old_closed_and_open_consultations_of_the_area_are_both_listed(bank):
    summary = ask(AnonymousUser()).summary
    listed = summary["processes_overlapping"]
    # The latest first; a consultation elsewhere is not one of this area's.
    assert [(p["slug"], p["status"]) for p in listed] == [
        ("sentrum-2025", "open"),
        ("kystsone-2019", "closed"),
    ]
    old = listed[1]
    assert (old["title"], old["opens_on"], old["closes_on"]) == (
        "Kystsoneplan 2019",
        "2019-03-01",
        "2019-05-01",
    )
    assert old["id"] == bank.old.pk
    counts = {p["slug"]: p["count"] for p in summary["by_process"]}
    assert counts == {"kystsone-2019": 1, "sentrum-2025": 1, None: 1}


def test_a_process_area_can_be_the_question(bank):
    by_process = prior_input(user=AnonymousUser(), process=bank.old)
    by_area = ask(AnonymousUser(), bank.old.area)
    # The 2019 area is larger than the block: it reaches the input just outside it too.
    expected = ids_of(bank.point, bank.letter, bank.park, *vars(bank.outside).values())
    assert hit_ids(by_process) == hit_ids(by_area) == expected
    assert bank.old.pk in [p["id"] for p in by_process.summary["processes_overlapping"]]
