"""The extractive summary per theme: sentences residents wrote, each with the inputs it is from."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from inputbank.models import Argument, ArgumentCheck, ArgumentVoice, Input
from inputbank.reads.prior_input import prior_input
from inputbank.reads.summaries import representative, sentences_of
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db

HERE = (10.6612, 59.4352)
LIGHTS = [
    "Gatelysene i Kongens gate er ødelagt. Det er mørkt om kvelden.",
    "Det er mørkt i Kongens gate om kvelden. Gatelysene virker ikke.",
    "Gatelysene i Kongens gate er ødelagt. Ring meg på 912 34 567.",
]


def _ask(user, **kw):
    return prior_input(user=user, geometry=point(*HERE), buffer_m=200, **kw)


@pytest.fixture
def lights(db):
    theme = make_theme("trygghet")
    return [make_input(t, geom=point(*HERE), themes=(theme,)) for t in LIGHTS]


def test_every_sentence_is_quoted_from_the_inputs_and_names_them(lights):
    result = _ask(AnonymousUser())
    [theme] = result.theme_summaries
    assert theme["theme"] == "trygghet"
    [sentence] = theme["sentences"]
    # Said word for word by two residents: both are its sources.
    assert sentence["text"] == "Gatelysene i Kongens gate er ødelagt."
    assert set(sentence["input_ids"]) == {str(lights[0].public_id), str(lights[2].public_id)}
    assert sentence["voices"] == 3
    assert sentence["argument"] == lights[0].argument_id
    for s in theme["sentences"]:
        texts = {str(i.public_id): i.public_text for i in lights}
        assert s["input_ids"] and all(s["text"] in texts[i] for i in s["input_ids"])


def test_the_summary_never_shows_what_redaction_removed(db):
    theme = make_theme("trygghet")
    make_input("Ring meg på 912 34 567.", geom=point(*HERE), themes=(theme,))
    make_input("Send svar til kari.nordmann@example.no.", geom=point(*HERE), themes=(theme,))
    answer = _ask(AnonymousUser()).as_json().decode()
    assert "912 34 567" not in answer and "kari.nordmann" not in answer


def test_the_public_hears_only_published_input(lights, case_officer):
    pending = make_input(
        "Skoleveien over Fleischers gate mangler fotgjengerfelt.",
        geom=point(*HERE),
        themes=(make_theme("skolevei"),),
        published=False,
    )
    for summary in _ask(AnonymousUser()).theme_summaries:
        for sentence in summary["sentences"]:
            assert str(pending.public_id) not in sentence["input_ids"]
            assert "Fleischers" not in sentence["text"]
    staff = _ask(case_officer, include_pending=True)
    quoted = {s["text"]: s for t in staff.theme_summaries for s in t["sentences"]}
    said = quoted["Skoleveien over Fleischers gate mangler fotgjengerfelt."]
    assert said["input_ids"] == [str(pending.public_id)]


def test_each_theme_leads_with_its_arguments_with_most_voices(lights):
    park = make_theme("lek")
    make_input("Bygg skatepark i Nesparken! Vi har ingenting å gjøre.", geom=point(*HERE),
               themes=(park,))  # fmt: skip
    summaries = _ask(AnonymousUser()).theme_summaries
    assert [s["theme"] for s in summaries] == ["trygghet", "lek"]
    # Alone, an argument's first sentence is its point.
    assert summaries[1]["sentences"][0]["text"] == "Bygg skatepark i Nesparken!"


def test_the_representative_sentence_is_the_one_the_others_say_too():
    argument = {"input_ids": ["a", "b", "c"]}
    texts = {
        "a": "Hei! Jeg har bodd her i tjue år. Bilene kjører for fort i Larkollveien.",
        "b": "Farten i Larkollveien er altfor høy, bilene kjører fort.",
        "c": "Fartshumper i Larkollveien, takk. Bilene kjører for fort.",
    }
    found = representative(argument, texts)
    assert found is not None
    assert found["text"].startswith("Bilene kjører for fort")  # not "Hei!" nor the twenty years
    assert all(found["text"] in texts[i] for i in found["input_ids"])
    assert sentences_of("En. To!\nTre") == ["En.", "To!", "Tre"]


def _argument(title: str, themes, texts: list[str]) -> Argument:
    """An argument of these themes, made by one published input per text."""
    argument = Argument.objects.create(title=title)
    argument.themes.set(themes)
    for text in texts:
        made = make_input(text, geom=point(*HERE), themes=tuple(themes))
        Input.objects.filter(pk=made.pk).update(argument=argument, argument_pinned=True)
    return argument


def test_each_theme_quotes_its_own_first_arguments_by_voices(db):
    """The quotes come from each theme's first arguments by voices (an officer's
    confirmations count as voices), so an argument far down one theme is still quoted where it
    leads another."""
    road, play = make_theme("vei"), make_theme("lek")
    places = ["Kirkegata", "Fjordveien", "Storgata", "Dyreveien", "Rådhusgata", "Klostergata"]
    # Six arguments about roads, with six down to one voice.
    for n, street in enumerate(places):
        _argument(street, [road], [f"Hullene i {street} må fikses nr {i}." for i in range(6 - n)])
    # One voice about roads and play: the seventh of the road theme, the first of play.
    swings = _argument("Husker", [road, play], ["Husken på Jeløy er ødelagt og farlig."])
    # One voice, lifted to the top of the road theme by six residents' "still true".
    lifted = _argument("Bommer", [road], ["Bommen ved Kambo stasjon står alltid nede."])
    check = ArgumentCheck.objects.create(argument=lifted, process=make_process())
    for key in "abcdef":
        ArgumentVoice.objects.create(argument_check=check, stance="confirm", supporter_key=key)
    summaries = {s["theme"]: s["sentences"] for s in _ask(AnonymousUser()).theme_summaries}
    assert [s["argument"] for s in summaries["lek"]] == [swings.pk]
    assert summaries["lek"][0]["text"] == "Husken på Jeløy er ødelagt og farlig."
    assert summaries["vei"][0]["argument"] == lifted.pk
    assert summaries["vei"][0]["text"] == "Bommen ved Kambo stasjon står alltid nede."
    assert swings.pk not in [s["argument"] for s in summaries["vei"]]
