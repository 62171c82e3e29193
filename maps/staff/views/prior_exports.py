"""The prior-input report's whole answer as files: CSV (geometry as WKT), DOCX, PDF, GeoPackage.

Each export asks the report's question again (the criteria travel as hidden fields, so no
uploaded file is needed) and holds every hit, not only the page on screen.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.geometry import query_area
from inputbank.models import Channel
from inputbank.publishing import exports
from inputbank.reads.features import audience_for
from inputbank.reads.prior_input import prior_filter
from maps.staff.access import staff_view
from maps.staff.documents import word
from maps.staff.documents.prior import prior_report_document
from maps.staff.documents.prior_pdf import PDF_TYPE, prior_report_pdf
from maps.staff.forms import PriorInputForm
from maps.staff.views.common import csv_response
from maps.staff.views.prior import report_or_errors

FILE_STEM = "tidligere-innspill"


def _whole_report(request):
    form = PriorInputForm(request.POST)
    report = report_or_errors(request, form, everything=True)
    if report is None:
        page = render(request, "staff/prior_input.html", {"form": form, "report": None})
        page.status_code = 400
        return form, None, page
    return form, report, None


def _wkt_and_points(features: list[dict]) -> list[tuple[str, str, str]]:
    """WKT (lon/lat) of every hit's geometry and a point on it (points, lines and areas).

    geopandas does it for the whole table at once (shapely's vectorised WKT writer and
    point-on-surface): an answer holds up to 200 000 hits. Imported here, on the first export,
    not when a worker starts (decisions.md, "Dependencies").
    """
    import geopandas as gpd

    frame = gpd.GeoDataFrame.from_features(
        [{"type": "Feature", "geometry": f.get("geometry"), "properties": {}} for f in features],
        crs="OGC:CRS84",
    )
    if frame.empty:
        return []
    shapes = frame.geometry
    wkt = shapes.to_wkt(rounding_precision=7)
    points = shapes.representative_point()
    return [
        ("", "", "") if shape is None else (text, f"{point.x:.6f}", f"{point.y:.6f}")
        for shape, text, point in zip(shapes, wkt, points, strict=True)
    ]


@staff_view()
@require_POST
def prior_input_csv(request):
    _form, report, refused = _whole_report(request)
    if refused:
        return refused
    header = [
        _("No."),
        _("Received"),
        _("Text"),
        _("Themes"),
        _("Channel"),
        _("Process"),
        _("Outcome"),
        _("Justification"),
        _("Decision document"),
        _("Longitude"),
        _("Latitude"),
        _("Geometry (WKT, lon/lat CRS84)"),
        _("Id"),
    ]
    channels = dict(Channel.choices)
    rows = []
    places = _wkt_and_points(report["features"])
    for feature, (wkt, lon, lat) in zip(report["features"], places, strict=True):
        props = feature["properties"]
        response = props.get("response") or {}
        rows.append(
            [
                props["n"],
                props.get("received_on", ""),
                props.get("text", ""),
                ", ".join(report["theme_names"].get(s, s) for s in props.get("themes", [])),
                channels.get(props.get("channel"), props.get("channel")),
                (props.get("process") or {}).get("title", ""),
                report["outcome_labels"].get(props["outcome"], props["outcome"]),
                response.get("justification", ""),
                response.get("decision_reference", ""),
                lon,
                lat,
                wkt,
                feature["id"],
            ]
        )
    return csv_response(f"{FILE_STEM}.csv", header, rows)


def _area_label(form: PriorInputForm) -> str:
    d = form.cleaned_data
    if d["source"] == PriorInputForm.PROCESS and d.get("process"):
        return _("the area of %(process)s") % {"process": d["process"].title}
    return _("an area drawn or uploaded")


@staff_view()
@require_POST
def prior_input_docx(request):
    with translation.override(word.case_language(translation.get_language())):
        form, report, refused = _whole_report(request)
        if refused:
            return refused
        content = prior_report_document(report, area_label=_area_label(form))
    response = HttpResponse(content, content_type=word.DOCX_TYPE)
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{FILE_STEM}-{today}.docx"'
    return response


@staff_view()
@require_POST
def prior_input_pdf(request):
    """The same document as the DOCX, as PDF for the archive (always bokmål or nynorsk)."""
    with translation.override(word.case_language(translation.get_language())):
        form, report, refused = _whole_report(request)
        if refused:
            return refused
        content = prior_report_pdf(report, area_label=_area_label(form))
    response = HttpResponse(content, content_type=PDF_TYPE)
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{FILE_STEM}-{today}.pdf"'
    return response


@staff_view(roles.can_export)
@require_POST
def prior_input_gpkg(request):
    """The selection as a GeoPackage (EPSG:25832) through the GIS exports' one writer."""
    form = PriorInputForm(request.POST)
    if not form.is_valid():
        page = render(request, "staff/prior_input.html", {"form": form, "report": None})
        page.status_code = 400
        return page
    d = form.cleaned_data
    filters = prior_filter(
        audience_sees_unpublished=audience_for(request.user).sees_unpublished,
        themes=[t.slug for t in d["themes"]],
        since=form.since,
        until=form.until,
        outcomes=d["outcomes"],
        include_pending=d.get("include_pending", False),
    )
    if filters.statuses == ("published",):  # the exports' own "published only"
        filters = replace(filters, statuses=())
    selection = exports.InputSelection(
        filters, area_pieces=tuple(query_area(d["area"], d["buffer_m"]))
    )
    fmt = exports.get_format("gpkg")
    folder = Path(tempfile.mkdtemp(prefix="innspill-export-", dir=settings.GIS_TMP_DIR))
    try:
        result = exports.export_inputs(fmt=fmt, selection=selection, folder=folder)
        # Open, then remove the folder: the open handle keeps the data readable until sent.
        handle = result.path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=exports.download_name(FILE_STEM, fmt),
        content_type=fmt.media_type,
    )
    response["X-Row-Count"] = str(result.rows)
    response["Cache-Control"] = "private, no-store"
    return response
