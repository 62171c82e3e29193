"""The feedback e-mail state staff see per input, through a real SMTP server and with it down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from inputbank.models import DeliveryStatus, FeedbackDelivery, Outcome, Stage
from inputbank.reads.feedback import FeedbackStateCode, feedback_state, feedback_states
from inputbank.services import feedback_send, response_answer
from inputbank.services.feedback_email import MAX_ATTEMPTS
from tests.factories import make_input
from tests.staff.conftest import contributor

pytestmark = pytest.mark.django_db


def answer(item, officer, notify=True, text="Benken kommer i planen."):
    response_answer(
        input=item,
        outcome=Outcome.ADOPTED,
        justification=text,
        decided_by=officer,
        stage=Stage.FIRST_READING,
        notify=notify,
    )
    item.refresh_from_db()
    return item


def state_of(item):
    item.refresh_from_db()
    return feedback_state(item)


@pytest.mark.parametrize(
    ("wants", "address", "reason"),
    [(False, "kari@example.no", "did not ask"), (True, "", "no e-mail address")],
)
def test_no_email_says_why(process, case_officer, wants, address, reason):
    item = make_input(
        "Benk", process=process, contributor=contributor(wants_feedback=wants, email_addr=address)
    )
    with translation.override("en"):  # the reason is shown to staff in their language
        state = state_of(answer(item, case_officer))
    assert state.code == FeedbackStateCode.NOT_WANTED
    assert reason in state.reason
    assert not state.retryable


def test_before_the_answer_the_email_is_still_to_come(input_wanting_feedback):
    assert state_of(input_wanting_feedback).code == FeedbackStateCode.NOT_ANSWERED


def test_an_answer_recorded_without_email_is_not_claimed_as_sent(
    input_wanting_feedback, case_officer
):
    state = state_of(answer(input_wanting_feedback, case_officer, notify=False))
    assert state.code == FeedbackStateCode.NOT_QUEUED


def test_queued_then_sent_through_a_real_smtp_server(
    smtp_server, input_wanting_feedback, case_officer
):
    item = answer(input_wanting_feedback, case_officer)
    assert state_of(item).code == FeedbackStateCode.QUEUED  # on_commit has not run in a test
    feedback_send()
    state = state_of(item)
    assert state.code == FeedbackStateCode.SENT
    assert len(smtp_server.messages) == 1
    assert state.delivery.sent_at is not None


def test_with_the_server_down_the_state_is_retrying_with_the_reason(
    smtp_down, input_wanting_feedback, case_officer
):
    item = answer(input_wanting_feedback, case_officer)
    feedback_send()
    state = state_of(item)
    assert state.code == FeedbackStateCode.RETRYING
    assert "ConnectionRefusedError" in state.reason
    assert state.retryable


def test_after_the_last_try_the_state_is_failed(smtp_down, input_wanting_feedback, case_officer):
    item = answer(input_wanting_feedback, case_officer)
    for _ in range(MAX_ATTEMPTS):
        FeedbackDelivery.objects.update(next_attempt_at=timezone.now())
        feedback_send()
    state = state_of(item)
    assert state.code == FeedbackStateCode.FAILED
    assert "ConnectionRefusedError" in state.reason


def test_a_revised_answer_not_yet_emailed_is_not_reported_by_the_old_send(
    smtp_server, input_wanting_feedback, case_officer
):
    item = answer(input_wanting_feedback, case_officer)
    feedback_send()
    answer(item, case_officer, notify=False, text="Benken er vedtatt.")
    assert state_of(item).code == FeedbackStateCode.NOT_QUEUED


def test_a_send_that_died_midway_is_unknown_not_sent(input_wanting_feedback, case_officer):
    item = answer(input_wanting_feedback, case_officer)
    FeedbackDelivery.objects.update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    state = state_of(item)
    assert state.code == FeedbackStateCode.UNKNOWN
    assert state.retryable


def test_states_for_a_page_match_one_by_one(smtp_down, process, case_officer):
    items = [
        make_input(f"Benk {i}", process=process, contributor=contributor(wants_feedback=i != 1))
        for i in range(3)
    ]
    answer(items[0], case_officer)
    answer(items[1], case_officer)
    feedback_send()
    for item in items:
        item.refresh_from_db()
    states = feedback_states(items)
    assert [states[i.pk].code for i in items] == [
        FeedbackStateCode.RETRYING,
        FeedbackStateCode.NOT_WANTED,
        FeedbackStateCode.NOT_ANSWERED,
    ]
    assert [states[i.pk].code for i in items] == [feedback_state(i).code for i in items]
