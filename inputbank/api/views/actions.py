"""Staff actions on one input: publish, reject (moderation) and record the response."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from inputbank import services
from inputbank.api import docs
from inputbank.api.parsers import StrictJSONParser
from inputbank.api.permissions import CanModerate, CanRespond
from inputbank.api.serializers import PublishSerializer, RejectSerializer, ResponseRecordSerializer
from inputbank.api.views.base import ApiView
from inputbank.api.views.inputs import feature_response
from inputbank.reads.inputs import visible_input

_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, "path")
_ANSWERS = {200: docs.FEATURE, 400: docs.ERRORS, 403: docs.ERRORS, 404: docs.ERRORS}


class InputPublishView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [CanModerate]

    @extend_schema(
        operation_id="inputs_publish",
        parameters=[_ID],
        request=PublishSerializer,
        responses=_ANSWERS,
        description="Moderators publish an input, optionally with an edited public text.",
    )
    def post(self, request, public_id):
        item = visible_input(request.user, public_id)
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.input_publish(
            input=item,
            moderator=request.user,
            public_text=serializer.validated_data.get("public_text"),
        )
        return feature_response(request, item)


class InputRejectView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [CanModerate]

    @extend_schema(
        operation_id="inputs_reject",
        parameters=[_ID],
        request=RejectSerializer,
        responses=_ANSWERS,
        description="Moderators reject an input with a reason; it stays stored, never public.",
    )
    def post(self, request, public_id):
        item = visible_input(request.user, public_id)
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.input_reject(
            input=item, moderator=request.user, reason=serializer.validated_data["reason"]
        )
        return feature_response(request, item)


class InputResponseView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [CanRespond]

    @extend_schema(
        operation_id="inputs_respond",
        parameters=[_ID],
        request=ResponseRecordSerializer,
        responses=_ANSWERS,
        description="Case officers record (or revise) the municipality's response to an "
        "input. It is public once the input is published; earlier wordings stay in history. "
        "Like the staff page, it queues the feedback e-mail to a contributor who asked for one "
        "(in the contributor's language) unless `notify` is false.",
    )
    def post(self, request, public_id):
        item = visible_input(request.user, public_id)
        serializer = ResponseRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The same service as the staff page: the response and the contributor's e-mail.
        services.response_answer(
            input=item,
            outcome=data["outcome"],
            justification=data["justification"],
            stage=data["stage"],
            decision_reference=data["decision_reference"],
            decided_at=data["decided_at"],
            decided_by=request.user,
            notify=data["notify"],
        )
        return feature_response(request, item)
