"""Process pages: the list, one process with its compiled input, and the embeddable map."""

from __future__ import annotations

import json
from collections import Counter

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from geo.crs import MOSS_BBOX_LONLAT
from inputbank.filters import InputFilter
from inputbank.models import Channel, Input, LadderStep, Outcome, Process, Theme
from inputbank.reads.arguments import arguments_for
from maps.builders import process_map, render_parts
from maps.public.views.common import common_context, public_inputs, still_true_context

# A page of cards with answers: 20 keep a large hearing's page short (it was 12 500 px at 50).
PAGE_SIZE = 20
# "What we heard, what we did": the arguments with the most voices, each with its answer.
TOP_ARGUMENTS = 5
# The filters a process page offers (the list's filters by the same names, minus the process).
PROCESS_FILTERS = ("q", "theme", "outcome")
# What each step of the participation ladder means for a resident, in plain words.
LADDER_EXPLANATIONS = {
    LadderStep.INFORMATION: _("The municipality tells you about the plans. You can read and ask."),
    LadderStep.TWO_WAY: _(
        "The municipality tells you about the plans and asks what you think. Your input is read "
        "and answered."
    ),
    LadderStep.DIALOGUE: _(
        "The municipality talks with residents about the plans and the input before it decides."
    ),
    LadderStep.COLLABORATION: _("Residents and the municipality work out the solutions together."),
    LadderStep.CO_DECISION: _("Residents decide together with the municipality."),
    LadderStep.DECISION: _("Residents decide, within limits the municipality has set."),
}


@require_safe
def process_list(request):
    """Consultations now open, coming up, and earlier ones (with their compiled input)."""
    today = timezone.localdate()
    processes = Process.objects.all()
    context = {
        "open": processes.open_on(today).order_by("closes_on", "title"),
        "upcoming": processes.upcoming_on(today).order_by("opens_on", "title"),
        "earlier": processes.earlier_on(today).order_by("-closes_on", "title"),
    }
    return render(request, "maps/process_list.html", context)


def _process_or_404(slug: str) -> Process:
    return get_object_or_404(Process.objects.with_area_geojson(), slug=slug)


def _map_name(process: Process) -> str:
    return f"process{process.pk}"


def _build_map(process: Process):
    first_theme_colour = (
        Theme.objects.filter(inputs=OuterRef("pk")).order_by("sort_order", "id").values("colour")
    )
    inputs = (
        Input.objects.published()
        .in_process(process)
        .filter(geom__isnull=False)
        .with_web_geojson(precision=5)
        .annotate(colour=Subquery(first_theme_colour[:1]))
        .values_list("geojson", "colour")
    )
    return process_map(
        name=_map_name(process),
        area=json.loads(process.area_geojson) if process.area_geojson else None,
        inputs=[{"geometry": json.loads(g), "colour": c} for g, c in inputs],
        fallback_bounds=MOSS_BBOX_LONLAT,
    )


@require_safe
@ensure_csrf_cookie
def process_detail(request, slug):
    """A process: what it is about, dates, ladder step, how to take part, compiled input."""
    process = _process_or_404(slug)
    # Only this page's filters are read from the link; a bad value is left out, not an error.
    query = request.GET.copy()
    for name in list(query):
        if name not in PROCESS_FILTERS:
            del query[name]
    selection = InputFilter.from_query(query, lenient=True)
    filtered = bool(selection.q or selection.themes or selection.outcomes)
    inputs = selection.apply(public_inputs().in_process(process), oldest_first=True)
    page = Paginator(inputs, PAGE_SIZE).get_page(request.GET.get("page"))
    outcomes = Counter(
        Input.objects.published().in_process(process).values_list("response__outcome", flat=True)
    )
    today = timezone.localdate()
    embed_url = request.build_absolute_uri(reverse("maps:process_embed", args=[slug]))
    is_open = Process.objects.open_on(today).filter(pk=process.pk).exists()
    meetings = list(process.meetings.all())
    now = timezone.now()
    context = (
        common_context()
        | (still_true_context(process) if is_open else {})
        | {
            "process": process,
            "upcoming_meetings": [m for m in meetings if (m.ends_at or m.starts_at) >= now],
            "past_meetings": [m for m in meetings if (m.ends_at or m.starts_at) < now],
            # Only public input counts and shows (arguments_for lists the caller's inputs only).
            "top_arguments": arguments_for(
                Input.objects.published().in_process(process), limit=TOP_ARGUMENTS
            ),
            "is_open": is_open,
            "is_upcoming": Process.objects.upcoming_on(today).filter(pk=process.pk).exists(),
            "page": page,
            "published_total": Input.objects.published().in_process(process).count()
            if filtered
            else page.paginator.count,
            "filtered": filtered,
            "found_total": page.paginator.count,
            "text": selection.q,
            "chosen_themes": selection.themes,
            "chosen_outcomes": selection.outcomes,
            "outcomes": Outcome.choices,
            "query_without_page": query.urlencode(),
            # In the order of the choices (adopted first), not in the order the rows came.
            "outcome_summary": [
                (label, outcomes[value]) for value, label in Outcome.choices if outcomes.get(value)
            ],
            "unanswered": outcomes.get(None, 0),
            "map_id": f"map_{_map_name(process)}_1",
            # The HTML code as text: attribute values escaped once for the snippet, and the whole
            # snippet escaped again by the template so it shows as code.
            "embed_snippet": format_html(
                '<iframe src="{}" title="{}" width="100%" height="450" style="border:0" '
                'loading="lazy"></iframe>',
                embed_url,
                process.title,
            ),
            "ladder_steps": LadderStep.choices,
            "ladder_explanation": LADDER_EXPLANATIONS.get(process.ladder_step, ""),
            "channel_labels": [Channel(c).label for c in process.channels if c in Channel.values],
        }
    )
    return render(request, "maps/process_detail.html", context)


@require_safe
def process_map_js(request, slug):
    """The folium map's script for a process page or its embed (the CSP forbids inline JS)."""
    process = _process_or_404(slug)
    parts = render_parts(_build_map(process))
    response = HttpResponse(parts.script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@xframe_options_exempt
def process_embed(request, slug):
    """A small map of a process for the municipality's website (may be shown in an iframe)."""
    process = _process_or_404(slug)
    context = {
        "process": process,
        "map_id": f"map_{_map_name(process)}_1",
        "process_url": request.build_absolute_uri(reverse("maps:process_detail", args=[slug])),
        "give_url": request.build_absolute_uri(reverse("maps:give") + f"?process={slug}"),
    }
    response = render(request, "maps/process_embed.html", context)
    response.embeddable = True
    return response
