"""E-mail to contributors: queue once, send at most once, retry failures visibly.

Two kinds travel this one path (``DeliveryKind``): the *receipt* right after a resident
submits with an e-mail address (what they sent, the reference, where to follow it), and the
*answer* once the municipality has responded (linking to the input's page with the answer).
Both are rendered in the contributor's language (any of settings.LANGUAGES, nynorsk included;
the wording lives in the gettext catalogues of inputbank/locale).

The guarantee, and how it is kept:

* **Queued once.** A delivery is keyed by (input, fingerprint of the response). Queueing the same
  answer again finds the existing row (a unique constraint, so also under concurrency); a revised
  answer is a new delivery.
* **Sent at most once.** A sender first *claims* a row with a conditional UPDATE
  (pending -> sending) committed before it talks to the mail server; only the one claim that
  changed the row may send. After the server accepts the message the row becomes ``sent``. A row
  left in ``sending`` (the process died mid-send) is not re-sent by the scheduler: whether the
  message left is unknown, so staff decide (``feedback_retry``).
* **Failures retried and visible.** An error puts the row back to ``pending`` with a later
  ``next_attempt_at`` (exponential back-off) and the error text; after ``MAX_ATTEMPTS`` it is
  ``failed``. The staff feedback page lists both, and ``manage.py send_feedback`` (cron) or the
  page's "retry" button sends what is due.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from inputbank.models import (
    DeliveryKind,
    DeliveryStatus,
    FeedbackDelivery,
    Input,
    ModerationStatus,
    Response,
)
from inputbank.reads.feedback import (
    STALE_CLAIM,
    FeedbackNotQueued,
    feedback_recipient,
    response_fingerprint,
)
from inputbank.redaction import redact
from inputbank.services.privacy import privacy_link

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# E-mail goes out in any language of the site; every other language falls back to bokmål.
TEMPLATE_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
FALLBACK_LANGUAGE = "nb"
# "no" (Norwegian, unspecified) and "nob"/"nno" (ISO 639-2) name the two written standards.
_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn"}
# content_key of a receipt: one per input, whatever happens later.
RECEIPT_KEY = "receipt"


def _backoff(attempts: int) -> dt.timedelta:
    """Return the wait before the next try: 5 min, 20 min, 80 min, ... capped at a day."""
    return min(dt.timedelta(minutes=5 * 4 ** max(attempts - 1, 0)), dt.timedelta(days=1))


def email_language(preferred: str | None) -> str:
    """Return the template language for a contributor's preferred BCP 47 tag ('en-GB' -> 'en')."""
    base = (preferred or "").split("-")[0].split("_")[0].lower()
    base = _ALIASES.get(base, base)
    return base if base in TEMPLATE_LANGUAGES else FALLBACK_LANGUAGE


@transaction.atomic
def feedback_queue(*, input: Input, queued_by=None) -> FeedbackDelivery:  # noqa: A002
    """Queue the feedback e-mail for an input's current response, once per wording.

    Raises FeedbackNotQueued when there is nothing to send or nobody to send it to; its message
    is in the reader's language (the officer reads it after "no e-mail:" when answering).
    """
    response = Response.objects.filter(input=input).first()
    if response is None:
        raise FeedbackNotQueued(gettext("the input has no response yet"))
    feedback_recipient(input)
    delivery, _created = FeedbackDelivery.objects.get_or_create(
        input=input,
        content_key=response_fingerprint(response),
        defaults={
            # feedback_recipient() above refused an input without a contributor.
            "language": email_language(input.contributor.preferred_language),  # type: ignore[union-attr]
            "queued_by": queued_by,
        },
    )
    return delivery


def receipt_queue(*, input: Input) -> FeedbackDelivery:  # noqa: A002
    """Queue the receipt for a just-submitted input, once; FeedbackNotQueued without an address."""
    # Asked before the transaction: most residents leave no address, and raising inside it
    # cost a savepoint and its rollback (three round trips per submission).
    feedback_recipient(input, DeliveryKind.RECEIPT)
    with transaction.atomic():
        delivery, _created = FeedbackDelivery.objects.get_or_create(
            input=input,
            content_key=RECEIPT_KEY,
            defaults={
                "kind": DeliveryKind.RECEIPT,
                "language": email_language(input.contributor.preferred_language),  # type: ignore[union-attr]
            },
        )
    return delivery


def site_link(path: str) -> str:
    """An absolute address on the public site (SITE_URL + path), for links in e-mail."""
    return settings.INPUTBANK.get("SITE_URL", "").rstrip("/") + path


def follow_link(input: Input) -> str:  # noqa: A002
    """Return the address where the contributor follows the input (absolute, for e-mail).

    The input's own page (with the answer) once it is published; until then, and for input
    that is never published, the status page of its reference, which shows no personal data.
    """
    if input.status == ModerationStatus.PUBLISHED:
        return site_link(reverse("maps:input_detail", kwargs={"public_id": input.public_id}))
    return site_link(reverse("maps:input_status", kwargs={"reference": input.reference}))


def _render(delivery: FeedbackDelivery) -> tuple[str, str, str]:
    """Return (subject, text body, html body) in the delivery's language."""
    item = delivery.input
    lang = email_language(delivery.language)
    response = getattr(item, "response", None)
    context = {
        "lang": lang,
        "input": item,
        "reference": item.reference,
        "response": response,
        "process": item.process,
        "outcome": response.outcome if response else "",
        "contributor_name": item.contributor.name if item.contributor else "",
        "follow_url": follow_link(item),
        "site_url": settings.INPUTBANK.get("SITE_URL", ""),
        # See, download or erase their data without an account (GDPR art. 15 and 17).
        "privacy_url": privacy_link(item.contributor) if item.contributor else "",
    }
    kind = delivery.kind
    with translation.override(lang):
        subject: str = render_to_string(f"inputbank/email/{kind}_subject.txt", context)
        text = render_to_string(f"inputbank/email/{kind}_body.txt", context)
        html = render_to_string(f"inputbank/email/{kind}_body.html", context)
    # One line without stray spaces; header injection: a title with a line break adds no headers.
    subject = " ".join(subject.split())[:200]
    return subject, text, html


def feedback_message(delivery: FeedbackDelivery) -> EmailMultiAlternatives:
    """Build the e-mail for a delivery (used by the sender and shown as a preview to staff)."""
    subject, text, html = _render(delivery)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[feedback_recipient(delivery.input, delivery.kind)],
        headers={
            # Stable per delivery: should a copy ever go out twice, mail clients fold them.
            "Message-ID": f"<{delivery.kind}-{delivery.public_id}@{domain}>",
            "Auto-Submitted": "auto-generated",
            "Content-Language": email_language(delivery.language),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class SendReport:
    """What one run of the sender did, by delivery id."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take the row for sending; True only for the one caller whose UPDATE changed it."""
    with transaction.atomic():
        return bool(
            FeedbackDelivery.objects.filter(
                pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
            ).update(status=DeliveryStatus.SENDING, claimed_at=now, updated_at=now)
        )


def _record_failure(delivery: FeedbackDelivery, error: Exception) -> None:
    attempts = delivery.attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS or isinstance(error, FeedbackNotQueued)
    # SMTP errors often quote the recipient: keep personal data out of the error column.
    text = redact(f"{type(error).__name__}: {error}")[:1000]
    FeedbackDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
        attempts=attempts,
        last_error=text,
        next_attempt_at=timezone.now() + _backoff(attempts),
        claimed_at=None,
        updated_at=timezone.now(),
    )


def _close_quietly(connection) -> None:
    # Closing a connection that already broke may raise too; there is nothing left to do then.
    with contextlib.suppress(Exception):
        connection.close()


def feedback_send(
    *, ids: Iterable[int] | None = None, limit: int = 200, connection=None
) -> SendReport:
    """Send the due deliveries (or just ``ids``), each at most once; record every failure.

    Must not run inside an outer transaction that could roll the claim back after the mail
    server accepted the message; each claim and each result is committed on its own.
    """
    now = timezone.now()
    due = FeedbackDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    report = SendReport()
    candidates = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    if not candidates:
        return report
    connection = connection or get_connection(fail_silently=False)
    try:
        for pk in candidates:
            if not _claim(pk, now):
                report.skipped.append(pk)
                continue
            delivery = FeedbackDelivery.objects.select_related(
                "input__contributor", "input__response", "input__process"
            ).get(pk=pk)
            try:
                message = feedback_message(delivery)
                message.connection = connection
                message.send(fail_silently=False)
            except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
                log.warning("feedback %s not sent: %s", delivery.public_id, type(error).__name__)
                _record_failure(delivery, error)
                report.failed.append(pk)
                # A failed conversation may leave the connection unusable: start afresh.
                _close_quietly(connection)
                continue
            FeedbackDelivery.objects.filter(pk=pk).update(
                status=DeliveryStatus.SENT,
                sent_at=timezone.now(),
                attempts=delivery.attempts + 1,
                last_error="",
                message_id=message.extra_headers["Message-ID"],
                updated_at=timezone.now(),
            )
            report.sent.append(pk)
    finally:
        _close_quietly(connection)
    return report


@transaction.atomic
def feedback_retry(*, delivery: FeedbackDelivery, user) -> FeedbackDelivery:
    """Make a failed delivery, or one stuck mid-send, due now (a person decided to resend)."""
    stuck = delivery.status == DeliveryStatus.SENDING and (
        delivery.claimed_at is None or delivery.claimed_at < timezone.now() - STALE_CLAIM
    )
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.PENDING) and not stuck:
        # Shown to the officer who pressed "send again" on a stale page: their language.
        status = str(delivery.get_status_display()).lower()
        raise ValueError(
            gettext("The e-mail is %(status)s and is not sent again.") % {"status": status}
        )
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.claimed_at = None
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.attempts = MAX_ATTEMPTS - 1  # one more try
    delivery.save()
    log.info("feedback %s set for resending by user %s", delivery.public_id, user.pk)
    return delivery


def send_after_commit(ids: Sequence[int]) -> None:
    """Send these deliveries once the surrounding transaction has committed (if enabled)."""
    if not ids or not settings.INPUTBANK.get("FEEDBACK_SEND_IMMEDIATELY", True):
        return
    transaction.on_commit(lambda: feedback_send(ids=list(ids)))
