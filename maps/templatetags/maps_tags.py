"""Template tags for the public pages: basemap settings as data attributes, small formatters."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from geo.crs import MOSS_BBOX_LONLAT, MOSS_EXTENT_LONLAT

register = template.Library()


def basemap_tile_url() -> str:
    """Return the tile URL template with the layer filled in, or "" when no basemap is set."""
    url = settings.BASEMAP_URL or ""
    return url.replace("{layer}", settings.BASEMAP_LAYER or "")


@register.simple_tag
def basemap_attribution() -> str:
    return settings.BASEMAP_ATTRIBUTION


@register.simple_tag
def basemap_attrs() -> str:
    """Data attributes the map scripts read: tiles, whom to credit, and Moss' extent (lon/lat)."""
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}" data-bounds="{}" data-max-bounds="{}"',
        basemap_tile_url(),
        settings.BASEMAP_ATTRIBUTION,
        ",".join(str(v) for v in MOSS_BBOX_LONLAT),
        ",".join(str(v) for v in MOSS_EXTENT_LONLAT),
    )
