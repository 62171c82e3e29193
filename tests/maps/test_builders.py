"""The folium builder: pure, deterministic, no user text, no CDN."""

from maps.builders import Basemap, process_map, render_parts

AREA = {
    "type": "Polygon",
    "coordinates": [[[10.64, 59.42], [10.68, 59.42], [10.68, 59.45], [10.64, 59.42]]],
}
POINT = {"type": "Point", "coordinates": [10.65, 59.43]}
MOSS = (10.587, 59.305, 10.821, 59.515)


def build(**kw):
    args = {
        "name": "p1",
        "area": AREA,
        "inputs": [],
        "basemap": Basemap("", ""),
        "fallback_bounds": MOSS,
    }
    args.update(kw)
    return render_parts(process_map(**args))


def test_two_renders_name_the_same_element():
    assert build().element_id == build().element_id == "map_p1_1"
    assert build().script == build().script


def test_no_basemap_means_no_tile_layer():
    assert "tileLayer" not in build().script


def test_the_basemap_url_and_credit_come_from_the_arguments():
    script = build(basemap=Basemap("https://tiles.example/{z}/{x}/{y}.png", "© Kartverket")).script
    assert "https://tiles.example/{z}/{x}/{y}.png" in script
    assert "\\u00a9 Kartverket" in script


def test_nothing_is_loaded_from_a_cdn():
    parts = build(basemap=Basemap("", ""))
    assert "cdn" not in parts.script.lower()
    assert "jsdelivr" not in parts.script.lower()


def test_the_map_fits_the_area():
    assert "[[59.42, 10.64], [59.45, 10.68]]" in build().script


def test_without_area_or_input_it_fits_moss():
    assert "[[59.305, 10.587], [59.515, 10.821]]" in build(area=None).script


def test_inputs_are_filled_dots_in_their_theme_colour():
    script = build(inputs=[{"geometry": POINT, "colour": "#123456"}]).script
    assert '"fillColor": "#123456"' in script
    assert '"fill": true' in script
    assert "[10.65, 59.43]" in script
