"""Arguments read back (inputbank/reads/arguments.py), called directly rather than over HTTP.

What the report, the staff list and the resident are told about an argument: only the
caller's visible inputs count and give the wording (never a pending input's text to the
public), voices include the dated "still true" confirmations, the answer shown is one given
to published input, and "said here before" tells it with the number of published voices.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from inputbank.matching import Match
from inputbank.models import Argument, ArgumentVoice, Input, Outcome, ProcessStatus
from inputbank.reads.arguments import (
    TITLE_CHARS,
    arguments_by_theme,
    arguments_for,
    heard_before,
    latest_answer,
    reason_text,
    still_true_for,
    street_of,
    title_of,
)
from inputbank.services import (
    argument_answer,
    argument_check_open,
    argument_confirm,
    argument_rename,
    argument_voice_add,
    input_publish,
    input_reject,
    response_record,
)
from tests.factories import make_input, make_process, make_theme
from tests.factories import storage_point as at

pytestmark = pytest.mark.django_db

# EPSG:25832 metres.
KONGENS_GATE = (594226, 6589690)
NESPARKEN = (594454, 6589205)
RYGGE = (601415, 6583615)

LIGHTS = (
    "Gatelysene i Kongens gate er ødelagt.",
    "Gatelysa i Kongens gate er øydelagde, det er mørkt.",
    "Kongens gate is dark, the street lights are broken.",
)


def received(item: Input, year: int, month: int = 6) -> Input:
    when = timezone.make_aware(dt.datetime(year, month, 1, 12))
    Input.objects.filter(pk=item.pk).update(received_at=when)
    item.refresh_from_db()
    return item


def answer(item: Input, text: str, year: int, reference: str = ""):
    return response_record(
        input=item,
        outcome=Outcome.PARTLY_ADOPTED,
        justification=text,
        decided_by=None,
        decision_reference=reference,
        decided_at=timezone.make_aware(dt.datetime(year, 9, 1, 12)),
    )


def one_argument(items) -> int:
    """The argument the machine put these inputs in (they must be together)."""
    ids = {Input.objects.get(pk=i.pk).argument_id for i in items}
    assert len(ids) == 1 and None not in ids, "the matcher did not group the wordings"
    return ids.pop()


def ids(*items: Input) -> list[str]:
    return [str(i.public_id) for i in items]


@pytest.fixture
def lighting(db):
    return make_theme("belysning")


@pytest.fixture
def lights(lighting):
    """Three residents in three years on the broken street lights in Kongens gate."""
    items = [
        received(make_input(text, geom=at(*KONGENS_GATE), themes=(lighting,)), year)
        for text, year in zip(LIGHTS, (2021, 2022, 2024), strict=True)
    ]
    one_argument(items)
    return items


# --- Words ------------------------------------------------------------------------------


def test_the_street_of_an_address_like_place_description():
    assert street_of("Kongens gate 12") == "kongens gate"
    assert street_of("  Dronningens gate 1, 1530 Moss") == "dronningens gate"
    assert street_of("Jernbanetorget") == ""  # no number: not an address
    assert street_of("") == ""


def test_a_title_is_the_first_line_cut_short():
    assert title_of("Fortau mangler\nLangs Larkollveien går barna i veien.") == "Fortau mangler"
    long = (
        "Fotgjengerfeltet ved skolen i Kongens gate er farlig fordi bilistene kjører altfor "
        "fort om morgenen"
    )
    title = title_of(long)
    assert len(long) > TITLE_CHARS and len(title) == TITLE_CHARS
    assert title.endswith("…") and long.startswith(title[:-1])


def test_the_machines_reason_in_a_planners_words():
    match = Match(
        score=0.71,
        text=0.6,
        shared=("fotgjengerfelt", "skole", "farlig", "bil", "fart", "kveld"),
        distance_m=34.6,
        same_theme=True,
        same_street=True,
    )
    with translation.override("en"):
        assert reason_text(match) == (
            "same theme, same street, 35 m apart, "
            "shares 'fotgjengerfelt', 'skole', 'farlig', 'bil', 'fart'"
        )
    with translation.override("nn"):
        assert reason_text(Match(score=0.5, text=0.5, distance_m=120.2)) == "120 m frå kvarandre"


# --- arguments_for -----------------------------------------------------------------------


def test_the_public_sees_published_voices_and_a_published_wording_only(lighting, case_officer):
    opener = make_input(
        "Gatelysene i Kongens gate er ødelagt utenfor huset mitt.",
        geom=at(*KONGENS_GATE),
        themes=(lighting,),
        published=False,
    )
    joined = [make_input(t, geom=at(*KONGENS_GATE), themes=(lighting,)) for t in LIGHTS[1:]]
    refused = make_input(LIGHTS[0], geom=at(*KONGENS_GATE), themes=(lighting,))
    input_reject(input=refused, moderator=case_officer, reason="Dobbelt innsendt")
    argument_id = one_argument([opener, *joined, refused])

    [public] = arguments_for(Input.objects.published())
    assert public["id"] == argument_id
    assert public["input_ids"] == ids(*joined)
    assert public["voices"] == 2
    assert public["text"] == joined[0].public_text
    # The machine's title came from the pending opener; the public gets one of its own.
    assert Argument.objects.get(pk=argument_id).title == title_of(opener.public_text)
    assert public["title"] == title_of(joined[0].public_text)

    [staff] = arguments_for(Input.objects.visible_to(case_officer))
    assert staff["voices"] == 4 and staff["text"] == opener.public_text


def test_an_officers_title_and_confirmation_are_what_everyone_reads(lights, case_officer):
    argument = Argument.objects.get(pk=lights[0].argument_id)
    [before] = arguments_for(Input.objects.published())
    assert before["reason"] == Input.objects.get(pk=lights[2].pk).argument_reason != ""
    argument_rename(argument=argument, title="Mørk Kongens gate", decided_by=case_officer)
    argument_confirm(argument=argument, decided_by=case_officer)

    with translation.override("en"):
        [after] = arguments_for(Input.objects.published())
    assert after["title"] == "Mørk Kongens gate"
    assert after["reason"] == "confirmed by a case officer"


def test_most_voices_first_or_the_newest_first_at_most_the_limit(lights):
    skatepark = make_input("Bygg skatepark i Nesparken!", geom=at(*NESPARKEN))
    assert skatepark.argument_id != lights[0].argument_id

    ranked = arguments_for(Input.objects.published())
    assert [a["voices"] for a in ranked] == [3, 1]
    newest = arguments_for(Input.objects.published(), newest=True)
    assert [a["id"] for a in newest] == [skatepark.argument_id, lights[0].argument_id]
    [top] = arguments_for(Input.objects.published(), limit=1)
    assert top["id"] == lights[0].argument_id


def test_years_processes_themes_and_the_answer_of_an_argument(lighting):
    today = timezone.localdate()
    old = make_process(
        "skoleveiplan-2021",
        title="Skoleveiplan 2021",
        status=ProcessStatus.EVALUATED,
        opens_on=dt.date(2021, 3, 1),
        closes_on=dt.date(2021, 5, 1),
    )
    current = make_process("sentrumsplan-2026", title="Sentrumsplan 2026")
    first = received(
        make_input(LIGHTS[0], geom=at(*KONGENS_GATE), themes=(lighting,), process=old), 2021, 4
    )
    second = received(make_input(LIGHTS[1], geom=at(*KONGENS_GATE), themes=(lighting,)), 2023)
    third = make_input(LIGHTS[2], geom=at(*KONGENS_GATE), themes=(lighting,), process=current)
    one_argument([first, second, third])
    answer(first, "Lysene skiftes i 2022.", 2021, reference="2021/877-3")

    [argument] = arguments_for(Input.objects.published())

    assert argument["input_ids"] == ids(first, second, third)  # oldest first
    assert dt.datetime.fromisoformat(argument["first_received"]) == first.received_at
    assert dt.datetime.fromisoformat(argument["last_received"]).date() == today
    assert [p["slug"] for p in argument["processes"]] == [old.slug, current.slug]
    assert argument["themes"] == ["belysning"]
    response = argument["response"]
    assert (response["justification"], response["decision_reference"]) == (
        "Lysene skiftes i 2022.",
        "2021/877-3",
    )
    assert dt.datetime.fromisoformat(response["decided_at"]).year == 2021


def test_still_true_confirmations_are_dated_voices(lights, case_officer):
    argument = Argument.objects.get(pk=lights[0].argument_id)
    check = argument_check_open(
        argument=argument, process=make_process("sentrumsplan-2026"), opened_by=case_officer
    )
    for key, stance in (("a", "confirm"), ("b", "confirm"), ("c", "disagree")):
        argument_voice_add(check=check, stance=stance, supporter_key=key)
    last = ArgumentVoice.objects.filter(stance="confirm").latest("created_at")
    # An addition, moderated and published: a voice of its own, placed by the resident.
    added = argument_voice_add(
        check=check,
        stance="add",
        supporter_key="d",
        text="Fortsatt like mørkt om kvelden.",
        geom=at(*KONGENS_GATE),
    ).voice.input
    added.refresh_from_db()  # as moderation reads it
    assert added.argument_pinned and added.argument_reason == ""
    input_publish(input=added, moderator=case_officer)

    [shown] = arguments_for(Input.objects.published())

    assert shown["input_ids"][-1] == str(added.public_id)
    assert shown["voices"] == 6  # four inputs, two confirmations (a disagreement is none)
    assert shown["confirmations"] == 2
    assert dt.datetime.fromisoformat(shown["last_confirmed"]) == last.created_at
    # The machine's reason is the newest one it gave; the resident's placing has none.
    assert shown["reason"] == Input.objects.get(pk=lights[2].pk).argument_reason != ""


def test_the_report_lists_an_argument_under_each_of_its_themes(lights):
    safety = make_theme("trygghet")
    Argument.objects.get(pk=lights[0].argument_id).themes.add(safety)
    bush = make_input(
        "Buskene i krysset ved Nesparken tar sikten for bilene.",
        geom=at(*NESPARKEN),
        themes=(safety,),
    )
    noise = make_input("Flystøyen fra Rygge er ille om natta.", geom=at(*RYGGE))
    assert len({lights[0].argument_id, bush.argument_id, noise.argument_id}) == 3

    by_theme = arguments_by_theme(arguments_for(Input.objects.published()))

    assert list(by_theme) == ["trygghet", "belysning", "-"]  # most voices first
    assert [a["id"] for a in by_theme["trygghet"]] == [lights[0].argument_id, bush.argument_id]
    assert [a["id"] for a in by_theme["belysning"]] == [lights[0].argument_id]
    assert [a["id"] for a in by_theme["-"]] == [noise.argument_id]


# --- The answer shown, "said here before", "still true?" -----------------------------------


def test_the_latest_answer_of_several_arguments_in_one_read(lights):
    answer(lights[0], "Lysene skiftes.", 2022, reference="2022/388-14")
    skatepark = make_input("Bygg skatepark i Nesparken!", geom=at(*NESPARKEN))
    noise = make_input("Flystøyen fra Rygge er ille om natta.", geom=at(*RYGGE))
    argument_answer(
        argument=skatepark.argument,
        outcome=Outcome.NOT_ADOPTED,
        justification="Ikke plass i Nesparken.",
        decided_by=None,
        notify=False,
    )

    found = latest_answer([lights[0].argument_id, skatepark.argument_id, noise.argument_id])

    assert set(found) == {lights[0].argument_id, skatepark.argument_id}  # noise: unanswered
    assert found[lights[0].argument_id]["decision_reference"] == "2022/388-14"
    assert found[skatepark.argument_id]["outcome"] == Outcome.NOT_ADOPTED
    assert latest_answer([]) == {}


def test_said_again_the_resident_hears_the_answer_and_the_published_voices(
    lights, lighting, case_officer
):
    answer(lights[1], "Lysene skiftes våren 2023.", 2022, reference="2022/388-14")
    refused = make_input(LIGHTS[0], geom=at(*KONGENS_GATE), themes=(lighting,))
    input_reject(input=refused, moderator=case_officer, reason="Dobbelt innsendt")
    new = make_input(
        "Gatelysene i Kongens gate er fortsatt ødelagt.",
        geom=at(*KONGENS_GATE),
        themes=(lighting,),
        published=False,
    )
    argument_id = one_argument([*lights, refused, new])

    said = heard_before(new)

    assert said is not None
    assert (said["argument"], said["voices"]) == (argument_id, 3)
    assert said["response"]["justification"] == "Lysene skiftes våren 2023."
    assert said["response"]["decision_reference"] == "2022/388-14"


def test_an_answer_to_input_that_is_not_public_is_not_told(lights, lighting):
    pending = make_input(LIGHTS[0], geom=at(*KONGENS_GATE), themes=(lighting,), published=False)
    answer(pending, "Innspillet inneholdt personopplysninger.", 2023)
    new = make_input(LIGHTS[1], geom=at(*KONGENS_GATE), themes=(lighting,), published=False)
    one_argument([*lights, pending, new])

    assert heard_before(new) is None


def test_an_addition_pinned_to_an_answered_argument_hears_its_answer(lights, case_officer):
    answer(lights[0], "Lysene skiftes i 2022.", 2021)
    check = argument_check_open(
        argument=lights[0].argument, process=make_process("sentrumsplan"), opened_by=case_officer
    )
    # Words unlike the others: the machine alone would not have put it here.
    added = argument_voice_add(
        check=check,
        stance="add",
        supporter_key="k",
        text="Det er like ille som før her om kveldene.",
        geom=at(*KONGENS_GATE),
    ).voice.input
    added.refresh_from_db()
    assert added.argument_pinned and added.argument_reason == ""

    said = heard_before(added)

    assert said is not None and said["argument"] == lights[0].argument_id
    assert said["response"]["justification"] == "Lysene skiftes i 2022."


def test_still_true_shows_residents_published_wordings_answers_and_stances(lighting, case_officer):
    opener = make_input(
        "Gatelysene i Kongens gate er ødelagt utenfor huset mitt.",
        geom=at(*KONGENS_GATE),
        themes=(lighting,),
        published=False,
    )
    published = [make_input(t, geom=at(*KONGENS_GATE), themes=(lighting,)) for t in LIGHTS[1:]]
    lights_id = one_argument([opener, *published])
    answer(published[0], "Lysene skiftes i 2022.", 2021)
    unpublished = make_input("Bygg skatepark i Nesparken!", geom=at(*NESPARKEN), published=False)
    new = make_process("sentrumsplan-2026")
    other = make_process("jeloy-2026")
    lights_check = argument_check_open(
        argument=Argument.objects.get(pk=lights_id), process=new, opened_by=case_officer
    )
    argument_check_open(argument=unpublished.argument, process=new, opened_by=case_officer)
    noise = make_input("Flystøyen fra Rygge er ille om natta.", geom=at(*RYGGE))
    argument_check_open(argument=noise.argument, process=other, opened_by=case_officer)
    for key, stance in (("a", "confirm"), ("b", "disagree"), ("c", "disagree")):
        argument_voice_add(check=lights_check, stance=stance, supporter_key=key)
    argument_voice_add(check=lights_check, stance="confirm", supporter_key="b")  # changed mind

    [shown] = still_true_for(new)

    assert (shown["check"], shown["argument"]) == (lights_check.pk, lights_id)
    assert shown["text"] == published[0].public_text
    assert shown["title"] == title_of(published[0].public_text)
    assert shown["voices"] == 2
    assert shown["response"]["justification"] == "Lysene skiftes i 2022."
    assert (shown["confirmations"], shown["disagreements"]) == (2, 1)
    assert [s["argument"] for s in still_true_for(other)] == [noise.argument_id]


def test_still_true_never_quotes_a_childs_restricted_input(lighting, case_officer):
    # A child's location-restricted input is published for staff and counts only; the
    # process page is public.
    child = make_input(
        "Gatelysene i Kongens gate er ødelagt, jeg går her til skolen hver morgen.",
        geom=at(*KONGENS_GATE),
        themes=(lighting,),
        under_16=True,
    )
    adult = make_input(LIGHTS[0], geom=at(*KONGENS_GATE), themes=(lighting,))
    assert child.location_restricted and child.argument_id == adult.argument_id
    process = make_process("sentrumsplan-2026")
    argument_check_open(argument=adult.argument, process=process, opened_by=case_officer)
    assert [a["text"] for a in arguments_for(Input.objects.published())] == [adult.public_text]

    [shown] = still_true_for(process)

    assert shown["text"] == adult.public_text
    assert shown["title"] == title_of(adult.public_text)
