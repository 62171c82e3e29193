"""A case officer in real Chromium: merge two arguments on the argument page, then answer the
argument once, and each contributor receives one e-mail (real SMTP server on loopback)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from inputbank import roles
from inputbank.models import Argument, Input, Response
from tests.factories import make_input, make_user, point
from tests.staff.conftest import contributor
from tests.staff.test_browser import log_in, page  # noqa: F401 - the page fixture, by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL = (10.6624, 59.4358)


def argument_of(items, title: str) -> Argument:
    argument = Argument.objects.create(
        title=title, text=items[0].public_text, titled_by_officer=True
    )
    Input.objects.filter(pk__in=[i.pk for i in items]).update(argument=argument)
    return argument


def test_merge_two_arguments_and_answer_once(live_server, page, smtp_server):  # noqa: F811
    make_user("officer", roles.CASE_OFFICERS)
    kari = contributor(email_addr="kari@example.no")
    crossing = argument_of(
        [
            make_input(
                "Fotgjengerfeltet ved skolen er farlig.", geom=point(*SCHOOL), contributor=kari
            ),
            make_input(
                "Gangfeltet utanfor skulen er farleg.", geom=point(*SCHOOL), contributor=kari
            ),
        ],
        "Farlig fotgjengerfelt ved skolen",
    )
    argument_of(
        [
            make_input(
                "The zebra crossing by the school is dangerous.",
                geom=point(*SCHOOL),
                contributor=contributor(email_addr="ola@example.no"),
            )
        ],
        "Zebra crossing by the school",
    )

    log_in(page, live_server, "officer")
    page.get_by_role("link", name="Arguments").first.click()
    page.get_by_role("link", name="Farlig fotgjengerfelt ved skolen").click()
    page.fill("#merge-q", "zebra")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_label("Zebra crossing by the school").check()
    page.get_by_role("button", name="Merge into this argument").click()
    expect(page.get_by_role("status").first).to_contain_text("1 argument merged into this one")
    expect(page.locator("#argument-inputs tbody tr")).to_have_count(3)
    expect(page.locator("#answer-help")).to_contain_text("2 contributors asked for feedback")

    page.select_option("#id_outcome", "adopted")
    page.fill("#id_justification", "Gangfeltet får lys og fartshump i 2023.")
    page.fill("#id_decision_reference", "2022/388-14")
    page.get_by_role("button", name="Answer the argument").click()
    expect(page.get_by_role("status").first).to_contain_text("Response recorded for 3 inputs")
    expect(page.locator("#latest-answer")).to_contain_text("2022/388-14")

    assert Response.objects.filter(argument=crossing).count() == 3
    answers = [
        m
        for m in smtp_server.messages
        if "Gangfeltet får lys" in m.get_body(("plain",)).get_content()
    ]
    assert sorted(m["To"] for m in answers) == ["kari@example.no", "ola@example.no"]
