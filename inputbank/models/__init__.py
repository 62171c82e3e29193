"""The domain model. Import from here: ``from inputbank.models import Input, Theme``."""

from inputbank.models import lookups  # noqa: F401 - registers geom__geomtype for constraints
from inputbank.models.addresses import Address
from inputbank.models.choices import (
    Channel,
    LadderStep,
    LocationSource,
    ModerationStatus,
    Outcome,
    ProcessStatus,
    Stage,
)
from inputbank.models.contributors import Contributor
from inputbank.models.feedback import DeliveryKind, DeliveryStatus, FeedbackDelivery
from inputbank.models.inputs import Attachment, Comment, Input, InputReferenceCounter, Support
from inputbank.models.privacy import PrivacyRequest
from inputbank.models.processes import Process
from inputbank.models.responses import Response
from inputbank.models.themes import Theme

__all__ = [
    "Address",
    "Attachment",
    "Channel",
    "Comment",
    "Contributor",
    "DeliveryKind",
    "DeliveryStatus",
    "FeedbackDelivery",
    "Input",
    "InputReferenceCounter",
    "LadderStep",
    "LocationSource",
    "ModerationStatus",
    "Outcome",
    "PrivacyRequest",
    "Process",
    "ProcessStatus",
    "Response",
    "Stage",
    "Support",
    "Theme",
]
