"""The map leads: its share of the first screen, and a short keyboard path past "said before".

The figures are written in docs/resident-map.md; run with ``-s`` to print them again.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import click_map, focused_id, zoom_to
from tests.factories import make_input, make_theme, point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 850}
PHONE = {"width": 360, "height": 740}
# The share of the first screen (viewport) the map covers before any scrolling.
VISIBLE_SHARE = """(selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
  const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
  return (w * h) / (innerWidth * innerHeight);
}"""


@pytest.fixture
def said_before(transactional_db):
    """Eight published inputs around Moss centre, as in a busy street; eleven themes, as in Moss."""
    theme = make_theme("transport", name="Transport og veier", colour="#b03a2e")
    for n in range(10):
        make_theme(f"tema-{n}", name=f"Tema {n}")
    for n in range(8):
        make_input(f"Farlig kryssing nummer {n} ved skolen.", geom=point(10.658 + n * 1e-5),
                   themes=(theme,))  # fmt: skip


def map_share(make_page, live_server, viewport, path, selector) -> float:
    page, _ = make_page(viewport=viewport)
    page.goto(live_server.url + path)
    page.wait_for_selector(selector)
    share = page.evaluate(VISIBLE_SHARE, selector)
    print(f"map share {path} {viewport['width']}x{viewport['height']}: {share:.2f}")
    return share


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x850", "360x740"])
def test_the_map_fills_at_least_half_of_the_first_screen(make_page, live_server, viewport):
    assert map_share(make_page, live_server, viewport, "/", "#overview-map") >= 0.5


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x850", "360x740"])
def test_the_give_page_leads_with_the_map_and_puts_its_words_beside_or_under_it(
    make_page, live_server, viewport
):
    page, _ = make_page(viewport=viewport)
    page.goto(live_server.url + "/give/")
    page.wait_for_selector("#give-map")
    share = page.evaluate(VISIBLE_SHARE, "#give-map")
    print(f"map share /give/ {viewport['width']}x{viewport['height']}: {share:.2f}")
    assert share >= 0.5
    map_box = page.locator("#give-map").bounding_box()
    for words in ("#give-intro", "#map-help-point", "#give-search"):
        box = page.locator(words).bounding_box()
        beside = box["y"] >= map_box["y"] and (
            box["x"] >= map_box["x"] + map_box["width"] or box["x"] + box["width"] <= map_box["x"]
        )
        under = box["y"] >= map_box["y"] + map_box["height"]
        assert beside or under, words


def test_few_tab_presses_lead_from_the_map_past_said_before_to_the_text(
    make_page, live_server, said_before
):
    page, _ = make_page(viewport=DESKTOP)
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap", zoom=17)
    click_map(page, "#give-map")
    expect(page.locator("#prior-list li").first).to_be_visible()
    page.focus("#give-map")
    presses = 0
    while focused_id(page) != "input-text" and presses < 80:
        page.keyboard.press("Tab")
        presses += 1
    print(f"Tab presses from the map to the text field: {presses}")
    assert presses < 15
    expect(page.locator("#prior-count")).to_have_text("8")
