"""Arguments: formed at submission, decided by officers (who win), answered once."""

from __future__ import annotations

import re

import pytest

from inputbank.models import ArgumentDecision, FeedbackDelivery, Outcome, Response
from inputbank.services import (
    argument_answer,
    argument_confirm,
    argument_match,
    argument_merge,
    argument_rename,
    argument_split,
)
from tests.factories import make_input, make_theme, point
from tests.inputbank.services.conftest import contributor

pytestmark = pytest.mark.django_db

KONGENS_GATE = (10.6624, 59.4358)
HALMSTAD = (10.7430, 59.3910)


@pytest.fixture
def safety(db):
    return make_theme("trafikksikkerhet")


def test_rewordings_at_the_same_place_form_one_argument_with_a_reason(safety):
    first = make_input(
        "Fotgjengerfeltet i Kongens gate ved skolen er farlig, bilene stopper ikke.",
        geom=point(*KONGENS_GATE),
        themes=(safety,),
    )
    second = make_input(
        "Gangfeltet utanfor skulen i Kongens gate er farleg, bilistane køyrer altfor fort.",
        geom=point(KONGENS_GATE[0] + 0.0003, KONGENS_GATE[1]),
        themes=(safety,),
    )
    assert second.argument_id == first.argument_id
    assert "fotgjengerfelt" in second.argument_reason
    assert re.search(r"\b\d+ m\b", second.argument_reason)  # how far apart, in metres


def test_the_same_words_at_another_place_are_another_argument(safety):
    here = make_input(
        "Fotgjengerfeltet ved skolen er farlig, bilene stopper ikke.",
        geom=point(*KONGENS_GATE),
        themes=(safety,),
    )
    there = make_input(
        "Fotgjengerfeltet ved skolen er farlig, bilene stopper ikke for barna.",
        geom=point(*HALMSTAD),
        themes=(safety,),
    )
    assert here.argument_id != there.argument_id


def test_a_different_concern_on_the_same_street_stays_apart(safety):
    crossing = make_input(
        "Fotgjengerfeltet i Kongens gate ved skolen er farlig.", geom=point(*KONGENS_GATE)
    )
    parking = make_input(
        "Det er altfor få parkeringsplasser i Kongens gate.", geom=point(*KONGENS_GATE)
    )
    assert crossing.argument_id != parking.argument_id


def test_officer_split_wins_over_the_machine(case_officer, safety):
    a = make_input("Bygg skatepark i Nesparken!", geom=point(10.665, 59.4308))
    b = make_input("Skatepark i Nesparken for ungdommen.", geom=point(10.665, 59.4308))
    assert a.argument_id == b.argument_id
    new = argument_split(argument=a.argument, inputs=[b], decided_by=case_officer)
    b.refresh_from_db()
    assert b.argument_id == new.pk and b.argument_pinned
    assert argument_match(input=b) == new.pk  # the machine's next run leaves it there
    assert ArgumentDecision.objects.filter(kind="split").count() == 2
    assert new.history.exists()


def test_merge_rename_and_confirm_are_kept(case_officer):
    a = make_input("Kø ved Mosseporten hver ettermiddag.", geom=point(10.647, 59.45))
    b = make_input("Flystøyen fra Rygge er ille om natta.", geom=point(10.785, 59.379))
    target = argument_merge(target=a.argument, others=[b.argument], decided_by=case_officer)
    argument_rename(argument=target, title="Kø og støy", decided_by=case_officer)
    argument_confirm(argument=target, decided_by=case_officer)
    b.refresh_from_db()
    assert b.argument_id == target.pk and b.argument_pinned
    assert {d.kind for d in target.decisions.all()} == {"merge", "rename", "confirm"}


def test_answer_once_answers_every_input_and_writes_to_each_person_once(
    case_officer, django_capture_on_commit_callbacks, smtp_server
):
    where = point(10.6612, 59.4352)
    a = make_input("Gatelysene i Kongens gate er ødelagt.", geom=where, contributor=contributor())
    b = make_input(
        "Gatelysa i Kongens gate er øydelagde, det er mørkt.", geom=where, contributor=contributor()
    )
    c = make_input(
        "Kongens gate is dark, the street lights are broken.",
        geom=where,
        contributor=contributor(email_addr="ola@example.no"),
    )
    assert a.argument_id == b.argument_id == c.argument_id
    with django_capture_on_commit_callbacks(execute=True):
        result = argument_answer(
            argument=a.argument,
            outcome=Outcome.ADOPTED,
            justification="Lysene skiftes i vår.",
            decided_by=case_officer,
            decision_reference="2022/388-14",
        )
    assert Response.objects.filter(argument=a.argument).count() == 3
    assert result.queued == 2  # Kari once, Ola once
    assert FeedbackDelivery.objects.count() == 2
    assert len(smtp_server.messages) == 2


def test_an_import_matches_its_rows_into_arguments(case_officer):
    import datetime as dt

    from django.utils import timezone

    from geo.crs import STORAGE_SRID
    from inputbank.models import Channel, Input
    from inputbank.services import inputs_bulk_register
    from inputbank.services.imports import NewInput

    where = bytes(point(*KONGENS_GATE).transform(STORAGE_SRID, clone=True).wkb)
    received = timezone.make_aware(dt.datetime(2019, 5, 2, 12))
    rows = [
        NewInput(text=t, channel=Channel.LETTER, received_at=received, geom_wkb=where)
        for t in (
            "Fotgjengerfeltet ved skolen i Kongens gate er farlig.",
            "Gangfeltet utanfor skulen i Kongens gate er farleg.",
            "Det er altfor få parkeringsplasser i Kongens gate.",
        )
    ]
    inputs_bulk_register(batches=[rows], registered_by=case_officer)
    crossing, again, parking = Input.objects.order_by("id")
    assert crossing.argument_id == again.argument_id != parking.argument_id


def test_a_merge_keeps_the_residents_still_true_voices(case_officer, safety):
    from inputbank.models import ArgumentVoice
    from inputbank.services import argument_check_open
    from tests.factories import make_process

    a = make_input("Bygg skatepark i Nesparken!", geom=point(10.665, 59.4308)).argument
    b = make_input("Fotgjengerfeltet i Kongens gate er farlig.", geom=point(*KONGENS_GATE))
    b = b.argument
    both, only_b = make_process("both"), make_process("only-b")
    on_a = argument_check_open(argument=a, process=both, opened_by=case_officer)
    on_b = argument_check_open(argument=b, process=both, opened_by=case_officer)
    lone = argument_check_open(argument=b, process=only_b, opened_by=case_officer)
    on_a.voices.create(stance="confirm", supporter_key="same")
    on_b.voices.create(stance="disagree", supporter_key="same")  # answered both: a's kept
    on_b.voices.create(stance="confirm", supporter_key="other")
    lone.voices.create(stance="confirm", supporter_key="third")

    argument_merge(target=a, others=[b], decided_by=case_officer)
    lone.refresh_from_db()
    assert lone.argument_id == a.pk
    stances = sorted(
        ArgumentVoice.objects.filter(argument_check__argument=a).values_list("stance", flat=True)
    )
    assert stances == ["confirm", "confirm", "confirm"]
