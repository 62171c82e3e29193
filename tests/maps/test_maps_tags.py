"""What every map's set-up reads, and the scripts' strings, as the templates write them."""

import json

from django.template import Context, Template
from django.utils import translation


def render(text: str) -> str:
    return Template("{% load maps_tags %}" + text).render(Context())


def test_every_map_carries_the_configured_basemap_and_moss(settings):
    settings.BASEMAP_URL = "https://tiles.example/{layer}/{z}/{x}/{y}.png"
    settings.BASEMAP_LAYER = "grey"
    settings.BASEMAP_ATTRIBUTION = "© Kartverket"
    html = render("<div {% basemap_attrs %}></div>")
    assert 'data-tile-url="https://tiles.example/grey/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Kartverket"' in html
    assert 'data-bounds="10.587,59.305,10.821,59.515"' in html
    assert "data-scale" not in html
    assert "data-centre" not in html


def test_staff_maps_add_a_scale_and_open_on_the_town_centre():
    html = render("<div {% basemap_attrs staff=True %}></div>")
    assert " data-scale " in html
    assert 'data-centre="10.658,59.434" data-zoom="12"' in html


def test_the_scripts_strings_are_translated_on_the_server():
    with translation.override("nn"):
        html = render("{% interface_strings_data %}")
    strings = json.loads(html.split(">", 1)[1].rsplit("<", 1)[0])
    assert strings["gridFailed"] == "Kartlaget kunne ikkje lastast. Prøv igjen seinare."
    assert 'id="strings-data"' in html
