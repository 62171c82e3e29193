"""A resident follows an input from the receipt to the answer, end to end in a browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from inputbank.models import Input, Outcome, Stage
from inputbank.services import input_publish, response_answer
from tests.browser.helpers import click_map, send, zoom_to
from tests.factories import make_theme, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message) -> str:
    return re.search(r"https?://\S+/(?:innspill|inputs)/\S+/", message.body).group(0)


def test_reference_receipt_and_answer_link_work_end_to_end(make_page, live_server, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "SITE_URL": live_server.url}
    make_theme("transport", name="Transport og veier")
    page, _ = make_page(language="nn")
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")
    click_map(page, "#give-map")
    page.fill("#input-text", "Det trengst eit fotgjengarfelt her.")
    page.fill("#contact-email", "kari@example.no")
    page.check("#wants-feedback")
    reference = send(page)
    assert re.fullmatch(r"MOSS-\d{4}-\d{4,}", reference)
    expect(page.locator("#receipt-emailed")).to_be_visible()

    [receipt] = mail.outbox  # sent after commit, in the contributor's language (nynorsk)
    assert reference in receipt.subject and receipt.subject.startswith("Vi har motteke")
    page.goto(link_in(receipt))
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator(".step--done")).to_have_count(1)  # received only

    item = Input.objects.get()
    officer = make_user("saksbehandler")
    input_publish(input=item, moderator=officer)
    response_answer(input=item, outcome=Outcome.ADOPTED, justification="Feltet kjem i 2027.",
                    decided_by=officer, stage=Stage.FINAL)  # fmt: skip
    answer = mail.outbox[-1]
    assert reference in answer.subject
    page.goto(link_in(answer))  # the input's page with the answer, not the site root
    expect(page.locator(".answer")).to_contain_text("Feltet kjem i 2027.")
    expect(page.locator(".reference")).to_contain_text(reference)
