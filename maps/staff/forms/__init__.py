"""Staff forms, one module per workflow; import them from here."""

from maps.staff.forms.inputs import (
    BulkResponseForm,
    ContributorKind,
    InputRegisterForm,
    MerknadForm,
    ModerationForm,
    ResponseForm,
)
from maps.staff.forms.meetings import MeetingForm
from maps.staff.forms.processes import ProcessForm
from maps.staff.forms.reports import ConsultationMapForm, IndicatorForm, PriorInputForm

__all__ = [
    "BulkResponseForm",
    "ConsultationMapForm",
    "ContributorKind",
    "IndicatorForm",
    "InputRegisterForm",
    "MeetingForm",
    "MerknadForm",
    "ModerationForm",
    "PriorInputForm",
    "ProcessForm",
    "ResponseForm",
]
