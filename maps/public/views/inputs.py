"""Published input as a list (the map's equivalent without the map) and one input's page."""

from __future__ import annotations

import json

from django.contrib.gis.geos import Polygon
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from geo.crs import WEB_SRID
from geo.validation import GeometryError, parse_bbox
from inputbank import antibot
from inputbank.models import Outcome, Process
from inputbank.redaction import redact
from maps.public.views.common import common_context, public_inputs

PAGE_SIZE = 20
MAX_FILTER_LENGTH = 100


def _map_area(text: str) -> Polygon | None:
    """The map view the list was opened from ("Show these as a list"), or None."""
    if not text:
        return None
    try:
        bbox = parse_bbox(text[:200])
    except GeometryError:
        return None
    area = Polygon.from_bbox(bbox)
    area.srid = WEB_SRID
    return area


def _without(query, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _clean_list(values: list[str], allowed: set[str]) -> list[str]:
    return [v for v in values if v in allowed][:20]


@require_safe
def input_list(request):
    """Published input with the map's filters (theme, consultation, words, answer), paged."""
    context = common_context()
    theme_slugs = {t["slug"] for t in context["themes"]}
    themes = _clean_list(request.GET.getlist("theme"), theme_slugs)
    outcomes = _clean_list(request.GET.getlist("outcome"), {*Outcome.values, "none"})
    process_slug = request.GET.get("process", "")[:MAX_FILTER_LENGTH]
    text = request.GET.get("q", "").strip()[:MAX_FILTER_LENGTH]

    inputs = public_inputs()
    area = _map_area(request.GET.get("bbox", ""))
    if area is not None:
        inputs = inputs.within(area)
    process = None
    if process_slug:
        process = Process.objects.filter(slug=process_slug).first()
        inputs = inputs.in_process(process) if process else inputs.none()
    if themes:
        inputs = inputs.about(themes)
    if outcomes:
        inputs = inputs.with_outcome(outcomes)
    if text:
        inputs = inputs.search(text).order_by("-rank", "-received_at", "-id")
    page = Paginator(inputs, PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {
        "page": page,
        "chosen_themes": themes,
        "chosen_outcomes": outcomes,
        "chosen_process": process,
        "process_slug": process_slug,
        "text": text,
        "outcomes": Outcome.choices,
        "processes": Process.objects.order_by("-opens_on", "title").only("slug", "title"),
        "query_without_page": _without(request.GET, "page"),
        "map_area": area is not None,
        "query_without_bbox": _without(request.GET, "bbox", "page"),
    }
    return render(request, "maps/input_list.html", context)


@require_safe
@ensure_csrf_cookie
def input_detail(request, public_id):
    """One published input with its answer, comments and support; anything else is a 404."""
    item = public_inputs().with_web_geojson().filter(public_id=public_id).first()
    if item is None:
        raise Http404("no published input with this reference")
    contributor = item.contributor
    # A name is shown only when the contributor ticked "publish my name" (and redacted anyway).
    shown_name = (
        redact(contributor.name) if contributor and contributor.consent_publish_name else ""
    )
    context = common_context() | {
        "item": item,
        "geometry": json.loads(item.geojson) if item.geojson else None,
        "response": getattr(item, "response", None),
        "comments": item.comments.published().order_by("created_at", "id"),
        "photos": item.attachments.filter(public=True, content_type__startswith="image/"),
        "shown_name": shown_name,
        "form_token": antibot.issue_form_token(),
    }
    return render(request, "maps/input_detail.html", context)
