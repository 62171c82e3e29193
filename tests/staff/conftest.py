"""Fixtures for the staff workspace: a real SMTP server on loopback, answered inputs, clients."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from inputbank.services import ContributorData
from tests.factories import make_input, make_process


@dataclass
class SmtpSink:
    """Collects what the SMTP server accepted; can be told to refuse the next messages."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    refuse: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 Mailbox temporarily unavailable"
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd); Django's SMTP backend is pointed at it."""
    sink = SmtpSink()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    controller.stop()


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
