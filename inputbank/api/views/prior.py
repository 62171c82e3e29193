"""POST /api/v1/prior-input/: "what have we heard here before?" over HTTP."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError

from geo.crs import WEB_SRID, UnknownCRS, parse_srid
from inputbank.api import docs
from inputbank.api.parsers import StrictJSONParser
from inputbank.api.serializers import PriorInputSerializer
from inputbank.api.views.base import ApiView, cached_response, json_bytes_response
from inputbank.cache import public_answer_key
from inputbank.dbrouter import read_only_view
from inputbank.geomessages import geo_message
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
                "arguments_hits: how many of the newest hits the arguments are grouped from, "
                "theme_summaries: [{theme, sentences: [{text, input_ids, argument, voices}]}], "
                "gaps: {since_year, themes: [{slug, last_received}], channels: [{channel, "
                "last_received}], children_and_young: {gap, count, last_received, complete}}, "
                "features: FeatureCollection}"
            ),
            400: docs.ERRORS,
        },
        description="Every earlier input whose geometry intersects the area (exactly, not by "
        "bounding box), optionally buffered in metres, with a summary, the arguments the inputs "
        "make (grouped from the newest PRIOR_ARGUMENT_HITS hits), a summary per theme quoted "
        "from the inputs (each sentence with the public ids of the inputs it comes from) and "
        "the gaps: themes, channels and children and young "
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
        except UnknownCRS as exc:
            raise ValidationError({"crs": geo_message(exc)}) from exc

        def render() -> bytes:
            try:
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
            except PriorInputError as exc:
                raise ValidationError({exc.field: str(exc)}) from exc
            return result.as_json()

        if request.user.is_authenticated:
            return json_bytes_response(render(), geojson=False)
        # Every anonymous caller sees the same public input, so the same question (a process's
        # area, a shared drawing) is answered once per cache generation and then read from the
        # shared answer cache; a publication, rejection, answer or redaction starts a new one.
        return cached_response(_public_key(data, srid), render, geojson=False)


def _public_key(data: dict, srid: int) -> str:
    """The answer's cache name: the question as validated, the language (process titles) and
    the day (the default gaps year and what counts as open follow the date).

    ``include_pending`` is left out: it is honoured only for roles that see unpublished input,
    and this answer is only ever the public's."""
    geometry = data["geometry"]
    question = {
        # Exact (hex EWKB with its SRID): two areas that differ in the last digit differ here.
        "geometry": geometry.hexewkb.decode() if geometry is not None else None,
        "process": data["process"].pk if data["process"] is not None else None,
        "buffer_m": data["buffer_m"],
        "themes": sorted(t.slug for t in data["themes"]),
        "since": data["since"],
        "until": data["until"],
        "srid": srid,
        "limit": data["limit"],
        "gaps_since": data["gaps_since"],
    }
    return public_answer_key("prior-input", question, get_language(), timezone.localdate())
