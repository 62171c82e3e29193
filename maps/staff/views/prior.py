""" "What have we heard here before?": the report page, its printable version and CSV."""

from __future__ import annotations

import math
import secrets

import orjson
from django.contrib.gis.geos import GEOSGeometry
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo.crs import MOSS_BBOX_LONLAT, WEB_SRID
from inputbank import roles
from inputbank.geometry import query_area
from inputbank.models import Channel, Input, Outcome, Stage, Theme
from inputbank.reads.arguments import arguments_by_theme
from inputbank.reads.consultation import consultation_history
from inputbank.reads.prior_input import PriorInputError, prior_input
from inputbank.reads.similar import similar_statements
from maps.builders import OUTCOME_COLOURS, prior_input_map, render_parts
from maps.staff.access import staff_view
from maps.staff.forms import PriorInputForm

MAP_SCRIPTS_KEPT = 3
# Rows listed on one page of the report (the pager reaches the rest); the summary counts all.
LIST_LIMIT = 500
# The exports (CSV, DOCX, GeoPackage) hold the whole answer, up to this many hits.
EXPORT_LIMIT = 200_000
# Up to this many hits the map draws each one (numbered, by outcome); above, counts per square:
# thousands of overlapping shapes answer nothing.
MAP_SHAPES_MAX = 300
# The squares: about this many across the area's longer side, at a round size in metres.
CELLS_ACROSS = 12
CELL_SIZES_M = (25, 50, 100, 200, 250, 500, 1000, 2000, 5000)


def whole_area(area: GEOSGeometry, buffer_m: int) -> GEOSGeometry:
    """Return the buffered query area in the storage CRS as one geometry.

    The API's query_area returns subdivided pieces for large areas; maps and the overlap
    history want the whole area back.
    """
    pieces = query_area(area, buffer_m)
    if not isinstance(pieces, list):
        return pieces
    whole = pieces[0]
    for piece in pieces[1:]:
        whole = whole.union(piece)
    return whole


def _labelled(counts: dict, labels: dict) -> list[tuple[str, str, int]]:
    return [(key, str(labels.get(key, key)), n) for key, n in counts.items()]


def _sources(public_ids: list[str], numbers: dict[str, int]) -> list[dict]:
    """A sentence's sources as the report links them: its number in the list, if listed."""
    return [{"id": i, "n": numbers.get(i)} for i in public_ids]


def _arguments_by_theme(
    arguments: list[dict], summaries: list[dict], theme_names: dict, numbers: dict[str, int]
) -> list[dict]:
    """Per theme: the quoted summary, its arguments ranked by voices, and the share of them
    still unanswered."""
    sentences = {
        s["theme"]: [{**x, "sources": _sources(x["input_ids"], numbers)} for x in s["sentences"]]
        for s in summaries
    }
    out = []
    for slug, items in arguments_by_theme(arguments).items():
        unanswered = sum(1 for a in items if a["response"] is None)
        out.append(
            {
                "slug": slug,
                "name": theme_names.get(slug, _("No theme") if slug == "-" else slug),
                "summary": sentences.get(slug, []),
                "arguments": items,
                "unanswered_percent": round(100 * unanswered / len(items)),
            }
        )
    return out


def _gaps(gaps: dict | None, theme_names: dict) -> dict | None:
    """The gaps with the names a planner reads."""
    if gaps is None:
        return None
    channels = dict(Channel.choices)
    return {
        **gaps,
        "themes": [{**g, "name": theme_names.get(g["slug"], g["slug"])} for g in gaps["themes"]],
        "channels": [
            {**g, "name": channels.get(g["channel"], g["channel"])} for g in gaps["channels"]
        ],
    }


def _numbered(features: list[dict], start: int) -> list[dict]:
    """Number the features in the order of the answer (1 = newest) and name their outcome."""
    for n, feature in enumerate(features, start=start + 1):
        props = feature["properties"]
        props["n"] = n
        props["outcome"] = (props.get("response") or {}).get("outcome") or "none"
    return features


def _list_page(user, d, form, result, features: list[dict], page: int) -> dict:
    """The page of the list asked for: from the answer's features, or fetched by offset.

    Every hit is reachable: pages past the map's features ask prior_input for that slice.
    """
    total = result.summary["total"]
    pages = max(1, math.ceil(total / LIST_LIMIT))
    page = min(max(page, 1), pages)
    start = (page - 1) * LIST_LIMIT
    if start + LIST_LIMIT <= len(features) or len(features) >= total:
        shown = features[start : start + LIST_LIMIT]
    else:
        more = prior_input(
            **_question(user, d, form), limit=LIST_LIMIT, offset=start, summarise=False
        )
        shown = _numbered(orjson.loads(more.features), start)
    return {
        "number": page,
        "pages": pages,
        "first": start + 1 if shown else 0,
        "last": start + len(shown),
        "total": total,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None,
        "features": shown,
    }


def cell_size_for(area: GEOSGeometry) -> int:
    """A round square size (metres) giving about CELLS_ACROSS squares over the area."""
    minx, miny, maxx, maxy = area.extent  # storage CRS: metres
    wanted = max(maxx - minx, maxy - miny) / CELLS_ACROSS
    return next((size for size in CELL_SIZES_M if size >= wanted), CELL_SIZES_M[-1])


def _cells(result) -> dict | None:
    """The answer's counts per square for the map, or None when it draws each hit."""
    if result.cells is None:
        return None
    cells = orjson.loads(result.cells)
    return {"features": cells["features"], "cell_m": round(float(cells["cell_m"]))}


def _question(user, d, form) -> dict:
    return {
        "user": user,
        "geometry": d["area"],
        "buffer_m": d["buffer_m"],
        "themes": [t.slug for t in d["themes"]],
        "since": form.since,
        "until": form.until,
        "outcomes": d["outcomes"],
        "include_pending": d.get("include_pending", False),
        "gaps_since": d.get("gaps_since"),
    }


def arguments_note(grouped: int, total: int) -> str:
    """Says so when the arguments are grouped from the newest hits only (prior_input caps them
    at INPUTBANK["PRIOR_ARGUMENT_HITS"]); empty when they come from every hit."""
    if grouped >= total:
        return ""
    return _(
        "The arguments and quotes below are grouped from the newest %(grouped)s of the "
        "%(total)s inputs here; every count above includes them all."
    ) % {
        "grouped": number_format(grouped, force_grouping=True),
        "total": number_format(total, force_grouping=True),
    }


def build_report(user, form: PriorInputForm, *, page: int = 1, everything: bool = False) -> dict:
    """Ask prior_input the form's question and add groups, history and labelled summaries.

    The map shows up to API_MAX_PAGE_SIZE hits and the list one page of LIST_LIMIT; with
    ``everything`` (the exports) every hit is fetched and listed.
    """
    d = form.cleaned_data
    area = whole_area(d["area"], d["buffer_m"])
    result = prior_input(
        **_question(user, d, form),
        limit=EXPORT_LIMIT if everything else None,
        cells_m=cell_size_for(area),
        cells_above=MAP_SHAPES_MAX,
    )
    features = _numbered(orjson.loads(result.features), 0)
    by_public_id = {f["id"]: f for f in features}
    ids = dict(
        Input.objects.filter(public_id__in=list(by_public_id)).values_list("id", "public_id")
    )
    grouping = similar_statements(list(ids))
    groups = [
        {
            "text": group.text,
            "voices": group.voices,
            "numbers": sorted(
                by_public_id[str(ids[i])]["properties"]["n"] for i in group.input_ids
            ),
        }
        for group in grouping.groups
    ]
    numbers = {i: f["properties"]["n"] for i, f in by_public_id.items()}
    for argument in result.arguments:
        argument["numbers"] = sorted(numbers[i] for i in argument["input_ids"] if i in numbers)
    # The map needs only where, the number and the outcome (and never text people wrote).
    map_features = [
        {
            "type": "Feature",
            "geometry": f["geometry"],
            "properties": {"n": f["properties"]["n"], "outcome": f["properties"]["outcome"]},
        }
        for f in features
        if f.get("geometry")
    ]
    summary = result.summary
    themes = dict(Theme.objects.values_list("slug", "name"))
    outcome_labels = {**dict(Outcome.choices), "none": _("No response yet")}
    if everything:
        listing = {"number": 1, "pages": 1, "first": 1, "last": len(features),
                   "total": summary["total"], "previous": None, "next": None,
                   "features": features}  # fmt: skip
    else:
        listing = _list_page(user, d, form, result, features, page)
    shown = {f["properties"]["n"] for f in listing["features"]}
    return {
        "summary": summary,
        "features": features,
        "list_features": listing["features"],
        "list_page": listing,
        "list_numbers": shown,
        # Many hits: the map shows counts per square (``map_cells``) instead of each shape.
        "map_cells": _cells(result),
        "map_features": map_features if result.cells is None else [],
        "truncated": result.truncated,
        "by_theme": _labelled(summary["by_theme"], themes),
        "by_outcome": _labelled(summary["by_outcome"], outcome_labels),
        "by_channel": _labelled(summary["by_channel"], dict(Channel.choices)),
        "by_year": list(summary["by_year"].items()),
        "by_process": summary["by_process"],
        "groups": groups,
        "arguments_by_theme": _arguments_by_theme(
            result.arguments, result.theme_summaries, themes, numbers
        ),
        "arguments_note": arguments_note(result.arguments_hits, summary["total"]),
        "gaps": _gaps(result.gaps, themes),
        "groups_partial": grouping.partial,
        "history": consultation_history(area),
        "area": area,
        "area_geojson": orjson.loads(area.transform(WEB_SRID, clone=True).json),
        "outcome_labels": outcome_labels,
        "stage_labels": dict(Stage.choices),
        "channel_labels": dict(Channel.choices),
        "theme_names": themes,
        "outcome_colours": OUTCOME_COLOURS,
        "criteria": form.criteria(),
        "buffer_m": d["buffer_m"],
        "may_open_inputs": roles.can_see_unpublished(user),
    }


def _bound_form(request) -> PriorInputForm | None:
    if request.method == "POST":
        return PriorInputForm(request.POST, request.FILES)
    if "source" in request.GET:
        return PriorInputForm(request.GET)
    return None


def _page_asked(request) -> int:
    raw = request.POST.get("page") or request.GET.get("page") or "1"
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def report_or_errors(request, form, *, everything: bool = False):
    if form is None or not form.is_valid():
        return None
    try:
        return build_report(request.user, form, page=_page_asked(request), everything=everything)
    except PriorInputError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None


@staff_view()
def prior_input_report(request):
    form = _bound_form(request)
    report = report_or_errors(request, form)
    # The report's parts are also top-level names: the printable page shares the template.
    context = {
        **(report or {}),
        "form": form or PriorInputForm(),
        "report": report,
        "may_export_gis": roles.can_export(request.user),
    }
    return render(request, "staff/prior_input.html", context)


def _remember_map_script(request, script: str) -> str:
    """Keep the print map's script in the session and return the key to fetch it by.

    The CSP forbids inline scripts, and the page comes from a POST (the area may be too big
    for a URL), so the script is served by report_map_js from the (database) session.
    """
    key = secrets.token_urlsafe(12)
    scripts = dict(request.session.get("report_maps", {}))
    scripts[key] = script
    while len(scripts) > MAP_SCRIPTS_KEPT:
        scripts.pop(next(iter(scripts)))
    request.session["report_maps"] = scripts
    return key


@staff_view()
@require_POST
def prior_input_print(request):
    form = PriorInputForm(request.POST)
    # The printable version is the archive copy: every hit, not one page.
    report = report_or_errors(request, form, everything=True)
    if report is None:
        return render(request, "staff/prior_input.html", {"form": form, "report": None}, status=400)
    parts = render_parts(
        prior_input_map(
            name="report",
            area=report["area_geojson"],
            features=report["map_features"],
            cells=report["map_cells"],
            number_label=_("No."),
            count_label=_("Inputs"),
            fallback_bounds=MOSS_BBOX_LONLAT,
        )
    )
    report["map"] = parts
    report["map_key"] = _remember_map_script(request, parts.script)
    return render(request, "staff/prior_input_print.html", report)


@staff_view()
def report_map_js(request, key: str):
    script = request.session.get("report_maps", {}).get(key)
    if script is None:
        raise Http404
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")
