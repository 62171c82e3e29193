"""The API's side of the input filter: its own parameters, DRF errors, OpenAPI, paging links.

Which inputs a query string selects is ``inputbank.filters.InputFilter`` (shared with the
pages, exports and ``export_layers``). This module adds what only the API has: output CRS,
paging, ``properties`` and ``geometry`` (DRF serializers, so the OpenAPI document describes
them), the filter parameters in the OpenAPI document, and the API's error answer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.conf import settings
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from geo.crs import WEB_SRID, parse_srid
from geo.tiles import MAX_ZOOM
from inputbank.api.errors import flatten_errors
from inputbank.filters import PARAMETERS, FilterError, InputFilter, query_values
from inputbank.geomessages import geo_message

MAX_PAGE = 100_000
LIST_FILTERS = tuple(PARAMETERS)
# The grid counts public input in lon/lat for one view: status, search and areas do not apply.
GRID_FILTERS = tuple(name for name in PARAMETERS if name not in ("status", "q", "intersects"))


class _CommaList(serializers.ListField):
    """A parameter that may repeat (theme=a&theme=b) or hold a comma list (theme=a,b)."""

    def to_internal_value(self, data):
        items = []
        for value in data if isinstance(data, list) else [data]:
            items.extend(v.strip() for v in str(value).split(",") if v.strip())
        return super().to_internal_value(items)


@extend_schema_field(OpenApiTypes.STR)
class CRSField(serializers.Field):
    """An output CRS: EPSG:25832, 25832 or an OGC CRS URI."""

    max_chars = 80

    def to_internal_value(self, data) -> int:
        if not isinstance(data, str):
            raise serializers.ValidationError("must be text")
        if len(data) > self.max_chars:
            raise serializers.ValidationError(f"longer than {self.max_chars} characters")
        try:
            return parse_srid(data)  # UnknownCRS is a ValueError
        except ValueError as exc:
            raise serializers.ValidationError(geo_message(exc)) from exc

    def to_representation(self, value):
        return str(value)


class PageOptions(serializers.Serializer):
    """Paging, shared by the list and its dots."""

    page = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, default=1, help_text="Page number, from 1."
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Inputs per page: default API_PAGE_SIZE (100), at most API_MAX_PAGE_SIZE.",
    )

    def validate_page_size(self, value: int) -> int:
        limit = settings.INPUTBANK["MAX_PAGE_SIZE"]
        if value > limit:
            raise serializers.ValidationError(f"must be at most {limit}")
        return value

    def validate(self, attrs):
        attrs.setdefault("page_size", settings.INPUTBANK["PAGE_SIZE"])
        return attrs


class ListOptions(PageOptions):
    """The list's own parameters, beside the filters: output CRS, properties, paging."""

    crs = CRSField(required=False, help_text="Output CRS, e.g. EPSG:25832. Default CRS84.")
    properties = _CommaList(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=40,
        help_text="Only these properties (comma list, as OGC API Features' 'properties'); "
        "empty for none. Default: every property your role may see.",
    )
    geometry = serializers.ChoiceField(
        ["full", "anchor"],
        required=False,
        help_text="full (default), or anchor: a point on each geometry (on the line, inside the "
        "area), for drawing many inputs as dots.",
    )

    def validate_properties(self, value: list[str]) -> list[str]:
        """Keep the names in the caller's allow-list (context "audience"); refuse others."""
        from inputbank.reads.features import Audience, property_names

        allowed = property_names(self.context.get("audience", Audience.PUBLIC))
        unknown = [name for name in value if name not in allowed]
        if unknown:
            raise serializers.ValidationError(
                f"unknown property {unknown[0][:40]!r}; choose from {', '.join(allowed)}"
            )
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("crs", WEB_SRID)
        return attrs


class GridOptions(serializers.Serializer):
    """The grid's own parameter, beside the box and the filters."""

    zoom = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ZOOM,
        help_text="The map's zoom level (XYZ); a cell is about 64 screen pixels at this zoom.",
    )


def filter_parameters(
    names: Collection[str] = LIST_FILTERS,
    *,
    required: Collection[str] = (),
    any_status: bool = False,
) -> list[OpenApiParameter]:
    """The filter parameters for the OpenAPI document, from their one definition.

    ``any_status``: the exports' status, which also takes ``all``.
    """
    out = []
    for name in names:
        param = PARAMETERS[name]
        description = param.help
        choices = list(param.choices)
        if name == "status" and any_status:
            choices.append("all")
            description = (
                "all, or a status list: unpublished input (GIS team and case officers only)."
            )
        if name == "bbox" and name in required:
            description = "minlon,minlat,maxlon,maxlat (CRS84): the map view."
        schema: dict = {"type": "string", "enum": choices} if choices else {"type": "string"}
        if param.many:
            schema = {"type": "array", "items": schema}
        out.append(
            OpenApiParameter(
                name,
                schema,
                OpenApiParameter.QUERY,
                required=name in required,
                description=description,
                explode=True if param.many else None,
            )
        )
    return out


def _options_data(query: Mapping, options: type[serializers.Serializer]) -> tuple[dict, list]:
    """The options' values from the query: lists whole, single values once (else an error)."""
    data, errors = {}, []
    for name, field in options._declared_fields.items():
        if name not in query:
            continue
        if isinstance(field, serializers.ListField):
            # Kept even when empty: "properties=" asks for no properties.
            data[name] = query.getlist(name) if hasattr(query, "getlist") else query[name]
            continue
        values = query_values(query, name)
        if len(values) > 1:
            errors.append({"field": name, "message": "give this parameter once"})
        elif values:
            data[name] = values[0]
        elif isinstance(field, serializers.IntegerField):
            # Named but empty ("page_size="): a mistake in a link, not the default; the
            # schema says integer (schemathesis found it answered 200).
            data[name] = ""
    return data, errors


def parse_query(
    query: Mapping,
    options: type[serializers.Serializer],
    *,
    filters: Collection[str] = LIST_FILTERS,
    required: Collection[str] = (),
    context: dict | None = None,
) -> tuple[InputFilter, dict]:
    """Parse a request's filter and its options; raise one ValidationError listing every problem.

    Unknown parameters are refused, so a typo never silently widens the answer.
    """
    errors: list[dict[str, str]] = []
    selection = InputFilter()
    try:
        selection = InputFilter.from_query(
            query, names=filters, required=required, extra=options._declared_fields
        )
    except FilterError as exc:
        errors += exc.errors
    data, option_errors = _options_data(query, options)
    errors += option_errors
    serializer = options(data=data, context=context or {})
    if not serializer.is_valid():
        errors += flatten_errors(serializer.errors)
    if errors:
        raise api_error(errors)
    return selection, serializer.validated_data


def api_error(errors: list[dict[str, str]]) -> ValidationError:
    """A ValidationError the API's exception handler answers as these {field, message} pairs."""
    detail: dict[str, list[str]] = {}
    for error in errors:
        detail.setdefault(error["field"], []).append(error["message"])
    return ValidationError(detail)


def link_params(options: dict, query: QueryDict, page: int) -> str:
    """Return the query string of another page: the caller's own validated parameters only."""
    out = QueryDict(mutable=True)
    for key in (*LIST_FILTERS, *ListOptions._declared_fields):
        if key in ("page", "page_size") or key not in query:
            continue
        for value in query.getlist(key):
            out.appendlist(key, value)
    out["page"] = str(page)
    out["page_size"] = str(options["page_size"])
    return out.urlencode()
