"""Feedback e-mail: content per language, the single-send guarantee, retries, through real SMTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from inputbank.models import DeliveryStatus, FeedbackDelivery, Outcome
from inputbank.services import FeedbackNotQueued, feedback_queue, feedback_retry, feedback_send
from inputbank.services.feedback_email import MAX_ATTEMPTS
from tests.factories import make_input
from tests.inputbank.services.conftest import answer, contributor

pytestmark = pytest.mark.django_db


def test_bokmal_email_carries_input_outcome_and_justification(
    smtp_server, input_wanting_feedback, case_officer
):
    answer(input_wanting_feedback, case_officer)
    feedback_send()
    [msg] = smtp_server.messages
    body = msg.get_body(("plain",)).get_content()
    assert msg["To"] == "kari@example.no"
    assert "Kyststien ved Kanalen" in msg["Subject"]
    assert "Lag en benk ved utsikten over fjorden." in body
    assert "delvis tatt til følge" in body
    assert "Benken kommer i planen." in body
    assert "ved 1. gangs behandling" in body
    assert "2024/1234-12" in body


def test_english_contributor_gets_english_email(smtp_server, process, case_officer):
    item = make_input(
        "A bench by the fjord, please.", process=process, contributor=contributor("en")
    )
    answer(item, case_officer, outcome=Outcome.NOT_ADOPTED, text="The area is a nature reserve.")
    feedback_send()
    [msg] = smtp_server.messages
    body = msg.get_body(("plain",)).get_content()
    assert msg["Content-Language"] == "en"
    assert "Your input has not been adopted." in body
    assert "The area is a nature reserve." in body


def test_nynorsk_contributor_gets_nynorsk_email(smtp_server, process, case_officer):
    item = make_input("Lys på stien, takk.", process=process, contributor=contributor("nn"))
    answer(item, case_officer, outcome=Outcome.PARTLY_ADOPTED, text="Lyset kjem i planen.")
    feedback_send()
    [msg] = smtp_server.messages
    body = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert msg["Content-Language"] == "nn"
    # Python folds an encoded subject onto the next line ("Subject: \n =?utf-8?...");
    # reading it back keeps that fold's space, which is no part of the subject itself.
    assert msg["Subject"].strip().startswith("Svar på innspelet ditt")
    assert "Innspelet ditt er delvis teke til følgje." in body
    assert "ved 1. gongs handsaming" in body
    assert "Lyset kjem i planen." in body
    assert "Venleg helsing" in body and '<html lang="nn"' in html


@pytest.mark.parametrize("language", ["so", "ti", "lt-LT", ""])
def test_languages_without_template_fall_back_to_bokmal(
    smtp_server, process, case_officer, language
):
    item = make_input("Trenger lys på stien.", process=process, contributor=contributor(language))
    answer(item, case_officer, outcome=Outcome.ADOPTED)
    feedback_send()
    [msg] = smtp_server.messages
    assert "Innspillet ditt er tatt til følge." in msg.get_body(("plain",)).get_content()


def test_html_part_escapes_contributor_text(smtp_server, process, case_officer):
    item = make_input(
        '<script>alert("x")</script> benk', process=process, contributor=contributor()
    )
    answer(item, case_officer)
    feedback_send()
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_newline_in_process_title_cannot_add_headers(smtp_server, process, case_officer):
    process.title = "Kyststien\nBcc: evil@example.com"
    process.title_nb = process.title
    process.save()
    item = make_input("Benk.", process=process, contributor=contributor())
    answer(item, case_officer)
    feedback_send()
    [msg] = smtp_server.messages
    assert msg["Bcc"] is None
    assert "\n" not in msg["Subject"]


def test_sending_twice_delivers_once(smtp_server, input_wanting_feedback, case_officer):
    answer(input_wanting_feedback, case_officer)
    feedback_send()
    feedback_send()
    call_command("send_feedback")
    assert len(smtp_server.messages) == 1
    delivery = FeedbackDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.message_id == smtp_server.messages[0]["Message-ID"]


def test_recording_the_same_answer_again_queues_nothing_new(
    smtp_server, input_wanting_feedback, case_officer
):
    answer(input_wanting_feedback, case_officer)
    feedback_send()
    answer(input_wanting_feedback, case_officer)
    feedback_send()
    assert FeedbackDelivery.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_a_revised_answer_is_sent_as_a_new_message(
    smtp_server, input_wanting_feedback, case_officer
):
    answer(input_wanting_feedback, case_officer)
    feedback_send()
    answer(input_wanting_feedback, case_officer, outcome=Outcome.ADOPTED, text="Benken er vedtatt.")
    feedback_send()
    assert len(smtp_server.messages) == 2
    assert "Benken er vedtatt." in smtp_server.messages[1].get_body(("plain",)).get_content()


def test_a_claimed_delivery_is_not_sent_by_another_sender(
    smtp_server, input_wanting_feedback, case_officer
):
    delivery = answer(input_wanting_feedback, case_officer).delivery
    # Another worker holds the claim (it is talking to the mail server right now).
    FeedbackDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now()
    )
    report = feedback_send()
    assert smtp_server.messages == []
    assert report.sent == []


def test_a_refused_message_is_kept_for_retry_with_the_error(
    smtp_server, input_wanting_feedback, case_officer
):
    smtp_server.refuse = 1
    delivery = answer(input_wanting_feedback, case_officer).delivery
    feedback_send()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()


def test_a_retry_that_is_due_sends_the_message(smtp_server, input_wanting_feedback, case_officer):
    smtp_server.refuse = 1
    delivery = answer(input_wanting_feedback, case_officer).delivery
    feedback_send()
    FeedbackDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    feedback_send()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(smtp_server.messages) == 1


def test_a_retry_that_is_not_yet_due_waits(smtp_server, input_wanting_feedback, case_officer):
    smtp_server.refuse = 1
    answer(input_wanting_feedback, case_officer)
    feedback_send()
    feedback_send()
    assert smtp_server.messages == []


def test_delivery_fails_for_good_after_the_last_attempt(
    smtp_server, input_wanting_feedback, case_officer
):
    smtp_server.refuse = MAX_ATTEMPTS
    delivery = answer(input_wanting_feedback, case_officer).delivery
    for _ in range(MAX_ATTEMPTS):
        FeedbackDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        feedback_send()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS


def test_staff_retry_of_a_failed_delivery_sends_it(
    smtp_server, input_wanting_feedback, case_officer
):
    delivery = answer(input_wanting_feedback, case_officer).delivery
    FeedbackDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS
    )
    delivery.refresh_from_db()
    feedback_retry(delivery=delivery, user=case_officer)
    feedback_send()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "E-posten er sendt og sendes ikke på nytt."),
        ("nn", "E-posten er send og blir ikkje send på nytt."),
    ],
)
def test_a_sent_delivery_cannot_be_retried(
    smtp_server, input_wanting_feedback, case_officer, language, message
):
    # The officer pressed "send again" on a page from before it went: told in their language.
    delivery = answer(input_wanting_feedback, case_officer).delivery
    feedback_send()
    delivery.refresh_from_db()
    with translation.override(language), pytest.raises(ValueError) as refused:
        feedback_retry(delivery=delivery, user=case_officer)
    assert str(refused.value) == message
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_smtp_error_text_keeps_no_email_address(input_wanting_feedback, case_officer, settings):
    class Rejecting:
        def send_messages(self, messages):
            raise OSError("550 <kari@example.no>: Recipient address rejected")

        def close(self):
            pass

    delivery = answer(input_wanting_feedback, case_officer).delivery
    feedback_send(connection=Rejecting())
    delivery.refresh_from_db()
    assert "kari@example.no" not in delivery.last_error
    assert "Recipient address rejected" in delivery.last_error


def test_queueing_without_a_response_names_the_problem(input_wanting_feedback):
    with pytest.raises(FeedbackNotQueued, match="innspillet har ikke fått svar ennå"):
        feedback_queue(input=input_wanting_feedback)
    # The officer reads it after "no e-mail:", in the workspace's language.
    with translation.override("nn"), pytest.raises(FeedbackNotQueued, match="ikkje fått svar"):
        feedback_queue(input=input_wanting_feedback)
    with translation.override("en"), pytest.raises(FeedbackNotQueued, match="no response yet"):
        feedback_queue(input=input_wanting_feedback)
