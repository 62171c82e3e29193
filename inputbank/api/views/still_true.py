""" "Stemmer det fortsatt?": earlier arguments put before a process's residents, and answers."""

from __future__ import annotations

import orjson
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from inputbank import roles
from inputbank.api import docs
from inputbank.api.fields import GeometryField
from inputbank.api.parsers import StrictJSONParser
from inputbank.api.permissions import CanRegister, SameOriginWrites
from inputbank.api.serializers import BotFieldsMixin, LanguageField, StrictSerializer
from inputbank.api.throttling import ReadThrottle, SubmitThrottle
from inputbank.api.views.base import ApiView, json_bytes_response
from inputbank.api.views.feedback import supporter_key
from inputbank.models import Argument, ArgumentCheck, ArgumentVoice, Process
from inputbank.reads.arguments import still_true_for
from inputbank.services import NotOpen, argument_check_open, argument_voice_add

_KEY = OpenApiParameter("key", OpenApiTypes.STR, "path", description="Process id or slug.")


def _process(key) -> Process:
    process = Process.objects.by_key(key).first()
    if process is None:
        raise Http404("no such process")
    return process


class OpenCheckSerializer(StrictSerializer):
    argument = serializers.IntegerField(min_value=1, help_text="The earlier argument's id.")


class VoiceSerializer(BotFieldsMixin, StrictSerializer):
    stance = serializers.ChoiceField(ArgumentVoice.Stance.values)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    geometry = GeometryField(required=False, allow_null=True, default=None)
    language = LanguageField(required=False, default="nb")


class ProcessStillTrueView(ApiView):
    parser_classes = [StrictJSONParser]

    def get_permissions(self):
        return [CanRegister()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="process_still_true",
        parameters=[_KEY],
        responses={
            200: OpenApiResponse(
                description="{arguments: [{check, argument, title, text, voices, "
                "first_received, response, confirmations, disagreements}]}"
            ),
            404: docs.ERRORS,
        },
        description="'Vi har hørt dette før — stemmer det fortsatt?': the earlier arguments "
        "staff put before this process's residents. Wordings come from published input only.",
        auth=[{}],
    )
    def get(self, request, key):
        body = orjson.dumps({"arguments": still_true_for(_process(key))})
        return json_bytes_response(body, geojson=False)

    @extend_schema(
        operation_id="process_still_true_open",
        parameters=[_KEY],
        request=OpenCheckSerializer,
        responses={201: OpenApiResponse(description="{check}"), 400: docs.ERRORS},
        description="Case officers put an earlier argument before this process's residents.",
    )
    def post(self, request, key):
        serializer = OpenCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        argument = Argument.objects.filter(pk=serializer.validated_data["argument"]).first()
        if argument is None:
            raise ValidationError({"argument": "no such argument"})
        check = argument_check_open(
            argument=argument, process=_process(key), opened_by=request.user
        )
        return json_bytes_response(orjson.dumps({"check": check.pk}), status=201, geojson=False)


class StillTrueVoiceView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [SameOriginWrites]
    throttle_classes = [ReadThrottle, SubmitThrottle]

    @extend_schema(
        operation_id="still_true_answer",
        parameters=[OpenApiParameter("check_id", OpenApiTypes.INT, "path")],
        request=VoiceSerializer,
        responses={
            201: OpenApiResponse(description="{stance, confirmations, disagreements, input_id}"),
            400: docs.ERRORS,
            404: docs.ERRORS,
        },
        description="A resident answers 'still true?': confirm (a dated voice on the "
        "argument), disagree, or add (a text: a new input in the argument, moderated as any). "
        "One confirm-or-disagree per browser session or user; a change of mind replaces it.",
        auth=[{}],
    )
    def post(self, request, check_id):
        check = ArgumentCheck.objects.select_related("argument", "process").filter(pk=check_id)
        check = check.first()
        if check is None:
            raise Http404("no such question")
        context = {"skip_bot_check": roles.is_staff_member(request.user)}
        serializer = VoiceSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            result = argument_voice_add(
                check=check,
                stance=data["stance"],
                supporter_key=supporter_key(request),
                text=data["text"],
                geom=data["geometry"],
                language=data["language"],
            )
        except NotOpen as exc:
            raise ValidationError({"stance": str(exc)}) from exc
        item = result.voice.input
        body = {
            "stance": result.voice.stance,
            "confirmations": result.confirmations,
            "disagreements": result.disagreements,
            "input_id": str(item.public_id) if item else None,
        }
        return json_bytes_response(
            orjson.dumps(body), status=201 if result.created else 200, geojson=False
        )
