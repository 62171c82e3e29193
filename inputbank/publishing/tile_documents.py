"""The documents that let a map client add the vector tiles from one URL.

* TileJSON 3.0 (``/tiles/inputs.json``): tile URL template, zooms, bounds, layers and fields;
  MapLibre sources and QGIS' vector tile connections read it.
* A MapLibre style (``/tiles/style.json``): the basemap, input drawn by first theme in the
  palette of ``inputbank.publishing.styles`` (the same colours as the exports' QML/SLD), the
  grid counts wherever a tile has them (low zoom, and full tiles beyond). QGIS (Vector
  Tiles → Style URL) and MapLibre take it as is.
* An OGC API – Tiles tileset description (``/tiles/inputs/tiles/WebMercatorQuad``): the
  templated tile link, the tile matrix set and the limits per zoom where tiles hold data.

Every URL is built on the root the client asked for (scheme + host, as the OGC API does).
"""

from __future__ import annotations

from django.conf import settings

from geo import tiles
from geo.crs import CRS84_URI, MOSS_CENTRE_LONLAT, MOSS_EXTENT_LONLAT, WEB_MERCATOR_SRID, epsg_uri
from inputbank.publishing import styles
from inputbank.publishing.tiles import MEDIA_TYPE

# Clients over-zoom beyond this (a z16 tile holds positions to ~4 cm): fewer requests.
MAX_ZOOM = 16
TILE_PATH = "/tiles/inputs/{z}/{x}/{y}.mvt"
ATTRIBUTION = "Innspill: Moss kommune (CC BY 4.0)"
_INPUT_FIELDS = {
    "lokalId": "String: the input's public id",
    "tema": "String: theme slugs, comma-separated",
    "hovedtema": "String: first theme slug (styling)",
    "utfall": "String: outcome code",
    "kanal": "String: channel",
    "mottatt": "String: date received (YYYY-MM-DD)",
}


def _zooms() -> tuple[int, int]:
    return settings.TILES["MIN_ZOOM"], settings.TILES["DETAIL_ZOOM"]


def tilejson(root: str) -> dict:
    min_zoom, detail = _zooms()
    lon, lat = MOSS_CENTRE_LONLAT
    return {
        "tilejson": "3.0.0",
        "name": "Innspill",
        "description": "Published participation input in Moss; counts per grid cell below "
        f"zoom {detail}, and from it in tiles holding more than "
        f"{settings.TILES['FEATURES_MAX']} inputs.",
        "attribution": ATTRIBUTION,
        "scheme": "xyz",
        "tiles": [root + TILE_PATH],
        "minzoom": min_zoom,
        "maxzoom": MAX_ZOOM,
        "bounds": list(MOSS_EXTENT_LONLAT),
        "center": [lon, lat, 12],
        "vector_layers": [
            {"id": "inputs", "description": "Published input with a place",
             "minzoom": detail, "maxzoom": MAX_ZOOM, "fields": _INPUT_FIELDS},
            # At every zoom: from the detail zoom, a tile too full for its inputs has counts.
            {"id": "inputs_grid", "description": "Number of inputs per grid cell (5 or more)",
             "minzoom": min_zoom, "maxzoom": MAX_ZOOM,
             "fields": {"antall": "Number: inputs in the cell"}},
        ],
    }  # fmt: skip


def _theme_colour() -> list | str:
    pairs: list[str] = []
    for theme in styles.theme_styles():
        pairs += [theme.slug, theme.colour]
    if not pairs:
        return styles.OTHER_COLOUR
    return ["match", ["get", "hovedtema"], *pairs, styles.OTHER_COLOUR]


def _basemap() -> dict | None:
    url = settings.BASEMAP_URL.replace("{layer}", settings.BASEMAP_LAYER)
    if not url.startswith("https://"):
        return None
    return {"type": "raster", "tiles": [url], "tileSize": 256,
            "attribution": settings.BASEMAP_ATTRIBUTION, "maxzoom": 18}  # fmt: skip


def maplibre_style(root: str) -> dict:
    """A MapLibre GL style (version 8) over the tiles, coloured by first theme."""
    min_zoom, detail = _zooms()
    colour = _theme_colour()
    lon, lat = MOSS_CENTRE_LONLAT
    sources: dict[str, dict] = {"innspill": {"type": "vector", "url": f"{root}/tiles/inputs.json"}}
    layers: list[dict] = [{"id": "bakgrunn", "type": "background",
                           "paint": {"background-color": "#f4f4f2"}}]  # fmt: skip
    basemap = _basemap()
    if basemap is not None:
        sources["grunnkart"] = basemap
        layers.append({"id": "grunnkart", "type": "raster", "source": "grunnkart"})
    common = {"source": "innspill", "source-layer": "inputs", "minzoom": detail}
    layers += [
        {"id": "innspill-flate", "type": "fill", **common, "filter": ["==", "$type", "Polygon"],
         "paint": {"fill-color": colour, "fill-opacity": 0.35}},
        {"id": "innspill-flate-kant", "type": "line", **common,
         "filter": ["==", "$type", "Polygon"], "paint": {"line-color": colour, "line-width": 1.5}},
        {"id": "innspill-linje", "type": "line", **common,
         "filter": ["==", "$type", "LineString"],
         "paint": {"line-color": colour, "line-width": 3}},
        {"id": "innspill-punkt", "type": "circle", **common, "filter": ["==", "$type", "Point"],
         "paint": {"circle-color": colour, "circle-radius": 5, "circle-stroke-color": "#ffffff",
                   "circle-stroke-width": 1}},
        {"id": "innspill-rute", "type": "circle", "source": "innspill",
         "source-layer": "inputs_grid", "minzoom": min_zoom,
         "paint": {"circle-color": "#1f78b4", "circle-opacity": 0.6,
                   "circle-radius": ["interpolate", ["linear"], ["get", "antall"],
                                     5, 4, 100, 12, 1000, 24]}},
    ]  # fmt: skip
    return {
        "version": 8,
        "name": "Innspill etter tema",
        "metadata": {"attribution": ATTRIBUTION},
        "center": [lon, lat],
        "zoom": 12,
        "sources": sources,
        "layers": layers,
    }


def tileset(root: str) -> dict:
    """OGC API – Tiles: the tileset description (vector, WebMercatorQuad)."""
    min_zoom, detail = _zooms()
    url = f"{root}/tiles/inputs/tiles/WebMercatorQuad"
    limits = []
    for z in range(min_zoom, MAX_ZOOM + 1):
        x0, y0, x1, y1 = tiles.tile_range(z, MOSS_EXTENT_LONLAT)
        limits.append({"tileMatrix": str(z), "minTileRow": y0, "maxTileRow": y1,
                       "minTileCol": x0, "maxTileCol": x1})  # fmt: skip
    west, south, east, north = MOSS_EXTENT_LONLAT
    return {
        "title": "Innspill",
        "description": "Published participation input in Moss as Mapbox vector tiles.",
        "dataType": "vector",
        "crs": epsg_uri(WEB_MERCATOR_SRID),
        "tileMatrixSetURI": "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        "tileMatrixSetLimits": limits,
        "boundingBox": {
            "lowerLeft": [west, south],
            "upperRight": [east, north],
            "crs": CRS84_URI,
        },  # fmt: skip
        "layers": [
            {
                "id": "inputs",
                "dataType": "vector",
                "minTileMatrix": str(detail),
                "maxTileMatrix": str(MAX_ZOOM),
            },
            {
                "id": "inputs_grid",
                "dataType": "vector",
                "geometryType": "points",
                "minTileMatrix": str(min_zoom),
                "maxTileMatrix": str(MAX_ZOOM),
            },
        ],  # fmt: skip
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {
                "rel": "item",
                "type": MEDIA_TYPE,
                "templated": True,
                "href": f"{root}/tiles/inputs/{{tileMatrix}}/{{tileCol}}/{{tileRow}}.mvt",
            },
            {
                "rel": "describedby",
                "type": "application/json",
                "href": f"{root}/tiles/inputs.json",
                "title": "TileJSON",
            },
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                "type": "application/json",
                "href": "https://raw.githubusercontent.com/opengeospatial/2D-Tile-Matrix-Set/"
                "master/registry/json/WebMercatorQuad.json",
            },
            {
                "rel": "stylesheet",
                "type": "application/vnd.mapbox.style+json",
                "href": f"{root}/tiles/style.json",
            },
        ],  # fmt: skip
    }
