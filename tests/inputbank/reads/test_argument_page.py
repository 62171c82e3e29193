"""One argument as the case officers' page reads it (inputbank/reads/argument_page.py), directly.

The inputs a reader may see, oldest first; how many people an answer would e-mail (the same
count ``argument_answer`` then queues); the "still true?" questions with their voices; the
decisions in words; other arguments to merge; and the earlier arguments a new process's
residents may be asked about. The page itself is tested in tests/staff/test_arguments.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from inputbank.models import (
    Argument,
    ArgumentDecision,
    ArgumentVoice,
    Input,
    Outcome,
    Process,
    ProcessStatus,
)
from inputbank.reads.argument_page import (
    answer_recipients,
    argument_checks,
    argument_decisions,
    argument_inputs,
    dated_voices,
    merge_candidates,
    still_true_candidates,
)
from inputbank.services import (
    ContributorData,
    argument_answer,
    argument_check_open,
    argument_confirm,
    argument_merge,
    argument_rename,
    argument_split,
    argument_voice_add,
    input_reject,
)
from tests.factories import make_input, make_process, make_theme
from tests.factories import storage_box as square
from tests.factories import storage_point as at

pytestmark = pytest.mark.django_db

# EPSG:25832 metres.
SCHOOL = (594293, 6589758)  # Kongens gate, by the school
KONGENS_GATE = (594226, 6589690)
NESPARKEN = (594454, 6589205)
HALMSTAD = (596470, 6588053)
RYGGE = (601415, 6583615)
CROSSING = (
    "Fotgjengerfeltet ved skolen i Kongens gate er farlig.",
    "Gangfeltet utanfor skulen i Kongens gate er farleg.",
    "The zebra crossing by the school in Kongens gate is dangerous.",
    "Sebrastripene ved skolen i Kongens gate er farlige, bilene kjører fort.",
)
LIGHTS = (
    "Gatelysene i Kongens gate er ødelagt.",
    "Gatelysa i Kongens gate er øydelagde, det er mørkt.",
    "Kongens gate is dark, the street lights are broken.",
)


def person(name: str, email: str = "", wants: bool = True) -> ContributorData:
    return ContributorData(name=name, email=email, wants_feedback=wants)


def received(item: Input, year: int) -> Input:
    Input.objects.filter(pk=item.pk).update(
        received_at=timezone.make_aware(dt.datetime(year, 5, 1, 12))
    )
    return item


def together(title: str, items, officer) -> Argument:
    """The inputs in one argument as an officer leaves it: merged where the machine kept them
    apart, and renamed."""
    found = Input.objects.filter(pk__in=[i.pk for i in items]).order_by("id")
    target, *rest = [Argument.objects.get(pk=i.argument_id) for i in found]
    others = {a.pk: a for a in rest if a.pk != target.pk}
    if others:
        argument_merge(target=target, others=list(others.values()), decided_by=officer)
    return argument_rename(argument=target, title=title, decided_by=officer)


@pytest.fixture
def old_plan(db):
    return make_process(
        "skoleveiplan-2022",
        title="Skoleveiplan 2022",
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2022, 3, 1),
        closes_on=dt.date(2022, 5, 1),
    )


@pytest.fixture
def crossing(old_plan, case_officer):
    """The dangerous school crossing: said in a closed plan and since, by people who asked for
    an answer and people who did not, one input still waiting for moderation."""
    kari = make_input(
        CROSSING[0],
        geom=at(*SCHOOL),
        process=old_plan,
        contributor=person("Kari Nordmann", "kari@example.no"),
    )
    kari_again = make_input(
        CROSSING[1], geom=at(*SCHOOL), contributor=person("Kari N.", "KARI@Example.no")
    )
    anonymous = make_input(CROSSING[2], geom=at(*SCHOOL))
    ola = make_input(
        CROSSING[3],
        geom=at(*SCHOOL),
        contributor=person("Ola Hansen", "ola@example.no"),
        published=False,
    )
    per = make_input(
        "Kongens gate ved skolen: fotgjengerfeltet er farlig.",
        geom=at(*SCHOOL),
        contributor=person("Per Berg", "per@example.no", wants=False),
    )
    items = [kari, kari_again, anonymous, ola, per]
    for year, item in zip((2022, 2023, 2024, 2025, 2026), items, strict=True):
        received(item, year)
    return together("Farlig fotgjengerfelt ved skolen", items, case_officer)


def test_the_inputs_a_reader_may_see_oldest_first(crossing, case_officer, resident):
    staff = list(argument_inputs(crossing, case_officer))
    assert [i.received_at.year for i in staff] == [2022, 2023, 2024, 2025, 2026]
    assert staff[0].process.title == "Skoleveiplan 2022"
    public = list(argument_inputs(crossing, resident))
    assert [i.received_at.year for i in public] == [2022, 2023, 2024, 2026]  # not the pending
    assert list(argument_inputs(crossing, AnonymousUser())) == public


def test_an_answer_mails_each_address_that_asked_once_as_answering_does(crossing):
    phone_only = make_input(
        "Fotgjengerfeltet ved skolen i Kongens gate er farlig om morgenen.",
        geom=at(*SCHOOL),
        contributor=ContributorData(name="Nils", phone="912 34 567", wants_feedback=True),
    )
    Input.objects.filter(pk=phone_only.pk).update(argument=crossing)

    # Kari (twice, one address in two spellings) and Ola (pending): Per did not ask, the
    # anonymous resident and Nils left no address.
    assert answer_recipients(crossing) == 2
    result = argument_answer(
        argument=crossing,
        outcome=Outcome.ADOPTED,
        justification="Gangfeltet får lys og fartshump.",
        decided_by=None,
        decision_reference="2024/1188-7",
    )
    assert result.queued == answer_recipients(crossing)


def test_still_true_questions_per_process_with_their_dated_voices(crossing, case_officer):
    first = argument_check_open(
        argument=crossing, process=make_process("sentrumsplan-2026"), opened_by=case_officer
    )
    second = argument_check_open(
        argument=crossing, process=make_process("jeloy-2026"), opened_by=case_officer
    )
    for key, stance in (("a", "confirm"), ("b", "confirm"), ("c", "disagree")):
        argument_voice_add(check=first, stance=stance, supporter_key=key)
    argument_voice_add(
        check=first,
        stance="add",
        supporter_key="d",
        text="Det trengs en skolepatrulje om morgenen.",
        geom=at(*SCHOOL),
    )
    newest = ArgumentVoice.objects.latest("created_at", "id")

    checks = argument_checks(crossing)

    assert [c.check for c in checks] == [first, second]
    assert (checks[0].confirmations, checks[0].disagreements, checks[0].additions) == (2, 1, 1)
    assert checks[0].last_voice == newest.created_at
    assert (checks[1].confirmations, checks[1].additions, checks[1].last_voice) == (0, 0, None)
    voices = dated_voices(crossing)
    assert [v.supporter_key for v in voices] == ["d", "c", "b", "a"]
    assert voices[0].input is not None  # the addition is an input
    assert [v.supporter_key for v in dated_voices(crossing, limit=2)] == ["d", "c"]


def test_the_decisions_newest_first_in_a_planners_words(case_officer):
    lighting = make_theme("belysning")
    lights = [make_input(t, geom=at(*KONGENS_GATE), themes=(lighting,)) for t in LIGHTS]
    assert len({i.argument_id for i in lights}) == 1
    argument = Argument.objects.get(pk=lights[0].argument_id)
    machine_title = argument.title
    argument_rename(argument=argument, title="Mørk Kongens gate", decided_by=case_officer)
    argument_confirm(argument=argument, decided_by=case_officer)
    split = argument_split(argument=argument, inputs=[lights[2]], decided_by=case_officer)
    argument_answer(
        argument=argument,
        outcome=Outcome.ADOPTED,
        justification="Lysene skiftes i vår.",
        decided_by=case_officer,
        decision_reference="2022/388-14",
        notify=False,
    )

    with translation.override("en"):
        decisions = argument_decisions(argument)
        moved_out = argument_decisions(split)

    assert [(d["decision"].kind, d["what"]) for d in decisions] == [
        (ArgumentDecision.Kind.ANSWER, "2 inputs answered (2022/388-14)"),
        (ArgumentDecision.Kind.SPLIT, f"1 inputs moved out into argument {split.pk}"),
        (ArgumentDecision.Kind.CONFIRM, "3 inputs kept together"),
        (ArgumentDecision.Kind.RENAME, f"“{machine_title}” → “Mørk Kongens gate”"),
    ]
    assert [d["what"] for d in moved_out] == [f"1 inputs split off from argument {argument.pk}"]
    assert decisions[0]["decision"].decided_by == case_officer


def test_merge_candidates_by_words_of_the_title_or_by_number(crossing, case_officer):
    halmstad = together(
        "Fotgjengerfelt ved Halmstad skole",
        [make_input("Gangfeltet ved Halmstad skole er farlig.", geom=at(*HALMSTAD))],
        case_officer,
    )
    skatepark = together(
        "Skatepark i Nesparken",
        [make_input("Bygg skatepark i Nesparken!", geom=at(*NESPARKEN))],
        case_officer,
    )
    Argument.objects.create(title="Fotgjengerfelt ved skolen, gammel gruppe")  # no input

    assert merge_candidates(crossing, "fotgjengerfelt skole") == [halmstad]
    assert merge_candidates(skatepark, "Fotgjengerfelt") == [crossing, halmstad]  # most inputs
    assert merge_candidates(skatepark, "fotgjengerfelt halmstad") == [halmstad]  # every word
    assert merge_candidates(crossing, str(skatepark.pk)) == [skatepark]
    assert merge_candidates(crossing, str(crossing.pk)) == []  # not itself
    assert merge_candidates(skatepark, "gammel gruppe") == []
    assert merge_candidates(crossing, "   ") == []


def test_still_true_candidates_are_earlier_arguments_inside_the_area(crossing, case_officer):
    sentrum = make_process(
        "sentrumsplan-2026",
        title="Sentrumsplan 2026",
        area=square(593500, 6589000, 594800, 6590100),
    )
    skatepark = make_input("Bygg skatepark i Nesparken!", geom=at(*NESPARKEN))  # no process
    own = make_input(
        "Søppelkassene langs Kanalen blir aldri tømt.",
        geom=at(594000, 6589600),
        process=sentrum,
    )
    far = make_input("Flystøyen fra Rygge er ille om natta.", geom=at(*RYGGE))
    asked = make_input("Torget trenger trær og benker.", geom=at(594100, 6589400))
    argument_check_open(argument=asked.argument, process=sentrum, opened_by=case_officer)
    refused = make_input("Naboen spiller høy musikk hver natt.", geom=at(*SCHOOL))
    input_reject(input=refused, moderator=case_officer, reason="Nabokrangel")
    arguments = [crossing.pk] + [i.argument_id for i in (skatepark, own, far, asked, refused)]
    assert len(set(arguments)) == 6

    found = still_true_candidates(sentrum, case_officer)

    assert found[0]["id"] == crossing.pk  # most voices first
    assert found[0]["voices"] == 5  # a case officer counts the pending input too
    assert {a["id"] for a in found} == {crossing.pk, skatepark.argument_id, refused.argument_id}
    public = still_true_candidates(sentrum, AnonymousUser())
    assert [(a["id"], a["voices"]) for a in public] == [
        (crossing.pk, 4),
        (skatepark.argument_id, 1),
    ]


def test_a_process_without_an_area_has_no_still_true_candidates(crossing, case_officer):
    everywhere = make_process("hele-kommunen", title="Kommuneplanens samfunnsdel")
    Process.objects.filter(pk=everywhere.pk).update(area=None)
    everywhere.refresh_from_db()

    assert still_true_candidates(everywhere, case_officer) == []
