"""What residents add to a published input: comments (moderated like input) and support.

Apart from ``inputs`` because they are the residents' reactions, not the input itself: written
by ``services.feedback``, with their own moderation (comments) and throttles (support), while
an input's own parts (its history, reference, attachments) stay beside ``Input``.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inputbank.models.choices import ModerationStatus
from inputbank.models.inputs import Input
from inputbank.models.querysets import CommentQuerySet


class Comment(models.Model):
    """A resident's comment on a published input; moderated like input."""

    # The acting user that django-simple-history records with the next save (set by services).
    _history_user: object

    input = models.ForeignKey(
        Input, verbose_name=_("input"), on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("original text"))
    public_text = models.TextField(_("public text"), blank=True)
    contributor = models.ForeignKey(
        "inputbank.Contributor",
        verbose_name=_("contributor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    language = models.CharField(_("language"), max_length=35, default="nb")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PENDING,
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="comment_status_created")]


class Support(models.Model):
    """'I agree': a resident supports a published input instead of repeating it.

    ``supporter_key`` is a salted hash of the browser session (or user), enough to count one
    support per person without storing who they are.
    """

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="supports")
    supporter_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["input", "supporter_key"], name="support_once")
        ]
