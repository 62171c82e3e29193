"""Template tags for every map page: basemap settings as data attributes, the scripts' strings."""

from django import template
from django.conf import settings
from django.utils.html import format_html, json_script

from geo.crs import MOSS_BBOX_LONLAT, MOSS_EXTENT_LONLAT
from maps.strings import interface_strings

register = template.Library()


def basemap_tile_url() -> str:
    """Return the tile URL template with the layer filled in, or "" when no basemap is set."""
    url = settings.BASEMAP_URL or ""
    return url.replace("{layer}", settings.BASEMAP_LAYER or "")


@register.simple_tag
def basemap_attribution() -> str:
    return settings.BASEMAP_ATTRIBUTION


@register.simple_tag
def basemap_attrs(scale: bool = False) -> str:
    """Data attributes every map's set-up reads (Innspill.setUpMap in common.js): the tiles,
    whom to credit, where to open and how far one may pan (Moss, lon/lat), and whether to show
    a scale bar. Every map of the site, public or staff, ours or folium's, carries them."""
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}" data-bounds="{}" data-max-bounds="{}"{}',
        basemap_tile_url(),
        settings.BASEMAP_ATTRIBUTION,
        ",".join(str(v) for v in MOSS_BBOX_LONLAT),
        ",".join(str(v) for v in MOSS_EXTENT_LONLAT),
        " data-scale" if scale else "",
    )


@register.simple_tag
def interface_strings_data() -> str:
    """The translated strings of the map scripts, as the JSON element common.js reads."""
    return json_script(interface_strings(), "strings-data")
