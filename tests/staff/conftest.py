"""Fixtures for the staff workspace: a real SMTP server on loopback, answered inputs, clients."""

from __future__ import annotations

import pytest

from inputbank.services import ContributorData
from tests.factories import make_input, make_process
from tests.smtp import smtp_down, smtp_server  # noqa: F401 - fixtures, used by name


@pytest.fixture
def process(db):
    return make_process(
        "kyststi-hearing", title="Kyststien ved Kanalen", case_year=2024, case_sequence=1234
    )


def contributor(
    language: str = "nb", wants_feedback: bool = True, email_addr: str = "kari@example.no"
):
    return ContributorData(
        name="Kari Nordmann",
        email=email_addr,
        wants_feedback=wants_feedback,
        preferred_language=language,
    )


@pytest.fixture
def input_wanting_feedback(process):
    return make_input(
        "Lag en benk ved utsikten over fjorden.",
        process=process,
        contributor=contributor(),
    )
