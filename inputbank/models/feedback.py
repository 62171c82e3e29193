import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    """Where one feedback e-mail stands.

    ``sending`` is the claim a sender holds while it talks to the mail server. A row stuck in it
    (the process died mid-send) is never re-sent automatically: whether the message left is
    unknown, and sending twice is worse than asking a person to decide.
    """

    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DeliveryKind(models.TextChoices):
    """What an e-mail to a contributor is about."""

    # The answer to their input (queued by staff once there is a response).
    ANSWER = "answer", _("Answer")
    # The receipt right after submission: what was sent, the reference and where to follow it.
    RECEIPT = "receipt", _("Receipt")


class FeedbackDelivery(models.Model):
    """One e-mail to one contributor about one input: its receipt or the response to it.

    ``content_key`` fingerprints the response as it was when queued: queueing the same answer
    again is a no-op (the unique constraint is the single-send guarantee), while a revised answer
    gets a delivery of its own. The recipient's address is read from the contributor at send
    time and never copied here, so erasing a contributor leaves no address behind.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    input = models.ForeignKey(
        "inputbank.Input", on_delete=models.CASCADE, related_name="feedback_deliveries"
    )
    kind = models.CharField(
        max_length=10,
        choices=DeliveryKind.choices,
        default=DeliveryKind.ANSWER,
        db_default=DeliveryKind.ANSWER,
    )
    content_key = models.CharField(max_length=64)
    language = models.CharField(max_length=35, default="nb")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "feedback deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="feedback_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["input", "content_key"], name="feedback_once"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="feedback_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING) | Q(claimed_at__isnull=False),
                name="feedback_sending_is_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.public_id} ({self.status})"
