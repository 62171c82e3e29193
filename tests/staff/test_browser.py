"""A case officer's whole errand in real Chromium: draw an area, read the report, answer an
input, and the contributor receives the e-mail (through a real SMTP server on loopback)."""

from __future__ import annotations

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from geo.crs import WEB_SRID
from inputbank import roles
from inputbank.models import DeliveryStatus, FeedbackDelivery, Input, Response
from tests.chromium import launch
from tests.factories import make_input, make_process, make_user, point
from tests.staff.conftest import contributor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        # No basemap tiles in tests (no network): answer tile requests with nothing at once.
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        # Connections opened while Playwright's loop ran live in that context; close them here
        # or the test database cannot be dropped at the end of the session.
        connections.close_all()
        browser.close()
        assert errors == [], errors


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", "test-pass-123")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    expect(page.get_by_role("heading", name="Case officer workspace")).to_be_visible()


def draw_square(page):
    """Draw a box around the centre of the drawing map with Geoman's polygon tool.

    Starts bottom right and keeps clear of the top left, where Geoman shows its
    "Finish / Remove last vertex / Cancel" buttons while drawing.
    """
    page.click(".leaflet-pm-icon-polygon")
    box = page.locator("[data-draw-map]").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(cx + 80, cy + 60), (cx - 80, cy + 60), (cx - 80, cy - 40), (cx + 80, cy - 40)]
    for x, y in corners:
        page.mouse.click(x, y)
    page.mouse.click(*corners[0])  # closing on the first vertex finishes the polygon


def test_draw_area_report_respond_and_the_contributor_is_mailed(live_server, page, smtp_server):
    make_user("officer", roles.CASE_OFFICERS)
    process = make_process("kanalen", title="Kanalen og Verket")
    make_input(
        "Lag en trygg sykkelvei langs Kanalen.",
        geom=point(10.658, 59.434),
        process=process,
        contributor=contributor(),
    )
    make_input("Et helt annet sted i Moss.", geom=point(10.76, 59.35))

    log_in(page, live_server, "officer")
    page.get_by_role("link", name="What have we heard here before?").first.click()
    draw_square(page)
    assert "Polygon" in page.locator("#id_geometry").input_value()
    page.get_by_role("button", name="Show the report").click()

    report = page.locator("#report")
    expect(report.get_by_role("heading", name="1 earlier input here")).to_be_visible()
    expect(report).to_contain_text("Kanalen og Verket")
    expect(report).not_to_contain_text("Et helt annet sted")
    expect(page.locator("#report .leaflet-overlay-pane canvas")).to_have_count(1)

    # The input's own line in the list (the argument it makes links the same words).
    report.locator("#item-1").get_by_role(
        "link", name="Lag en trygg sykkelvei langs Kanalen."
    ).click()
    page.select_option("#id_outcome", "partly_adopted")
    page.fill("#id_justification", "Sykkelveien kommer på østsiden av Kanalen.")
    page.select_option("#id_stage", "first_reading")
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_role("status")).to_contain_text("the e-mail to the contributor was sent")

    assert Response.objects.get().outcome == "partly_adopted"
    assert FeedbackDelivery.objects.get().status == DeliveryStatus.SENT
    # The receipt went out when the input was submitted (its commit sent it); then the answer.
    receipt, message = smtp_server.messages
    assert "Vi har mottatt" in receipt["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert message["To"] == "kari@example.no"
    assert "Innspillet ditt er delvis tatt til følge." in body
    assert "Sykkelveien kommer på østsiden av Kanalen." in body
    assert "Lag en trygg sykkelvei langs Kanalen." in body


def test_registering_a_letter_placed_by_address_search(live_server, page):
    make_user("officer", roles.CASE_OFFICERS)
    # The address register answers from the resident map's search endpoint; its contract is
    # played here so the test does not depend on imported addresses.
    page.route(
        "**/search/places.json?q=*",
        lambda route: route.fulfill(
            json={
                "query": "fjordveien 12",
                "results": [
                    {
                        "kind": "address",
                        "label": "Fjordveien 12, 1531 Moss",
                        "lon": 10.6575,
                        "lat": 59.4339,
                        "address": "Fjordveien 12",
                        "property": "2/45",
                    }
                ],
            }
        ),
    )
    log_in(page, live_server, "officer")
    page.get_by_role("link", name="Register input").first.click()
    page.fill("#id_text", "Brev: ønsker fortau langs Fjordveien.")
    page.fill("#id_name", "Kari Nordmann")
    page.fill("#place-q", "fjordveien 12")
    page.get_by_role("button", name="Find", exact=True).click()
    # One hit: chosen at once (place-search.js), no list to pick from.
    expect(page.locator("#id_location_description")).to_have_value("Fjordveien 12")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("The input is registered.")

    item = Input.objects.get()
    assert item.location_source == "address"
    assert item.location_description == "Fjordveien 12"
    lonlat = item.geom.transform(WEB_SRID, clone=True)
    assert (lonlat.x, lonlat.y) == (pytest.approx(10.6575), pytest.approx(59.4339))


@pytest.mark.parametrize(
    "path",
    [
        "/staff/",
        "/staff/inputs/new/",
        "/staff/prior-input/?source=process&process={process}",
        "/staff/processes/new/",
        "/staff/processes/{process}/merknadsbehandling/",
        "/staff/moderation/",
        "/staff/indicators/",
        "/staff/consultation-map/",
        "/staff/arguments/",
        "/staff/arguments/{argument}/?merge_q=lys",
    ],
)
def test_staff_pages_pass_axe(live_server, page, path):
    from axe_playwright_python.sync_playwright import Axe

    make_user("officer", roles.CASE_OFFICERS, roles.MODERATORS, roles.PARTICIPATION_ADVISERS)
    process = make_process("kanalen", title="Kanalen og Verket")
    item = make_input("Benk ved Kanalen, ring 912 34 567.", process=process, published=False)
    make_input("Lys i parken.", process=process, contributor=contributor())
    Response.objects.create(input=item, outcome="partly_adopted", justification="Delvis.")
    log_in(page, live_server, "officer")
    page.goto(live_server.url + path.format(process=process.pk, argument=item.argument_id))
    page.wait_for_load_state("networkidle")
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
