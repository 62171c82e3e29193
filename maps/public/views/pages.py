"""The map at /, the give-input page and the fixed pages (accessibility statement, privacy)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from geo.crs import MOSS_EXTENT_LONLAT
from geo.geometry_text import parse_bbox
from geo.validation import GeometryError
from inputbank import antibot
from inputbank.models import Process
from maps.public.views.common import common_context, open_process_data, still_true_context
from maps.public.views.pagecache import cached_public_page

# When the accessibility statement was last checked against the pages: update it on review.
STATEMENT_REVIEWED = dt.date(2026, 11, 25)


def _parse_at(value: str) -> tuple[float, float] | None:
    """Read "lon,lat" from a link such as /give/?at=10.66,59.43 (search results use it)."""
    try:
        lon, lat = (float(part) for part in value.split(",", 1))
    except (ValueError, AttributeError):
        return None
    lon_min, lat_min, lon_max, lat_max = MOSS_EXTENT_LONLAT
    if lon_min <= lon <= lon_max and lat_min <= lat <= lat_max:
        return lon, lat
    return None


def _parse_bbox(value: str) -> tuple[float, float, float, float] | None:
    """Read "minlon,minlat,maxlon,maxlat" (the list page's "this part of the map") if it
    touches the Moss extent; anything else is ignored and the map opens on all of Moss."""
    try:
        minlon, minlat, maxlon, maxlat = parse_bbox(value[:200])
    except GeometryError:
        return None
    lon_min, lat_min, lon_max, lat_max = MOSS_EXTENT_LONLAT
    if maxlon < lon_min or minlon > lon_max or maxlat < lat_min or minlat > lat_max:
        return None
    return minlon, minlat, maxlon, maxlat


@require_safe
def home(request):
    """The participation map: open consultations and published input, with a list beside it.

    The page itself does not count or load input (at archive size that alone takes seconds):
    the script asks the API for what is in view (docs/resident-map.md).
    """
    bbox = _parse_bbox(request.GET.get("bbox", ""))
    if not request.user.is_authenticated and (
        not request.GET or (bbox and set(request.GET) == {"bbox"})
    ):
        # The plain map is the same for every anonymous resident (maps/public/views/pagecache);
        # so is the map on a box, but for the box: one page, the box filled in per request.
        text = _bbox_text(bbox) if bbox else ""

        def page(extra: dict) -> str:
            context = _home_context(request, BBOX_PLACEHOLDER if bbox else "")
            return render_to_string("maps/home.html", context | extra, request)

        fill = {BBOX_PLACEHOLDER: text, QUOTED_BBOX_PLACEHOLDER: quote(text, safe="")}
        if not bbox:
            fill = {}
        return cached_public_page(request, "home-bbox" if bbox else "home", page, fill)
    text = _bbox_text(bbox) if bbox else ""
    return render(request, "maps/home.html", _home_context(request, text))


# Stand-ins for the box in the stored map page: in data-bbox as is, in the dots URL quoted.
BBOX_PLACEHOLDER = "bbox-placeholder-5e0c2a"
QUOTED_BBOX_PLACEHOLDER = "bbox-placeholder-quoted-5e0c2a"


def _bbox_text(bbox: tuple[float, float, float, float]) -> str:
    return ",".join(repr(v) for v in bbox)


def _home_context(request, bbox: str) -> dict:
    """The map page's context; ``bbox`` is the box's text (or its placeholder), or empty."""
    today = timezone.localdate()
    cfg = settings.INPUTBANK
    points_max = max(1, min(cfg["MAP_POINTS_MAX"], cfg["MAX_PAGE_SIZE"]))
    context = common_context() | {
        "open_processes": Process.objects.open_on(today).order_by("closes_on", "slug"),
        "process_data": open_process_data(),
        "at": _parse_at(request.GET.get("at", "")),
        "bbox": bbox,
        "points_max": points_max,
        "aggregate_above": cfg["MAP_AGGREGATE_ABOVE"],
    }
    if bbox:
        # A link to a part of the map: the page names its dots request in a preload, so the
        # browser fetches them while it loads the scripts (home.js asks for this very URL).
        quoted = QUOTED_BBOX_PLACEHOLDER if bbox == BBOX_PLACEHOLDER else quote(bbox, safe="")
        query = urlencode({"page_size": points_max})
        context["first_points_url"] = f"{reverse('api:input-dots')}?bbox={quoted}&{query}"
    return context


@require_safe
@ensure_csrf_cookie
def give(request):
    """The form for giving input: place (map, keyboard, address or none), text, contact."""
    today = timezone.localdate()
    open_processes = list(Process.objects.open_on(today).order_by("title"))
    chosen = request.GET.get("process", "")
    process = next((p for p in open_processes if p.slug == chosen), None)
    context = (
        common_context()
        | (still_true_context(process) if process else {})
        | {
            "open_processes": open_processes,
            "chosen_process": process.slug if process else "",
            "process_data": open_process_data(),
            "languages": settings.LANGUAGES,
            "at": _parse_at(request.GET.get("at", "")),
            "at_label": request.GET.get("label", "")[:200],
            "min_fill_seconds": antibot.min_fill_seconds(),
            # The API's bot check: the token remembers when the form was shown (docs/api.md).
            "form_token": antibot.issue_form_token(),
        }
    )
    return render(request, "maps/give.html", context)


@require_safe
def accessibility(request):
    """The accessibility statement (tilgjengelighetserklæring) the law requires."""
    return render(request, "maps/accessibility.html", {"reviewed": STATEMENT_REVIEWED})


@require_safe
def privacy(request):
    """The privacy notice in plain language; the give-input form links here."""
    return render(request, "maps/privacy.html")
