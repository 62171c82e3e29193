"""Server-built maps with folium: the process page snapshot and the embeddable map.

Pure functions: data in, a folium map out. The page shows only folium's map element; its script
is served as a separate static-like file (``/processes/<slug>/map.js``), because the CSP allows
no inline scripts. folium's own page template is never used (it fails accessibility checks and
loads its assets from CDNs); Leaflet comes from our vendored static files.

Element names are made deterministic (``map_<prefix>_1`` ...) so the page and the script, rendered
in two requests, refer to the same element.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import Element

# Colours for what is not a theme: the process area outline and input without a theme.
AREA_COLOUR = "#00508c"
NO_THEME_COLOUR = "#595959"
MARKER_OUTLINE = "#1a1a1a"


@dataclass(frozen=True)
class Basemap:
    tile_url: str  # with {z}/{x}/{y}; "" for a plain background
    attribution: str


@dataclass(frozen=True)
class MapParts:
    element_id: str  # the id the page's own <div> must carry
    script: str


def _name_elements(root: Element, prefix: str) -> None:
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        counter += 1
        element._id = f"{prefix}_{counter}"
        for child in element._children.values():
            visit(child)

    visit(root)


def process_map(
    *,
    name: str,
    area: dict | None,
    inputs: list[dict],
    basemap: Basemap,
    fallback_bounds: tuple[float, float, float, float],
) -> folium.Map:
    """Build the map of one process: its area and its published input as dots by theme colour.

    ``area`` is a GeoJSON geometry in lon/lat; ``inputs`` are ``{"geometry": GeoJSON,
    "colour": "#rrggbb"}``; no text of any input goes into the map (the page lists it, escaped),
    so no popup is ever built from user data. ``fallback_bounds`` (lon/lat) is used when there
    is no area and no input.
    """
    fmap = folium.Map(location=None, tiles=None, zoom_control=True, prefer_canvas=True)
    fmap.default_js = []
    fmap.default_css = []
    if basemap.tile_url:
        folium.TileLayer(
            tiles=basemap.tile_url, attr=basemap.attribution, max_zoom=19, name="basemap"
        ).add_to(fmap)
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
    bounds = _bounds([area] if area else [f["geometry"] for f in features])
    if bounds is None:
        minlon, minlat, maxlon, maxlat = fallback_bounds
        bounds = [[minlat, minlon], [maxlat, maxlon]]
    fmap.fit_bounds(bounds)
    _name_elements(fmap, name)
    return fmap


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
        for lon, lat, *_ in _positions(geometry.get("coordinates", [])):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def render_parts(fmap: folium.Map) -> MapParts:
    """Render the map's script (served as a .js response) and name the element it draws into.

    The page writes the element itself, with its own label and description, instead of folium's
    bare ``<div>``.
    """
    figure = fmap.get_root()
    figure.render()
    return MapParts(element_id=fmap.get_name(), script=figure.script.render())
