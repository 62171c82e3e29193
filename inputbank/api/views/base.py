"""Shared pieces of the API views: renderers, throttles, GeoJSON responses."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from inputbank.api.renderers import GEOJSON, GeoJSONRenderer
from inputbank.api.throttling import ReadThrottle
from inputbank.cache import cached


class ApiView(APIView):
    """Base of every API view: JSON (and GeoJSON) out, throttled for the public."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    throttle_classes = [ReadThrottle]


class _ThenResponse(HttpResponse):
    """A response that runs ``then`` once it has been sent: the server (WSGI or ASGI; the
    test client too) closes a response after writing its body."""

    def __init__(self, *args, then: Sequence[Callable[[], None]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.then = list(then)

    def close(self) -> None:
        then, self.then = self.then, []
        try:
            for step in then:
                step()
        finally:
            super().close()


def json_bytes_response(
    body: bytes, *, status: int = 200, geojson: bool = True, then: Sequence[Callable[[], None]] = ()
) -> HttpResponse:
    """Wrap JSON already built (by PostgreSQL or orjson) in a response; ``then`` runs after it
    is sent.

    The content depends on who asks, so caches must key on the credentials too.
    """
    response = _ThenResponse(
        body, status=status, content_type=GEOJSON if geojson else "application/json", then=then
    )
    patch_vary_headers(response, ("Cookie", "Authorization"))
    return response


def cached_response(key: str, render: Callable[[], bytes], *, geojson: bool = True) -> HttpResponse:
    """``json_bytes_response`` of the answer cached under key (inputbank.cache.cached). A new
    answer is stored after it is sent: writing it (800 kB for a prior-input answer at size M)
    is not the caller's wait (docs/benchmarks.md, B1)."""
    stores: list[Callable[[], None]] = []
    body = cached(key, render, later=stores.append)
    return json_bytes_response(body, geojson=geojson, then=stores)
