"""Moderation of residents' comments on published input (same rules as input moderation)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from inputbank.models import Comment, ModerationStatus
from inputbank.redaction import redact


@transaction.atomic
def comment_publish(*, comment: Comment, moderator, public_text: str | None = None) -> Comment:
    """Publish a comment, optionally with a moderator-edited public text (redacted again)."""
    if public_text is not None:
        comment.public_text = redact(public_text)
    comment.status = ModerationStatus.PUBLISHED
    comment.rejection_reason = ""
    comment.moderated_by = moderator
    comment.moderated_at = timezone.now()
    comment._history_user = moderator
    comment.save()
    return comment


@transaction.atomic
def comment_reject(*, comment: Comment, moderator, reason: str) -> Comment:
    """Reject a comment with a reason; it is kept for the record but never shown."""
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    comment.status = ModerationStatus.REJECTED
    comment.rejection_reason = reason.strip()
    comment.moderated_by = moderator
    comment.moderated_at = timezone.now()
    comment._history_user = moderator
    comment.save()
    return comment
