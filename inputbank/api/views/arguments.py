"""GET /api/v1/arguments/: the arguments (standpunkter) the selected inputs make."""

from __future__ import annotations

import orjson
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from inputbank.api import docs
from inputbank.api.filters import filter_parameters, parse_query
from inputbank.api.throttling import ReadThrottle
from inputbank.api.views.base import ApiView, json_bytes_response
from inputbank.models import Input
from inputbank.reads.arguments import arguments_for
from inputbank.reads.features import audience_for


class ArgumentOptions(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=500, default=100, help_text="At most this many."
    )


class ArgumentListView(ApiView):
    throttle_classes = [ReadThrottle]

    @extend_schema(
        operation_id="arguments_list",
        parameters=[*filter_parameters(), ArgumentOptions],
        responses={
            200: OpenApiResponse(
                description="{arguments: [{id, title, text, input_ids, voices, first_received, "
                "last_received, processes, themes, response, reason}]}"
            ),
            400: docs.ERRORS,
        },
        description="The arguments (one concern about one place or topic, across processes "
        "and years) that the inputs selected by the same filters as the input list make, most "
        "voices first. Only the inputs your role may see count; anonymous callers see only "
        "published inputs' ids. No personal data.",
        auth=[{}],
    )
    def get(self, request):
        selection, data = parse_query(
            request.query_params,
            ArgumentOptions,
            context={"audience": audience_for(request.user)},
        )
        inputs = selection.apply(Input.objects.visible_to(request.user))
        body = orjson.dumps({"arguments": arguments_for(inputs, limit=data["limit"])})
        return json_bytes_response(body, geojson=False)
