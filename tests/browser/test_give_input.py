"""Giving input in a real browser: a pin by mouse or keyboard, a line, an area, an address."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, Polygon
from PIL import Image
from playwright.sync_api import expect

from geo.crs import STORAGE_SRID, WEB_SRID
from inputbank.models import Address, Attachment, Input
from inputbank.references import parse_reference
from tests.browser.conftest import PHONE
from tests.browser.helpers import (
    click_map,
    focused_id,
    keys,
    latlng_at,
    map_centre,
    send,
    tab_to,
    zoom_to,
)
from tests.factories import make_process, make_theme, photo_with_location

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def themes(transactional_db):
    make_process("sentrum", title="Sentrumsplan")
    return make_theme("transport", name="Transport og veier", colour="#b03a2e")


def lonlat(item):
    geom = item.geom.transform(WEB_SRID, clone=True)
    return geom.x, geom.y


def stored(reference):
    """The input behind the short reference the receipt shows ("MOSS-2026-0142")."""
    return Input.objects.with_reference(parse_reference(reference)).get()


def test_a_pin_placed_with_the_mouse_is_stored_where_it_was_clicked(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")
    click_map(page, "#give-map", dx=60, dy=-40)
    expected = latlng_at(page, "innspillGiveMap", dx=60, dy=-40)
    page.fill("#input-text", "Det trengs et fotgjengerfelt her.")
    page.check("#theme-transport")
    reference = send(page)

    item = stored(reference)
    assert item.status == "pending"
    assert item.location_source == "drawn"
    assert [t.slug for t in item.themes.all()] == ["transport"]
    assert lonlat(item) == pytest.approx(expected, abs=2e-5)


def test_a_pin_can_be_placed_and_sent_with_the_keyboard_alone(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    tab_to(page, "give-map")
    start = page.evaluate("innspillGiveMap.getZoom()")  # Moss fitted to the map's size
    keys(page, *["+"] * 6)  # zoom in to street level
    assert page.evaluate("innspillGiveMap.getZoom()") == start + 6
    before = map_centre(page, "innspillGiveMap")
    keys(page, "ArrowRight", "ArrowRight", "ArrowUp")
    after = map_centre(page, "innspillGiveMap")
    assert after[0] > before[0] and after[1] > before[1]  # the map moved east and north
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-marker-icon")
    expect(page.locator("#place-status")).to_contain_text("Nålen er satt")

    tab_to(page, "input-text")
    page.keyboard.type("Sett opp en benk ved bussholdeplassen.")
    tab_to(page, "submit-input")
    page.wait_for_timeout(1100)
    page.keyboard.press("Enter")
    page.wait_for_selector("#receipt:not([hidden])")
    assert focused_id(page) == "receipt-heading"

    item = stored(page.locator("#receipt-reference").text_content().strip())
    assert lonlat(item) == pytest.approx(after, abs=2e-5)


def test_a_line_is_drawn_point_by_point_and_finished(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")
    page.check("#mode-line")
    offsets = [(-120, 40), (0, 0), (110, -50)]
    expected = []
    for dx, dy in offsets:
        expected.append(latlng_at(page, "innspillGiveMap", dx, dy))
        click_map(page, "#give-map", dx, dy)
        page.wait_for_timeout(150)
    page.click("#finish-drawing")
    expect(page.locator("#place-status")).to_contain_text("Linjen er tegnet med 3 punkter")
    page.fill("#input-text", "Denne snarveien brukes av mange barn.")
    item = stored(send(page))

    assert item.geom.geom_type == "LineString"
    line = item.geom.transform(WEB_SRID, clone=True)
    assert len(line.coords) == 3
    for got, want in zip(line.coords, expected, strict=True):
        assert got == pytest.approx(want, abs=2e-5)


def test_an_area_is_drawn_by_clicking_its_corners(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")
    page.check("#mode-area")
    corners = [(-100, -60), (100, -60), (100, 60), (-100, 60)]
    expected = Polygon(
        [latlng_at(page, "innspillGiveMap", dx, dy) for dx, dy in [*corners, corners[0]]],
        srid=WEB_SRID,
    ).transform(STORAGE_SRID, clone=True)
    for dx, dy in corners:
        click_map(page, "#give-map", dx, dy)
        page.wait_for_timeout(150)
    click_map(page, "#give-map", *corners[0])  # back on the first corner closes the area
    page.wait_for_selector("#clear-place:not([hidden])")
    page.fill("#input-text", "Dette området bør bli en park.")
    item = stored(send(page))

    assert item.geom.geom_type == "Polygon"
    assert len(item.geom.coords[0]) == 5
    assert item.geom.area == pytest.approx(expected.area, rel=0.01)
    assert item.geom.sym_difference(expected).area < 0.01 * expected.area


def test_an_area_can_be_drawn_with_the_keyboard_alone(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    tab_to(page, "mode-point")
    page.keyboard.press("ArrowDown")  # radio group: point -> line
    page.keyboard.press("ArrowDown")  # line -> area
    assert page.is_checked("#mode-area")
    tab_to(page, "give-map")
    keys(page, *["+"] * 6)
    corners = []
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft"):
        corners.append(map_centre(page, "innspillGiveMap"))
        keys(page, "Enter", key)
    corners.append(map_centre(page, "innspillGiveMap"))
    page.keyboard.press("Enter")
    tab_to(page, "finish-drawing")
    page.keyboard.press("Enter")
    expect(page.locator("#place-status")).to_contain_text("4")
    page.fill("#input-text", "Hele kvartalet trenger mer lys.")
    item = stored(send(page))

    ring = GEOSGeometry(item.geom.transform(WEB_SRID, clone=True).wkt).coords[0]
    for got, want in zip(ring[:4], corners, strict=True):
        assert got == pytest.approx(want, abs=2e-5)


def test_an_address_found_by_search_places_the_pin_there(page, live_server, themes, addresses):
    page.goto(live_server.url + "/give/")
    page.fill("#give-search", "Dronningens gate 3")
    page.keyboard.press("Enter")
    page.click("button.place-result >> text=Dronningens gate 3B, 1530 Moss")
    expect(page.locator("#place-status")).to_contain_text("Dronningens gate 3B")
    page.fill("#input-text", "Inngangen er for smal for rullestol.")
    item = stored(send(page))

    address = Address.objects.with_lonlat().get(adressetekst="Dronningens gate 3B")
    assert item.location_source == "address"
    assert item.location_description == "Dronningens gate 3B, 1530 Moss"
    assert lonlat(item) == pytest.approx((address.lonlat.x, address.lonlat.y), abs=1e-6)


def test_a_property_number_search_finds_the_property(page, live_server, themes, addresses):
    page.goto(live_server.url + "/give/")
    page.fill("#give-search", "1/103")
    page.click("#place-search-box .place-search__button")
    page.click("button.place-result >> nth=0")
    page.fill("#input-text", "Eiendommen har en farlig utkjørsel.")
    assert stored(send(page)).location_source == "property"


def test_input_without_a_place_is_stored_without_geometry(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    page.check("#mode-none")
    assert page.locator("#give-map").is_hidden()
    page.fill("#input-text", "Kommunen bør ha åpent lenger om kvelden.")
    item = stored(send(page))
    assert item.geom is None
    assert item.location_source == "none"


def test_contact_details_and_consent_are_stored_apart(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    page.check("#mode-none")
    page.fill("#input-text", "Ring meg gjerne om dette.")
    page.fill("#contact-name", "Kari Nordmann")
    page.fill("#contact-email", "kari@example.no")
    page.check("#wants-feedback")
    page.select_option("#feedback-language", "pl")
    page.check("#consent-name")
    send(page)
    assert page.locator("#receipt-feedback").is_visible()

    contributor = Input.objects.get().contributor
    assert (contributor.email, contributor.preferred_language) == ("kari@example.no", "pl")
    assert contributor.wants_feedback and contributor.consent_publish_name


def test_missing_answers_are_listed_and_linked(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    page.check("#wants-feedback")
    page.click("#submit-input")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert focused_id(page) == "error-summary"
    assert summary.locator("li").count() == 3  # place, text, contact for the answer
    assert page.get_attribute("#input-text", "aria-invalid") == "true"
    summary.locator("a", has_text="Skriv hva du vil si").click()
    assert focused_id(page) == "input-text"
    assert not Input.objects.exists()


def test_the_api_error_for_a_bot_is_shown_and_nothing_stored(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    page.check("#mode-none")
    page.fill("#input-text", "Jeg er en robot.")
    page.evaluate("document.getElementById('website').value = 'http://spam.example'")
    page.wait_for_timeout(1100)
    page.click("#submit-input")
    page.wait_for_selector("#error-summary:not([hidden])")
    assert "empty" in page.locator("#error-list").text_content()
    assert not Input.objects.exists()


def test_giving_input_works_on_a_phone(make_page, live_server, themes):
    page, _ = make_page(viewport=PHONE)
    page.goto(live_server.url + "/give/")
    click_map(page, "#give-map", dx=20, dy=20)
    page.fill("#input-text", "Fortauet er ødelagt.")
    assert stored(send(page)).geom.geom_type == "Point"


def test_a_place_inside_an_open_consultation_chooses_it(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")  # Moss centre lies inside the "sentrum" process area
    click_map(page, "#give-map")
    expect(page.locator("#process")).to_have_value("sentrum")
    expect(page.locator("#process-status")).to_contain_text("Sentrumsplan")
    page.fill("#input-text", "Flere sykkelstativer i sentrum.")
    assert stored(send(page)).process.slug == "sentrum"


def test_a_photo_goes_with_the_input_without_its_location_data(
    page, live_server, themes, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page.goto(live_server.url + "/give/")
    page.check("#mode-none")
    page.fill("#input-text", "Se på bildet av hullet i veien.")
    page.set_input_files(
        "#photo",
        files=[{"name": "hull.jpg", "mimeType": "image/jpeg", "buffer": photo_with_location()}],
    )
    item = stored(send(page))
    assert page.locator("#receipt-photo").is_hidden()
    attachment = Attachment.objects.get(input=item)
    assert attachment.content_type == "image/jpeg"
    assert not Image.open(attachment.file).getexif()


def test_a_photo_that_is_not_a_photo_is_named_in_the_form(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    page.check("#mode-none")
    page.fill("#input-text", "Her er et dokument.")
    page.set_input_files(
        "#photo", files=[{"name": "brev.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.click("#submit-input")
    expect(page.locator("#photo-error")).to_contain_text("JPEG")
    assert not Input.objects.exists()


def test_choosing_a_search_result_keeps_the_focus_in_the_search(
    page, live_server, themes, addresses
):
    page.goto(live_server.url + "/give/")
    page.fill("#give-search", "Skoggata")
    page.keyboard.press("Enter")
    result = page.locator("button.place-result").nth(1)
    result.focus()
    page.keyboard.press("Enter")
    assert focused_id(page) == "give-search"
    expect(page.locator("#place-status")).to_contain_text("Skoggata 1")


def test_a_home_and_a_childs_age_are_said_in_the_form(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")
    click_map(page, "#give-map")
    page.check("#at-home")
    page.fill("#input-text", "Bilene kjører for fort forbi huset vårt.")
    page.check("#age-under-16")
    item = stored(send(page))
    assert item.location_is_home and item.location_restricted


def test_without_those_choices_the_place_is_public_as_drawn(page, live_server, themes):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap")
    click_map(page, "#give-map")
    page.fill("#input-text", "Mer lys langs gangveien.")
    item = stored(send(page))
    assert not item.location_is_home and not item.location_restricted
