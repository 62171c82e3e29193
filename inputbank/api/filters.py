"""Query parameters of GET /api/v1/inputs/: parse strictly, then apply domain queryset methods.

Request data never reaches ``filter(**kwargs)``: each parameter maps to one named queryset
method (Django CVE-2025-64459 class). Unknown parameters are refused, so a typo such as
``themes=`` instead of ``theme=`` is an error rather than a silently unfiltered answer.
"""

from __future__ import annotations

from django.conf import settings
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo.crs import WEB_SRID, parse_srid
from geo.tiles import MAX_ZOOM
from geo.validation import parse_bbox
from inputbank.api.fields import (
    BoundedDateField,
    GeometryField,
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


class InputListParams(serializers.Serializer):
    """Filters, output CRS and paging for the input list."""

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
    since = BoundedDateField(required=False, help_text="Received on or after (ISO date).")
    until = BoundedDateField(required=False, help_text="Received on or before (ISO date).")
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Norwegian full-text search with inflections; trigram fallback for typos.",
    )
    intersects = GeometryField(
        query=True,
        required=False,
        help_text="Inputs intersecting this geometry: GeoJSON geometry or WKT, lon/lat.",
    )
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
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, default=1, help_text="Page number, from 1."
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Features per page: default API_PAGE_SIZE (100), at most API_MAX_PAGE_SIZE.",
    )

    LIST_PARAMS = ("theme", "process", "status", "channel", "outcome", "properties")

    @classmethod
    def from_query(cls, query: QueryDict, **kwargs) -> InputListParams:
        unknown = sorted(set(query) - set(cls._declared_fields))
        data = {}
        for key in query:
            if key in cls.LIST_PARAMS:
                data[key] = query.getlist(key)
            else:
                data[key] = query.get(key)
        params = cls(data=data, **kwargs)
        params.unknown = unknown
        return params

    def validate_properties(self, value: list[str]) -> list[str]:
        """Keep the names in the caller's allow-list (context "audience"); refuse others."""
        from inputbank.features import Audience, property_names

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
        if getattr(self, "unknown", None):
            raise serializers.ValidationError(
                {name[:40]: "unknown parameter" for name in self.unknown[:5]}
            )
        try:
            if attrs.get("theme"):
                attrs["theme"] = ThemeSlugsField().run_validation(attrs["theme"])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"theme": exc.detail}) from exc
        try:
            if attrs.get("process"):
                field = ProcessField()
                attrs["process"] = [field.run_validation(key) for key in attrs["process"]]
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"process": exc.detail}) from exc
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": "must not be before since"})
        attrs.setdefault("page_size", settings.INPUTBANK["PAGE_SIZE"])
        attrs.setdefault("crs", WEB_SRID)
        return attrs


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
    """Apply validated list parameters to an input queryset, ordered for stable paging."""
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
