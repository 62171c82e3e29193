"""Shared pieces of the API views: renderers, throttles, GeoJSON responses, lookups."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from inputbank.api.renderers import GEOJSON, GeoJSONRenderer
from inputbank.api.throttling import ReadThrottle
from inputbank.models import Input


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


def visible_input(request, public_id) -> Input:
    """Return the input if this caller may see it; 404 otherwise (no existence leak)."""
    item = Input.objects.visible_to(request.user).filter(public_id=public_id).first()
    if item is None:
        raise Http404("no such input")
    return item
