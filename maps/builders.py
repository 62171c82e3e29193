"""Server-built maps with folium: the process page snapshot, its embeddable map, and the map of
the printable staff report. The one folium module of the project.

Pure functions: data in, a folium map (or the parts a page needs) out. The page writes the
map's element itself, with its own label, description and the basemap's data attributes
(``{% basemap_attrs %}``); the script is served as a separate file, because the CSP allows no
inline scripts. folium's own page template is never used (it fails accessibility checks and
loads its assets from CDNs): Leaflet comes from our vendored static files.

The basemap is not part of the folium map. The last line of every script hands the map to the
site's one map set-up (``Innspill.setUpMap`` in ``maps/static/maps/js/common.js``), which adds
the configured tiles with their credit, keeps the view in Moss and falls back to a plain
background when the tiles cannot load, exactly as on every other map of the site.

Element names are made deterministic (``map_<name>_1`` ...) so the page and the script,
rendered in two requests, refer to the same element.

No text a person wrote ever goes into a map: folium builds popups and tooltips with innerHTML.
Only geometries, colours, numbers and fixed codes do.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

# Colours for what is not a theme: the process area outline and input without a theme.
AREA_COLOUR = "#00508c"
NO_THEME_COLOUR = "#595959"
MARKER_OUTLINE = "#1a1a1a"
# The query area of a staff report (dark, so no outcome colour is mistaken for it), and its
# input coloured by outcome (the page legend uses the same colours; show-map.js gets them
# from the page).
REPORT_AREA_STYLE = {"color": "#222222", "weight": 3, "fill": True, "fillOpacity": 0.06}
# Colours per outcome on maps and in their legends (the Okabe–Ito palette: told apart with the
# common colour-vision deficiencies; the two greens used before were not). The legend swatches
# take these values too; the text badges in the lists keep darker tones for contrast.
OUTCOME_COLOURS = {
    "adopted": "#009E73",
    "partly_adopted": "#56B4E9",
    "not_adopted": "#D55E00",
    "not_relevant": "#444444",
    "noted": "#0072B2",
    "none": "#E69F00",
}
UNKNOWN_OUTCOME_COLOUR = "#333333"
# Counts per square on a report with many hits (one colour: the count is the message, and the
# size and the number on it say it). show-map.js draws the same from the page's data.
CELL_STYLE = {"color": "#ffffff", "weight": 1, "fill": True, "fill_color": "#0072B2",
              "fill_opacity": 0.75}  # fmt: skip
CELL_RADIUS_PX = (9, 18)  # smallest and largest count


@dataclass(frozen=True)
class MapParts:
    element_id: str  # the id the page's own <div> must carry
    script: str


class _SharedSetUp(MacroElement):
    """The script's last line: the site's map set-up adds the basemap and the Moss extent.

    Guarded, so the map still draws (on a plain background) if common.js is not on the page.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "if (window.Innspill) { window.Innspill.setUpMap({{ this._parent.get_name() }}); }"
        "{% endmacro %}"
    )


def _new_map() -> folium.Map:
    fmap = folium.Map(location=None, tiles=None, zoom_control=True, prefer_canvas=True)
    # No CDN asset at all: the page loads Leaflet from our static files.
    fmap.default_js = []
    fmap.default_css = []
    return fmap


def _finish(
    fmap: folium.Map,
    *,
    name: str,
    fit: list[dict],
    fallback_bounds: tuple[float, float, float, float],
) -> folium.Map:
    """Fit the map to the geometries in ``fit`` (else to ``fallback_bounds``, lon/lat), hand it
    to the shared set-up and give its elements names that are the same in every render."""
    bounds = _bounds(fit)
    if bounds is None:
        minlon, minlat, maxlon, maxlat = fallback_bounds
        bounds = [[minlat, minlon], [maxlat, maxlon]]
    fmap.fit_bounds(bounds)
    _SharedSetUp().add_to(fmap)
    _name_elements(fmap, name)
    return fmap


def _name_elements(root: Element, prefix: str) -> None:
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        counter += 1
        element._id = f"{prefix}_{counter}"
        for child in element._children.values():
            visit(child)

    visit(root)


def _positions(coords):
    if coords and isinstance(coords[0], int | float):
        yield coords
        return
    for item in coords:
        yield from _positions(item)


def _bounds(geometries: list[dict]) -> list[list[float]] | None:
    """Return [[minlat, minlon], [maxlat, maxlon]] of GeoJSON geometries, or None if empty."""
    lons: list[float] = []
    lats: list[float] = []
    for geometry in geometries:
        for lon, lat, *_ in _positions(geometry.get("coordinates") or []):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def process_map(
    *,
    name: str,
    area: dict | None,
    inputs: list[dict],
    fallback_bounds: tuple[float, float, float, float],
) -> folium.Map:
    """Build the map of one process: its area and its published input as dots by theme colour.

    ``area`` is a GeoJSON geometry in lon/lat; ``inputs`` are ``{"geometry": GeoJSON,
    "colour": "#rrggbb"}``; no text of any input goes into the map (the page lists it, escaped),
    so no popup is ever built from user data. ``fallback_bounds`` (lon/lat) is used when there
    is no area and no input.
    """
    fmap = _new_map()
    if area:
        folium.GeoJson(
            {"type": "Feature", "geometry": area, "properties": {}},
            name="area",
            style_function=lambda _f: {
                "color": AREA_COLOUR,
                "weight": 3,
                "fillColor": AREA_COLOUR,
                "fillOpacity": 0.08,
            },
        ).add_to(fmap)
    features = [
        {"type": "Feature", "geometry": i["geometry"], "properties": {"colour": i["colour"]}}
        for i in inputs
        if i.get("geometry")
    ]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="inputs",
            marker=folium.CircleMarker(radius=6, weight=1, fill=True),
            style_function=lambda f: {
                "color": MARKER_OUTLINE,
                "weight": 1,
                "fillColor": f["properties"]["colour"] or NO_THEME_COLOUR,
                "fillOpacity": 0.9,
            },
        ).add_to(fmap)
    fit = [area] if area else [f["geometry"] for f in features]
    return _finish(fmap, name=name, fit=fit, fallback_bounds=fallback_bounds)


def _count_cells(fmap: folium.Map, cells: dict, count_label: str) -> None:
    """Counts per square: a circle sized by the count with the number on it (numbers only)."""
    counts = [int(c["properties"]["count"]) for c in cells["features"]]
    largest = max(counts, default=1)
    for cell, count in zip(cells["features"], counts, strict=True):
        lon, lat = cell["geometry"]["coordinates"][:2]
        folium.CircleMarker(
            location=(lat, lon),
            radius=CELL_RADIUS_PX[0]
            + (CELL_RADIUS_PX[1] - CELL_RADIUS_PX[0]) * (count / largest) ** 0.5,
            **CELL_STYLE,
            tooltip=f"{count_label}: {count}",
        ).add_to(fmap)
        folium.Marker(
            location=(lat, lon),
            icon=folium.DivIcon(
                html=f'<span class="cell-count">{count}</span>',
                icon_size=(40, 16),
                icon_anchor=(20, 8),
                class_name="cell-count-icon",
            ),
            interactive=False,
        ).add_to(fmap)


def prior_input_map(
    *,
    name: str,
    area: dict,
    features: list[dict],
    number_label: str,
    fallback_bounds: tuple[float, float, float, float],
    cells: dict | None = None,
    count_label: str = "",
) -> folium.Map:
    """Build the printable report's map: the query area and the numbered inputs by outcome.

    ``area`` is a GeoJSON geometry (lon/lat); ``features`` are GeoJSON Features whose
    properties hold ``n`` (the number in the printed list) and ``outcome`` (a code); only
    those two reach the map. ``number_label`` is the tooltip's (translated) name for ``n``.
    With ``cells`` (many hits: reads.grid's counts per square, ``{"features", "cell_m"}``) the
    map shows a count per square instead of each input; ``count_label`` names the count.
    """
    fmap = _new_map()
    folium.GeoJson(area, name="area", style_function=lambda _f: REPORT_AREA_STYLE).add_to(fmap)
    if cells is not None:
        _count_cells(fmap, cells, count_label)
        return _finish(fmap, name=name, fit=[area], fallback_bounds=fallback_bounds)
    safe = [
        {
            "type": "Feature",
            "geometry": f["geometry"],
            "properties": {"n": int(f["properties"]["n"]), "outcome": f["properties"]["outcome"]},
        }
        for f in features
        if f.get("geometry")
    ]
    if safe:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": safe},
            name="inputs",
            marker=folium.CircleMarker(radius=6, fill=True, fill_opacity=0.9, weight=1),
            style_function=lambda f: {
                "color": OUTCOME_COLOURS.get(f["properties"]["outcome"], UNKNOWN_OUTCOME_COLOUR),
                "fillColor": OUTCOME_COLOURS.get(
                    f["properties"]["outcome"], UNKNOWN_OUTCOME_COLOUR
                ),
                "weight": 2,
            },
            tooltip=folium.GeoJsonTooltip(fields=["n"], aliases=[number_label]),
        ).add_to(fmap)
    fit = [area] if area else [f["geometry"] for f in safe]
    return _finish(fmap, name=name, fit=fit, fallback_bounds=fallback_bounds)


def render_parts(fmap: folium.Map) -> MapParts:
    """Render the map's script (served as a .js response) and name the element it draws into.

    The page writes the element itself, with its own label and description, instead of folium's
    bare ``<div>``.
    """
    figure = fmap.get_root()
    figure.render()
    return MapParts(element_id=fmap.get_name(), script=figure.script.render())
