"""GDPR duties: retention (pseudonymise after a process closes), access and erasure.

Legal basis is public task (art. 6(1)(e)); personal data is kept only as long as feedback and
appeal need it. The audit trail (simple-history) must not keep copies of erased data, so
erasure purges the history rows too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inputbank import cache
from inputbank.models import Comment, Contributor, Input

PERSONAL_FIELDS = ("name", "email", "phone", "postal_address")


def _retention_days() -> int:
    return settings.INPUTBANK["RETENTION_DAYS_AFTER_CLOSE"]


@transaction.atomic
def contributor_pseudonymise(*, contributor: Contributor) -> Contributor:
    """Blank the contributor's personal fields; the input stays, no longer linked to a person."""
    for field in PERSONAL_FIELDS:
        setattr(contributor, field, "")
    contributor.wants_feedback = False
    contributor.consent_publish_name = False
    contributor.pseudonymised_at = timezone.now()
    contributor.save()
    return contributor


def contributors_due_for_pseudonymisation(today: dt.date):
    """Contributors whose every input belongs to a process closed more than the retention ago.

    Contributors with input outside any process keep their data until that input is a year old
    (there is no closing date to count from).
    """
    cutoff = today - dt.timedelta(days=_retention_days())
    still_needed = Input.objects.filter(
        Q(process__isnull=True, received_at__date__gt=today - dt.timedelta(days=365))
        | Q(process__isnull=False, process__closes_on__isnull=True)
        | Q(process__closes_on__gt=cutoff)
    ).values("contributor_id")
    return Contributor.objects.filter(pseudonymised_at__isnull=True).exclude(id__in=still_needed)


@transaction.atomic
def retention_apply(*, today: dt.date | None = None) -> int:
    """Pseudonymise every contributor past retention; return how many were changed."""
    today = today or timezone.localdate()
    due = list(contributors_due_for_pseudonymisation(today))
    for contributor in due:
        contributor_pseudonymise(contributor=contributor)
    return len(due)


def contributor_export(*, contributor: Contributor) -> dict[str, Any]:
    """Everything stored about one contributor, for a data subject access request (art. 15)."""
    inputs = contributor.inputs.order_by("received_at").select_related("process", "response")
    return {
        "contributor": {f: getattr(contributor, f) for f in (*PERSONAL_FIELDS, "organisation")}
        | {
            "wants_feedback": contributor.wants_feedback,
            "preferred_language": contributor.preferred_language,
            "consent_publish_name": contributor.consent_publish_name,
            "created_at": contributor.created_at.isoformat(),
        },
        "inputs": [
            {
                "public_id": str(item.public_id),
                "text": item.text,
                "received_at": item.received_at.isoformat(),
                "status": item.status,
                "process": item.process.title if item.process else None,
                "response": getattr(item, "response", None)
                and {
                    "outcome": item.response.outcome,
                    "justification": item.response.justification,
                },
            }
            for item in inputs
        ],
        "comments": [
            {"text": c.text, "created_at": c.created_at.isoformat()}
            for c in contributor.comments.order_by("created_at")
        ],
    }


@transaction.atomic
def contributor_erase(*, contributor: Contributor, delete_inputs: bool = False) -> None:
    """Erase a contributor (art. 17), purging copies in the audit trail.

    With ``delete_inputs`` their inputs and comments go too. Otherwise the inputs stay as part
    of the case (the archive act may require it), but their original text is replaced by the
    redacted public text, in the table and in every history row.
    """
    input_ids = list(contributor.inputs.values_list("id", flat=True))
    comment_ids = list(contributor.comments.values_list("id", flat=True))
    history_input = Input.history.model.objects.filter(id__in=input_ids)
    history_comment = Comment.history.model.objects.filter(id__in=comment_ids)
    if delete_inputs:
        Input.objects.filter(id__in=input_ids).delete()
        Comment.objects.filter(id__in=comment_ids).delete()
        history_input.delete()
        history_comment.delete()
        cache.invalidate_after_commit()
    else:
        for item in Input.objects.filter(id__in=input_ids):
            Input.objects.filter(pk=item.pk).update(text=item.public_text)
            history_input.filter(id=item.pk).update(text=item.public_text)
        for comment in Comment.objects.filter(id__in=comment_ids):
            Comment.objects.filter(pk=comment.pk).update(text=comment.public_text)
            history_comment.filter(id=comment.pk).update(text=comment.public_text)
        history_input.update(contributor_id=None)
        history_comment.update(contributor_id=None)
    contributor.delete()
