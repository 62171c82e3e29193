"""Themes and processes: small public catalogues, serialised with the ORM and orjson."""

from __future__ import annotations

import orjson
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Count
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from geo.crs import WEB_SRID, coordinate_precision
from inputbank import roles
from inputbank.api import docs
from inputbank.api.filters import CRSField, _CommaList
from inputbank.api.views.base import ApiView, json_bytes_response
from inputbank.api.views.inputs import _collection_head
from inputbank.models import Process, ProcessStatus, Theme
from inputbank.public import counted_q


class ThemeListView(ApiView):
    @extend_schema(
        operation_id="themes_list",
        responses={200: OpenApiResponse(description="[{id, slug, name, ...}]")},
        description="Active themes in display order; name in the request's language "
        "(Accept-Language), falling back to bokmål. parent is the parent's slug.",
    )
    def get(self, request):
        themes = Theme.objects.active().select_related("parent")
        body = orjson.dumps(
            [
                {
                    "id": t.pk,
                    "slug": t.slug,
                    "name": t.name,
                    "description": t.description,
                    "colour": t.colour,
                    "icon": t.icon,
                    "parent": t.parent.slug if t.parent else None,
                    "sort_order": t.sort_order,
                }
                for t in themes
            ]
        )
        return json_bytes_response(body, geojson=False)


class _ProcessParams(serializers.Serializer):
    status = _CommaList(child=serializers.ChoiceField(ProcessStatus.values), required=False)
    crs = CRSField(required=False, help_text="Output CRS, e.g. EPSG:25832.")

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise ValidationError({name[:40]: "unknown parameter" for name in unknown[:5]})
        return attrs


def _read_params(request) -> dict:
    query = request.query_params
    data = {key: query.getlist(key) if key == "status" else query.get(key) for key in query}
    params = _ProcessParams(data=data)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _processes(request, srid: int):
    return Process.objects.annotate(
        geojson=AsGeoJSON(Transform("area", srid), precision=coordinate_precision(srid)),
        input_count=Count("inputs", filter=counted_q("inputs__")),
    ).order_by("-opens_on", "slug")


def _process_feature(process: Process, staff: bool) -> dict:
    props = {
        "slug": process.slug,
        "title": process.title,
        "description": process.description,
        "purpose": process.purpose,
        "owner_department": process.owner_department,
        "status": process.status,
        "ladder_step": process.ladder_step,
        "opens_on": process.opens_on,
        "closes_on": process.closes_on,
        "channels": process.channels,
        "target_groups": process.target_groups,
        "case_number": process.case_number,
        "plan_id": process.plan_id,
        "input_count": process.input_count,
    }
    if staff:
        props.update(
            hours_used=str(process.hours_used) if process.hours_used is not None else None,
            cost_nok=str(process.cost_nok) if process.cost_nok is not None else None,
            evaluation=process.evaluation,
        )
    geometry = orjson.Fragment(process.geojson) if process.geojson else None
    return {"type": "Feature", "id": process.pk, "geometry": geometry, "properties": props}


class ProcessListView(ApiView):
    @extend_schema(
        operation_id="processes_list",
        parameters=[_ProcessParams],
        responses={200: OpenApiResponse(description="GeoJSON FeatureCollection"), 400: docs.ERRORS},
        description="Participation processes with their area (MultiPolygon). Indicators "
        "(hours_used, cost_nok, evaluation) only for participation advisers and case officers.",
    )
    def get(self, request):
        params = _read_params(request)
        srid = params.get("crs", WEB_SRID)
        processes = _processes(request, srid)
        if params.get("status"):
            processes = processes.filter(status__in=params["status"])
        staff = roles.can_see_indicators(request.user)
        features = [_process_feature(p, staff) for p in processes]
        head = _collection_head(srid, len(features), [])
        return json_bytes_response(head + b',"features":' + orjson.dumps(features) + b"}")


class ProcessDetailView(ApiView):
    @extend_schema(
        operation_id="processes_detail",
        parameters=[
            OpenApiParameter("key", OpenApiTypes.STR, "path", description="Id or slug."),
            _ProcessParams,
        ],
        responses={200: OpenApiResponse(description="GeoJSON Feature"), 404: docs.ERRORS},
    )
    def get(self, request, key):
        params = _read_params(request)
        srid = params.get("crs", WEB_SRID)
        process = (
            _processes(request, srid)
            .filter(pk__in=Process.objects.by_key(key).values("pk"))
            .first()
        )
        if process is None:
            raise Http404("no such process")
        feature = _process_feature(process, roles.can_see_indicators(request.user))
        return json_bytes_response(orjson.dumps(feature))
