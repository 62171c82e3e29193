"""Without the basemap the maps still show Moss; place names are found and marked on the map.

Tile requests are aborted in every browser test (conftest), as when offline or blocked.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import map_centre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BACKGROUND = ".leaflet-innspill-background-pane path"


@pytest.mark.parametrize(
    ("path", "map_selector", "language", "notice"),
    [
        ("/", "#overview-map", "nb", "Bakgrunnskartet mangler"),
        ("/give/", "#give-map", "nb", "Bakgrunnskartet mangler"),
        ("/give/", "#give-map", "ar", "لا توجد خريطة أساس"),
    ],
    ids=["home-nb", "give-nb", "give-ar"],
)
def test_without_tiles_the_map_shows_moss_from_local_data_and_says_so(
    make_page, live_server, path, map_selector, language, notice
):
    page, _ = make_page(language=language)
    page.goto(live_server.url + path)
    expect(page.locator(f"{map_selector} .map-offline-notice")).to_contain_text(notice)
    expect(page.locator(f"{map_selector} {BACKGROUND}").first).to_be_attached()
    # Land, coastline, the main roads and the municipal border: each drawn.
    drawn = page.eval_on_selector_all(f"{map_selector} {BACKGROUND}", "ps => ps.length")
    assert drawn >= 4
    # The background is under everything else: the map still takes clicks.
    assert (
        page.locator(f"{map_selector} .leaflet-innspill-background-pane").evaluate(
            "pane => getComputedStyle(pane).pointerEvents"
        )
        == "none"
    )


def test_a_place_name_on_the_map_page_is_chosen_at_once_and_marked(page, live_server, placenames):
    page.goto(live_server.url + "/")
    page.fill("#home-search", "Larkollen")
    page.keyboard.press("Enter")
    expect(page.locator("#home-search-status")).to_contain_text("Larkollen")
    expect(page.locator("#home-search-results li")).to_have_count(0)
    expect(page.locator("#overview-map .leaflet-tooltip")).to_have_text("Larkollen (tettsted)")
    expect(
        page.locator('#overview-map .leaflet-marker-icon[title="Larkollen (tettsted)"]')
    ).to_have_count(1)
    lon, lat = map_centre(page, "innspillMap")
    assert (lon, lat) == pytest.approx((10.676, 59.326), abs=2e-3)


def test_a_place_name_on_the_give_page_moves_the_map_and_marks_the_name(
    page, live_server, placenames
):
    page.goto(live_server.url + "/give/")
    page.fill("#give-search", "Jeløy")
    page.keyboard.press("Enter")
    expect(page.locator("#give-map .leaflet-tooltip")).to_have_text("Jeløy (øy)")
    lon, lat = map_centre(page, "innspillGiveMap")
    assert (lon, lat) == pytest.approx((10.605, 59.44), abs=2e-3)
    # A place name is an area, not a spot: the resident still puts the pin.
    expect(page.locator("#give-map .leaflet-marker-icon")).to_have_count(0)


def test_several_hits_are_listed_to_choose_from(page, live_server, placenames, addresses):
    page.goto(live_server.url + "/")
    page.fill("#home-search", "Kamb")
    page.keyboard.press("Enter")
    expect(page.locator("#home-search-results button.place-result").first).to_have_text(
        "Kambo (tettsted)"
    )
    page.click("#home-search-results button.place-result >> nth=0")
    expect(page.locator("#overview-map .leaflet-tooltip")).to_have_text("Kambo (tettsted)")
