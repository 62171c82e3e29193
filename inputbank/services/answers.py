"""Answering input: record the response and tell the contributor, one input or many at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from inputbank.models import FeedbackDelivery, Input, Response, Stage
from inputbank.services.feedback_email import FeedbackNotQueued, feedback_queue, send_after_commit
from inputbank.services.responses import response_record


@dataclass
class Answer:
    """A recorded response and what happened to the feedback e-mail."""

    response: Response
    delivery: FeedbackDelivery | None = None
    not_queued_reason: str = ""


@dataclass
class BulkAnswer:
    answers: list[Answer] = field(default_factory=list)

    @property
    def queued(self) -> int:
        return sum(1 for a in self.answers if a.delivery is not None)


def answer_one(
    *,
    input: Input,  # noqa: A002
    outcome: str,
    justification: str,
    decided_by,
    stage: str,
    decision_reference: str,
    decided_at: dt.datetime | None,
    notify: bool,
    argument=None,
) -> Answer:
    """Record one response and queue its e-mail; the caller owns the transaction."""
    response = response_record(
        argument=argument,
        input=input,
        outcome=outcome,
        justification=justification,
        decided_by=decided_by,
        stage=stage,
        decision_reference=decision_reference,
        decided_at=decided_at,
    )
    answer = Answer(response=response)
    if notify:
        try:
            answer.delivery = feedback_queue(input=input, queued_by=decided_by)
        except FeedbackNotQueued as reason:
            answer.not_queued_reason = str(reason)
    return answer


@transaction.atomic
def response_answer(
    *,
    input: Input,  # noqa: A002
    outcome: str,
    justification: str,
    decided_by,
    stage: str = Stage.OTHER,
    decision_reference: str = "",
    decided_at: dt.datetime | None = None,
    notify: bool = True,
) -> Answer:
    """Record the response to one input and queue the contributor's feedback e-mail.

    The e-mail is sent after the transaction commits (never for a response that rolled back).
    """
    answer = answer_one(
        input=input,
        outcome=outcome,
        justification=justification,
        decided_by=decided_by,
        stage=stage,
        decision_reference=decision_reference,
        decided_at=decided_at,
        notify=notify,
    )
    if answer.delivery is not None:
        send_after_commit([answer.delivery.pk])
    return answer


@transaction.atomic
def response_answer_bulk(
    *,
    inputs: Sequence[Input],
    outcome: str,
    justification: str,
    decided_by,
    stage: str = Stage.OTHER,
    decision_reference: str = "",
    decided_at: dt.datetime | None = None,
    notify: bool = True,
) -> BulkAnswer:
    """Give the same response to a selection of inputs: all are answered, or none are."""
    result = BulkAnswer()
    for item in inputs:
        result.answers.append(
            answer_one(
                input=item,
                outcome=outcome,
                justification=justification,
                decided_by=decided_by,
                stage=stage,
                decision_reference=decision_reference,
                decided_at=decided_at,
                notify=notify,
            )
        )
    send_after_commit([a.delivery.pk for a in result.answers if a.delivery is not None])
    return result
