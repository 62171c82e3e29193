"""Input validation for writes and queries. Serializers check; services write.

Output for inputs is built in SQL (inputbank.reads.features); these classes only read requests.
Every text field is bounded and refuses NUL characters (DRF's default) so nothing reaches
PostgreSQL that it would refuse with an error.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inputbank import antibot
from inputbank.api.fields import (
    BoundedDateField,
    BoundedDateTimeField,
    GeometryField,
    ProcessField,
    StrictSerializer,
    ThemeSlugsField,
)
from inputbank.casenumbers import parse_case
from inputbank.geometry import QUERY_AREA
from inputbank.models import Channel, LocationSource, Outcome, Stage
from inputbank.reads.prior_input import refusal
from inputbank.services import ContributorData

LANGUAGE_RE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"
RESIDENT_LOCATION_SOURCES = [
    LocationSource.DRAWN,
    LocationSource.ADDRESS,
    LocationSource.PROPERTY,
    LocationSource.PLACE_NAME,
]


def check_text_length(value: str) -> str:
    limit = settings.INPUTBANK["MAX_TEXT_LENGTH"]
    if len(value) > limit:
        raise serializers.ValidationError(f"the text is longer than {limit} characters")
    return value


class LanguageField(serializers.RegexField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 35)
        kwargs.setdefault("error_messages", {"invalid": "use a language code such as nb, nn, ar"})
        super().__init__(LANGUAGE_RE, **kwargs)


class ContributorSerializer(StrictSerializer):
    """Who gave the input. Stored apart from it; never shown publicly.

    Error messages here never repeat the value sent (it is personal data).
    """

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        error_messages={"invalid": "not a valid e-mail address"},
    )
    phone = serializers.RegexField(
        r"^\+?[0-9 ()\-]{5,30}$",
        max_length=40,
        required=False,
        allow_blank=True,
        error_messages={"invalid": "use digits, spaces and an optional leading +"},
    )
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    wants_feedback = serializers.BooleanField(required=False, default=False)
    consent = serializers.BooleanField(
        required=False, default=False, help_text="Consents to publishing the name."
    )
    preferred_language = LanguageField(required=False, default="nb")

    def validate(self, attrs):
        if attrs.get("wants_feedback") and not (attrs.get("email") or attrs.get("phone")):
            raise serializers.ValidationError(
                {"email": "give an e-mail address or a phone number to get feedback"}
            )
        return attrs


def contributor_data(data: dict | None) -> ContributorData | None:
    """Turn validated contributor fields into the service's ContributorData (or None)."""
    if not data:
        return None
    return ContributorData(
        name=data.get("name", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        organisation=data.get("organisation", ""),
        wants_feedback=data.get("wants_feedback", False),
        preferred_language=data.get("preferred_language", "nb"),
        consent_publish_name=data.get("consent", False),
    )


class FiniteFloatField(serializers.FloatField):
    """A float that refuses NaN and Infinity (DRF's FloatField accepts the strings "nan", "inf")."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class BotFieldsMixin(serializers.Serializer):
    """The honeypot and form-token fields every public form carries (see inputbank.antibot)."""

    website = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Honeypot: hidden from people, must stay empty.",
    )
    form_token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="From GET /api/v1/form-token/ (or embedded by the page); "
        "must be at least MIN_FILL_SECONDS old.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.context.get("skip_bot_check"):
            return attrs
        try:
            antibot.check_form(
                token=attrs.get("form_token"),
                honeypot=attrs.get("website"),
                submission_key=self.context.get("idempotency_key"),
            )
        except antibot.BotCheckFailed as exc:
            raise serializers.ValidationError({exc.field: str(exc)}) from exc
        return attrs


class InputPropertiesSerializer(BotFieldsMixin, StrictSerializer):
    text = serializers.CharField(validators=[check_text_length])
    themes = ThemeSlugsField(required=False, default=list)
    process = ProcessField(required=False, allow_null=True, default=None, open_only=True)
    language = LanguageField(required=False, default="nb")
    location_source = serializers.ChoiceField(
        RESIDENT_LOCATION_SOURCES, required=False, default=LocationSource.DRAWN
    )
    location_description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    contributor = ContributorSerializer(required=False, allow_null=True, default=None)
    location_is_home = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The place is where the resident lives: the public sees it only to about "
        "50 m. Left out: decided from the contributor's own address.",
    )
    age_group = serializers.ChoiceField(
        ["under_16", "16_or_over"],
        required=False,
        allow_null=True,
        default=None,
        help_text="under_16: a child's input; its place is public only in counts.",
    )


class InputSubmitSerializer(StrictSerializer):
    """A resident's input: a GeoJSON Feature; geometry null means "no particular place"."""

    ignored = ("bbox",)
    type = serializers.ChoiceField(
        ["Feature"], error_messages={"invalid_choice": "must be Feature"}
    )
    geometry = GeometryField(allow_null=True)
    properties = InputPropertiesSerializer()


@extend_schema_field(OpenApiTypes.STR)
class CaseReferenceField(serializers.Field):
    """A Noark case number '2024/1234' or document '2024/1234-5'; '' or null clears it."""

    def to_internal_value(self, data):
        if data in ("", None):
            return None
        if not isinstance(data, str) or len(data) > 40:
            raise serializers.ValidationError("use a case number like 2024/1234 or 2024/1234-5")
        try:
            return parse_case(data)
        except ValueError as exc:
            raise serializers.ValidationError(
                "use a case number like 2024/1234 or 2024/1234-5"
            ) from exc

    def to_representation(self, value):
        return str(value) if value else ""


class InputUpdatePropertiesSerializer(StrictSerializer):
    text = serializers.CharField(required=False, validators=[check_text_length])
    public_text = serializers.CharField(required=False, validators=[check_text_length])
    themes = ThemeSlugsField(required=False)
    process = ProcessField(required=False, allow_null=True)
    channel = serializers.ChoiceField(Channel.choices, required=False)
    language = LanguageField(required=False)
    location_source = serializers.ChoiceField(
        [c for c in LocationSource.values if c != LocationSource.NONE], required=False
    )
    location_description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source_group = serializers.CharField(max_length=200, required=False, allow_blank=True)
    received_at = BoundedDateTimeField(required=False)
    case_reference = CaseReferenceField(required=False, allow_null=True)


class InputUpdateSerializer(StrictSerializer):
    """A staff correction: a partial GeoJSON Feature; only the members given change."""

    ignored = ("bbox", "id")
    type = serializers.ChoiceField(["Feature"], required=False)
    geometry = GeometryField(required=False, allow_null=True)
    properties = InputUpdatePropertiesSerializer(required=False)

    def changes(self) -> dict:
        data = self.validated_data
        out = dict(data.get("properties", {}))
        if "case_reference" in out:
            out["case_ref"] = out.pop("case_reference")
        if "geometry" in data:
            out["geom"] = data["geometry"]
        return out


class PublishSerializer(StrictSerializer):
    public_text = serializers.CharField(
        required=False,
        validators=[check_text_length],
        help_text="A moderator-edited public text (redacted again before it is stored).",
    )


class RejectSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class ResponseRecordSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(Outcome.choices)
    justification = serializers.CharField(validators=[check_text_length])
    stage = serializers.ChoiceField(Stage.choices, required=False, default=Stage.OTHER)
    decision_reference = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    decided_at = BoundedDateTimeField(required=False, allow_null=True, default=None)
    notify = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Queue the feedback e-mail to a contributor who asked for one (default).",
    )


class CommentSubmitSerializer(BotFieldsMixin, StrictSerializer):
    text = serializers.CharField(max_length=2000)
    language = LanguageField(required=False, default="nb")
    contributor = ContributorSerializer(required=False, allow_null=True, default=None)


class PriorInputSerializer(StrictSerializer):
    """The question "what have we heard here before?": an area, and optional filters."""

    geometry = GeometryField(
        purpose=QUERY_AREA,
        required=False,
        allow_null=True,
        default=None,
        help_text="The area asked about (GeoJSON, lon/lat). Give this or process.",
    )
    process = ProcessField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Use this process's area (id or slug) instead of a geometry.",
    )
    buffer_m = FiniteFloatField(required=False, default=0, min_value=0)
    themes = ThemeSlugsField(active_only=False, required=False, default=list)
    since = BoundedDateField(required=False, allow_null=True, default=None)
    until = BoundedDateField(required=False, allow_null=True, default=None)
    include_pending = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Honoured only for moderators and case officers.",
    )
    crs = serializers.CharField(required=False, max_length=80, default="")
    limit = serializers.IntegerField(required=False, min_value=0, default=None, allow_null=True)
    gaps_since = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2999,
        default=None,
        allow_null=True,
        help_text="The year gaps are counted from (default: five years back).",
    )

    def validate_buffer_m(self, value: float) -> float:
        if value > settings.INPUTBANK["MAX_BUFFER_M"]:
            raise serializers.ValidationError(refusal("buffer_m"))
        return value

    def validate_limit(self, value):
        limit = settings.INPUTBANK["MAX_PAGE_SIZE"]
        if value is not None and value > limit:
            raise serializers.ValidationError(f"must be at most {limit}")
        return value

    def validate(self, attrs):
        if (attrs.get("geometry") is None) == (attrs.get("process") is None):
            raise serializers.ValidationError({"geometry": refusal("geometry")})
        if attrs["process"] is not None and attrs["process"].area is None:
            raise serializers.ValidationError({"process": refusal("process")})
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": "must not be before since"})
        return attrs

    def area(self) -> GEOSGeometry:
        return self.validated_data["geometry"] or self.validated_data["process"].area
