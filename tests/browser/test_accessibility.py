"""axe-core finds zero violations on every public page, in bokmål and in Arabic.

axe comes from the axe-playwright-python wheel (its bundled axe.min.js), evaluated in the page
through the DevTools protocol, so the strict CSP does not have to be loosened for it. All rules
run (WCAG 2.0/2.1 A and AA and the best practices), on pages with real content, at phone and
desktop size, and in the states a resident passes through (a pin placed, earlier input shown,
errors shown, the receipt).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from inputbank import services
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import click_map, send, zoom_to
from tests.factories import make_input, make_process, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Axe()
LANGUAGES = ["nb", "ar"]


@pytest.fixture
def content(transactional_db):
    theme = make_theme("transport", name="Transport og veier", colour="#b03a2e")
    theme.name_ar = "النقل والطرق"
    theme.save()
    make_process("sentrum", title="Sentrumsplan", purpose="Et levende sentrum.")
    item = make_input("Trygg sykkelvei langs kanalen.", themes=(theme,))
    services.response_record(
        input=item, outcome="partly_adopted", justification="Delvis tatt med.", decided_by=None
    )
    item.comments.create(text="Enig", public_text="Enig", status="published")
    make_input("Uten sted", no_location=True)
    return item


def violations(page) -> list[str]:
    found = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


def public_paths(item):
    return [
        "/",
        "/give/",
        "/inputs/",
        "/inputs/?theme=transport&outcome=none&q=sykkel",
        f"/inputs/{item.public_id}/",
        f"/innspill/{item.reference}/",
        "/processes/",
        "/processes/sentrum/",
        "/processes/sentrum/embed/",
        "/search/?q=Dronningens+gate+1",
        "/accessibility/",
        "/privacy/",
        "/finnes-ikke/",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_public_page_has_no_axe_violations(
    make_page, live_server, content, addresses, language, viewport
):
    page, _ = make_page(language=language, viewport=viewport)
    problems = {}
    for path in public_paths(content):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        found = violations(page)
        if found:
            problems[path] = found
    assert not problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_give_input_states_have_no_axe_violations(make_page, live_server, content, language):
    page, _ = make_page(language=language)
    page.goto(live_server.url + "/give/")
    page.click("#submit-input")  # nothing filled in: the error summary
    expect(page.locator("#error-summary")).to_be_visible()
    assert not violations(page)

    zoom_to(page, "innspillGiveMap", zoom=17)
    click_map(page, "#give-map")  # a pin next to the published input: "said before here"
    expect(page.locator("#prior-list li")).to_have_count(1)
    page.fill("#input-text", "Sykkelvei langs kanalen er viktig")
    expect(page.locator("#similar-list li")).to_have_count(1)
    assert not violations(page)

    page.check("#mode-area")  # drawing in progress, with Geoman's vertex markers
    for dx, dy in [(-80, -50), (80, -50), (80, 50)]:
        click_map(page, "#give-map", dx, dy)
    assert not violations(page)
    page.click("#finish-drawing")  # a finished area being edited
    assert not violations(page)

    send(page)  # the receipt
    assert not violations(page)
