"""The one parser of input filters (list API, GIS exports, export_layers) and filter_inputs.

Parse strictly, then apply domain queryset methods. Request data never reaches
``filter(**kwargs)``: each parameter maps to one named queryset method (Django
CVE-2025-64459 class). Unknown parameters are refused, so a typo such as ``themes=`` instead
of ``theme=`` is an error rather than a silently unfiltered answer. A DRF serializer, so the
OpenAPI document describes every parameter; callers without DRF use ``parse_params``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo.crs import WEB_SRID, parse_srid
from geo.tiles import MAX_ZOOM
from geo.validation import parse_bbox
from inputbank.api.errors import flatten_errors
from inputbank.api.fields import (
    BoundedDateField,
    BoundedDateTimeField,
    GeometryParamField,
    ProcessField,
    ThemeSlugsField,
)
from inputbank.models import Channel, ModerationStatus, Outcome

MAX_PAGE = 100_000
OUTCOME_CHOICES = [*Outcome.values, "none"]


class _CommaList(serializers.ListField):
    """A parameter that may repeat (theme=a&theme=b) or hold a comma list (theme=a,b)."""

    def to_internal_value(self, data):
        items = []
        for value in data if isinstance(data, list) else [data]:
            items.extend(v.strip() for v in str(value).split(",") if v.strip())
        return super().to_internal_value(items)


class _ParsedText(serializers.Field):
    """A short text parameter turned into a value by ``parse`` (which raises ValueError)."""

    max_chars = 200

    def parse(self, text: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError("must be text")
        if len(data) > self.max_chars:
            raise serializers.ValidationError(f"longer than {self.max_chars} characters")
        try:
            return self.parse(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc).removeprefix("bbox: ")) from exc

    def to_representation(self, value):
        return str(value)


@extend_schema_field(OpenApiTypes.STR)
class CRSField(_ParsedText):
    max_chars = 80

    def parse(self, text: str) -> int:
        return parse_srid(text)  # UnknownCRS is a ValueError


@extend_schema_field(OpenApiTypes.STR)
class BBoxField(_ParsedText):
    def parse(self, text: str):
        return parse_bbox(text)  # GeometryError is a ValueError


@extend_schema_field(OpenApiTypes.STR)
class ReceivedBoundField(serializers.Field):
    """An ISO date (a whole local day) or date-time, in 1900–2999, for since/until."""

    MESSAGE = "wrong format: use an ISO date (2024-05-31) or date-time (2024-05-31T12:00:00Z)"

    def to_internal_value(self, data) -> dt.date | dt.datetime:
        if not isinstance(data, str) or len(data) > 40:
            raise serializers.ValidationError(self.MESSAGE)
        field = BoundedDateTimeField() if "T" in data or " " in data.strip() else BoundedDateField()
        try:
            return field.to_internal_value(data.strip())
        except serializers.ValidationError as exc:
            if any("1900" in str(m) for m in exc.detail):
                raise
            raise serializers.ValidationError(self.MESSAGE) from exc

    def to_representation(self, value):
        return value.isoformat()


class InputFilterParams(serializers.Serializer):
    """The input filters, parsed once for every reader: the list API, exports, export_layers.

    Names and meanings are the same everywhere, so a GIS user can copy a query string from
    the API to an export. Request data never reaches ``filter(**kwargs)``: filter_inputs maps
    each parameter to one named queryset method. Unknown parameters are refused (a typo must
    not silently return everything), and so is a single-valued parameter given twice.
    """

    bbox = BBoxField(
        required=False,
        help_text="minlon,minlat,maxlon,maxlat (CRS84). Inputs that intersect the box.",
    )
    theme = _CommaList(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=20,
        help_text="Theme slug; repeat or comma-separate for several. Includes sub-themes.",
    )
    process = _CommaList(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=20,
        help_text="Process id or slug; repeatable.",
    )
    status = _CommaList(
        child=serializers.ChoiceField(ModerationStatus.values),
        required=False,
        help_text="Moderation status; the public only ever sees published input.",
    )
    channel = _CommaList(
        child=serializers.ChoiceField(Channel.values),
        required=False,
        help_text="Channel the input came through (web_map, letter, hearing, ...); repeatable.",
    )
    outcome = _CommaList(
        child=serializers.ChoiceField(OUTCOME_CHOICES),
        required=False,
        help_text="Response outcome; 'none' for input without a response yet.",
    )
    since = ReceivedBoundField(
        required=False, help_text="Received on or after (ISO date, or date-time)."
    )
    until = ReceivedBoundField(
        required=False, help_text="Received on or before (ISO date, or date-time)."
    )
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Norwegian full-text search with inflections; trigram fallback for typos.",
    )
    intersects = GeometryParamField(
        required=False,
        help_text="Inputs intersecting this geometry: GeoJSON geometry or WKT, lon/lat.",
    )
    crs = CRSField(required=False, help_text="Output CRS, e.g. EPSG:25832. Default CRS84.")

    LIST_PARAMS = ("theme", "process", "status", "channel", "outcome", "properties")

    @classmethod
    def from_query(cls, query: Mapping, **kwargs) -> InputFilterParams:
        """Build the serializer from a QueryDict or a plain dict (the export command)."""
        unknown = sorted(set(query) - set(cls._declared_fields))
        repeated = []
        data = {}
        for key in query:
            values = query.getlist(key) if hasattr(query, "getlist") else query[key]
            values = values if isinstance(values, list | tuple) else [values]
            if key in cls.LIST_PARAMS:
                data[key] = list(values)
            else:
                # An empty value is an absent one (HTML forms send every field).
                values = [v for v in values if v not in (None, "")]
                if values:
                    data[key] = values[-1]
                if len(values) > 1:
                    repeated.append(key)
        params = cls(data=data, **kwargs)
        params.unknown = unknown
        params.repeated = repeated
        return params

    def validate(self, attrs):
        if getattr(self, "unknown", None):
            raise serializers.ValidationError(
                {name[:40]: "unknown parameter" for name in self.unknown[:5]}
            )
        if getattr(self, "repeated", None):
            raise serializers.ValidationError(
                dict.fromkeys(self.repeated[:5], "give this parameter once")
            )
        try:
            if attrs.get("theme"):
                # Retired (inactive) themes still filter: old input keeps its themes.
                attrs["theme"] = ThemeSlugsField(active_only=False).run_validation(attrs["theme"])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"theme": exc.detail}) from exc
        try:
            if attrs.get("process"):
                field = ProcessField()
                attrs["process"] = [field.run_validation(key) for key in attrs["process"]]
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"process": exc.detail}) from exc
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and _is_empty_range(since, until):
            raise serializers.ValidationError({"until": "must not be before since"})
        return attrs


def _is_empty_range(since: dt.date | dt.datetime, until: dt.date | dt.datetime) -> bool:
    """True when no moment is on or after ``since`` and on or before ``until``.

    A date means its whole local day: since from its start, until to its end.
    """

    def start(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    first = since if isinstance(since, dt.datetime) else start(since)
    if isinstance(until, dt.datetime):
        return first > until
    return first >= start(until + dt.timedelta(days=1))


class InputListParams(InputFilterParams):
    """Filters, output CRS and paging for GET /api/v1/inputs/."""

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

    page = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, default=1, help_text="Page number, from 1."
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Features per page: default API_PAGE_SIZE (100), at most API_MAX_PAGE_SIZE.",
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

    def validate_page_size(self, value: int) -> int:
        limit = settings.INPUTBANK["MAX_PAGE_SIZE"]
        if value > limit:
            raise serializers.ValidationError(f"must be at most {limit}")
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.setdefault("page_size", settings.INPUTBANK["PAGE_SIZE"])
        attrs.setdefault("crs", WEB_SRID)
        return attrs


class InputExportParams(InputFilterParams):
    """Filters and output CRS of an input export (GIS files, export_layers).

    Exports hold published input unless ``status`` asks for more: ``all`` or a status list,
    for callers with ``may_see_unpublished`` in the context (the GIS team, case officers).
    Without ``crs`` each format writes its default (EPSG:25832; GeoJSON and KML CRS84).
    """

    status = _CommaList(
        child=serializers.ChoiceField([*ModerationStatus.values, "all"]),
        required=False,
        help_text="all, or a status list: unpublished input (GIS team and case officers only).",
    )
    crs = CRSField(
        required=False,
        help_text="Output CRS, e.g. EPSG:25832 (the default; GeoJSON and KML: CRS84).",
    )

    def validate_status(self, statuses: list[str]) -> list[str]:
        """Return the statuses to export; empty means published input only."""
        if not statuses or statuses == [ModerationStatus.PUBLISHED]:
            return []
        if not self.context.get("may_see_unpublished"):
            raise serializers.ValidationError(
                "only the GIS team and case officers may export unpublished input"
            )
        if "all" in statuses:
            return list(ModerationStatus.values)
        return list(dict.fromkeys(statuses))


class ParamError(ValueError):
    """Parameters are wrong; ``errors`` is [{"field": ..., "message": ...}] as the API answers."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def parse_params(serializer_class: type[InputFilterParams], query: Mapping, **context) -> dict:
    """Validate parameters outside a DRF view; raise ParamError listing every problem."""
    params = serializer_class.from_query(query, context=context)
    if not params.is_valid():
        raise ParamError(flatten_errors(params.errors))
    return params.validated_data


class GridParams(InputListParams):
    """The map's counts per cell: a box, a zoom and the list's filters (not paging or search)."""

    bbox = BBoxField(help_text="minlon,minlat,maxlon,maxlat (CRS84): the map view.")
    zoom = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ZOOM,
        help_text="The map's zoom level (XYZ); a cell is about 64 screen pixels at this zoom.",
    )
    # Counts are of public input only, in lon/lat, for one view: these list parameters do not apply.
    status = None
    q = None
    intersects = None
    crs = None
    properties = None
    geometry = None
    page = None
    page_size = None


def filter_inputs(queryset, params: dict):
    """Apply validated filter parameters to an input queryset, ordered for stable paging.

    The caller chooses the base (``visible_to(user)`` for the API; published input, or every
    status, for exports); search results come best match first, the rest newest first.
    """
    if params.get("bbox"):
        queryset = queryset.in_bbox(params["bbox"])
    if params.get("intersects") is not None:
        queryset = queryset.within(params["intersects"])
    if params.get("theme"):
        queryset = queryset.about([t.slug for t in params["theme"]])
    if params.get("process"):
        queryset = queryset.in_processes(params["process"])
    if params.get("status"):
        queryset = queryset.with_status(params["status"])
    if params.get("channel"):
        queryset = queryset.in_channels(params["channel"])
    if params.get("outcome"):
        queryset = queryset.with_outcome(params["outcome"])
    if params.get("since"):
        queryset = queryset.since(params["since"])
    if params.get("until"):
        queryset = queryset.until(params["until"])
    if params.get("q"):
        return queryset.search(params["q"]).order_by("-rank", "-received_at", "-id")
    return queryset.newest_first()


def link_params(params: dict, query: QueryDict, page: int) -> str:
    """Return the query string of another page: the caller's own validated parameters only."""
    out = QueryDict(mutable=True)
    for key in InputListParams._declared_fields:
        if key in ("page",) or key not in params or key not in query:
            continue
        for value in query.getlist(key):
            out.appendlist(key, value)
    out["page"] = str(page)
    out["page_size"] = str(params["page_size"])
    return out.urlencode()
