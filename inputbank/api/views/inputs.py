"""Inputs: the list (GeoJSON built in SQL), the resident's submission, detail and staff edits."""

from __future__ import annotations

import orjson
from django.conf import settings
from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from geo.crs import WEB_SRID, crs_uri
from inputbank import roles, services
from inputbank.api import docs, idempotency
from inputbank.api.filters import (
    CRSField,
    ListOptions,
    PageOptions,
    filter_parameters,
    link_params,
    parse_query,
)
from inputbank.api.parsers import StrictJSONParser
from inputbank.api.permissions import CanRegister, SameOriginWrites
from inputbank.api.serializers import (
    InputSubmitSerializer,
    InputUpdateSerializer,
    contributor_data,
)
from inputbank.api.throttling import ReadThrottle, SubmitThrottle
from inputbank.api.views.base import ApiView, cached_response, json_bytes_response
from inputbank.cache import public_answer_key
from inputbank.dbrouter import read_only_view
from inputbank.models import Input
from inputbank.reads.arguments import heard_before
from inputbank.reads.feature_pages import (
    count_up_to,
    dots_page,
    feature_collection_page,
    single_feature,
)
from inputbank.reads.features import audience_for
from inputbank.reads.inputs import visible_input


def _collection_head(srid: int, returned: int, links: list[dict]) -> bytes:
    head = {"type": "FeatureCollection", "numberReturned": returned, "links": links}
    if srid != WEB_SRID:
        # RFC 7946 dropped 'crs', but GIS tools still read it for non-CRS84 output.
        head["crs"] = {"type": "name", "properties": {"name": crs_uri(srid)}}
    return orjson.dumps(head)[:-1]


def _page_links(request, data: dict, has_next: bool, media_type: str) -> list[dict]:
    """The links of a page of the list (or its dots): self, and next and prev when they exist."""
    page = data["page"]
    base = request.build_absolute_uri(request.path)
    query = request.query_params

    def link(rel: str, number: int) -> dict:
        href = f"{base}?{link_params(data, query, number)}"
        return {"rel": rel, "type": media_type, "href": href}

    links = [link("self", page)]
    if has_next:
        links.append(link("next", page + 1))
    if page > 1:
        links.append(link("prev", page - 1))
    return links


def _shared_if_anonymous(request, render, *, geojson: bool = True):
    if request.user.is_authenticated:
        return json_bytes_response(render(), geojson=geojson)
    # Every anonymous caller gets the same answer for the same URL (the public map's views,
    # shared ?bbox= links): kept with the tiles, refreshed at once when public input changes.
    key = public_answer_key(request.build_absolute_uri(), get_language())
    return cached_response(key, render, geojson=geojson)


class InputCollectionView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [SameOriginWrites]
    throttle_classes = [ReadThrottle, SubmitThrottle]

    @extend_schema(
        operation_id="inputs_list",
        parameters=[*filter_parameters(), ListOptions],
        responses={200: docs.FEATURE_COLLECTION, 400: docs.ERRORS},
        description=docs.LIST_DESCRIPTION,
    )
    @read_only_view
    def get(self, request):
        audience = audience_for(request.user)
        selection, data = parse_query(
            request.query_params, ListOptions, context={"audience": audience}
        )
        queryset = selection.apply(Input.objects.visible_to(request.user))
        page, size = data["page"], data["page_size"]

        def render() -> bytes:
            features, returned, has_next = feature_collection_page(
                queryset,
                audience=audience,
                srid=data["crs"],
                offset=(page - 1) * size,
                limit=size,
                only=data.get("properties"),
                anchor=data.get("geometry") == "anchor",
            )
            links = _page_links(request, data, has_next, "application/geo+json")
            head = _collection_head(data["crs"], returned, links)
            return head + b',"features":' + features + b"}"

        return _shared_if_anonymous(request, render)

    @extend_schema(
        operation_id="inputs_submit",
        request=InputSubmitSerializer,
        parameters=[
            OpenApiParameter(
                idempotency.HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="One random key per submission, kept across retries.",
            )
        ],
        responses={
            201: docs.SUBMITTED,
            400: docs.ERRORS,
            403: docs.ERRORS,
            429: docs.ERRORS,
            503: docs.ERRORS,
        },
        description=docs.SUBMIT_DESCRIPTION,
        auth=[{}],
    )
    def post(self, request):
        key = idempotency.key_for(request)
        # A retry of a submission already stored: the first answer, before the (single-use)
        # form token is checked again.
        first = key and Input.objects.filter(idempotency_key=key).first()
        if first:
            return self._submitted(request, first, repaired=False, replayed=True)
        context = {"skip_bot_check": roles.is_staff_member(request.user), "idempotency_key": key}
        serializer = InputSubmitSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        geom = serializer.validated_data["geometry"]
        props = serializer.validated_data["properties"]
        try:
            item = services.input_submit(
                text=props["text"],
                geom=geom,
                themes=props["themes"],
                language=props["language"],
                process=props["process"],
                contributor=contributor_data(props["contributor"]),
                location_source=props["location_source"],
                location_description=props["location_description"],
                idempotency_key=key,
                location_is_home=props["location_is_home"],
                under_16=props["age_group"] == "under_16",
            )
        except IntegrityError:
            # Two copies of one submission raced; the other stored it.
            first = key and Input.objects.filter(idempotency_key=key).first()
            if not first:
                raise
            return self._submitted(request, first, repaired=False, replayed=True)
        return self._submitted(
            request, item, repaired=bool(getattr(geom, "repaired", False)), replayed=False
        )

    def _submitted(self, request, item, *, repaired: bool, replayed: bool):
        location = reverse("api:input-detail", kwargs={"public_id": item.public_id})
        answer = {
            "id": str(item.public_id),
            # The short reference residents keep, and the page where they follow it.
            "reference": item.reference,
            "status_url": reverse("maps:input_status", kwargs={"reference": item.reference}),
            "status": item.status,
            "geometry_repaired": repaired,
        }
        # Said here before and answered: the resident sees the earlier answer at once.
        answer["heard_before"] = heard_before(item)
        body = orjson.dumps(answer)
        # The same status as the first answer; the header tells a careful client it was a replay.
        response = json_bytes_response(body, status=201, geojson=False)
        response["Location"] = request.build_absolute_uri(location)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class InputDotsView(ApiView):
    """The list's inputs as dots for a map: ids, points and theme lists as columns."""

    throttle_classes = [ReadThrottle]

    @extend_schema(
        operation_id="inputs_dots",
        parameters=[*filter_parameters(), PageOptions],
        responses={200: docs.DOTS, 400: docs.ERRORS},
        description=docs.DOTS_DESCRIPTION,
    )
    @read_only_view
    def get(self, request):
        audience = audience_for(request.user)
        selection, data = parse_query(request.query_params, PageOptions)
        # The same inputs in the same order as the list, less those without a place.
        queryset = selection.apply(Input.objects.visible_to(request.user).exclude(geom=None))
        page, size = data["page"], data["page_size"]

        def render() -> bytes:
            offset = (page - 1) * size
            columns, returned, has_next = dots_page(
                queryset, audience=audience, offset=offset, limit=size
            )
            # Counted as far as the map needs to choose dots or numbers per place (home.js).
            cap = settings.INPUTBANK["MAP_AGGREGATE_ABOVE"]
            # The last page tells the total itself; a page past the end does not.
            last_page = not has_next and (returned or not offset)
            matched = offset + returned if last_page else count_up_to(queryset, cap)
            links = _page_links(request, data, has_next, "application/json")
            head = orjson.dumps(
                {"numberMatched": matched, "numberReturned": returned, "links": links}
            )
            return head[:-1] + b"," + columns + b"}"

        return _shared_if_anonymous(request, render, geojson=False)


class _CRSParam(serializers.Serializer):
    crs = CRSField(required=False, help_text="Output CRS, e.g. EPSG:25832.")


def output_srid(request) -> int:
    """Read the only query parameter a single-object GET takes: crs."""
    unknown = sorted(set(request.query_params) - {"crs"})
    if unknown:
        raise ValidationError({name[:40]: "unknown parameter" for name in unknown[:5]})
    params = _CRSParam(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data.get("crs", WEB_SRID)


def feature_response(request, item: Input, *, srid: int = WEB_SRID, status: int = 200):
    body = single_feature(item.pk, audience=audience_for(request.user), srid=srid)
    return json_bytes_response(body, status=status)


class InputDetailView(ApiView):
    parser_classes = [StrictJSONParser]

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [CanRegister()]
        return []

    @extend_schema(
        operation_id="inputs_detail",
        parameters=[_CRSParam, OpenApiParameter("public_id", OpenApiTypes.UUID, "path")],
        responses={200: docs.FEATURE, 404: docs.ERRORS},
        description="One input as a GeoJSON Feature, with its published comments "
        "(comment_list). Fields depend on the caller's role, as in the list.",
    )
    @read_only_view
    def get(self, request, public_id):
        return feature_response(
            request, visible_input(request.user, public_id), srid=output_srid(request)
        )

    @extend_schema(
        operation_id="inputs_update",
        request=InputUpdateSerializer,
        responses={200: docs.FEATURE, 400: docs.ERRORS, 403: docs.ERRORS, 404: docs.ERRORS},
        description="Case officers correct an input. Send a partial GeoJSON Feature: only the "
        "members given change. A new original text is redacted again into the public text.",
    )
    def patch(self, request, public_id):
        item = visible_input(request.user, public_id)
        serializer = InputUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = serializer.changes()
        services.input_update(input=item, changed_by=request.user, **changes)
        return feature_response(request, item)
