"""The consultation map: how often and how recently each part of Moss was consulted."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render

from inputbank.reads.consultation import consultation_grid
from maps.staff.access import staff_view
from maps.staff.forms import ConsultationMapForm


@staff_view()
def consultation_map(request):
    form = ConsultationMapForm(request.GET or None)
    return render(
        request,
        "staff/consultation_map.html",
        {"form": form, "query": request.GET.urlencode()},
    )


@staff_view()
def consultation_grid_json(request):
    """Return the hexagon layer as GeoJSON (built in PostgreSQL)."""
    form = ConsultationMapForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            b'{"error": "invalid parameters"}', content_type="application/json", status=400
        )
    d = form.cleaned_data
    body = consultation_grid(
        cell_m=d.get("cell_m") or 500,
        since=dt.date(d["year_from"], 1, 1) if d.get("year_from") else None,
        until=dt.date(d["year_to"], 12, 31) if d.get("year_to") else None,
    )
    return HttpResponse(body, content_type="application/geo+json")
