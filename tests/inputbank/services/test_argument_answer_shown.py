"""The answer shown for an argument ("besvart 2022: ...") follows every write that changes it.

It is kept on the argument by triggers (migration 0027) so that the report reads it by key;
these tests change it through the services every door uses and check both what a reader is
shown and that the triggers' result equals computing every argument afresh.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from inputbank.models import Argument, Outcome
from inputbank.models.tables import quoted_table
from inputbank.reads.arguments import heard_before, latest_answer
from inputbank.services import (
    argument_answer,
    argument_merge,
    argument_split,
    input_publish,
    input_reject,
    response_record,
)
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db

WHERE = (10.6612, 59.4352)  # Kongens gate
OTHER = (10.785, 59.379)  # Rygge


def _at(year: int) -> dt.datetime:
    return dt.datetime(year, 6, 1, 12, tzinfo=dt.UTC)


def _shown(argument_id: int) -> str | None:
    answer = latest_answer([argument_id]).get(argument_id)
    return answer["justification"] if answer else None


def _agrees_with_a_fresh_computation() -> None:
    """What the triggers left equals every argument computed from its members again."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, answer_id FROM {quoted_table(Argument)} ORDER BY id")
        kept = cursor.fetchall()
        cursor.execute("SELECT inputbank_argument_answers(NULL)")
        cursor.execute(f"SELECT id, answer_id FROM {quoted_table(Argument)} ORDER BY id")
        assert cursor.fetchall() == kept


@pytest.fixture
def lights(db):
    theme = make_theme("belysning")
    texts = (
        "Gatelysene i Kongens gate er ødelagt.",
        "Gatelysa i Kongens gate er øydelagde, det er mørkt.",
        "Kongens gate is dark, the street lights are broken.",
    )
    items = [make_input(text, geom=point(*WHERE), themes=(theme,)) for text in texts]
    assert len({i.argument_id for i in items}) == 1
    return items


def _answer(item, text: str, year: int, officer):
    return response_record(
        input=item,
        outcome=Outcome.NOTED,
        justification=text,
        decided_by=officer,
        decided_at=_at(year),
    )


def test_the_latest_answer_to_a_member_is_the_arguments_and_a_revision_shows(lights, case_officer):
    a, b, _c = lights
    assert _shown(a.argument_id) is None
    _answer(a, "Lysene skiftes i 2021.", 2021, case_officer)
    _answer(b, "Lysene ble skiftet i 2022.", 2022, case_officer)
    assert _shown(a.argument_id) == "Lysene ble skiftet i 2022."
    _answer(a, "Ny vurdering: hele gata får LED.", 2023, case_officer)  # a revision, later
    assert _shown(a.argument_id) == "Ny vurdering: hele gata får LED."
    _answer(a, "Ny vurdering, datert tilbake.", 2020, case_officer)  # moved back in time
    assert _shown(a.argument_id) == "Lysene ble skiftet i 2022."
    _agrees_with_a_fresh_computation()


def test_an_answer_to_input_that_is_not_public_is_not_the_arguments(lights, case_officer):
    a, b, _c = lights
    _answer(a, "Svar fra 2021.", 2021, case_officer)
    pending = make_input(
        "Gatelysene i Kongens gate er ødelagt igjen.", geom=point(*WHERE), published=False
    )
    assert pending.argument_id == a.argument_id
    _answer(pending, "Innspillet er ikke publisert: personopplysninger.", 2024, case_officer)
    assert _shown(a.argument_id) == "Svar fra 2021."
    input_publish(input=pending, moderator=case_officer)
    assert _shown(a.argument_id) == "Innspillet er ikke publisert: personopplysninger."
    input_reject(input=pending, moderator=case_officer, reason="Personopplysninger")
    assert _shown(a.argument_id) == "Svar fra 2021."
    _agrees_with_a_fresh_computation()


def test_split_and_merge_carry_each_inputs_answer_along(lights, case_officer):
    a, b, c = lights
    _answer(a, "Svar fra 2021.", 2021, case_officer)
    _answer(c, "Svar på engelsk innspill, 2023.", 2023, case_officer)
    original = a.argument
    new = argument_split(argument=original, inputs=[c], decided_by=case_officer)
    assert _shown(original.pk) == "Svar fra 2021."
    assert _shown(new.pk) == "Svar på engelsk innspill, 2023."
    elsewhere = make_input("Flystøyen fra Rygge er ille om natta.", geom=point(*OTHER))
    _answer(elsewhere, "Støy fra Rygge: 2025.", 2025, case_officer)
    target = argument_merge(
        target=original, others=[new, elsewhere.argument], decided_by=case_officer
    )
    assert _shown(target.pk) == "Støy fra Rygge: 2025."
    _agrees_with_a_fresh_computation()


def test_answer_once_is_shown_and_met_again_at_submission(lights, case_officer):
    a, _b, _c = lights
    _answer(a, "Eldre svar.", 2019, case_officer)
    argument_answer(
        argument=a.argument,
        outcome=Outcome.ADOPTED,
        justification="Lysene skiftes i vår.",
        decided_by=case_officer,
        decision_reference="2022/388-14",
        decided_at=_at(2022),
        notify=False,
    )
    assert _shown(a.argument_id) == "Lysene skiftes i vår."
    later = make_input(
        "Gatelysene i Kongens gate er fortsatt ødelagt.", geom=point(*WHERE), published=False
    )
    said = heard_before(later)
    assert said is not None and said["argument"] == a.argument_id
    assert said["response"]["decision_reference"] == "2022/388-14"
    assert said["voices"] == 3  # the published ones; the new input is still pending
    _agrees_with_a_fresh_computation()


def test_an_erased_input_takes_its_answer_with_it(lights, case_officer):
    a, b, _c = lights
    _answer(a, "Svar fra 2021.", 2021, case_officer)
    _answer(b, "Svar fra 2022.", 2022, case_officer)
    argument_id = b.argument_id
    b.delete()  # as erasure does: the response goes with its input
    assert _shown(argument_id) == "Svar fra 2021."
    _agrees_with_a_fresh_computation()
