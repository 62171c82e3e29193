"""Residents react to published input: comments (moderated) and supports; the form token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import orjson
from django.conf import settings
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

from inputbank import antibot, roles, services
from inputbank.api import docs
from inputbank.api.parsers import StrictJSONParser
from inputbank.api.permissions import CanModerate, SameOriginWrites
from inputbank.api.serializers import (
    CommentSubmitSerializer,
    PublishSerializer,
    RejectSerializer,
    contributor_data,
)
from inputbank.api.throttling import (
    ReadThrottle,
    SubmitThrottle,
    SupportAddressThrottle,
    SupportThrottle,
)
from inputbank.api.views.base import ApiView, json_bytes_response
from inputbank.models import Comment, Input

_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, "path")


def _published_input(public_id) -> Input:
    item = Input.objects.published().filter(public_id=public_id).first()
    if item is None:
        raise Http404("no such published input")
    return item


def _comment_json(comment: Comment) -> bytes:
    return orjson.dumps({"id": comment.pk, "status": comment.status})


class CommentCreateView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [SameOriginWrites]
    throttle_classes = [ReadThrottle, SubmitThrottle]

    @extend_schema(
        operation_id="comments_submit",
        parameters=[_ID],
        request=CommentSubmitSerializer,
        responses={
            201: OpenApiResponse(
                inline_serializer(
                    "CommentSubmitted",
                    {"id": serializers.IntegerField(), "status": serializers.CharField()},
                ),
                description="Stored as pending; shown after moderation.",
            ),
            400: docs.ERRORS,
            404: docs.ERRORS,
        },
        description="Comment on a published input. Same bot checks as input submission.",
        auth=[{}],
    )
    def post(self, request, public_id):
        item = _published_input(public_id)
        context = {"skip_bot_check": roles.is_staff_member(request.user)}
        serializer = CommentSubmitSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = services.comment_submit(
            input=item,
            text=data["text"],
            language=data["language"],
            contributor=contributor_data(data["contributor"]),
        )
        return json_bytes_response(_comment_json(comment), status=201, geojson=False)


def supporter_key(request) -> str:
    """Return an opaque key for one user or one browser session (no identity is stored).

    Anonymous callers get a random token in their session; the key is an HMAC of it, so the
    support table cannot be joined back to sessions without the secret key.
    """
    if request.user.is_authenticated:
        ident = f"user:{request.user.pk}"
    else:
        token = request.session.get("supporter_token")
        if not token:
            token = secrets.token_hex(16)
            request.session["supporter_token"] = token
        ident = f"session:{token}"
    return hmac.new(settings.SECRET_KEY.encode(), ident.encode(), hashlib.sha256).hexdigest()


_SUPPORTED = inline_serializer(
    "Supported",
    {"supported": serializers.BooleanField(), "supports": serializers.IntegerField()},
)


class SupportView(ApiView):
    permission_classes = [SameOriginWrites]
    throttle_classes = [ReadThrottle, SupportThrottle, SupportAddressThrottle]

    @extend_schema(
        operation_id="inputs_support",
        parameters=[_ID],
        request=None,
        responses={
            201: OpenApiResponse(_SUPPORTED, description="Counted."),
            # A signed-in user supports once for good: asking again answers 200, not 201.
            200: OpenApiResponse(
                _SUPPORTED, description="Already counted for this session or user."
            ),
            404: docs.ERRORS,
        },
        description="'I agree': one support per browser session or user. No body.",
        auth=[{}],
    )
    def post(self, request, public_id):
        item = _published_input(public_id)
        created, count = services.support_add(input=item, supporter_key=supporter_key(request))
        body = orjson.dumps({"supported": True, "supports": count})
        return json_bytes_response(body, status=201 if created else 200, geojson=False)


class CommentModerationView(ApiView):
    parser_classes = [StrictJSONParser]
    permission_classes = [CanModerate]
    action = ""

    @extend_schema(
        parameters=[OpenApiParameter("comment_id", OpenApiTypes.INT, "path")],
        request=PublishSerializer,
        responses={
            200: OpenApiResponse(description="{id, status}"),
            400: docs.ERRORS,
            403: docs.ERRORS,
            404: docs.ERRORS,
        },
        description="Moderators publish (optional public_text) or reject (reason) a comment.",
    )
    def post(self, request, comment_id):
        comment = Comment.objects.filter(pk=comment_id).first()
        if comment is None:
            raise Http404("no such comment")
        if self.action == "publish":
            serializer = PublishSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.comment_publish(
                comment=comment,
                moderator=request.user,
                public_text=serializer.validated_data.get("public_text"),
            )
        else:
            serializer = RejectSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.comment_reject(
                comment=comment, moderator=request.user, reason=serializer.validated_data["reason"]
            )
        return json_bytes_response(_comment_json(comment), geojson=False)


class FormTokenView(ApiView):
    @extend_schema(
        operation_id="form_token",
        responses={
            200: OpenApiResponse(
                inline_serializer(
                    "FormToken",
                    {
                        "form_token": serializers.CharField(),
                        "min_fill_seconds": serializers.IntegerField(),
                        "max_age_seconds": serializers.IntegerField(),
                        "honeypot_field": serializers.CharField(),
                    },
                )
            )
        },
        description="A signed token to send back with a submission (see docs/api.md).",
    )
    def get(self, request):
        body = orjson.dumps(
            {
                "form_token": antibot.issue_form_token(),
                "min_fill_seconds": antibot.min_fill_seconds(),
                "max_age_seconds": antibot.FORM_TOKEN_MAX_AGE,
                "honeypot_field": antibot.HONEYPOT_FIELD,
            }
        )
        response = json_bytes_response(body, geojson=False)
        add_never_cache_headers(response)
        return response
