"""Fixed vocabularies of the domain (docs/domain.md). Labels translate; values are stable API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LadderStep(models.TextChoices):
    """KS' participation ladder, lowest to highest."""

    INFORMATION = "information", _("Information")
    TWO_WAY = "two_way", _("Two-way information")
    DIALOGUE = "dialogue", _("Dialogue")
    COLLABORATION = "collaboration", _("Collaboration")
    CO_DECISION = "co_decision", _("Co-decision")
    DECISION = "decision", _("Decision")


class ProcessStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    EVALUATED = "evaluated", _("Evaluated")


class Channel(models.TextChoices):
    """Channels named in the participation plan."""

    WEB_MAP = "web_map", _("Web map")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    HEARING = "hearing", _("Hearing submission")
    SI_FRA = "si_fra", _("'Si fra' report")
    PHONE = "phone", _("Phone")
    WORKSHOP = "workshop", _("Workshop")
    INTERVIEW = "interview", _("Interview")
    SURVEY = "survey", _("Survey")
    FOCUS_GROUP = "focus_group", _("Focus group")
    BARNETRAKK = "barnetrakk", _("Children's walk (Barnetråkk)")
    MEETING = "meeting", _("Meeting")
    QR_CODE = "qr_code", _("QR code")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    COUNCIL = "council", _("Council (youth, elderly, disability, user)")


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class LocationSource(models.TextChoices):
    """How the geometry of an input was obtained."""

    DRAWN = "drawn", _("Drawn on the map")
    ADDRESS = "address", _("Geocoded from an address")
    PROPERTY = "property", _("Property (gnr/bnr)")
    PLACE_NAME = "place_name", _("Place name")
    DIGITISED = "digitised", _("Digitised from a document")
    NONE = "none", _("No specific place")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    NOT_RELEVANT = "not_relevant", _("Not relevant / outside the mandate")
    NOTED = "noted", _("Noted")


class Stage(models.TextChoices):
    """Planning stage in which a response was decided."""

    START = "start", _("Start-up (oppstart)")
    FIRST_READING = "first_reading", _("First reading (1. gangs behandling)")
    FINAL = "final", _("Final decision (sluttbehandling)")
    OTHER = "other", _("Other")


class SenderCategory(models.TextChoices):
    """Who sent an input, as a merknadsbehandling groups them (in this order)."""

    STATE_REGIONAL = "state_regional", _("Government and regional authorities")
    MUNICIPAL = "municipal", _("Municipal bodies")
    ORGANISATION = "organisation", _("Organisations, clubs and associations")
    BUSINESS = "business", _("Business")
    PRIVATE = "private", _("Private individuals")
