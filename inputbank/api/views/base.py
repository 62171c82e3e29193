"""Shared pieces of the API views: renderers, throttles, GeoJSON responses."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from inputbank.api.renderers import GEOJSON, GeoJSONRenderer
from inputbank.api.throttling import ReadThrottle


class ApiView(APIView):
    """Base of every API view: JSON (and GeoJSON) out, throttled for the public."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    throttle_classes = [ReadThrottle]


def json_bytes_response(body: bytes, *, status: int = 200, geojson: bool = True) -> HttpResponse:
    """Wrap JSON already built (by PostgreSQL or orjson) in a response.

    The content depends on who asks, so caches must key on the credentials too.
    """
    response = HttpResponse(
        body, status=status, content_type=GEOJSON if geojson else "application/json"
    )
    patch_vary_headers(response, ("Cookie", "Authorization"))
    return response
