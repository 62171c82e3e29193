"""API views, thin: parse and check the request, call a selector or service, answer."""

from inputbank.api.views.actions import InputPublishView, InputRejectView, InputResponseView
from inputbank.api.views.arguments import ArgumentListView
from inputbank.api.views.catalog import ProcessDetailView, ProcessListView, ThemeListView
from inputbank.api.views.feedback import (
    CommentCreateView,
    CommentModerationView,
    FormTokenView,
    SupportView,
)
from inputbank.api.views.grid import InputGridView
from inputbank.api.views.inputs import InputCollectionView, InputDetailView, InputDotsView
from inputbank.api.views.prior import PriorInputView
from inputbank.api.views.still_true import ProcessStillTrueView, StillTrueVoiceView

__all__ = [
    "ArgumentListView",
    "CommentCreateView",
    "CommentModerationView",
    "FormTokenView",
    "InputCollectionView",
    "InputDetailView",
    "InputDotsView",
    "InputGridView",
    "InputPublishView",
    "InputRejectView",
    "InputResponseView",
    "PriorInputView",
    "ProcessDetailView",
    "ProcessListView",
    "ProcessStillTrueView",
    "StillTrueVoiceView",
    "SupportView",
    "ThemeListView",
]
