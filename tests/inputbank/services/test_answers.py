"""Answering input: the response is recorded and the contributor's e-mail queued, one or many."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from inputbank.models import DeliveryKind, FeedbackDelivery, Outcome
from inputbank.services import response_answer, response_answer_bulk
from tests.factories import make_input
from tests.inputbank.services.conftest import answer, contributor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (None, "no contributor"),
        (contributor(wants_feedback=False), "did not ask"),
        (contributor(email_addr=""), "no e-mail"),
    ],
)
def test_no_feedback_is_queued_without_a_willing_addressee(process, case_officer, data, reason):
    item = make_input("Benk.", process=process, contributor=data)
    with translation.override("en"):  # the reason is shown to staff in their language
        result = answer(item, case_officer)
    assert result.delivery is None
    assert reason in result.not_queued_reason


def test_answer_sends_after_commit(
    smtp_server, input_wanting_feedback, case_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(input_wanting_feedback, case_officer)
    assert len(smtp_server.messages) == 1


def test_recording_without_notify_sends_nothing(
    smtp_server, input_wanting_feedback, case_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response_answer(
            input=input_wanting_feedback,
            outcome=Outcome.NOTED,
            justification="Tatt til orientering.",
            decided_by=case_officer,
            notify=False,
        )
    assert smtp_server.messages == []
    assert not FeedbackDelivery.objects.filter(kind=DeliveryKind.ANSWER).exists()


def test_bulk_answer_responds_to_each_and_mails_each_willing_contributor(
    smtp_server, process, case_officer, django_capture_on_commit_callbacks
):
    willing = [
        make_input(
            f"Benk nr {i}.", process=process, contributor=contributor(email_addr=f"p{i}@ex.no")
        )
        for i in range(3)
    ]
    silent = make_input("Benk uten e-post.", process=process)
    with django_capture_on_commit_callbacks(execute=True):
        result = response_answer_bulk(
            inputs=[*willing, silent],
            outcome=Outcome.ADOPTED,
            justification="Vi setter ut benker langs hele stien.",
            decided_by=case_officer,
        )
    assert result.queued == 3
    assert sorted(m["To"] for m in smtp_server.messages) == ["p0@ex.no", "p1@ex.no", "p2@ex.no"]
    assert silent.response.outcome == Outcome.ADOPTED


def test_an_anonymous_pin_is_answered_next_to_a_letter_from_kari_who_alone_is_mailed(
    smtp_server, process, case_officer, django_capture_on_commit_callbacks
):
    pin = make_input("Fartsdump i Storgata.", process=process)
    letter = make_input(
        "Brev: fartsdump i Storgata.", process=process, contributor=contributor(), no_location=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = response_answer_bulk(
            inputs=[pin, letter],
            outcome=Outcome.ADOPTED,
            justification="Fartsdumpen kommer i 2026.",
            decided_by=case_officer,
        )
    assert [a.delivery is not None for a in result.answers] == [False, True]
    assert [m["To"] for m in smtp_server.messages] == ["kari@example.no"]


def test_an_answer_that_rolls_back_sends_nothing(
    smtp_server, input_wanting_feedback, case_officer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        answer(input_wanting_feedback, case_officer)
        raise RuntimeError("the officer's next step failed")
    assert smtp_server.messages == []
    assert not FeedbackDelivery.objects.exists()


def test_the_answer_says_why_no_email_was_queued(process, case_officer):
    item = make_input("Benk.", process=process, contributor=contributor(wants_feedback=False))
    result = answer(item, case_officer)
    assert result.response.outcome == Outcome.PARTLY_ADOPTED
    assert result.not_queued_reason
