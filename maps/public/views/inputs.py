"""Published input as a list (the map's equivalent without the map) and one input's page."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from inputbank import antibot
from inputbank.dbrouter import read_only_view
from inputbank.filters import InputFilter
from inputbank.models import Input, ModerationStatus, Outcome, Process
from inputbank.redaction import redact
from inputbank.references import parse_reference
from maps.public.views.common import common_context, public_inputs

PAGE_SIZE = 20


def _without(query, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_safe
@read_only_view
def input_list(request):
    """Published input with the map's filters, paged: the API's filters, by the same names.

    A link is read leniently: a filter the page cannot read is left out and the page says so
    (a stale link must not be an error page); a theme or consultation that no longer exists
    matches nothing rather than everything.
    """
    context = common_context()
    selection = InputFilter.from_query(request.GET, lenient=True)
    inputs = selection.apply(public_inputs())
    page = Paginator(inputs, PAGE_SIZE).get_page(request.GET.get("page"))
    process = Process.objects.by_keys(selection.processes).first() if selection.processes else None
    context |= {
        "page": page,
        "chosen_themes": selection.themes,
        "chosen_outcomes": selection.outcomes,
        "chosen_process": process,
        "process_slug": process.slug if process else "",
        "text": selection.q,
        "outcomes": Outcome.choices,
        "processes": Process.objects.order_by("-opens_on", "title").only("slug", "title"),
        "query_without_page": _without(request.GET, "page"),
        "map_area": selection.bbox is not None,
        "query_without_bbox": _without(request.GET, "bbox", "page"),
        "dropped_filters": selection.dropped,
    }
    return render(request, "maps/input_list.html", context)


@require_safe
@ensure_csrf_cookie
@read_only_view
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


@require_safe
def input_status(request, reference):
    """Where an input stands, by its short reference: received, published, answered.

    For anyone holding the reference (from the receipt or the e-mail), so it shows no personal
    data and nothing of an unpublished text: the date, the consultation, the steps, and the
    links to the input's page and its answer once they are public. A rejected input reads as
    received (the reason is for the contributor's e-mail, not for a guessable address).
    """
    parsed = parse_reference(reference)
    item = (
        Input.objects.with_reference(parsed).select_related("process", "response").first()
        if parsed
        else None
    )
    if item is None:
        raise Http404("no input with this reference")
    published = item.status == ModerationStatus.PUBLISHED
    response = getattr(item, "response", None)
    context = common_context() | {
        "item": item,
        "published": published,
        "answered": response is not None,
        # The outcome is public only with the input itself.
        "response": response if published else None,
    }
    return render(request, "maps/input_status.html", context)
