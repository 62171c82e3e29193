"""REST API v1. The paths are a public contract: keep them (docs/api.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from inputbank.api import views

app_name = "api"

urlpatterns = [
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("processes/", views.ProcessListView.as_view(), name="process-list"),
    path("processes/<str:key>/", views.ProcessDetailView.as_view(), name="process-detail"),
    path(
        "processes/<str:key>/still-true/",
        views.ProcessStillTrueView.as_view(),
        name="process-still-true",
    ),
    path("still-true/<int:check_id>/", views.StillTrueVoiceView.as_view(), name="still-true-voice"),
    path("inputs/", views.InputCollectionView.as_view(), name="input-list"),
    path("inputs/grid/", views.InputGridView.as_view(), name="input-grid"),
    path("inputs/dots/", views.InputDotsView.as_view(), name="input-dots"),
    path("inputs/<uuid:public_id>/", views.InputDetailView.as_view(), name="input-detail"),
    path(
        "inputs/<uuid:public_id>/publish/",
        views.InputPublishView.as_view(),
        name="input-publish",
    ),
    path("inputs/<uuid:public_id>/reject/", views.InputRejectView.as_view(), name="input-reject"),
    path(
        "inputs/<uuid:public_id>/response/",
        views.InputResponseView.as_view(),
        name="input-response",
    ),
    path(
        "inputs/<uuid:public_id>/comments/",
        views.CommentCreateView.as_view(),
        name="input-comments",
    ),
    path("inputs/<uuid:public_id>/support/", views.SupportView.as_view(), name="input-support"),
    path(
        "comments/<int:comment_id>/publish/",
        views.CommentModerationView.as_view(action="publish"),
        name="comment-publish",
    ),
    path(
        "comments/<int:comment_id>/reject/",
        views.CommentModerationView.as_view(action="reject"),
        name="comment-reject",
    ),
    path("prior-input/", views.PriorInputView.as_view(), name="prior-input"),
    path("arguments/", views.ArgumentListView.as_view(), name="argument-list"),
    path("form-token/", views.FormTokenView.as_view(), name="form-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: our CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
