"""Area alerts: a resident's own subscription to what happens near them (issue 17).

A subscription is the subscriber's own consent, not part of any case: retention leaves it
alone, and it is deleted on unsubscribe or by the privacy erasure for its e-mail address
(docs/privacy.md). No account: the e-mail address and a secret token are all there is.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo.crs import STORAGE_SRID


class AlertFrequency(models.TextChoices):
    DAY = "day", _("Once a day")
    WEEK = "week", _("Once a week")


class AreaAlert(models.Model):
    """One e-mail address watching one area (drawn, or an address with a radius)."""

    email = models.EmailField(_("e-mail"))
    # Always a polygon in the storage CRS: an address and radius is stored as the circle, so
    # the digest asks one question whichever way the area was chosen.
    area = models.MultiPolygonField(srid=STORAGE_SRID)
    # How the area was chosen, to show it back to the subscriber ("500 m around Storgata 1").
    address_label = models.CharField(max_length=200, blank=True, default="")
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=35, default="nb")
    frequency = models.CharField(
        max_length=4, choices=AlertFrequency.choices, default=AlertFrequency.WEEK
    )
    # The secret in every link (confirm, unsubscribe), signed again per purpose when sent.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the confirmation e-mail left; empty: not yet (the digest job retries it).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # Nothing but the confirmation e-mail is sent before this is set (double opt-in).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The end of the period the last digest covered: the next one starts here.
    covered_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"], name="areaalert_email")]
        constraints = [
            models.CheckConstraint(condition=Q(area__isvalid=True), name="areaalert_area_valid"),
            models.CheckConstraint(
                condition=Q(radius_m__isnull=True) | Q(radius_m__gte=1),
                name="areaalert_radius_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"area alert {self.pk} ({self.frequency})"
