"""The folium builder: pure, deterministic, no user text, no CDN, basemap from the shared set-up."""

from maps.builders import OUTCOME_COLOURS, prior_input_map, process_map, render_parts

AREA = {
    "type": "Polygon",
    "coordinates": [[[10.64, 59.42], [10.68, 59.42], [10.68, 59.45], [10.64, 59.42]]],
}
POINT = {"type": "Point", "coordinates": [10.65, 59.43]}
MOSS = (10.587, 59.305, 10.821, 59.515)


def build(**kw):
    args = {"name": "p1", "area": AREA, "inputs": [], "fallback_bounds": MOSS}
    args.update(kw)
    return render_parts(process_map(**args))


def report(**kw):
    args = {
        "name": "report",
        "area": AREA,
        "features": [],
        "number_label": "Nr.",
        "fallback_bounds": MOSS,
    }
    args.update(kw)
    return render_parts(prior_input_map(**args))


def test_two_renders_name_the_same_element():
    assert build().element_id == build().element_id == "map_p1_1"
    assert build().script == build().script
    assert report().element_id == "map_report_1"


def test_the_basemap_comes_from_the_sites_one_map_set_up_not_from_folium():
    for parts in (build(), report()):
        assert "tileLayer" not in parts.script
        assert f"window.Innspill.setUpMap({parts.element_id})" in parts.script


def test_nothing_is_loaded_from_a_cdn():
    for parts in (build(), report()):
        assert "cdn" not in parts.script.lower()
        assert "jsdelivr" not in parts.script.lower()


def test_the_map_fits_the_area():
    assert "[[59.42, 10.64], [59.45, 10.68]]" in build().script
    assert "[[59.42, 10.64], [59.45, 10.68]]" in report().script


def test_without_area_or_input_it_fits_moss():
    assert "[[59.305, 10.587], [59.515, 10.821]]" in build(area=None).script


def test_inputs_are_filled_dots_in_their_theme_colour():
    script = build(inputs=[{"geometry": POINT, "colour": "#123456"}]).script
    assert '"fillColor": "#123456"' in script
    assert '"fill": true' in script
    assert "[10.65, 59.43]" in script


def test_report_inputs_carry_only_their_number_and_outcome_colour():
    feature = {
        "type": "Feature",
        "geometry": POINT,
        "properties": {"n": 7, "outcome": "adopted", "text": "Benk ved Kanalen"},
    }
    script = report(features=[feature]).script
    assert '"n": 7' in script
    assert OUTCOME_COLOURS["adopted"] in script
    assert '["Nr."]' in script  # the number's (translated) label in the tooltip
    assert "Benk" not in script
