"""Writes for responses (kommunens kommentar)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from inputbank import cache
from inputbank.models import Input, ModerationStatus, Response, Stage


@transaction.atomic
def response_record(
    *,
    input: Input,  # noqa: A002
    outcome: str,
    justification: str,
    decided_by,
    stage: str = Stage.OTHER,
    decision_reference: str = "",
    decided_at: dt.datetime | None = None,
    argument=None,
) -> Response:
    """Record or revise the municipality's response to one input.

    An input has one response; a revision overwrites it and the history table keeps the earlier
    wording. ``argument``: the answer was given to this whole argument (argument_answer).
    """
    response = Response.objects.filter(input=input).first() or Response(input=input)
    response.outcome = outcome
    response.justification = justification
    response.stage = stage
    response.decision_reference = decision_reference
    response.decided_by = decided_by
    response.decided_at = decided_at or timezone.now()
    response.argument = argument
    response._history_user = decided_by
    response.save()
    if input.status == ModerationStatus.PUBLISHED:
        cache.invalidate_after_commit()  # the outcome is public (tiles, lists)
    return response
