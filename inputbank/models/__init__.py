"""The domain model. Import from here: ``from inputbank.models import Input, Theme``."""

from inputbank.models import lookups  # noqa: F401 - registers geom__geomtype for constraints
from inputbank.models.addresses import Address
from inputbank.models.alerts import AlertFrequency, AreaAlert
from inputbank.models.arguments import (
    Argument,
    ArgumentCheck,
    ArgumentDecision,
    ArgumentVoice,
)
from inputbank.models.audit import AuditEvent
from inputbank.models.choices import (
    Channel,
    LadderStep,
    LocationSource,
    ModerationStatus,
    Outcome,
    ProcessStatus,
    SenderCategory,
    Stage,
)
from inputbank.models.contributors import Contributor
from inputbank.models.evaluations import EvaluationAnswer, EvaluationInvitation
from inputbank.models.feedback import DeliveryKind, DeliveryStatus, FeedbackDelivery
from inputbank.models.input_history import INPUT_HISTORY, input_themes_history
from inputbank.models.inputs import Attachment, Input, InputReferenceCounter
from inputbank.models.meetings import Meeting
from inputbank.models.placenames import PlaceName
from inputbank.models.privacy import PrivacyRequest
from inputbank.models.processes import Process
from inputbank.models.reactions import Comment, Support
from inputbank.models.responses import Response
from inputbank.models.staff import STAFF_LANGUAGES, StaffProfile
from inputbank.models.themes import Theme

__all__ = [
    "Address",
    "AlertFrequency",
    "AreaAlert",
    "Argument",
    "ArgumentCheck",
    "ArgumentDecision",
    "ArgumentVoice",
    "Attachment",
    "AuditEvent",
    "Channel",
    "Comment",
    "Contributor",
    "DeliveryKind",
    "DeliveryStatus",
    "EvaluationAnswer",
    "EvaluationInvitation",
    "FeedbackDelivery",
    "Input",
    "InputReferenceCounter",
    "LadderStep",
    "LocationSource",
    "Meeting",
    "ModerationStatus",
    "Outcome",
    "PlaceName",
    "PrivacyRequest",
    "Process",
    "ProcessStatus",
    "Response",
    "STAFF_LANGUAGES",
    "SenderCategory",
    "Stage",
    "StaffProfile",
    "Support",
    "Theme",
    "input_themes_history",
    "INPUT_HISTORY",
]
