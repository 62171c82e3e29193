"""Folium maps for printable staff reports (pure functions: data in, map or parts out).

folium normally pulls Leaflet, jQuery and Bootstrap from CDNs and writes its map script inline.
Here the map uses Leaflet from our static files only, no CDN asset at all, and ``map_parts``
splits the result so the page can include the script as an external file (the site's CSP
allows no inline scripts). Only numbers and fixed codes go into the map's data, never text a
person wrote: folium builds tooltips with innerHTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import folium
from django.conf import settings
from django.templatetags.static import static

from geo.crs import MOSS_CENTRE_LONLAT

# Colours per outcome (also used in the page legend, staff.css .outcome-*).
OUTCOME_COLOURS = {
    "adopted": "#1a7f37",
    "partly_adopted": "#3b6f1e",
    "not_adopted": "#b42318",
    "not_relevant": "#6e6e6e",
    "noted": "#1f6f8b",
    "none": "#7a4fb5",
}
AREA_STYLE = {"color": "#d9480f", "weight": 3, "fill": True, "fillOpacity": 0.06}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@dataclass(frozen=True)
class MapParts:
    """What a page needs to show a folium map: a div, CSS/JS links and one script."""

    html: str
    script: str
    css: tuple[str, ...]
    js: tuple[str, ...]


def _base_map() -> folium.Map:
    lon, lat = MOSS_CENTRE_LONLAT
    m = folium.Map(location=[lat, lon], zoom_start=13, tiles=None, control_scale=True)
    m.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]
    url = settings.BASEMAP_URL.replace("{layer}", settings.BASEMAP_LAYER)
    folium.TileLayer(tiles=url, attr=settings.BASEMAP_ATTRIBUTION, name="basemap").add_to(m)
    return m


def _bounds(geojson: dict) -> list[list[float]] | None:
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    walk(geojson.get("coordinates") or [])
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def prior_input_map(*, area: dict, features: list[dict]) -> folium.Map:
    """Return a map of the query area and the numbered inputs, coloured by outcome.

    ``area`` is a GeoJSON geometry (lon/lat); ``features`` are GeoJSON Features whose
    properties hold ``n`` (the number in the printed list) and ``outcome`` (a code).
    """
    m = _base_map()
    folium.GeoJson(area, name="area", style_function=lambda _f: AREA_STYLE).add_to(m)
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
                "color": OUTCOME_COLOURS.get(f["properties"]["outcome"], "#333333"),
                "fillColor": OUTCOME_COLOURS.get(f["properties"]["outcome"], "#333333"),
                "weight": 2,
            },
            tooltip=folium.GeoJsonTooltip(fields=["n"], aliases=["Nr."]),
        ).add_to(m)
    bounds = _bounds(area)
    if bounds:
        m.fit_bounds(bounds)
    return m


def map_parts(m: folium.Map) -> MapParts:
    """Split a rendered folium map into its div, asset links and one external-ready script."""
    root = m.get_root()
    root.render()
    header = root.header.render()
    inline = "\n".join(_INLINE_SCRIPT.findall(header))
    return MapParts(
        html=root.html.render().strip(),
        script=f"{inline}\n{root.script.render()}",
        css=tuple(url for _name, url in m.default_css),
        js=tuple(url for _name, url in m.default_js),
    )
