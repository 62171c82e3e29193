"""Template tags for every map page: basemap settings as data attributes, the scripts' strings."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, json_script

from geo.crs import MOSS_BBOX_LONLAT, MOSS_CENTRE_LONLAT, MOSS_EXTENT_LONLAT
from maps.strings import interface_strings

register = template.Library()


def basemap_tile_url() -> str:
    """Return the tile URL template with the layer filled in, or "" when no basemap is set."""
    url = settings.BASEMAP_URL or ""
    return url.replace("{layer}", settings.BASEMAP_LAYER or "")


@register.simple_tag
def basemap_attribution() -> str:
    return settings.BASEMAP_ATTRIBUTION


BACKGROUND_FILE = "maps/data/moss_background.geojson"

# The case officers' maps open on the town centre, where most casework is; public maps on Moss.
STAFF_OPENING_ZOOM = 12


@register.simple_tag
def basemap_attrs(staff: bool = False, process=None) -> str:
    """Data attributes every map's set-up reads (Innspill.setUpMap and makeMap in common.js):
    the tiles, whom to credit, where to open and how far one may pan (Moss, lon/lat). Every map
    of the site, public or staff, ours or folium's, carries them. ``staff`` adds a scale bar and
    opens the map on the town centre (data-centre, data-zoom) instead of the whole of Moss."""
    # The municipal boundary and the process areas (the open processes', or ``process``'s: the
    # one being viewed) are drawn on every staff map as context, so a drawn area has context
    # even when the basemap cannot load (fixtures/moss_boundary.geojson, /staff/process-areas).
    areas = reverse("staff:process_areas")
    if process is not None:
        areas += f"?process={int(getattr(process, 'pk', process))}"
    staff_attrs = (
        format_html(
            ' data-scale data-boundary-url="{}" data-process-areas-url="{}" data-centre="{}"'
            ' data-zoom="{}"',
            static("maps/data/moss_boundary.geojson"),
            areas,
            ",".join(str(v) for v in MOSS_CENTRE_LONLAT),
            STAFF_OPENING_ZOOM,
        )
        if staff
        else ""
    )
    # Every map falls back on the local background of Moss (coast, main roads, border) when
    # the basemap cannot load (map-context.js, showLocalBackground; docs/resident-map.md).
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}" data-background-url="{}" data-bounds="{}" '
        'data-max-bounds="{}"{}',
        basemap_tile_url(),
        settings.BASEMAP_ATTRIBUTION,
        static(BACKGROUND_FILE),
        ",".join(str(v) for v in MOSS_BBOX_LONLAT),
        ",".join(str(v) for v in MOSS_EXTENT_LONLAT),
        staff_attrs,
    )


@register.simple_tag
def interface_strings_data() -> str:
    """The translated strings of the map scripts, as the JSON element common.js reads."""
    return json_script(interface_strings(), "strings-data")
