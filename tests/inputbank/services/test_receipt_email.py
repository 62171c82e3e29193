"""Receipt e-mail on submission, answer links, languages: through Django's outbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inputbank.models import DeliveryKind, DeliveryStatus, FeedbackDelivery, Outcome
from inputbank.services import feedback_send
from inputbank.services.inputs import ContributorData
from tests.factories import make_input
from tests.inputbank.services.conftest import answer

pytestmark = pytest.mark.django_db


def person(language="nb", wants_feedback=False, email="kari@example.no"):
    return ContributorData(name="Kari Nordmann", email=email, preferred_language=language,
                           wants_feedback=wants_feedback)  # fmt: skip


def submit(capture, text="Lag en benk ved utsikten.", **extra):
    with capture(execute=True):
        return make_input(text, published=False, keep_receipt=True, **extra)


def test_submission_with_an_address_sends_a_receipt_after_commit(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.INPUTBANK = {**settings.INPUTBANK, "SITE_URL": "https://innspill.moss.no"}
    item = submit(django_capture_on_commit_callbacks, contributor=person())
    [message] = mailoutbox
    assert message.to == ["kari@example.no"]
    assert item.reference in message.subject
    assert "Lag en benk ved utsikten." in message.body
    assert f"https://innspill.moss.no/innspill/{item.reference}/" in message.body
    delivery = FeedbackDelivery.objects.get(input=item)
    assert (delivery.kind, delivery.status) == (DeliveryKind.RECEIPT, DeliveryStatus.SENT)


def test_no_address_no_receipt(mailoutbox, django_capture_on_commit_callbacks):
    submit(django_capture_on_commit_callbacks, contributor=person(email=""))
    submit(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert not FeedbackDelivery.objects.exists()


def test_a_receipt_is_queued_once_and_visible_when_sending_is_deferred(mailoutbox, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "FEEDBACK_SEND_IMMEDIATELY": False}
    item = make_input(published=False, keep_receipt=True, contributor=person())
    delivery = FeedbackDelivery.objects.get(input=item)
    assert delivery.status == DeliveryStatus.PENDING
    feedback_send()
    feedback_send()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "Vi har mottatt innspillet ditt"),
        ("nn", "Vi har motteke innspelet ditt"),
        ("en", "We have received your input"),
        ("pl", "Otrzymaliśmy"),
        ("uk", "Ми отримали"),
        ("ar", "لقد تلقينا"),
    ],
)
def test_receipt_speaks_the_contributors_language_with_a_one_line_subject(
    mailoutbox, django_capture_on_commit_callbacks, language, words
):
    submit(django_capture_on_commit_callbacks, contributor=person(language))
    [message] = mailoutbox
    assert message.subject.startswith(words)
    assert message.subject == " ".join(message.subject.split())
    assert message.extra_headers["Content-Language"] == language


def test_nynorsk_contributor_gets_a_nynorsk_answer(smtp_server, process, case_officer):
    item = make_input("Ein benk ved fjorden.", process=process,
                      contributor=person("nn", wants_feedback=True))  # fmt: skip
    answer(item, case_officer, outcome=Outcome.ADOPTED)
    feedback_send()
    [message] = smtp_server.messages
    body = message.get_body(("plain",)).get_content()
    assert "Innspelet ditt er teke til følgje." in body
    # (The SMTP round trip folds the encoded header; the outbox tests check the exact subject.)
    assert message["Subject"].strip().startswith("Svar på innspelet ditt MOSS-")


def test_answer_links_to_the_input_page_not_the_site_root(
    smtp_server, process, case_officer, settings
):
    settings.INPUTBANK = {**settings.INPUTBANK, "SITE_URL": "https://innspill.moss.no"}
    item = make_input("Benk.", process=process, contributor=person(wants_feedback=True))
    answer(item, case_officer)
    feedback_send()
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    page = reverse("maps:input_detail", kwargs={"public_id": item.public_id})
    assert f"https://innspill.moss.no{page}" in body
    assert item.reference in smtp_server.messages[0]["Subject"]


def test_answer_to_unpublished_input_links_to_its_status_page(
    smtp_server, process, case_officer, settings
):
    item = make_input("Benk.", published=False, process=process,
                      contributor=person(wants_feedback=True))  # fmt: skip
    answer(item, case_officer)
    feedback_send()
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert f"/innspill/{item.reference}/" in body
    assert str(item.public_id) not in body
