"""Evaluation by participants: invite once after a process closes, take one anonymous answer.

* **Invited once.** ``evaluations_invite`` (``manage.py invite_evaluations``, cron) finds the
  processes closed in the last INVITE_WINDOW_DAYS and their contributors with an e-mail
  address; an invitation row per (process, contributor) is unique, so running it again
  invites nobody twice. Each e-mail is claimed (``sent_at`` set by a conditional UPDATE)
  before it is sent and given back if sending fails, so it goes out at most once.
* **Anonymous.** The e-mail carries a random one-use token; only its hash is stored. The
  answer (``evaluation_answer``) is stored with the process and the day only, and the token
  hash is cleared in the same transaction: afterwards nothing links answer and person. Free
  text is redacted (``inputbank.redaction``) before it is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from inputbank.models import Contributor, EvaluationAnswer, EvaluationInvitation, Process
from inputbank.models.evaluations import Understood
from inputbank.redaction import redact
from inputbank.services.feedback_email import email_language, site_link
from inputbank.services.privacy import privacy_link

log = logging.getLogger(__name__)

# Processes that closed this many days ago or less are evaluated; older ones are past asking.
INVITE_WINDOW_DAYS = 60
# An invitation link works this long after it was sent.
ANSWER_MAX_AGE = dt.timedelta(days=90)
COMMENT_MAX_LENGTH = 2000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def processes_to_evaluate(today: dt.date, window_days: int = INVITE_WINDOW_DAYS):
    """Processes that closed in the last ``window_days`` days (a closing date is required)."""
    return Process.objects.earlier_on(today).filter(
        closes_on__lt=today, closes_on__gte=today - dt.timedelta(days=window_days)
    )


@dataclass
class InviteReport:
    invited: int = 0
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _invite(process: Process) -> int:
    """Create the missing invitations of one process; return how many were new."""
    contributors = (
        Contributor.objects.filter(inputs__process=process, pseudonymised_at__isnull=True)
        .exclude(email="")
        .distinct()
    )
    # One person may have given input several times (a contributor row each): one e-mail.
    seen = {
        email.lower()
        for email in EvaluationInvitation.objects.filter(process=process).values_list(
            "contributor__email", flat=True
        )
        if email
    }
    created = 0
    for contributor in contributors.order_by("id"):
        if contributor.email.lower() in seen:
            continue
        seen.add(contributor.email.lower())
        _row, new = EvaluationInvitation.objects.get_or_create(
            process=process,
            contributor=contributor,
            defaults={"language": email_language(contributor.preferred_language)},
        )
        created += new
    return created


def _message(invitation: EvaluationInvitation, token: str) -> EmailMultiAlternatives:
    lang = email_language(invitation.language)
    contributor = invitation.contributor
    context = {
        "lang": lang,
        "process": invitation.process,
        "evaluation_url": site_link(reverse("maps:evaluation", args=[token])),
        "privacy_url": privacy_link(contributor) if contributor else "",
    }
    with translation.override(lang):
        subject = render_to_string("inputbank/email/evaluation_subject.txt", context)
        text = render_to_string("inputbank/email/evaluation_body.txt", context)
        html = render_to_string("inputbank/email/evaluation_body.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contributor.email] if contributor else [],
        headers={
            "Message-ID": f"<evaluation-{invitation.pk}@{domain}>",
            "Auto-Submitted": "auto-generated",
            "Content-Language": lang,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def evaluations_invite(*, today: dt.date | None = None, connection=None) -> InviteReport:
    """Invite the contributors of recently closed processes, each once; send what is unsent.

    Must not run inside an outer transaction (each claim is committed before its e-mail).
    """
    today = today or timezone.localdate()
    report = InviteReport()
    for process in processes_to_evaluate(today):
        with transaction.atomic():
            report.invited += _invite(process)
    unsent = EvaluationInvitation.objects.filter(
        sent_at__isnull=True,
        contributor__isnull=False,
        contributor__pseudonymised_at__isnull=True,
        process__in=processes_to_evaluate(today),
    ).exclude(contributor__email="")
    connection = connection or get_connection(fail_silently=False)
    for invitation in unsent.select_related("process", "contributor").order_by("id"):
        token = secrets.token_urlsafe(24)
        now = timezone.now()
        with transaction.atomic():
            claimed = EvaluationInvitation.objects.filter(
                pk=invitation.pk, sent_at__isnull=True
            ).update(sent_at=now, token_hash=token_hash(token))
        if not claimed:
            continue
        try:
            message = _message(invitation, token)
            message.connection = connection
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - given back, tried on the next run
            log.warning("evaluation %s not sent: %s", invitation.pk, type(error).__name__)
            EvaluationInvitation.objects.filter(pk=invitation.pk, sent_at=now).update(
                sent_at=None, token_hash=None
            )
            report.failed.append(invitation.pk)
            continue
        report.sent.append(invitation.pk)
    return report


class EvaluationRefused(ValueError):
    """An answer that cannot be stored; ``errors`` maps fields to messages for the page."""

    def __init__(self, errors: dict):
        super().__init__(", ".join(errors))
        self.errors = errors


def invitation_for(token: str) -> EvaluationInvitation | None:
    """The open invitation a token names, or None (unknown, used, or too old)."""
    if not token or len(token) > 100:
        return None
    return (
        EvaluationInvitation.objects.filter(
            token_hash=token_hash(token), sent_at__gte=timezone.now() - ANSWER_MAX_AGE
        )
        .select_related("process")
        .first()
    )


@transaction.atomic
def evaluation_answer(
    *, token: str, experience, understood_use: str, accessible: str, comment: str = ""
) -> EvaluationAnswer | None:
    """Store one anonymous answer and use up the token; None when the token is not valid."""
    invitation = invitation_for(token)
    if invitation is None:
        return None
    invitation = EvaluationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.token_hash is None:
        return None  # used by a request that got here first
    errors = {}
    try:
        experience = int(experience)
    except (TypeError, ValueError):
        experience = 0
    if not 1 <= experience <= 5:
        errors["experience"] = _("Choose a number from 1 to 5.")
    if understood_use not in Understood.values:
        errors["understood_use"] = _("Choose an answer.")
    if accessible not in Understood.values:
        errors["accessible"] = _("Choose an answer.")
    if errors:
        raise EvaluationRefused(errors)
    answer = EvaluationAnswer.objects.create(
        process=invitation.process,
        answered_on=timezone.localdate(),
        experience=experience,
        understood_use=understood_use,
        accessible=accessible,
        comment=redact((comment or "").strip()[:COMMENT_MAX_LENGTH]),
    )
    invitation.token_hash = None
    invitation.save(update_fields=["token_hash"])
    return answer
