"""POST /api/v1/prior-input/: "what have we heard here before?" over HTTP."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError

from geo.crs import WEB_SRID, UnknownCRS, parse_srid
from inputbank.api import docs
from inputbank.api.parsers import StrictJSONParser
from inputbank.api.serializers import PriorInputSerializer
from inputbank.api.views.base import ApiView, json_bytes_response
from inputbank.dbrouter import read_only_view
from inputbank.reads.prior_input import PriorInputError, prior_input


class PriorInputView(ApiView):
    """Read-only, so open to everyone: each caller sees only what their role may see."""

    parser_classes = [StrictJSONParser]

    @extend_schema(
        operation_id="prior_input",
        request=PriorInputSerializer,
        responses={
            200: OpenApiResponse(
                description="{summary: {total, by_theme, by_outcome, by_process, by_year, "
                "by_channel, processes_overlapping}, arguments: [{id, title, text, input_ids, "
                "voices, first_received, last_received, processes, themes, response, reason}], "
                "theme_summaries: [{theme, sentences: [{text, input_ids, argument, voices}]}], "
                "gaps: {since_year, themes: [{slug, last_received}], channels: [{channel, "
                "last_received}], children_and_young: {gap, count, last_received, complete}}, "
                "features: FeatureCollection}"
            ),
            400: docs.ERRORS,
        },
        description="Every earlier input whose geometry intersects the area (exactly, not by "
        "bounding box), optionally buffered in metres, with a summary, the arguments the inputs "
        "make, a summary per theme quoted from the inputs (each sentence with the public ids "
        "of the inputs it comes from) and the gaps: themes, channels and children and young "
        "people with no input in the area since gaps_since. The area is a GeoJSON geometry "
        "(lon/lat) or a process's area.",
        auth=[{}],
    )
    @read_only_view
    def post(self, request):
        serializer = PriorInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            srid = parse_srid(data["crs"]) if data["crs"] else WEB_SRID
            result = prior_input(
                user=request.user,
                geometry=data["geometry"],
                process=data["process"],
                buffer_m=data["buffer_m"],
                themes=[t.slug for t in data["themes"]],
                since=data["since"],
                until=data["until"],
                include_pending=data["include_pending"],
                srid=srid,
                limit=data["limit"],
                gaps_since=data["gaps_since"],
            )
        except UnknownCRS as exc:
            raise ValidationError({"crs": str(exc)}) from exc
        except PriorInputError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        return json_bytes_response(result.as_json(), geojson=False)
