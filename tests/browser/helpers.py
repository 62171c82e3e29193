"""Small steps the browser tests share: clicking the map, keyboard travel, sending the form."""

from __future__ import annotations

MIN_FILL_WAIT_MS = 1100  # a little over the one second the tests allow (conftest)


def click_map(page, selector: str, dx: float = 0, dy: float = 0) -> None:
    """Click the map at (dx, dy) pixels from its centre, scrolling it into view first.

    The click lands on a whole pixel, the one ``latlng_at`` computes: a map whose page position
    is a fraction of a pixel (rem-based layout) would otherwise be clicked up to a pixel away.
    """
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    page.mouse.click(
        round(box["x"] + box["width"] / 2 + dx), round(box["y"] + box["height"] / 2 + dy)
    )


def latlng_at(page, map_var: str, dx: float = 0, dy: float = 0) -> tuple[float, float]:
    """(lon, lat) of the point (dx, dy) pixels from the map's centre, as Leaflet computes it."""
    return tuple(
        page.evaluate(
            f"""() => {{
                const m = window.{map_var}; const c = m.getContainer();
                const r = c.getBoundingClientRect();
                // The whole pixel click_map clicks, in the map's own coordinates.
                const x = Math.round(r.left + r.width / 2 + {dx}) - r.left - c.clientLeft;
                const y = Math.round(r.top + r.height / 2 + {dy}) - r.top - c.clientTop;
                const ll = m.containerPointToLatLng([x, y]);
                return [ll.lng, ll.lat];
            }}"""
        )
    )


def map_centre(page, map_var: str) -> tuple[float, float]:
    return tuple(
        page.evaluate(f"() => {{ const c = window.{map_var}.getCenter(); return [c.lng, c.lat]; }}")
    )


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with this id has focus (keyboard only, like a user)."""
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def send(page) -> str:
    """Send the give-input form and return the reference on the receipt."""
    page.wait_for_timeout(MIN_FILL_WAIT_MS)
    page.click("#submit-input")
    page.wait_for_selector("#receipt:not([hidden])")
    return page.locator("#receipt-reference").text_content().strip()


def zoom_to(page, map_var: str, lon: float = 10.658, lat: float = 59.434, zoom: int = 17) -> None:
    """Show a street-level view (a pixel is under a metre), as a user would by zooming in."""
    page.evaluate(f"() => window.{map_var}.setView([{lat}, {lon}], {zoom}, {{animate: false}})")


def keys(page, *names: str, settle_ms: int = 350) -> None:
    """Press keys one by one, letting Leaflet's pan/zoom animation finish after each."""
    for name in names:
        page.keyboard.press(name)
        page.wait_for_timeout(settle_ms)
