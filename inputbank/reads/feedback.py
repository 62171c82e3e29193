"""Where the feedback e-mail for an input stands, as the officer must be told it.

One owner for the questions "who gets feedback?" (``feedback_recipient``) and "what happened to
this input's e-mail?" (``feedback_state``): the sender (inputbank.services.feedback_email) asks
the first before queueing and sending, the staff pages ask the second, so a page can never say
"the contributor gets an e-mail" while the send failed or no address exists.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inputbank.models import DeliveryKind, DeliveryStatus, FeedbackDelivery, Input, Response

# A claim older than this is reported to staff as "outcome unknown" (never re-sent by itself).
STALE_CLAIM = dt.timedelta(minutes=15)


class FeedbackNotQueued(Exception):
    """Why no e-mail will go out for an input (no response yet, no address, did not ask)."""


def feedback_recipient(input: Input, kind: str = DeliveryKind.ANSWER) -> str:  # noqa: A002
    """Return the address to write to, or raise FeedbackNotQueued naming why there is none.

    A receipt goes to whoever left an address; the answer only to those who asked for one.
    """
    contributor = input.contributor
    if contributor is None:
        raise FeedbackNotQueued(_("the input has no contributor"))
    if kind == DeliveryKind.ANSWER and not contributor.wants_feedback:
        raise FeedbackNotQueued(_("the contributor did not ask for feedback"))
    if not contributor.email:
        raise FeedbackNotQueued(_("the contributor left no e-mail address"))
    return contributor.email


def response_fingerprint(response: Response) -> str:
    """Return a hash of what the contributor would read; equal answers give equal keys."""
    parts: tuple[str, ...] = (response.outcome, response.justification.strip(), response.stage)
    parts += (response.decision_reference.strip(),)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class FeedbackStateCode(enum.StrEnum):
    NOT_WANTED = "not_wanted"  # no contributor, did not ask, or no address
    NOT_ANSWERED = "not_answered"  # asked, but there is no response yet
    NOT_QUEUED = "not_queued"  # the current response was recorded without e-mail
    QUEUED = "queued"
    RETRYING = "retrying"  # failed at least once, tried again automatically
    SENDING = "sending"
    UNKNOWN = "unknown"  # a sender died mid-send: it may or may not have left
    SENT = "sent"
    FAILED = "failed"  # gave up: waits for a person


LABELS = {
    FeedbackStateCode.NOT_WANTED: _("No e-mail"),
    FeedbackStateCode.NOT_ANSWERED: _("E-mail follows the response"),
    FeedbackStateCode.NOT_QUEUED: _("This response was not e-mailed"),
    FeedbackStateCode.QUEUED: _("E-mail queued"),
    FeedbackStateCode.RETRYING: _("E-mail not sent yet: retrying"),
    FeedbackStateCode.SENDING: _("E-mail being sent"),
    FeedbackStateCode.UNKNOWN: _("E-mail outcome unknown"),
    FeedbackStateCode.SENT: _("E-mail sent"),
    FeedbackStateCode.FAILED: _("E-mail failed"),
}
# States a person should look at; a retry (inputbank.services.feedback_retry) is offered.
RETRYABLE = {FeedbackStateCode.RETRYING, FeedbackStateCode.FAILED, FeedbackStateCode.UNKNOWN}


@dataclass(frozen=True)
class FeedbackState:
    """The true state of an input's feedback e-mail, for the officer."""

    code: FeedbackStateCode
    reason: str = ""  # why none, or the last error
    delivery: FeedbackDelivery | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE


def delivery_state(delivery: FeedbackDelivery) -> FeedbackState:
    """Return the state one delivery is in (also used for the message after answering)."""
    status = delivery.status
    if status == DeliveryStatus.SENT:
        code = FeedbackStateCode.SENT
    elif status == DeliveryStatus.FAILED:
        code = FeedbackStateCode.FAILED
    elif status == DeliveryStatus.SENDING:
        stale = delivery.claimed_at is None or delivery.claimed_at < timezone.now() - STALE_CLAIM
        code = FeedbackStateCode.UNKNOWN if stale else FeedbackStateCode.SENDING
    elif delivery.attempts:
        code = FeedbackStateCode.RETRYING
    else:
        code = FeedbackStateCode.QUEUED
    return FeedbackState(code, reason=delivery.last_error, delivery=delivery)


def _state(input: Input, latest: FeedbackDelivery | None) -> FeedbackState:  # noqa: A002
    try:
        feedback_recipient(input)
    except FeedbackNotQueued as why:
        return FeedbackState(FeedbackStateCode.NOT_WANTED, reason=str(why))
    response: Response | None = getattr(input, "response", None)
    if response is None:
        return FeedbackState(FeedbackStateCode.NOT_ANSWERED)
    if latest is None or latest.content_key != response_fingerprint(response):
        return FeedbackState(FeedbackStateCode.NOT_QUEUED, delivery=latest)
    return delivery_state(latest)


def feedback_state(input: Input) -> FeedbackState:  # noqa: A002
    """Return what happened to the e-mail about this input's current response."""
    return _state(input, input.feedback_deliveries.order_by("-created_at", "-id").first())


def feedback_states(inputs: Sequence[Input]) -> dict[int, FeedbackState]:
    """``feedback_state`` for a page of inputs (with contributor and response joined), by pk,
    in one query for their newest deliveries."""
    newest = (
        FeedbackDelivery.objects.filter(input__in=[i.pk for i in inputs])
        .order_by("input_id", "-created_at", "-id")
        .distinct("input_id")
    )
    latest = {d.input_id: d for d in newest}
    return {i.pk: _state(i, latest.get(i.pk)) for i in inputs}


def deliveries_needing_attention():
    """Failed deliveries, pending ones that already failed once, and stale claims."""
    stale = timezone.now() - STALE_CLAIM
    return FeedbackDelivery.objects.filter(
        Q(status=DeliveryStatus.FAILED)
        | Q(status=DeliveryStatus.PENDING, attempts__gt=0)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    )
