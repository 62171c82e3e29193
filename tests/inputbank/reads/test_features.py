"""Features per audience (inputbank/reads/features.py) and the API list's statements that build
them (inputbank/reads/feature_pages.py), called directly.

What users depend on: who is which audience; that each audience's Features carry exactly its
allow-list of properties (the public never the contributor, the original text or the place
description; the case officer the contributor) with the values they read (local dates, themes
in their order, the answer, counts, the process title in the reader's language); the geometry
in the CRS asked for, a point on it when asked, a home at its 50 m cell centre for the public;
pages that walk every input once; count_up_to's cap; and dots whose columns say what the
Features say.

The data is Moss in EPSG:25832: a letter from a named resident with a case number, an answer,
supports and comments, beside anonymous input drawn as points, lines and areas.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils import translation

from geo.crs import STORAGE_SRID, UTM33_SRID, WEB_MERCATOR_SRID, WEB_SRID, coordinate_precision
from inputbank import roles, services
from inputbank.casenumbers import CaseRef
from inputbank.location_privacy import home_cell_centre
from inputbank.models import Channel, Comment, Input, Outcome, Stage
from inputbank.reads.feature_pages import (
    DOT_PRECISION,
    count_up_to,
    dots_page,
    feature_collection_page,
    single_feature,
)
from inputbank.reads.features import Audience, audience_for, property_names
from tests.factories import make_input, make_process, make_theme
from tests.inputbank.reads.sentrum import KARI, at, block, line

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# What only a case officer may read of the letter (or nobody, once redacted).
SECRETS = ("Kari Nordmann", "kari.nordmann@example.no", "98765432", "Fjordveien 3B")


def only_this(item: Input):
    return Input.objects.filter(pk=item.pk)


def page_of(queryset, audience: Audience, *, offset: int = 0, limit: int = 50, **kw):
    body, returned, more = feature_collection_page(
        queryset, audience=audience, offset=offset, limit=limit, **kw
    )
    return json.loads(body), returned, more


def feature(item: Input, audience: Audience, **kw) -> dict:
    [one], _returned, _more = page_of(only_this(item), audience, **kw)
    return one


def detail(item: Input, audience: Audience, **kw) -> dict:
    return json.loads(single_feature(item.pk, audience=audience, **kw))


@pytest.fixture
def letter(case_officer):
    """A named resident's letter: registered with a case number, answered, supported twice,
    with a published and a pending comment."""
    process = make_process("sentrum-2025", area=block(-200, -200, 400, 400), title="Sentrumsplanen")
    item = services.input_register(
        text="Sykkelveien i Kongens gate må skilles fra fortauet. Ring meg på 98765432. "
        "Hilsen Kari Nordmann",
        geom=line((-100, 75), (300, 75)),
        themes=[make_theme("gront", sort_order=2), make_theme("sykkel", sort_order=1)],
        channel=Channel.LETTER,
        registered_by=case_officer,
        contributor=KARI,
        process=process,
        location_description="Kongens gate 12",
        case_ref=CaseRef(2024, 1234, 5),
        # Half past midnight in Moss, still 30 June in UTC.
        received_at=dt.datetime(2024, 6, 30, 22, 30, tzinfo=UTC),
        publish=True,
    )
    services.response_record(
        input=item,
        outcome=Outcome.PARTLY_ADOPTED,
        justification="Sykkelfelt males i 2025; egen sykkelvei vurderes i neste plan.",
        decided_by=case_officer,
        stage=Stage.FIRST_READING,
        decision_reference="2024/1234-9",
        decided_at=dt.datetime(2024, 9, 30, 22, 15, tzinfo=UTC),
    )
    for key in ("nettleser-a", "nettleser-b"):
        services.support_add(input=item, supporter_key=key)
    said = services.comment_submit(input=item, text="Enig! Ring meg gjerne på 91234567.")
    services.comment_publish(comment=said, moderator=None)
    services.comment_submit(input=item, text="Uenig, sykkelveien hører hjemme i Dronningens gate.")
    item.refresh_from_db()
    return item


@pytest.fixture
def anonymous_park(db):
    return make_input("Flere benker i Nesparken, takk.", geom=block(150, 100, 260, 220))


# --- Who is which audience ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "audience"),
    [
        ("anonymous", Audience.PUBLIC),
        ("resident", Audience.PUBLIC),
        ("gis_user", Audience.GIS),
        ("adviser", Audience.GIS),
        ("moderator", Audience.MODERATOR),
        ("case_officer", Audience.CASE_OFFICER),
        ("superuser", Audience.CASE_OFFICER),
    ],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_each_role_reads_as_its_audience(who, audience, request):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "superuser":
        user = User.objects.create_superuser("admin", password="test-pass-123")
    else:
        user = request.getfixturevalue(who)
    assert audience_for(user) == audience
    # Unpublished input is for the audiences that may moderate it.
    assert audience_for(user).sees_unpublished == roles.can_see_unpublished(user)


# --- What each audience reads ------------------------------------------------------------------


@pytest.mark.parametrize("audience", list(Audience), ids=lambda a: a.name)
def test_each_audience_reads_exactly_its_allow_list(audience, letter, anonymous_park):
    allowed = set(property_names(audience))
    features, _n, _more = page_of(Input.objects.newest_first(), audience)
    assert [f["id"] for f in features] == [str(anonymous_park.public_id), str(letter.public_id)]
    for one in features:
        assert set(one["properties"]) == allowed
    # One input's detail adds its comments, nothing else.
    assert set(detail(letter, audience)["properties"]) == allowed | {"comment_list"}


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.GIS], ids=lambda a: a.name)
def test_the_public_and_gis_never_read_who_wrote_or_what_was_redacted(audience, letter):
    features, _n, _more = page_of(only_this(letter), audience)
    shown = json.dumps(features, ensure_ascii=False) + single_feature(
        letter.pk, audience=audience
    ).decode("utf-8")
    for secret in (*SECRETS, "91234567", "Dronningens gate"):  # a pending comment, too
        assert secret not in shown
    props = features[0]["properties"]
    assert props["text"] == letter.public_text != letter.text
    assert "original_text" not in props and "contributor" not in props
    # The place description can name a home: GIS staff only.
    if audience == Audience.PUBLIC:
        assert "Kongens gate 12" not in shown
    else:
        assert props["location_description"] == "Kongens gate 12"


def test_the_case_officer_reads_the_contributor_and_the_moderator_the_original(
    letter, anonymous_park
):
    officer = feature(letter, Audience.CASE_OFFICER)["properties"]
    assert officer["contributor"] == {
        "name": "Kari Nordmann",
        "email": "kari.nordmann@example.no",
        "phone": "98765432",
        "postal_address": "Fjordveien 3B, 1530 Moss",
        "organisation": "",
        "wants_feedback": True,
        "preferred_language": "nb",
        "consent_publish_name": False,
    }
    assert feature(anonymous_park, Audience.CASE_OFFICER)["properties"]["contributor"] is None
    moderator = feature(letter, Audience.MODERATOR)["properties"]
    assert moderator["original_text"] == letter.text
    assert moderator["has_contributor"] is True and moderator["location_restricted"] is False
    assert "kari.nordmann@example.no" not in json.dumps(moderator)
    assert feature(anonymous_park, Audience.MODERATOR)["properties"]["has_contributor"] is False


def test_the_values_every_audience_reads(letter):
    props = feature(letter, Audience.PUBLIC)["properties"]
    assert props["themes"] == ["sykkel", "gront"]  # the themes' own order, not the alphabet
    assert props["process"] == {
        "id": letter.process_id,
        "slug": "sentrum-2025",
        "title": "Sentrumsplanen",
    }
    assert (props["channel"], props["language"], props["status"]) == ("letter", "nb", "published")
    assert props["location_source"] == "digitised"
    assert props["received_on"] == "2024-07-01"  # the date in Moss, not in UTC
    assert props["response"] == {
        "outcome": "partly_adopted",
        "justification": "Sykkelfelt males i 2025; egen sykkelvei vurderes i neste plan.",
        "stage": "first_reading",
        "decided_on": "2024-10-01",
        "decision_reference": "2024/1234-9",
    }
    assert (props["supports"], props["comments"]) == (2, 1)  # published comments only
    gis = feature(letter, Audience.GIS)["properties"]
    assert dt.datetime.fromisoformat(gis["received_at"]) == letter.received_at
    assert gis["case_reference"] == "2024/1234-5"


def test_comments_are_listed_per_audience(letter, moderator):
    published, pending = Comment.objects.filter(input=letter).order_by("id")
    public = detail(letter, Audience.PUBLIC)["properties"]["comment_list"]
    assert [c["id"] for c in public] == [published.pk]
    assert set(public[0]) == {"id", "text", "language", "created_on"}
    assert public[0]["text"] == published.public_text and "91234567" not in public[0]["text"]
    staff = detail(letter, Audience.MODERATOR)["properties"]["comment_list"]
    assert [(c["id"], c["status"]) for c in staff] == [
        (published.pk, "published"),
        (pending.pk, "pending"),
    ]
    assert staff[0]["original_text"] == "Enig! Ring meg gjerne på 91234567."


def test_the_process_title_is_in_the_readers_language_or_bokmal(db):
    process = make_process(
        "kyststi", area=block(0, 0, 100, 100), title="Kyststien", title_en="The coastal path"
    )
    item = make_input("Kyststien gror igjen.", geom=at(10, 10), process=process)
    titles = {}
    for language in ("nb", "en", "pl"):
        with translation.override(language):
            titles[language] = feature(item, Audience.PUBLIC)["properties"]["process"]["title"]
    assert titles == {"nb": "Kyststien", "en": "The coastal path", "pl": "Kyststien"}


# --- Geometry ------------------------------------------------------------------------------------


@pytest.fixture
def shapes(db):
    return [
        make_input("Farlig kryss.", geom=at(50, 50)),
        make_input("Snarvei over jordet.", geom=line((0, 0), (80, 30), (140, 20))),
        make_input("Parken trenger lys.", geom=block(150, 100, 260, 220)),
    ]


def _coordinates(geometry: dict) -> list[float]:
    def flat(value):
        if isinstance(value, float | int):
            yield value
        else:
            for v in value:
                yield from flat(v)

    return list(flat(geometry["coordinates"]))


@pytest.mark.parametrize("srid", [STORAGE_SRID, UTM33_SRID, WEB_SRID, WEB_MERCATOR_SRID])
@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.CASE_OFFICER], ids=lambda a: a.name)
def test_geometry_is_written_in_the_crs_asked_for(srid, audience, shapes):
    precision = coordinate_precision(srid)
    tolerance = 2 * 10**-precision
    for item in shapes:
        geometry = feature(item, audience, srid=srid)["geometry"]
        got = GEOSGeometry(json.dumps(geometry))
        got.srid = srid
        expected = item.geom.transform(srid, clone=True)
        assert got.geom_type == expected.geom_type
        assert got.equals_exact(expected, tolerance), (srid, item.geom.geom_type)
        assert all(round(c, precision) == c for c in _coordinates(geometry))


def test_input_without_a_place_has_no_geometry(db):
    item = make_input("Generelt: bedre kollektivtilbud.", no_location=True)
    for audience in Audience:
        assert feature(item, audience)["geometry"] is None


def test_anchor_is_a_point_on_each_shape_and_a_home_stays_generalised(shapes, case_officer):
    point, path, park = shapes
    for item in shapes:
        anchor = GEOSGeometry(json.dumps(feature(item, Audience.PUBLIC, anchor=True)["geometry"]))
        assert anchor.geom_type == "Point"
    on_path = feature(path, Audience.PUBLIC, anchor=True, srid=STORAGE_SRID)["geometry"]
    assert Point(*on_path["coordinates"], srid=STORAGE_SRID).distance(path.geom) < 0.01
    in_park = feature(park, Audience.PUBLIC, anchor=True, srid=STORAGE_SRID)["geometry"]
    assert park.geom.contains(Point(*in_park["coordinates"], srid=STORAGE_SRID))
    home = make_input("Fartsdumper her.", geom=at(12, 8), contributor=KARI, location_is_home=True)
    real = (home.geom.x, home.geom.y)
    centre = home_cell_centre(*real)
    assert centre != pytest.approx(real, abs=1)
    for kw in ({"anchor": True}, {}):
        shown = feature(home, Audience.PUBLIC, srid=STORAGE_SRID, **kw)["geometry"]
        assert shown["coordinates"] == pytest.approx(centre, abs=0.01)
        staff = feature(home, Audience.CASE_OFFICER, srid=STORAGE_SRID, **kw)["geometry"]
        assert staff["coordinates"] == pytest.approx(real, abs=0.01)
    one = detail(home, Audience.PUBLIC, srid=STORAGE_SRID)["geometry"]
    assert one["coordinates"] == pytest.approx(centre, abs=0.01)


def test_only_keeps_the_asked_properties_within_the_allow_list(letter):
    asked = {"themes", "contributor", "original_text"}
    assert set(feature(letter, Audience.PUBLIC, only=asked)["properties"]) == {"themes"}
    officer = feature(letter, Audience.CASE_OFFICER, only=asked)["properties"]
    assert set(officer) == asked and officer["contributor"]["name"] == "Kari Nordmann"
    assert feature(letter, Audience.CASE_OFFICER, only=set())["properties"] == {}


# --- Pages, counts and dots -------------------------------------------------------------------


@pytest.fixture
def street(case_officer):
    """Seven published inputs along Kongens gate, newest last, and one pending."""
    items = []
    for n in range(7):
        item = make_input(f"Innspill nummer {n} om Kongens gate.", geom=at(20 * n, 10 * n))
        Input.objects.filter(pk=item.pk).update(
            received_at=dt.datetime(2020 + n // 2, 1 + n, 3, 12, tzinfo=UTC)
        )
        items.append(item)
    pending = make_input("Venter på moderering.", geom=at(5, 5), published=False)
    return items, pending


def test_pages_walk_every_input_once_in_the_querysets_order(street):
    items, _pending = street
    queryset = Input.objects.published().newest_first()
    walked, offset = [], 0
    while True:
        features, returned, more = page_of(queryset, Audience.PUBLIC, offset=offset, limit=3)
        assert len(features) == returned
        walked += [f["id"] for f in features]
        offset += returned
        if not more:
            break
    assert walked == [str(i.public_id) for i in reversed(items)]
    assert offset == count_up_to(queryset, 100) == 7  # the last page tells the total
    assert page_of(queryset, Audience.PUBLIC, offset=7, limit=3) == ([], 0, False)
    empty = feature_collection_page(
        Input.objects.none(), audience=Audience.PUBLIC, offset=0, limit=3
    )
    assert empty == (b"[]", 0, False)


def test_count_up_to_counts_to_its_cap_and_no_further(street, case_officer):
    public = Input.objects.published()
    assert count_up_to(public, 100) == 7
    assert count_up_to(public, 7) == 7
    assert count_up_to(public, 6) is None  # more than the cap: not counted
    assert count_up_to(public, 0) is None
    assert count_up_to(Input.objects.visible_to(case_officer), 100) == 8
    assert count_up_to(Input.objects.published().in_bbox((20.0, 70.0, 21.0, 71.0)), 5) == 0
    assert count_up_to(Input.objects.published().filter(received_at__year=2020), 100) == 2


def as_dots(body: bytes) -> list[tuple[str, float, float, list[str]]]:
    data = json.loads(b"{" + body + b"}")
    xy, sets = data["coordinates"], data["theme_sets"]
    assert len(xy) == 2 * len(data["ids"]) == 2 * len(data["themes"])
    assert len(sets) == len({json.dumps(s) for s in sets})  # each theme list once
    themes = [sets[n] for n in data["themes"]]
    return [(id_, xy[2 * n], xy[2 * n + 1], themes[n]) for n, id_ in enumerate(data["ids"])]


@pytest.mark.parametrize(
    ("who", "audience"),
    [("anonymous", Audience.PUBLIC), ("case_officer", Audience.CASE_OFFICER)],
    ids=["public", "case_officer"],
)
def test_dots_say_what_the_features_say(who, audience, shapes, request):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    roads, nature = make_theme("veier", sort_order=1), make_theme("natur", sort_order=2)
    for item, themes in zip(shapes, ([roads], [nature], [roads, nature]), strict=True):
        item.themes.set(themes)
    home = make_input(
        "Fartsdumper her.", geom=at(12, 8), themes=(roads,), contributor=KARI, location_is_home=True
    )
    make_input("Ingen bestemt plass.", no_location=True)
    make_input("Venter.", geom=at(30, 30), published=False)
    queryset = Input.objects.visible_to(user).exclude(geom=None).newest_first()
    body, returned, more = dots_page(queryset, audience=audience, offset=0, limit=50)
    features, listed, _more = page_of(queryset, audience, anchor=True, only={"themes"})
    dots = as_dots(body)
    assert (returned, more) == (listed, False) == (len(dots), False)
    assert [d[0] for d in dots] == [f["id"] for f in features]
    for (_id, lon, lat, themes), one in zip(dots, features, strict=True):
        assert [lon, lat] == pytest.approx(one["geometry"]["coordinates"], abs=10**-DOT_PRECISION)
        assert themes == one["properties"]["themes"]
    # The home's dot is where this audience may see it.
    x, y = home_cell_centre(home.geom.x, home.geom.y) if who == "anonymous" else home.geom.coords
    seen = Point(x, y, srid=STORAGE_SRID).transform(WEB_SRID, clone=True)
    [(_id, lon, lat, _themes)] = [d for d in dots if d[0] == str(home.public_id)]
    assert (lon, lat) == pytest.approx((seen.x, seen.y), abs=2e-5)


def test_dots_are_paged_like_the_features(street):
    queryset = Input.objects.published().newest_first()
    walked = []
    for offset in (0, 3, 6):
        body, returned, more = dots_page(queryset, audience=Audience.PUBLIC, offset=offset, limit=3)
        features, listed, listed_more = page_of(queryset, Audience.PUBLIC, offset=offset, limit=3)
        assert (returned, more) == (listed, listed_more)
        ids = [d[0] for d in as_dots(body)]
        assert ids == [f["id"] for f in features]
        walked += ids
    assert walked == [str(i.public_id) for i in reversed(street[0])]
    body, returned, more = dots_page(
        Input.objects.none(), audience=Audience.PUBLIC, offset=0, limit=3
    )
    assert (as_dots(body), returned, more) == ([], 0, False)
