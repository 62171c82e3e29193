"""Staff maps start at Moss' centre, which the server sends (geo/crs.py via basemap_attrs)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from geo.crs import MOSS_CENTRE_LONLAT
from inputbank import roles
from tests.factories import box, make_input, make_process, make_user, point

AREA = {
    "type": "Polygon",
    "coordinates": [
        [[10.655, 59.432], [10.663, 59.432], [10.663, 59.436], [10.655, 59.436], [10.655, 59.432]]
    ],
}

pytestmark = pytest.mark.browser


def _logged_in(make_page, live_server, user):
    """A browser page with the user's session cookie (no log-in form on each test)."""
    client = Client()
    client.force_login(user)
    page, problems = make_page()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page, problems


def test_the_staff_draw_map_opens_at_moss_centre(make_page, live_server):
    officer = make_user("kartsjekk", roles.CASE_OFFICERS)
    page, problems = _logged_in(make_page, live_server, officer)
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map].leaflet-container")
    lon, lat = (float(v) for v in page.get_attribute("[data-draw-map]", "data-centre").split(","))
    assert (lon, lat) == pytest.approx(MOSS_CENTRE_LONLAT)
    problems.settle(page)
    assert not problems, problems


def test_the_prior_input_question_can_be_asked_from_an_address_without_the_mouse(
    make_page, live_server, addresses
):
    from tests.factories import make_input, point

    officer = make_user("adressesjekk", roles.CASE_OFFICERS)
    make_input("Trafikkfarlig kryss ved Dronningens gate.", geom=point(10.6594, 59.4356))
    page, problems = _logged_in(make_page, live_server, officer)
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map].leaflet-container")
    page.focus("#area-q")
    page.keyboard.type("Dronningens gate 1")
    page.keyboard.press("Enter")  # one address: chosen at once
    expect(page.locator("#id_buffer_m")).to_have_value("200")
    geometry = page.input_value("#id_geometry")
    assert '"type": "Point"' in geometry or '"type":"Point"' in geometry
    page.click("#prior-form button[type=submit]")
    page.wait_for_selector("#report-heading")
    assert "200 m" in page.text_content("#report-heading")
    problems.settle(page)
    assert not problems, problems


def test_staff_maps_draw_the_municipal_boundary(make_page, live_server):
    officer = make_user("grensesjekk", roles.CASE_OFFICERS)
    page, problems = _logged_in(make_page, live_server, officer)
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map] path.leaflet-interactive, [data-draw-map] svg path")
    dashed = page.eval_on_selector_all(
        "[data-draw-map] svg path",
        "ps => ps.filter(p => p.getAttribute('stroke-dasharray')).length",
    )
    assert dashed >= 1
    problems.settle(page)
    assert not problems, problems


def test_the_report_area_can_be_a_place_name_from_the_register(make_page, live_server, placenames):
    officer = make_user("stedsnavnsjekk", roles.CASE_OFFICERS)
    page, problems = _logged_in(make_page, live_server, officer)
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map].leaflet-container")
    page.fill("#area-q", "Kambo")
    page.keyboard.press("Enter")
    expect(page.locator("#id_buffer_m")).to_have_value("200")
    geometry = json.loads(page.input_value("#id_geometry"))
    assert geometry["coordinates"] == pytest.approx([10.693, 59.478], abs=1e-3)


def test_staff_maps_draw_the_open_processes_areas_as_context(make_page, live_server):
    make_process("apen-horing", title="Åpen høring")  # open, with an area over the centre
    make_process("gammel", title="Gammel", status="closed", area=box(10.60, 59.40, 10.62, 59.41))
    officer = make_user("kontekstsjekk", roles.CASE_OFFICERS)
    page, problems = _logged_in(make_page, live_server, officer)
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map] svg path[stroke='#7b3294']")
    areas = page.eval_on_selector_all(
        "[data-draw-map] svg path[stroke='#7b3294']",
        "ps => ps.map(p => [p.getAttribute('fill'), p.getAttribute('stroke-dasharray'),"
        " p.classList.contains('leaflet-interactive')])",
    )
    # One open process, drawn as context: unfilled, dotted, not clickable.
    assert areas == [["none", "2 4", False]]
    problems.settle(page)
    assert not problems, problems


def test_a_report_with_many_hits_counts_them_per_square(make_page, live_server, monkeypatch):
    monkeypatch.setattr("maps.staff.views.prior.MAP_SHAPES_MAX", 3)
    for n in range(6):
        make_input(f"Innspill {n}", geom=point(10.658 + n * 0.0004, 59.434))
    officer = make_user("tellesjekk", roles.CASE_OFFICERS)
    page, problems = _logged_in(make_page, live_server, officer)
    page.goto(f"{live_server.url}/staff/prior-input/")
    page.wait_for_selector("[data-draw-map].leaflet-container")
    # The GeoJSON field (the keyboard way in) sits in a closed panel: set it as a paste would.
    page.eval_on_selector("#id_geometry", "(el, v) => { el.value = v; }", json.dumps(AREA))
    page.click("#prior-form button[type=submit]")
    page.wait_for_selector(".cell-count")
    counts = page.eval_on_selector_all(".cell-count", "ls => ls.map(l => Number(l.textContent))")
    assert sum(counts) == 6
    # No numbered shapes, and the legend names what is drawn.
    legend = page.inner_text(".legend")
    assert "Number of inputs in each" in legend and "Partly adopted" not in legend
    problems.settle(page)
    assert not problems, problems
