"""Following an area in a real browser: an address and a distance, or an area drawn on the
map; the confirmation e-mail reaches the SMTP server and its link confirms. axe-core finds no
violations on the new pages (alerts, evaluation, a process with meetings) in nb and ar."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from inputbank.models import AreaAlert, Meeting
from inputbank.services.alerts import alert_subscribe, confirm_link, stop_link
from inputbank.services.evaluations import evaluations_invite
from inputbank.services.inputs import ContributorData
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import MIN_FILL_WAIT_MS, click_map, zoom_to
from tests.factories import make_input, make_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Axe()


def confirm_path(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/alerts/confirm/[^\s]+/)", body).group(1)


def test_a_resident_follows_the_area_around_an_address(page, live_server, addresses, smtp_server):
    page.goto(live_server.url + "/alerts/")
    page.fill("#alert-search", "Dronningens gate 3B")
    page.keyboard.press("Enter")
    # One hit: chosen at once (place-search.js), no list to pick from.
    expect(page.locator("#place-status")).to_contain_text("Dronningens gate 3B")
    page.select_option("#alert-radius", "1000")
    page.check("#frequency-day")
    page.fill("#alert-email", "ola@example.no")
    page.wait_for_timeout(MIN_FILL_WAIT_MS)
    page.click("#alert-submit")
    expect(page.locator("#alert-sent")).to_contain_text("e-post")

    alert = AreaAlert.objects.get()
    assert (alert.radius_m, alert.frequency, alert.confirmed_at) == (1000, "day", None)
    assert alert.address_label == "Dronningens gate 3B, 1530 Moss"
    [message] = smtp_server.messages
    page.goto(live_server.url + confirm_path(message))
    page.click("main button[type=submit]")
    expect(page.locator("#alert-confirmed")).to_be_visible()
    alert.refresh_from_db()
    assert alert.confirmed_at is not None


def test_a_resident_draws_the_area_to_follow(page, live_server, smtp_server):
    page.goto(live_server.url + "/alerts/")
    page.check("#mode-area")
    zoom_to(page, "innspillAlertMap", zoom=15)
    corners = [(-100, -60), (100, -60), (100, 60), (-100, 60)]
    for dx, dy in corners:
        click_map(page, "#alert-map", dx, dy)
        page.wait_for_timeout(150)
    click_map(page, "#alert-map", *corners[0])
    page.wait_for_selector("#clear-place:not([hidden])")
    page.fill("#alert-email", "kari@example.no")
    page.wait_for_timeout(MIN_FILL_WAIT_MS)
    page.click("#alert-submit")
    expect(page.locator("#alert-sent")).to_be_visible()
    alert = AreaAlert.objects.get()
    assert alert.radius_m is None and alert.area.area > 10_000  # square metres
    assert len(smtp_server.messages) == 1


def test_sending_without_an_area_names_the_problem(page, live_server):
    page.goto(live_server.url + "/alerts/")
    page.fill("#alert-email", "ola@example.no")
    page.wait_for_timeout(MIN_FILL_WAIT_MS)
    page.click("#alert-submit")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#alert-area-error")).to_be_visible()
    assert not AreaAlert.objects.exists()


def _violations(page) -> list[str]:
    found = AXE.run(page).response["violations"]
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.fixture
def new_pages(transactional_db, smtp_server):
    """One of each new page: a process with meetings and answers, an alert, an evaluation."""
    today = timezone.localdate()
    process = make_process(
        "hamna", title="Hamna", closes_on=today - dt.timedelta(days=2),
        opens_on=today - dt.timedelta(days=40), status="closed",
    )  # fmt: skip
    Meeting.objects.create(
        process=process, title="Folkemøte", place="Rådhuset, sal 1",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    Meeting.objects.create(
        process=process, title="Åpent kontor", place="Biblioteket",
        starts_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    make_input(
        "Mer lys på brygga.", process=process,
        contributor=ContributorData(name="Kari", email="kari@example.no"),
    )  # fmt: skip
    alert_subscribe(email="ola@example.no", point=(10.658, 59.434), radius_m=500)
    evaluations_invite()
    body = smtp_server.messages[-1].get_body(("plain",)).get_content()
    evaluation = re.search(r"https?://[^/\s]+(/evaluation/[^\s]+/)", body).group(1)
    alert = AreaAlert.objects.get()
    strip = re.compile(r"^https?://[^/]+")
    return [
        "/alerts/",
        "/alerts/?sent=1",
        strip.sub("", confirm_link(alert)),
        strip.sub("", stop_link(alert)),
        "/alerts/stop/forged:link/",
        evaluation,
        "/processes/hamna/",
    ]


@pytest.mark.parametrize("language", ["nb", "ar"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_new_pages_have_no_axe_violations(
    make_page, live_server, new_pages, language, viewport
):
    page, _ = make_page(language=language, viewport=viewport)
    problems = {}
    for path in new_pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if found := _violations(page):
            problems[path] = found
    # The form with its errors shown, too.
    page.goto(live_server.url + "/alerts/")
    page.wait_for_timeout(MIN_FILL_WAIT_MS)
    page.click("#alert-submit")
    page.wait_for_load_state("networkidle")
    if found := _violations(page):
        problems["/alerts/ with errors"] = found
    assert not problems
