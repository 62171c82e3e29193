"""The public map and the pages around it, in a real browser: what residents see and do."""

import http.server
import threading

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from geo.crs import WEB_SRID
from inputbank import services
from inputbank.models import Comment, Input, Support
from inputbank.references import parse_reference
from tests.browser.conftest import PHONE
from tests.browser.helpers import click_map, send, zoom_to
from tests.factories import make_input, make_process, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(transactional_db):
    theme = make_theme("transport", name="Transport og veier", colour="#b03a2e")
    make_process("sentrum", title="Sentrumsplan")
    item = make_input("Trygg sykkelvei langs kanalen, takk.", themes=(theme,))
    services.response_record(
        input=item, outcome="adopted", justification="Tatt inn i planen.", decided_by=None
    )
    return item


def marker_count(page):
    """Inputs currently in the map's cluster layer (the number the status line reports)."""
    return int(page.locator("#map-status").text_content().split()[0])


def test_published_input_is_on_the_map_and_opens_with_its_answer(page, live_server, published):
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("1 publiserte innspill")
    zoom_to(page, "innspillMap", zoom=16)
    click_map(page, "#overview-map")  # the input lies at Moss centre, where the map is centred
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Trygg sykkelvei langs kanalen")
    expect(popup).to_contain_text("Tatt til følge")
    popup.locator("a").click()
    expect(page).to_have_url(f"{live_server.url}/inputs/{published.public_id}/")
    expect(page.locator("main")).to_contain_text("Tatt inn i planen.")


def test_a_pending_input_is_not_visible_publicly(page, live_server, published):
    # A resident sends input through the form ...
    page.goto(live_server.url + "/give/")
    page.check("#mode-none")
    page.fill("#input-text", "Ventende innspill som ingen skal se ennå.")
    reference = send(page)
    assert Input.objects.with_reference(parse_reference(reference)).get().status == "pending"
    # ... and it is nowhere in public: map, list, its own page, the API.
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("1 publiserte innspill")
    page.goto(live_server.url + "/inputs/")
    expect(page.locator("main")).not_to_contain_text("Ventende innspill")
    assert page.goto(f"{live_server.url}/inputs/{reference}/").status == 404
    assert page.goto(f"{live_server.url}/api/v1/inputs/{reference}/").status == 404
    page.goto(live_server.url + "/api/v1/inputs/?q=ventende")
    assert reference not in page.content()


def test_a_crowded_view_shows_numbers_and_a_number_opens_with_the_keyboard(
    page, live_server, settings
):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAP_AGGREGATE_ABOVE": 50}
    theme = make_theme("gront", colour="#1e8449")
    for i in range(60):
        point = Point(10.655 + (i % 10) * 0.0004, 59.433 + (i // 10) * 0.0003, srid=WEB_SRID)
        make_input(f"Innspill {i}", geom=point, themes=(theme,))
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("60 publiserte innspill")
    number = page.locator(".cluster-icon").first
    assert "innspill her" in number.get_attribute("aria-label")
    assert number.get_attribute("role") == "button"
    zoom_before = page.evaluate("innspillMap.getZoom()")
    number.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => innspillMap.getZoom() > {zoom_before}")
    # The keyboard stays on the map, where the arrow keys move it.
    assert page.evaluate("document.activeElement.id") == "overview-map"


def test_moving_the_map_loads_what_is_in_view(page, live_server):
    for _ in range(2):
        make_input("Ved kanalen", geom=Point(10.658, 59.434, srid=WEB_SRID))
    for _ in range(3):
        make_input("I Rygge", geom=Point(10.72, 59.38, srid=WEB_SRID))
    page.goto(live_server.url + "/?at=10.658,59.434")  # street level at the canal
    expect(page.locator("#map-status")).to_contain_text("2 publiserte innspill")
    zoom_to(page, "innspillMap", lon=10.72, lat=59.38, zoom=17)
    expect(page.locator("#map-status")).to_contain_text("3 publiserte innspill")


def test_a_bbox_link_opens_the_map_on_that_box_and_draws_its_inputs(page, live_server):
    for _ in range(4):
        make_input("I boksen", geom=Point(10.660, 59.435, srid=WEB_SRID))
    make_input("Utenfor", geom=Point(10.700, 59.420, srid=WEB_SRID))
    page.goto(live_server.url + "/?bbox=10.655,59.432,10.665,59.438")
    expect(page.locator("#map-status")).to_contain_text("4 publiserte innspill")
    west, south, east, north = page.evaluate(
        "() => { const b = innspillMap.getBounds();"
        " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
    )
    assert west <= 10.655 and south <= 59.432 and east >= 10.665 and north >= 59.438
    # The page says when (and what) it has drawn: the benchmark (B8) times this mark.
    page.wait_for_function("() => performance.getEntriesByName('inputs-drawn').length > 0")
    detail = page.evaluate("performance.getEntriesByName('inputs-drawn')[0].detail")
    assert detail["mode"] == "points"
    assert detail["drawn"] == 4


def _open_a_bbox_link_on_six_inputs(page, live_server) -> tuple[dict, list[str]]:
    """Six inputs along the canal, a shared ?bbox= link around them: (the page's mark's
    detail, the grid requests it made)."""
    for n in range(6):
        make_input("Langs kanalen", geom=Point(10.62 + n * 0.01, 59.43, srid=WEB_SRID))
    grid: list[str] = []
    page.on("request", lambda r: grid.append(r.url) if "/api/v1/inputs/grid/" in r.url else None)
    page.goto(live_server.url + "/?bbox=10.60,59.40,10.72,59.46")
    page.wait_for_function("() => performance.getEntriesByName('inputs-drawn').length > 0")
    return page.evaluate("performance.getEntriesByName('inputs-drawn')[0].detail"), grid


def test_a_bbox_links_dots_that_hold_the_view_are_its_count(page, live_server):
    # B8: a shared link's dots say how many inputs the view holds; the page draws them
    # without asking the counts per place as well.
    detail, grid = _open_a_bbox_link_on_six_inputs(page, live_server)
    expect(page.locator("#map-status")).to_contain_text("6 publiserte innspill")
    assert detail == {"mode": "points", "drawn": 6, "matched": 6}
    assert grid == []


def test_a_bbox_link_with_more_than_a_page_of_dots_draws_the_newest(page, live_server, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAP_POINTS_MAX": 4}
    detail, grid = _open_a_bbox_link_on_six_inputs(page, live_server)
    # The newest four are drawn; the dots' own count says there are six.
    assert detail == {"mode": "points", "drawn": 4, "matched": 6}
    assert grid == []


def test_a_bbox_link_with_too_many_for_dots_shows_numbers_per_place(page, live_server, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAP_POINTS_MAX": 2, "MAP_AGGREGATE_ABOVE": 3}
    detail, grid = _open_a_bbox_link_on_six_inputs(page, live_server)
    assert detail["mode"] == "counts" and detail["matched"] == 6
    assert len(grid) == 1


def test_theme_filter_hides_other_themes(page, live_server, published):
    make_input("Mer grønt i parken", themes=(make_theme("gront", colour="#1e8449"),))
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("2 publiserte innspill")
    page.uncheck("#show-theme-gront")
    expect(page.locator("#map-status")).to_contain_text("1 publiserte innspill")


def test_the_map_works_and_says_so_when_tiles_cannot_be_loaded(page, live_server, published):
    page.goto(live_server.url + "/give/")
    expect(page.locator("#place-status")).to_contain_text("Bakgrunnskartet kunne ikke lastes")
    click_map(page, "#give-map")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)


def test_said_before_here_offers_support_instead_of_repeating(page, live_server, published):
    page.goto(live_server.url + "/give/")
    zoom_to(page, "innspillGiveMap", lon=10.658, lat=59.434, zoom=17)
    click_map(page, "#give-map", dx=30)  # ~20 m from the published input
    prior = page.locator("#prior")
    expect(prior).to_contain_text("Trygg sykkelvei langs kanalen")
    expect(prior).to_contain_text("Tatt til følge")
    prior.get_by_role("button", name="Jeg er enig – støtt dette").click()
    expect(prior).to_contain_text("støtten din er telt med")
    assert Support.objects.filter(input=published).count() == 1


def test_similar_words_show_earlier_input_while_typing(page, live_server, published):
    page.goto(live_server.url + "/give/")
    page.fill("#input-text", "Vi trenger sykkelveier langs kanalen")
    expect(page.locator("#similar-list")).to_contain_text("Trygg sykkelvei")


def test_support_and_comment_on_an_input_page(page, live_server, published):
    page.goto(f"{live_server.url}/inputs/{published.public_id}/")
    page.click("#support-button")
    expect(page.locator("#support-status")).to_contain_text("telt med")
    expect(page.locator("#support-count")).to_contain_text("1")
    page.wait_for_timeout(1100)
    page.fill("#comment-text", "   ")  # nothing written: said at the box, nothing sent
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-error")).to_be_visible()
    expect(page.locator("#comment-text")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#comment-text")).to_be_focused()
    page.fill("#comment-text", "Helt enig, det haster.")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-status")).to_contain_text("moderator")
    comment = Comment.objects.get()
    assert (comment.status, comment.text) == ("pending", "Helt enig, det haster.")
    page.reload()
    expect(page.locator("main")).not_to_contain_text("Helt enig, det haster.")


def test_switching_to_arabic_turns_the_whole_layout_right_to_left(page, live_server, published):
    page.goto(live_server.url + "/inputs/")
    page.select_option("#language-select", "ar")
    page.click(".language-form button")
    page.wait_for_url(live_server.url + "/inputs/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    # Not just the attribute: the heading and the menu sit on the right-hand side.
    width = page.viewport_size["width"]
    heading = page.locator("h1").bounding_box()
    assert heading["x"] + heading["width"] > width - 40
    title = page.locator(".site-title").bounding_box()
    assert title["x"] > width / 2
    # The choice is remembered on the next page and used as the language for feedback.
    page.goto(live_server.url + "/give/")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("#feedback-language")).to_have_value("ar")


def test_pages_reflow_to_320_pixels_without_sideways_scrolling(make_page, live_server, published):
    page, _ = make_page(viewport={"width": 320, "height": 640})
    for path in (
        "/",
        "/give/",
        "/inputs/",
        "/processes/",
        "/processes/sentrum/",
        f"/inputs/{published.public_id}/",
        "/accessibility/",
    ):
        page.goto(live_server.url + path)
        too_wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('.leaflet-container'))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))"""
        )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, too_wide)


def test_focus_is_always_visible(page, live_server, published):
    page.goto(live_server.url + "/give/")
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return [document.activeElement.id || document.activeElement.tagName,
                               s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
        )
        name, outline, width, shadow = style
        assert (outline != "none" and width != "0px") or shadow != "none", name


def test_the_skip_link_jumps_to_the_main_content(page, live_server, published):
    page.goto(live_server.url + "/processes/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class("skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_process_page_map_and_embed_work_on_a_phone(make_page, live_server, published):
    page, _ = make_page(viewport=PHONE)
    page.goto(live_server.url + "/processes/sentrum/")
    expect(page.locator(".folium-map.leaflet-container")).to_have_count(1)
    page.goto(live_server.url + "/processes/sentrum/embed/")
    expect(page.locator(".folium-map.leaflet-container")).to_have_count(1)


def test_the_process_map_has_the_sites_basemap_and_a_plain_background_without_it(
    page, live_server, published
):
    """folium's map gets the same set-up as every other map: the configured tiles with their
    credit, dropped when they cannot load (the tests are offline), the map still drawn."""
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "kartverket" in r.url else None)
    page.goto(live_server.url + "/processes/sentrum/")
    expect(page.locator(".folium-map.leaflet-container")).to_have_count(1)
    expect(page.locator(".folium-map .leaflet-control-attribution")).to_contain_text("Leaflet")
    expect(page.locator(".folium-map .leaflet-tile")).to_have_count(0)  # the failed layer is gone
    assert asked  # it was asked for, from the configured host


def test_the_list_link_shows_what_is_in_the_map_view(page, live_server, published):
    make_input("Innspill i Rygge", geom=Point(10.72, 59.38, srid=WEB_SRID))
    page.goto(live_server.url + "/")
    expect(page.locator("#map-status")).to_contain_text("2 publiserte innspill")
    zoom_to(page, "innspillMap", zoom=15)  # Moss centre: the Rygge input is out of view
    page.click("#list-link")
    main = page.locator("main")
    expect(main).to_contain_text("Trygg sykkelvei langs kanalen")
    expect(main).not_to_contain_text("Innspill i Rygge")


@pytest.fixture
def other_site():
    """Another website (another origin) that frames a URL: a tiny server on 127.0.0.1."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_embeddable_map_shows_inside_another_sites_iframe(
    page, live_server, published, other_site
):
    pages, origin = other_site
    embed = f"{live_server.url}/processes/sentrum/embed/"  # localhost: not 127.0.0.1's origin
    pages["/planer"] = (
        f'<!DOCTYPE html><html lang="nb"><title>Planer</title>'
        f'<iframe src="{embed}" title="Kart" width="600" height="400"></iframe></html>'
    )
    page.goto(origin + "/planer")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".folium-map.leaflet-container")).to_have_count(1)
    expect(frame.locator("h1")).to_contain_text("Sentrumsplan")


def test_other_pages_refuse_to_be_framed(make_page, live_server, published, other_site):
    page, problems = make_page()
    pages, origin = other_site
    pages["/planer"] = f'<iframe src="{live_server.url}/processes/sentrum/"></iframe>'
    page.goto(origin + "/planer")
    expect(page.frame_locator("iframe").locator("main")).to_have_count(0)
    page.wait_for_function("() => true")  # let the console report arrive
    refused = [p for p in problems if "frame-ancestors 'none'" in p]
    assert refused
    for problem in refused:  # expected here, so not a failure of this test
        problems.remove(problem)


def test_the_inputs_are_drawn_before_the_basemap_is_asked_for(page, live_server, published):
    # The map page is for the inputs: its basemap's tiles start once they are drawn (or after
    # half a second at the latest), and do not hold back their first drawing (B8).
    page.add_init_script(
        """new MutationObserver(function (records, observer) {
             if (document.querySelector('img.leaflet-tile')) {
               window.__firstTile = performance.now();
               observer.disconnect();
             }
           }).observe(document, { childList: true, subtree: true });"""
    )
    page.goto(live_server.url + "/")
    page.wait_for_function("() => window.__firstTile !== undefined")
    drawn = page.evaluate("performance.getEntriesByName('inputs-drawn')[0].startTime")
    first_tile = page.evaluate("window.__firstTile")
    assert first_tile >= min(drawn, 500)
