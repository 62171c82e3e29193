"""GIS exchange URLs, included from inputbank/urls.py before the API:

/api/v1/exports/{inputs|processes}.{gpkg|shp|geojson|fgb|csv|kml}   file exports
/tiles/inputs/{z}/{x}/{y}.mvt                                      vector tiles
/tiles/inputs.json, /tiles/style.json                              TileJSON, MapLibre style
/tiles/inputs/tiles/WebMercatorQuad                                OGC API – Tiles tileset
/ogc/                                                              OGC API – Features
/ows                                                               WMS 1.3.0 / WFS 2.0 (MapServer)
"""

from django.urls import include, path, re_path

from inputbank.api.views import gis as views

urlpatterns = [
    re_path(
        r"^api/v1/exports/(?P<layer>[a-z]+)\.(?P<fmt>[a-z0-9]+)$",
        views.ExportView.as_view(),
        name="gis-export",
    ),
    path("tiles/inputs/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="gis-tile"),
    path("tiles/inputs.json", views.tilejson, name="gis-tilejson"),
    path("tiles/style.json", views.tile_style, name="gis-tile-style"),
    path("tiles/inputs/tiles/WebMercatorQuad", views.tileset, name="gis-tileset"),
    path("ogc/", include("inputbank.api.ogc_urls")),
    path("ows", views.ows, name="gis-ows"),
]
