"""Prior input's answer, asked of the read model directly (inputbank/reads/prior_input.py):
the question it refuses (naming the field, in the reader's language), pages that walk every
hit newest first, the CRS of the answer, each audience's properties, arguments grouped from
the newest hits, counts per square. The bank: ``prior_bank.py``.
"""

from __future__ import annotations

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.models import Process
from inputbank.reads.features import Audience, property_names
from inputbank.reads.prior_input import (
    PriorInputError,
    prior_input,
)
from tests.factories import make_process
from tests.inputbank.reads.prior_bank import (
    area,
    ask,
    by_id,
    collection,
    features,
    ids_of,
    pid,
)
from tests.inputbank.reads.sentrum import block

pytestmark = pytest.mark.django_db


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
