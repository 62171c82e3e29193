"""Writes for residents' reactions to published input: comments and supports."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from inputbank.models import Comment, Input, ModerationStatus, Support
from inputbank.redaction import redact
from inputbank.services.inputs import ContributorData, _contributor_create


class NotPublished(ValueError):
    """Residents may react only to published input."""


@transaction.atomic
def comment_submit(
    *,
    input: Input,  # noqa: A002
    text: str,
    language: str = "nb",
    contributor: ContributorData | None = None,
) -> Comment:
    """Store a resident's comment on a published input; it waits for moderation."""
    if input.status != ModerationStatus.PUBLISHED:
        raise NotPublished("comments are only possible on published input")
    return Comment.objects.create(
        input=input,
        text=text,
        public_text=redact(text),
        language=language,
        contributor=_contributor_create(contributor),
        status=ModerationStatus.PENDING,
    )


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
    """Reject a comment with a reason; it is never shown publicly."""
    comment.status = ModerationStatus.REJECTED
    comment.rejection_reason = reason
    comment.moderated_by = moderator
    comment.moderated_at = timezone.now()
    comment._history_user = moderator
    comment.save()
    return comment


def support_add(*, input: Input, supporter_key: str) -> tuple[bool, int]:  # noqa: A002
    """Count one support per supporter; return (whether it was new, the support count).

    ``supporter_key`` is an opaque hash of the browser session or user (no identity stored).
    Supporting twice is not an error: the second time changes nothing.
    """
    if input.status != ModerationStatus.PUBLISHED:
        raise NotPublished("only published input can be supported")
    try:
        with transaction.atomic():
            Support.objects.create(input=input, supporter_key=supporter_key)
        created = True
    except IntegrityError:
        created = False
    return created, Support.objects.filter(input=input).count()
