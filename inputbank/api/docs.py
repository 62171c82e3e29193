"""OpenAPI descriptions of responses built outside serializers (GeoJSON made in SQL)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

_error = inline_serializer(
    "Error",
    {
        "field": serializers.CharField(help_text="Dotted path of the offending field, or ''."),
        "message": serializers.CharField(help_text="The problem in plain words."),
    },
    many=True,
)
ERRORS = OpenApiResponse(
    inline_serializer("Errors", {"errors": _error}),
    description="Every error: {errors: [{field, message}]}. Nothing is stored.",
)

_link = inline_serializer(
    "Link",
    {
        "rel": serializers.CharField(),
        "type": serializers.CharField(),
        "href": serializers.URLField(),
    },
    many=True,
)

FEATURE = OpenApiResponse(
    inline_serializer(
        "InputFeature",
        {
            "type": serializers.CharField(default="Feature"),
            "id": serializers.UUIDField(),
            "geometry": serializers.JSONField(allow_null=True),
            "properties": serializers.JSONField(
                help_text="Public: text, themes, process, channel, language, location_source, "
                "received_on, status, response, supports, comments. gis adds received_at, "
                "published_at, updated_at, location_description, source_group, case_reference; "
                "moderators add original_text, rejection_reason, moderated_at, has_contributor; "
                "case officers add contributor."
            ),
        },
    ),
    description="A GeoJSON Feature (RFC 7946 lon/lat unless crs is given).",
)

FEATURE_COLLECTION = OpenApiResponse(
    inline_serializer(
        "InputFeatureCollection",
        {
            "type": serializers.CharField(default="FeatureCollection"),
            "numberReturned": serializers.IntegerField(),
            "links": _link,
            "features": serializers.ListField(child=serializers.JSONField()),
        },
    ),
    description="GeoJSON FeatureCollection (application/geo+json), newest first.",
)

DOTS = OpenApiResponse(
    inline_serializer(
        "InputDots",
        {
            "numberMatched": serializers.IntegerField(
                allow_null=True,
                help_text="How many inputs the filters match (every page), counted up to "
                "MAP_AGGREGATE_ABOVE (25 000); null when there are more.",
            ),
            "numberReturned": serializers.IntegerField(),
            "links": _link,
            "ids": serializers.ListField(
                child=serializers.UUIDField(), help_text="Public ids, newest first."
            ),
            "coordinates": serializers.ListField(
                child=serializers.FloatField(),
                help_text="lon, lat (CRS84, 5 decimals) of a point on each input's geometry, "
                "one pair per id, in the same order.",
            ),
            "theme_sets": serializers.ListField(
                child=serializers.ListField(child=serializers.CharField()),
                help_text="Each distinct list of theme slugs among these inputs.",
            ),
            "themes": serializers.ListField(
                child=serializers.IntegerField(min_value=0),
                help_text="Per input, the index of its theme list in theme_sets.",
            ),
        },
    ),
    description="The inputs as columns for drawing dots (application/json), newest first.",
)

GRID = OpenApiResponse(
    inline_serializer(
        "InputGrid",
        {
            "type": serializers.CharField(default="FeatureCollection"),
            "numberMatched": serializers.IntegerField(
                help_text="Published inputs in the box (grown to whole cells), also those in "
                "cells too small to show."
            ),
            "cell_m": serializers.FloatField(help_text="Side of a cell in metres."),
            "min_count": serializers.IntegerField(
                help_text="Cells with fewer inputs are left out (AGGREGATE_MIN_COUNT)."
            ),
            "features": serializers.ListField(
                child=serializers.JSONField(),
                help_text="Point Features (lon/lat: the mean position of the cell's inputs) "
                "with the property count, north to south, then west to east.",
            ),
        },
    ),
    description="Counts of published input per grid cell (application/geo+json).",
)

SUBMITTED = OpenApiResponse(
    inline_serializer(
        "Submitted",
        {
            "id": serializers.UUIDField(),
            "reference": serializers.CharField(help_text="Short reference, e.g. MOSS-2026-0142"),
            "status_url": serializers.CharField(help_text="Page that shows the input's status"),
            "status": serializers.CharField(default="pending"),
            "geometry_repaired": serializers.BooleanField(),
            "heard_before": serializers.JSONField(
                allow_null=True,
                help_text="When the same concern was said here before and answered: "
                "{argument, voices, response: {outcome, justification, decision_reference, "
                "decided_at}}; otherwise null.",
            ),
        },
    ),
    description="Stored as pending; public after a moderator publishes it.",
)

LIST_DESCRIPTION = (
    "Inputs the caller may see, as a GeoJSON FeatureCollection built in PostgreSQL. The public "
    "sees published input without personal data; roles see more (docs/api.md). Filters "
    "combine with AND; repeated values of one filter with OR. Unknown parameters are refused. "
    "Paging: page/page_size, links with rel next/prev."
)
DOTS_DESCRIPTION = (
    "The inputs the list would give for the same filters and page, less those without a "
    "place, as columns for drawing them as dots on a map: public ids, a point on each geometry "
    "(lon, lat; 5 decimals, ~1 m) and theme slugs (each distinct list once, an index per "
    "input). About a third of the bytes of the list's geometry=anchor&properties=themes "
    "answer. Same filters, paging and visibility as the list."
)
GRID_DESCRIPTION = (
    "Counts of published, public input per square grid cell of a map view, for drawing many "
    "inputs as numbers. The cell is about 64 screen pixels at the given zoom; cells with fewer "
    "than AGGREGATE_MIN_COUNT inputs are left out for privacy. Takes the list's filters "
    "(theme, process, channel, outcome, since, until). The same for every caller; cached."
)
SUBMIT_DESCRIPTION = (
    "A resident submits input: a GeoJSON Feature (geometry may be null). Anonymous callers "
    "must send properties.form_token (GET /api/v1/form-token/, at least MIN_FILL_SECONDS "
    "old) and leave properties.website empty. JSON only; cross-site requests are refused. "
    "A form token is accepted once. Send an Idempotency-Key header (8-200 characters, e.g. a "
    "random UUID) and keep it when retrying after a lost answer or a 503: the retry gets the "
    "first answer (201, same id, Idempotent-Replayed: true) and nothing is stored twice."
)
