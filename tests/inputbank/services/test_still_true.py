""" "Stemmer det fortsatt?" through its two services, called directly: ``argument_check_open``
puts an earlier argument before a new process once; ``argument_voice_add`` records a
resident's confirm / disagree (one per person and question, a change of mind replaces it) or
addition (a pending input in the new process, pinned to the argument, with a receipt for a
contributor who left an address), and refuses whole when the process no longer takes input or
an addition has no text (docs/arguments.md, "Still true?")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from geo.crs import STORAGE_SRID
from inputbank.models import (
    Argument,
    ArgumentCheck,
    ArgumentVoice,
    Contributor,
    DeliveryKind,
    FeedbackDelivery,
    Input,
    ModerationStatus,
    ProcessStatus,
)
from inputbank.services import NotOpen, argument_check_open, argument_voice_add
from inputbank.services.inputs import ContributorData
from tests.factories import make_input, make_process, make_theme, point

pytestmark = pytest.mark.django_db

# Kongens gate by the school, where the earlier inputs were given (lon/lat and EPSG:25832).
KONGENS_GATE = (10.6612, 59.4352)
KONGENS_GATE_25832 = (594226.30, 6589689.72)

CONFIRM, DISAGREE, ADD = (
    ArgumentVoice.Stance.CONFIRM,
    ArgumentVoice.Stance.DISAGREE,
    ArgumentVoice.Stance.ADD,
)


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def earlier(db):
    """An argument of a closed 2022 process: one anonymous input and one from a named resident."""
    old = make_process(
        "skolevei-2022",
        title="Skoleveiplan 2022",
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2022, 3, 1),
        closes_on=dt.date(2022, 4, 15),
    )
    safety = make_theme("trygghet", name="Trygghet")
    lighting = make_theme("belysning", name="Belysning")
    items = [
        make_input(
            "Gatelysene i Kongens gate er ødelagt, det er mørkt om kvelden.",
            geom=point(*KONGENS_GATE),
            process=old,
        ),
        make_input(
            "Gatelysa i Kongens gate er øydelagde, det er mørkt og utrygt.",
            geom=point(*KONGENS_GATE),
            process=old,
            contributor=ContributorData(name="Ola Hansen", email="ola@example.no"),
        ),
    ]
    argument = Argument.objects.create(title="Mørkt i Kongens gate", titled_by_officer=True)
    argument.themes.set([safety, lighting])
    Input.objects.filter(pk__in=[i.pk for i in items]).update(argument=argument)
    return argument


@pytest.fixture
def new_process(db):
    return make_process("sentrumsplan-2026", title="Sentrumsplan 2026")


@pytest.fixture
def check(earlier, new_process, case_officer):
    return argument_check_open(argument=earlier, process=new_process, opened_by=case_officer)


def kongens_gate_25832() -> Point:
    return Point(*KONGENS_GATE_25832, srid=STORAGE_SRID)


def resident_with_address() -> ContributorData:
    return ContributorData(
        name="Kari Nordmann", email="kari@example.no", wants_feedback=True, preferred_language="nn"
    )


def bank() -> dict[str, list]:
    """What the answers could have written: voices, inputs, contributors, e-mails, arguments."""
    return {
        "voices": list(ArgumentVoice.objects.order_by("id").values_list("id", "stance")),
        "inputs": list(Input.objects.order_by("id").values_list("id", "argument_id", "status")),
        "contributors": list(Contributor.objects.order_by("id").values_list("id", flat=True)),
        "deliveries": list(FeedbackDelivery.objects.order_by("id").values_list("id", flat=True)),
        "arguments": list(Argument.objects.order_by("id").values_list("id", flat=True)),
    }


# --- putting the question ---------------------------------------------------------------------


def test_an_argument_is_put_before_a_process_once_and_keeps_who_asked(
    earlier, new_process, case_officer, adviser
):
    first = argument_check_open(argument=earlier, process=new_process, opened_by=case_officer)
    again = argument_check_open(argument=earlier, process=new_process, opened_by=adviser)
    assert again.pk == first.pk
    stored = ArgumentCheck.objects.get()
    assert (stored.argument, stored.process, stored.opened_by) == (
        earlier,
        new_process,
        case_officer,
    )


def test_the_same_argument_can_be_asked_in_another_process(earlier, new_process, case_officer):
    harbour = make_process("havneplan-2026", title="Havneplan 2026")
    on_centre = argument_check_open(argument=earlier, process=new_process, opened_by=case_officer)
    on_harbour = argument_check_open(argument=earlier, process=harbour, opened_by=None)
    assert on_centre.pk != on_harbour.pk
    assert set(earlier.checks.values_list("process__slug", flat=True)) == {
        "sentrumsplan-2026",
        "havneplan-2026",
    }
    assert ArgumentCheck.objects.get(process=harbour).opened_by is None


# --- confirm and disagree ---------------------------------------------------------------------


def test_a_confirmation_is_a_dated_voice_on_the_question(check):
    result = argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-kari")
    assert result.created
    assert (result.confirmations, result.disagreements) == (1, 0)
    voice = ArgumentVoice.objects.get()
    assert voice == result.voice
    assert (voice.argument_check, voice.stance, voice.supporter_key) == (
        check,
        CONFIRM,
        "session-kari",
    )
    assert voice.input is None
    assert timezone.localdate(voice.created_at) == today()
    assert not Input.objects.filter(process=check.process).exists()


def test_a_change_of_mind_replaces_the_persons_voice(check):
    first = argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-kari")
    changed = argument_voice_add(check=check, stance=DISAGREE, supporter_key="session-kari")
    assert not changed.created
    assert changed.voice.pk == first.voice.pk
    assert (changed.confirmations, changed.disagreements) == (0, 1)
    assert list(ArgumentVoice.objects.values_list("stance", flat=True)) == [DISAGREE]

    same_again = argument_voice_add(check=check, stance=DISAGREE, supporter_key="session-kari")
    assert not same_again.created
    assert ArgumentVoice.objects.count() == 1


def test_each_person_has_one_voice_and_the_counts_add_up(check):
    argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-kari")
    argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-ola")
    last = argument_voice_add(check=check, stance=DISAGREE, supporter_key="user-17")
    assert last.created
    assert (last.confirmations, last.disagreements) == (2, 1)
    assert ArgumentVoice.objects.filter(argument_check=check).count() == 3


def test_voices_are_counted_per_question_not_per_argument(check, earlier):
    harbour = make_process("havneplan-2026", title="Havneplan 2026")
    other = argument_check_open(argument=earlier, process=harbour, opened_by=None)
    argument_voice_add(check=other, stance=CONFIRM, supporter_key="session-kari")
    argument_voice_add(check=other, stance=CONFIRM, supporter_key="session-ola")
    # The same person answers the question in the other process too: a voice of its own.
    result = argument_voice_add(check=check, stance=DISAGREE, supporter_key="session-kari")
    assert result.created
    assert (result.confirmations, result.disagreements) == (0, 1)
    assert other.voices.get(supporter_key="session-kari").stance == CONFIRM


def test_a_question_closing_today_still_takes_answers(earlier, case_officer):
    last_day = make_process("siste-dag", closes_on=today())
    check = argument_check_open(argument=earlier, process=last_day, opened_by=case_officer)
    result = argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-kari")
    assert result.confirmations == 1


# --- additions ----------------------------------------------------------------------------------


def test_an_anonymous_addition_is_a_pending_input_in_the_new_process_pinned_to_the_argument(
    check, earlier, new_process, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = argument_voice_add(
            check=check,
            stance=ADD,
            supporter_key="session-anon",
            text="Det er fortsatt mørkt ved skolen om morgenen.",
            geom=kongens_gate_25832(),
        )
    item = result.voice.input
    assert result.created and result.voice.stance == ADD
    item.refresh_from_db()
    assert item.text == "Det er fortsatt mørkt ved skolen om morgenen."
    assert item.status == ModerationStatus.PENDING  # moderated as any input
    assert item.process == new_process
    assert (item.argument, item.argument_pinned, item.argument_reason) == (earlier, True, "")
    assert set(item.themes.values_list("slug", flat=True)) == {"trygghet", "belysning"}
    assert (item.geom.x, item.geom.y) == pytest.approx(KONGENS_GATE_25832, abs=0.01)
    assert item.contributor is None
    assert [h.history_type for h in item.history.all()] == ["+"]
    # An addition is no confirmation: the counts stay as they were.
    assert (result.confirmations, result.disagreements) == (0, 0)
    # No address, no receipt; the earlier inputs' contributor is not written to either.
    assert mailoutbox == []
    assert not FeedbackDelivery.objects.exists()


def test_an_addition_from_a_resident_with_an_address_gets_a_receipt_in_their_language(
    check, earlier, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = argument_voice_add(
            check=check,
            stance=ADD,
            supporter_key="session-kari",
            text="Lyset ved fotgjengarfeltet er framleis øydelagt.",
            language="nn",
            contributor=resident_with_address(),
        )
    item = result.voice.input
    assert item.contributor.email == "kari@example.no"
    assert item.language == "nn"
    [message] = mailoutbox
    assert message.to == ["kari@example.no"]
    assert item.reference in message.subject
    assert message.extra_headers["Content-Language"] == "nn"
    delivery = FeedbackDelivery.objects.get()
    assert (delivery.input, delivery.kind) == (item, DeliveryKind.RECEIPT)
    # Only the person who added is written to, not the earlier argument's contributor.
    assert "ola@example.no" not in [to for m in mailoutbox for to in m.to]


def test_an_addition_keeps_the_persons_confirmation_and_two_additions_are_two_inputs(check):
    argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-kari")
    argument_voice_add(
        check=check, stance=ADD, supporter_key="session-kari", text="Mørkt ved busstoppet."
    )
    last = argument_voice_add(
        check=check, stance=ADD, supporter_key="session-kari", text="Og ved skolegården."
    )
    assert last.created
    assert sorted(check.voices.values_list("stance", flat=True)) == [ADD, ADD, CONFIRM]
    assert (last.confirmations, last.disagreements) == (1, 0)
    added = Input.objects.filter(process=check.process).order_by("id")
    assert [i.text for i in added] == ["Mørkt ved busstoppet.", "Og ved skolegården."]
    assert all(i.argument_id == check.argument_id and i.argument_pinned for i in added)


def test_an_addition_the_matcher_would_place_elsewhere_leaves_no_empty_argument(check):
    # Matched on its own words the addition opens a new argument at submission; the resident
    # said it belongs to the asked one, so that new argument must not stay behind empty.
    before = set(Argument.objects.values_list("id", flat=True))
    result = argument_voice_add(
        check=check,
        stance=ADD,
        supporter_key="session-per",
        text="Bryggene ved Kanalen trenger nye fortøyningsringer før sommeren.",
    )
    assert result.voice.input.argument_id == check.argument_id
    assert set(Argument.objects.values_list("id", flat=True)) == before
    assert not Argument.objects.filter(inputs__isnull=True).exclude(pk__in=before).exists()


# --- refusals: nothing is stored ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_addition_without_text_is_refused_whole(
    check, text, mailoutbox, django_capture_on_commit_callbacks
):
    before = bank()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotOpen, match="Et tillegg må ha en tekst"),
    ):
        argument_voice_add(
            check=check,
            stance=ADD,
            supporter_key="session-kari",
            text=text,
            geom=kongens_gate_25832(),
            contributor=resident_with_address(),
        )
    assert bank() == before
    assert mailoutbox == []


PAST_AND_FUTURE = {
    "closed": {"status": ProcessStatus.CLOSED},
    "evaluated": {"status": ProcessStatus.EVALUATED},
    "past-its-closing-date": {"closes_on": -1},
    "planned": {"status": ProcessStatus.PLANNED, "opens_on": 20, "closes_on": 60},
    "not-yet-open": {"opens_on": 1, "closes_on": 30},
}


@pytest.fixture(params=list(PAST_AND_FUTURE), ids=list(PAST_AND_FUTURE))
def not_open_check(request, earlier, case_officer):
    """The question asked in a process that does not take input today (asking is allowed)."""
    state = dict(PAST_AND_FUTURE[request.param])
    for day in ("opens_on", "closes_on"):
        if day in state:
            state[day] = today() + dt.timedelta(days=state[day])
    process = make_process(f"prosess-{request.param}", **state)
    return argument_check_open(argument=earlier, process=process, opened_by=case_officer)


@pytest.mark.parametrize(
    ("stance", "text"),
    [(CONFIRM, ""), (DISAGREE, ""), (ADD, "Fortsatt mørkt ved skolen.")],
)
def test_no_answer_is_taken_when_the_process_does_not_take_input(
    not_open_check, stance, text, mailoutbox, django_capture_on_commit_callbacks
):
    before = bank()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotOpen, match="Prosessen tar ikke lenger imot innspill"),
    ):
        argument_voice_add(
            check=not_open_check,
            stance=stance,
            supporter_key="session-kari",
            text=text,
            contributor=resident_with_address(),
        )
    assert bank() == before
    assert mailoutbox == []


def test_a_refused_change_of_mind_keeps_the_earlier_voice(check, new_process):
    argument_voice_add(check=check, stance=CONFIRM, supporter_key="session-kari")
    new_process.status = ProcessStatus.CLOSED
    new_process.save(update_fields=["status"])
    with pytest.raises(NotOpen):
        argument_voice_add(check=check, stance=DISAGREE, supporter_key="session-kari")
    assert list(check.voices.values_list("supporter_key", "stance")) == [("session-kari", CONFIRM)]


def test_a_stance_that_is_not_one_of_the_three_is_refused(check):
    # Only the API's serializer checked the three choices: "maybe" was stored, counted nowhere,
    # and the person's later confirmation failed on the one-voice constraint.
    before = bank()
    with pytest.raises(NotOpen, match="Ukjent svar 'maybe'"):
        argument_voice_add(check=check, stance="maybe", supporter_key="session-kari")
    assert bank() == before
