"""Recording a response: one per input, revisions kept in history, public once published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inputbank.models import Outcome, Response, Stage
from inputbank.services import feedback_send, response_record
from tests.factories import make_input

pytestmark = pytest.mark.django_db


def test_plain_response_record_does_not_mail(smtp_server, input_wanting_feedback, case_officer):
    response_record(
        input=input_wanting_feedback,
        outcome=Outcome.NOTED,
        justification="Notert.",
        decided_by=case_officer,
    )
    feedback_send()
    assert smtp_server.messages == []


def test_an_input_has_one_response_and_a_revision_overwrites_it(input_wanting_feedback):
    for outcome, text in ((Outcome.NOTED, "Første svar."), (Outcome.ADOPTED, "Revidert svar.")):
        response_record(
            input=input_wanting_feedback, outcome=outcome, justification=text, decided_by=None
        )
    response = Response.objects.get(input=input_wanting_feedback)
    assert (response.outcome, response.justification) == (Outcome.ADOPTED, "Revidert svar.")
    assert [h.justification for h in response.history.order_by("history_date")] == [
        "Første svar.",
        "Revidert svar.",
    ]


def test_the_decision_date_is_today_unless_the_officer_gives_the_meeting_date(process):
    pin = make_input("Benk.", process=process)
    letter = make_input("Brev om benk.", process=process, no_location=True)
    meeting = timezone.make_aware(dt.datetime(2024, 11, 20, 18, 0))
    today = response_record(input=pin, outcome=Outcome.NOTED, justification="Ok", decided_by=None)
    dated = response_record(
        input=letter,
        outcome=Outcome.NOTED,
        justification="Ok",
        decided_by=None,
        stage=Stage.FINAL,
        decided_at=meeting,
    )
    assert today.decided_at.date() == timezone.now().date()
    assert (dated.decided_at, dated.stage) == (meeting, Stage.FINAL)


def test_the_officer_is_the_author_in_the_history(input_wanting_feedback, case_officer):
    response = response_record(
        input=input_wanting_feedback,
        outcome=Outcome.NOTED,
        justification="Notert.",
        decided_by=case_officer,
    )
    assert response.history.get().history_user == case_officer
