"""Meetings of a process (folkemøte, open office hours, a walk): date, time and place."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geo.crs import STORAGE_SRID


class Meeting(models.Model):
    """One meeting residents can come to, shown on the process page."""

    # Set by the meeting services before a write: simple_history records it as the author.
    _history_user: object

    process = models.ForeignKey(
        "inputbank.Process", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, help_text=_("Room, building, address"))
    # Where on the map, when the place is one spot (a hall, a square); a walk or "online" has none.
    location = models.PointField(_("location on the map"), srid=STORAGE_SRID, null=True, blank=True)
    description = models.TextField(_("description"), blank=True, default="")
    # Who added, changed or deleted a meeting, and when (the staff meeting pages, the admin).
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title
