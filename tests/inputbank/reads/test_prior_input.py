""" "What have we heard here before?" asked of the read model itself: prior_input
(inputbank/reads/prior_input.py) with its SQL pieces (inputbank/reads/prior_sql.py).

What users depend on, called directly, not through the API or the staff report: which inputs
an area finds (points, lines and areas that touch it, an area given in pieces, a buffer in
metres) and which it leaves out (outside it; pending and rejected input and children's
restricted input for the public); that the summary counts exactly the hits it returns, per
theme, channel, year, outcome and process; that earlier answers come with their input; that
old closed consultations and open ones are both listed; that a home is found and shown by its
published 50 m cell centre for the public and by its place for staff; paging, the CRS of the
answer and the audience's properties.

The bank below is a block of Moss sentrum (EPSG:25832) with anonymous input beside a letter
from a named resident, a closed 2019 consultation beside an open one, and input just outside.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.utils import timezone, translation

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank import services
from inputbank.geometry import query_area
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Channel, Input, Outcome, Process, ProcessStatus, Stage
from inputbank.reads.features import Audience, property_names
from inputbank.reads.prior_input import (
    PriorInputError,
    PriorInputResult,
    prior_filter,
    prior_input,
)
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db

# Moss sentrum by Torget, EPSG:25832 (east, north); every place below is an offset in metres.
X0, Y0 = 594_000.0, 6_589_500.0
KARI = services.ContributorData(
    name="Kari Nordmann",
    email="kari.nordmann@example.no",
    phone="98765432",
    postal_address="Fjordveien 3B, 1530 Moss",
    wants_feedback=True,
)


def at(dx: float, dy: float) -> Point:
    return Point(X0 + dx, Y0 + dy, srid=STORAGE_SRID)


def line(*offsets: tuple[float, float]) -> LineString:
    return LineString([(X0 + dx, Y0 + dy) for dx, dy in offsets], srid=STORAGE_SRID)


def block(dx0: float, dy0: float, dx1: float, dy1: float) -> Polygon:
    poly = Polygon.from_bbox((X0 + dx0, Y0 + dy0, X0 + dx1, Y0 + dy1))
    poly.srid = STORAGE_SRID
    return poly


def area() -> Polygon:
    """The question's area: a 200 × 150 m block of the centre."""
    return block(0, 0, 200, 150)


def circle(dx: float, dy: float, radius: float) -> Polygon:
    """A round area drawn with many vertices (more than query_area keeps in one piece)."""
    return at(dx, dy).buffer(radius, quadsegs=80)


def aware(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def received(item: Input, when: dt.datetime) -> Input:
    Input.objects.filter(pk=item.pk).update(received_at=when)
    return item


def pid(item: Input) -> str:
    return str(item.public_id)


def ask(user, geometry=None, **kw) -> PriorInputResult:
    return prior_input(user=user, geometry=area() if geometry is None else geometry, **kw)


def collection(result: PriorInputResult) -> dict:
    return orjson.loads(result.feature_collection)


def features(result: PriorInputResult) -> list[dict]:
    return collection(result)["features"]


def hit_ids(result: PriorInputResult) -> set[str]:
    ids = [f["id"] for f in features(result)]
    assert len(ids) == len(set(ids)), "an input was returned twice"
    return set(ids)


def by_id(result: PriorInputResult) -> dict[str, dict]:
    return {f["id"]: f for f in features(result)}


def ids_of(*items: Input) -> set[str]:
    return {pid(i) for i in items}


@pytest.fixture
def bank(case_officer):
    """Input in and around the block, two consultations of it and one elsewhere."""
    trafikk = make_theme("trafikk")
    themes = SimpleNamespace(
        trafikk=trafikk, sykkel=make_theme("sykkel", parent=trafikk), gront=make_theme("gront")
    )
    old = make_process(
        "kystsone-2019",
        area=block(-100, -100, 300, 250),
        title="Kystsoneplan 2019",
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2019, 3, 1),
        closes_on=dt.date(2019, 5, 1),
    )
    open_now = make_process("sentrum-2025", area=block(150, 100, 400, 300), title="Sentrumsplanen")
    elsewhere = make_process(
        "jeloy-turvei",
        area=block(2000, 2000, 2500, 2500),
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2022, 4, 1),
        closes_on=dt.date(2022, 6, 1),
    )
    point = received(
        make_input(
            "Fotgjengerfeltet ved Torget er farlig for skolebarn.",
            geom=at(50, 50),
            themes=(themes.trafikk,),
            process=old,
        ),
        aware(2019, 4, 2, 10),
    )
    services.response_record(
        input=point,
        outcome=Outcome.NOT_ADOPTED,
        justification="Krysset ble bygget om i 2020; et nytt fotgjengerfelt trengs ikke.",
        decided_by=case_officer,
        stage=Stage.FINAL,
        decision_reference="2019/1234-7",
        decided_at=aware(2019, 10, 1, 9),
    )
    # A letter from a named resident: a line drawn across the block, both ends outside it.
    letter = services.input_register(
        text="Sykkelveien langs Kongens gate må skilles fra fortauet. Hilsen Kari Nordmann",
        geom=line((-100, 75), (300, 75)),
        themes=[themes.sykkel, themes.gront],
        channel=Channel.LETTER,
        registered_by=case_officer,
        contributor=KARI,
        process=open_now,
        received_at=aware(2023, 9, 14, 12),
        publish=True,
    )
    # A park drawn as an area, one corner of it inside the block.
    park = received(
        make_input(
            "Parken ved Kanalen trenger flere benker og trær.",
            geom=block(150, 100, 260, 220),
            themes=(themes.gront,),
        ),
        aware(2025, 5, 20, 18),
    )
    outside = SimpleNamespace(
        point=make_input("Bråkete byggeplass om natta.", geom=at(260, 50), themes=(trafikk,)),
        parallel=make_input("Hull i veien.", geom=line((-100, -50), (300, -50))),
        # Its bounding box overlaps the block's corner; the line itself passes it by.
        diagonal=make_input("Snarveien er gjørmete.", geom=line((-150, 100), (50, 300))),
    )
    pending = make_input("Flere sykkelstativer ved Torget.", geom=at(100, 100), published=False)
    rejected = make_input("Tull og tøys.", geom=at(120, 60), published=False)
    services.input_reject(input=rejected, moderator=case_officer, reason="Ikke et innspill")
    walk = services.input_register(
        text="Her går jeg til skolen, det er skummelt å krysse.",
        geom=line((80, -30), (80, 40)),
        themes=[themes.trafikk],
        channel=Channel.BARNETRAKK,
        registered_by=case_officer,
        publish=True,
    )
    walk_elsewhere = services.input_register(
        text="Mørk sti bak hallen.",
        geom=line((600, 600), (650, 650)),
        themes=[],
        channel=Channel.BARNETRAKK,
        registered_by=case_officer,
        publish=True,
    )
    return SimpleNamespace(
        themes=themes,
        old=old,
        open_now=open_now,
        elsewhere=elsewhere,
        point=point,
        letter=letter,
        park=park,
        outside=outside,
        pending=pending,
        rejected=rejected,
        walk=walk,
        walk_elsewhere=walk_elsewhere,
    )


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


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({}, "geometry"),
        ({"geometry": "area", "process": "process"}, "geometry"),
        ({"process": "no area"}, "process"),
        ({"geometry": "area", "buffer_m": -1}, "buffer_m"),
        ({"geometry": "area", "buffer_m": "max + 1"}, "buffer_m"),
    ],
)
def test_a_question_that_cannot_be_answered_names_its_field(question, field, settings):
    process = make_process("havna", area=block(0, 0, 100, 100))
    placeless = make_process("uten-omrade")
    Process.objects.filter(pk=placeless.pk).update(area=None)
    placeless.refresh_from_db()
    values = {
        "area": area(),
        "process": process,
        "no area": placeless,
        "max + 1": settings.INPUTBANK["MAX_BUFFER_M"] + 1,
    }
    kwargs = {key: values.get(value, value) for key, value in question.items()}
    with pytest.raises(PriorInputError) as raised:
        prior_input(user=AnonymousUser(), **kwargs)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("language", "both", "placeless", "buffer"),
    [
        (
            "nb",
            "Oppgi enten et område eller en prosess, ikke begge deler.",
            "Prosessen har ikke noe område; tegn et område i stedet.",
            "Bufferen må være mellom 0 og 5000 meter.",
        ),
        (
            "nn",
            "Oppgi anten eit område eller ein prosess, ikkje begge delar.",
            "Prosessen har ikkje noko område; teikn eit område i staden.",
            "Bufferen må vere mellom 0 og 5000 meter.",
        ),
        (
            "en",
            "Give either a geometry or a process, not both.",
            "This process has no area; draw one instead.",
            "The buffer must be between 0 and 5000 metres.",
        ),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused_in_the_readers_language(
    settings, language, both, placeless, buffer
):
    # The report page and the API show the message as it is: worded when refused.
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_BUFFER_M": 5000}
    process = make_process("uten-omrade")
    Process.objects.filter(pk=process.pk).update(area=None)
    process.refresh_from_db()
    questions = [
        ({}, both),
        ({"process": process}, placeless),
        ({"geometry": area(), "buffer_m": 5001}, buffer),
    ]
    for question, message in questions:
        with translation.override(language), pytest.raises(PriorInputError) as raised:
            prior_input(user=AnonymousUser(), **question)
        assert str(raised.value) == message


# --- Paging, CRS, audience, arguments --------------------------------------------------------


def test_pages_walk_every_hit_newest_first_while_the_summary_counts_all(bank):
    newest_first = [pid(bank.park), pid(bank.letter), pid(bank.point)]
    whole = ask(AnonymousUser())
    assert [f["id"] for f in features(whole)] == newest_first
    assert not whole.truncated
    first = ask(AnonymousUser(), limit=2)
    assert [f["id"] for f in features(first)] == newest_first[:2]
    assert first.number_returned == 2 and first.truncated
    assert collection(first)["numberMatched"] == 3
    later = ask(AnonymousUser(), limit=2, offset=2, summarise=False)
    assert [f["id"] for f in features(later)] == newest_first[2:]
    assert later.number_returned == 1 and not later.truncated
    assert later.summary["total"] == 3
    # A later page leaves out what the first page already said.
    assert later.arguments == [] and later.theme_summaries == [] and later.gaps is None
    assert first.arguments and first.gaps is not None


def test_features_are_in_the_crs_asked_for_and_say_which(bank):
    stored = bank.point.geom
    utm = collection(ask(AnonymousUser(), srid=STORAGE_SRID))
    assert "25832" in utm["crs"]["properties"]["name"]
    found = {f["id"]: f for f in utm["features"]}
    assert found[pid(bank.point)]["geometry"]["coordinates"] == pytest.approx(
        [stored.x, stored.y], abs=0.01
    )
    lonlat = collection(ask(AnonymousUser()))
    assert "crs" not in lonlat  # RFC 7946: lon/lat is the default and not named
    expected = stored.transform(WEB_SRID, clone=True)
    found = {f["id"]: f for f in lonlat["features"]}
    assert found[pid(bank.point)]["geometry"]["coordinates"] == pytest.approx(
        [expected.x, expected.y], abs=1e-6
    )


def test_each_caller_gets_the_properties_of_their_audience(bank, case_officer, moderator):
    public = ask(AnonymousUser())
    for feature in features(public):
        assert set(feature["properties"]) == set(property_names(Audience.PUBLIC))
    answer = public.as_json().decode()
    for secret in ("Kari Nordmann", "kari.nordmann@example.no", "98765432", "Fjordveien"):
        assert secret not in answer
    letter = by_id(public)[pid(bank.letter)]["properties"]
    assert letter["text"] == bank.letter.public_text
    officer = by_id(ask(case_officer))[pid(bank.letter)]["properties"]
    assert set(officer) == set(property_names(Audience.CASE_OFFICER))
    assert officer["contributor"]["name"] == "Kari Nordmann"
    assert officer["contributor"]["email"] == "kari.nordmann@example.no"
    assert by_id(ask(case_officer))[pid(bank.park)]["properties"]["contributor"] is None
    seen = by_id(ask(moderator))[pid(bank.letter)]["properties"]
    assert set(seen) == set(property_names(Audience.MODERATOR))
    assert seen["original_text"] == bank.letter.text and "contributor" not in seen


def test_arguments_are_grouped_from_the_newest_hits_only(bank, settings):
    def sources(result) -> set[str]:
        return {i for a in result.arguments for i in a["input_ids"]}

    every = ask(AnonymousUser())
    assert every.arguments_hits == 3
    assert sources(every) == ids_of(bank.point, bank.letter, bank.park)
    settings.INPUTBANK = {**settings.INPUTBANK, "PRIOR_ARGUMENT_HITS": 2}
    newest = ask(AnonymousUser())
    assert newest.arguments_hits == 2
    assert sources(newest) == ids_of(bank.letter, bank.park)
    assert newest.summary["total"] == 3  # the summary still counts every hit


def test_many_hits_are_also_counted_per_square_when_asked(bank):
    assert ask(AnonymousUser(), cells_m=100, cells_above=3).cells is None
    assert ask(AnonymousUser()).cells is None
    cells = orjson.loads(ask(AnonymousUser(), cells_m=100, cells_above=2).cells)
    assert cells["numberMatched"] == 3
    assert sum(f["properties"]["count"] for f in cells["features"]) == 3
