"""The meeting page in a browser: an officer adds a meeting with its place on the map; axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from inputbank import roles
from inputbank.models import Meeting
from tests.factories import make_process, make_user
from tests.staff.test_browser import log_in, page  # noqa: F401 - the page fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_adds_a_meeting_with_a_point_and_the_page_passes_axe(live_server, page):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    make_user("officer", roles.CASE_OFFICERS)
    process = make_process("sentrum", title="Sentrumsplanen")
    log_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/staff/processes/{process.pk}/")
    page.get_by_role("link", name="Add a meeting").click()
    page.wait_for_load_state("networkidle")
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    page.fill("#id_title", "Folkemøte om sentrumsplanen")
    page.fill("#id_date", "2027-03-09")
    page.fill("#id_starts", "18:00")
    page.fill("#id_place", "Moss rådhus")
    page.click(".leaflet-pm-icon-marker")
    box = page.locator("[data-draw-map]").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2 + 40)
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.locator("#meeting-list")).to_contain_text("Folkemøte om sentrumsplanen")
    assert Meeting.objects.get().location is not None
