"""Address, street and property search from the local register: JSON for scripts, HTML without."""

from __future__ import annotations

import math

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from inputbank.reads.places import MAX_QUERY_LENGTH, find_places, nearest_to

MAX_RESULTS = 20


def _limit(value: str | None, default: int = 10) -> int:
    try:
        return max(1, min(MAX_RESULTS, int(value or default)))
    except ValueError:
        return default


@require_safe
def search_places(request):
    """GET /search/places.json?q=dronningens gate 1 -> {"query", "results": [place, ...]}."""
    text = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    places = find_places(text, _limit(request.GET.get("limit")))
    return JsonResponse({"query": text, "results": [p.as_dict() for p in places]})


@require_safe
def search_page(request):
    """The same search as a page: each result links to the map and to giving input there."""
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    places = find_places(text, MAX_RESULTS) if text else []
    return render(request, "maps/search.html", {"text": text, "places": places})


@require_safe
def nearest_places(request):
    """GET /search/nearest.json?lon=&lat= -> the nearest addresses (within 250 m), nearest first.

    The map uses it to say where a pin was put ("Pin placed. Nearest address: ...").
    """
    try:
        lon = float(request.GET.get("lon", ""))
        lat = float(request.GET.get("lat", ""))
    except ValueError:
        return JsonResponse(
            {"errors": [{"field": "lon", "message": "lon and lat must be numbers"}]}, status=400
        )
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (
        -180 <= lon <= 180 and -90 <= lat <= 90
    ):
        return JsonResponse(
            {"errors": [{"field": "lon", "message": "lon/lat out of range"}]}, status=400
        )
    places = nearest_to(lon, lat, _limit(request.GET.get("limit"), default=1))
    return JsonResponse({"results": [p.as_dict() for p in places]})
