""" "Vi har hørt dette før — stemmer det fortsatt?" end to end in real Chromium: a case officer
puts an earlier argument before a new consultation, a resident (no account) confirms and adds,
the confirmation is a dated voice on the staff argument page; axe finds nothing in nb and ar."""

import pytest
from playwright.sync_api import expect

from inputbank import roles
from inputbank.models import Argument, ArgumentVoice, Input
from inputbank.services import argument_answer
from tests.browser.test_accessibility import violations
from tests.factories import make_input, make_process, make_user, point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = (10.6612, 59.4352)


@pytest.fixture
def earlier(transactional_db):
    old = make_process("skolevei-2022", title="Skoleveiplan 2022", status="closed", closes_on=None)
    items = [
        make_input(
            "Gatelysene i Kongens gate er ødelagt, det er mørkt.", geom=point(*HERE), process=old
        ),
        make_input("Gatelysa i Kongens gate er øydelagde.", geom=point(*HERE), process=old),
    ]
    argument = Argument.objects.create(title="Mørkt i Kongens gate", titled_by_officer=True)
    Input.objects.filter(pk__in=[i.pk for i in items]).update(argument=argument)
    argument_answer(
        argument=argument,
        outcome="adopted",
        justification="Lysene skiftes i vår.",
        decided_by=None,
        decision_reference="2022/388-14",
    )
    return argument


def test_staff_ask_a_resident_confirms_and_adds(make_page, live_server, earlier):
    make_user("officer", roles.CASE_OFFICERS)
    new = make_process("sentrumsplan", title="Sentrumsplan 2026")

    staff, _ = make_page()
    staff.goto(f"{live_server.url}/accounts/login/?next=/staff/processes/{new.pk}/")
    staff.fill("#id_username", "officer")
    staff.fill("#id_password", "test-pass-123")
    staff.click("form[action='/accounts/login/'] button[type=submit]")
    staff.get_by_label("Mørkt i Kongens gate").check()
    staff.get_by_role("button", name="Ask the residents").click()
    expect(staff.locator("#still-true-asked")).to_contain_text("Mørkt i Kongens gate")

    resident, _ = make_page(language="nb")
    resident.goto(f"{live_server.url}/processes/sentrumsplan/")
    section = resident.locator("#still-true")
    expect(section).to_contain_text("stemmer det fortsatt?")
    expect(section).to_contain_text("Lysene skiftes i vår.")
    assert not violations(resident)
    section.get_by_role("button", name="Ja, det stemmer fortsatt").click()
    expect(section.locator("[data-status]")).to_contain_text("takk", ignore_case=True)
    expect(section.locator("[data-counts]")).to_contain_text("1")
    expect(section.get_by_role("button", name="Ja, det stemmer fortsatt")).to_have_attribute(
        "aria-pressed", "true"
    )
    section.locator("summary").click()
    section.get_by_role("button", name="Send", exact=True).click()  # nothing written yet
    expect(section.locator(".field-error")).to_be_visible()
    expect(section.locator("textarea")).to_have_attribute("aria-invalid", "true")
    section.locator("textarea").fill("Fortsatt mørkt ved skolen om morgenen.")
    section.get_by_role("button", name="Send", exact=True).click()
    expect(section.locator("[data-status]")).to_contain_text("moderator")
    assert not violations(resident)

    voice = ArgumentVoice.objects.get(stance="confirm")
    assert voice.argument_check.argument == earlier
    added = Input.objects.get(text="Fortsatt mørkt ved skolen om morgenen.")
    assert added.argument == earlier and added.process == new and added.status == "pending"

    staff.goto(f"{live_server.url}/staff/arguments/{earlier.pk}/")
    expect(staff.locator("#still-true-checks")).to_contain_text("Sentrumsplan 2026")
    expect(staff.locator("#dated-voices")).to_contain_text("still true")


def test_the_question_has_no_axe_violations_in_arabic(make_page, live_server, earlier):
    from inputbank.services import argument_check_open

    new = make_process("sentrumsplan", title="Sentrumsplan 2026")
    argument_check_open(argument=earlier, process=new, opened_by=None)
    page, _ = make_page(language="ar")
    page.goto(f"{live_server.url}/processes/sentrumsplan/")
    expect(page.locator("#still-true .still-true-item")).to_have_count(1)
    assert not violations(page)
    page.locator("#still-true summary").click()
    page.locator("#still-true form[data-add] button[type=submit]").click()  # no text: an error
    expect(page.locator("#still-true .field-error")).to_be_visible()
    assert not violations(page)
