"""The officer is told the truth about the contributor's e-mail: sent, queued, failed and why.

The response commits for real here (transactional tests), so the e-mail is sent the way it is
in production, right after the commit, through a real SMTP server on loopback or to a port
where no server listens.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from inputbank.models import DeliveryStatus, FeedbackDelivery
from tests.factories import make_input
from tests.staff.conftest import contributor

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = {
    "outcome": "adopted",
    "justification": "Fortauet tas inn i planforslaget.",
    "stage": "first_reading",
    "decision_reference": "PS 45/24",
    "notify": "on",
}


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    client.cookies["django_language"] = "en"  # assertions below read the English text
    return client


def respond(client, item):
    url = reverse("staff:input_respond", kwargs={"public_id": item.public_id})
    return client.post(url, ANSWER, follow=True).content.decode()


def detail(client, item):
    url = reverse("staff:input_detail", kwargs={"public_id": item.public_id})
    return client.get(url).content.decode()


def test_a_send_the_server_accepted_is_reported_as_sent(
    smtp_server, officer_client, input_wanting_feedback
):
    receipts = len(smtp_server.messages)  # the receipt went out when the input was stored
    page = respond(officer_client, input_wanting_feedback)
    assert "the e-mail to the contributor was sent" in page
    assert len(smtp_server.messages) == receipts + 1
    assert "E-mail sent" in detail(officer_client, input_wanting_feedback)


def test_with_the_server_down_the_page_never_claims_a_send(
    smtp_down, officer_client, input_wanting_feedback
):
    page = respond(officer_client, input_wanting_feedback)
    assert "the e-mail to the contributor was not sent" in page
    assert "ConnectionRefusedError" in page
    assert "gets an e-mail" not in page
    assert "was sent" not in page
    shown = detail(officer_client, input_wanting_feedback)
    assert "E-mail not sent yet: retrying" in shown
    assert "Send the e-mail again" in shown


def test_the_list_shows_each_inputs_email_state(smtp_down, officer_client, input_wanting_feedback):
    respond(officer_client, input_wanting_feedback)
    page = officer_client.get(reverse("staff:input_list")).content.decode()
    assert "E-mail not sent yet: retrying" in page


def test_retry_from_the_input_page_sends_once_the_server_is_back(
    smtp_server, settings, officer_client, input_wanting_feedback
):
    receipts = len(smtp_server.messages)  # the receipt went out when the input was stored
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # discard: nothing listens on loopback
    respond(officer_client, input_wanting_feedback)
    delivery = FeedbackDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    settings.EMAIL_PORT = working_port
    page = officer_client.post(
        reverse("staff:feedback_retry", kwargs={"public_id": delivery.public_id}),
        {"next": reverse("staff:input_detail", kwargs={"public_id": delivery.input.public_id})},
        follow=True,
    ).content.decode()
    assert "The e-mail is sent." in page
    assert "E-mail sent" in page
    assert len(smtp_server.messages) == receipts + 1


def test_bulk_answer_counts_sent_and_failed_truthfully(smtp_down, officer_client, process):
    items = [make_input(f"Benk {i}", process=process, contributor=contributor()) for i in range(2)]
    page = officer_client.post(
        reverse("staff:respond_bulk"),
        {**ANSWER, "inputs": [str(i.public_id) for i in items]},
        follow=True,
    ).content.decode()
    assert "e-mails sent: 0" in page
    assert "2 feedback e-mails could not be sent" in page
