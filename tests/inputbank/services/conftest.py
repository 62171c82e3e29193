"""Shared data for the service tests: a hearing, a contributor who wants feedback, an answer."""

from __future__ import annotations

from inputbank.models import Outcome, Stage
from inputbank.services import response_answer
from tests.smtp import smtp_server  # noqa: F401 - a fixture, used by name
from tests.staff.conftest import (  # noqa: F401 - fixtures, used by name
    contributor,
    input_wanting_feedback,
    process,
)


def answer(item, officer, outcome=Outcome.PARTLY_ADOPTED, text="Benken kommer i planen."):
    """Answer an input as a case officer does at the first reading (feedback e-mail queued)."""
    return response_answer(
        input=item,
        outcome=outcome,
        justification=text,
        decided_by=officer,
        stage=Stage.FIRST_READING,
        decision_reference="2024/1234-12",
    )
