"""Renderers: GeoJSON responses are built as bytes in PostgreSQL; errors are plain JSON."""

from rest_framework.renderers import JSONRenderer

GEOJSON = "application/geo+json"


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for application/geo+json (RFC 7946) without a 406."""

    media_type = GEOJSON
    format = "geojson"
