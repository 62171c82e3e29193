"""Answering input from the workspace, one at a time and in bulk, and the e-mail that follows."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from inputbank.models import DeliveryStatus, FeedbackDelivery, Response
from tests.factories import make_input
from tests.staff.conftest import contributor

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    client.cookies["django_language"] = "en"  # assertions below read the English text
    return client


def answer_data(**overrides):
    data = {
        "outcome": "adopted",
        "justification": "Fortauet tas inn i planforslaget.",
        "stage": "first_reading",
        "decision_reference": "PS 45/24",
        "notify": "on",
    }
    data.update(overrides)
    return data


def test_a_response_is_recorded_and_the_contributor_mailed(
    officer_client, input_wanting_feedback, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse("staff:input_respond", kwargs={"public_id": input_wanting_feedback.public_id}),
            answer_data(),
        )
    response = Response.objects.get(input=input_wanting_feedback)
    assert (response.outcome, response.decision_reference) == ("adopted", "PS 45/24")
    [message] = mail.outbox
    assert message.to == ["kari@example.no"]
    assert "Fortauet tas inn i planforslaget." in message.body
    assert FeedbackDelivery.objects.get().status == DeliveryStatus.SENT


def test_without_notify_no_mail_is_queued(officer_client, input_wanting_feedback):
    officer_client.post(
        reverse("staff:input_respond", kwargs={"public_id": input_wanting_feedback.public_id}),
        answer_data(notify=""),
    )
    assert Response.objects.filter(input=input_wanting_feedback).exists()
    assert not FeedbackDelivery.objects.exists()


def test_the_page_says_why_no_mail_was_sent(officer_client, process):
    item = make_input("Benk", process=process, contributor=contributor(wants_feedback=False))
    response = officer_client.post(
        reverse("staff:input_respond", kwargs={"public_id": item.public_id}),
        answer_data(),
        follow=True,
    )
    assert "did not ask for feedback" in response.content.decode()


def test_an_empty_justification_is_refused(officer_client, input_wanting_feedback):
    officer_client.post(
        reverse("staff:input_respond", kwargs={"public_id": input_wanting_feedback.public_id}),
        answer_data(justification=""),
    )
    assert not Response.objects.exists()


def test_bulk_answer_responds_to_every_selected_input(
    officer_client, process, django_capture_on_commit_callbacks
):
    items = [
        make_input(f"Benk {i}", process=process, contributor=contributor(email_addr=f"p{i}@ex.no"))
        for i in range(3)
    ]
    untouched = make_input("Ikke valgt", process=process)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            reverse("staff:respond_bulk"),
            {**answer_data(outcome="noted"), "inputs": [str(i.public_id) for i in items]},
        )
    assert Response.objects.filter(outcome="noted").count() == 3
    assert not Response.objects.filter(input=untouched).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@ex.no", "p1@ex.no", "p2@ex.no"]


def test_bulk_answer_without_a_selection_records_nothing(officer_client, process):
    make_input("Benk", process=process)
    response = officer_client.post(reverse("staff:respond_bulk"), answer_data(), follow=True)
    assert "Select the input to answer first." in response.content.decode()
    assert not Response.objects.exists()


def test_bulk_answer_with_an_unknown_id_records_nothing(officer_client, process):
    item = make_input("Benk", process=process)
    officer_client.post(
        reverse("staff:respond_bulk"),
        {**answer_data(), "inputs": [str(item.public_id), "00000000-0000-0000-0000-000000000000"]},
    )
    assert not Response.objects.exists()


def test_bulk_answer_returns_to_the_list_it_came_from(officer_client, process):
    item = make_input("Benk", process=process)
    back = f"{reverse('staff:input_list')}?process={process.pk}&answered=no"
    response = officer_client.post(
        reverse("staff:respond_bulk"),
        {**answer_data(), "inputs": [str(item.public_id)], "next": back},
    )
    assert response["Location"] == back


def test_the_list_filters_unanswered_input(officer_client, process, case_officer):
    answered = make_input("Besvart innspill", process=process)
    make_input("Ubesvart innspill", process=process)
    Response.objects.create(input=answered, outcome="noted", justification="Ok")
    page = officer_client.get(reverse("staff:input_list"), {"answered": "no"}).content.decode()
    assert "Ubesvart innspill" in page
    assert "Besvart innspill" not in page


def test_the_input_page_shows_the_delivery_status(
    officer_client, input_wanting_feedback, django_capture_on_commit_callbacks
):
    url = reverse("staff:input_respond", kwargs={"public_id": input_wanting_feedback.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url, answer_data())
    page = officer_client.get(
        reverse("staff:input_detail", kwargs={"public_id": input_wanting_feedback.public_id})
    ).content.decode()
    assert "Sent" in page


def test_failed_feedback_is_listed_for_staff_and_can_be_resent(
    officer_client, input_wanting_feedback, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.staff.test_responses.BrokenBackend"
    url = reverse("staff:input_respond", kwargs={"public_id": input_wanting_feedback.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url, answer_data())
    page = officer_client.get(reverse("staff:feedback")).content.decode()
    assert "Connection refused" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery = FeedbackDelivery.objects.get()
    officer_client.post(reverse("staff:feedback_retry", kwargs={"public_id": delivery.public_id}))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


class BrokenBackend:
    """An e-mail backend whose server is down."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")

    def close(self):
        pass
