from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inputbank.models.choices import Outcome, Stage


class Response(models.Model):
    """The municipality's comment on one input (kommunens kommentar).

    One per input, kept forever: when old input is reused, its earlier answer travels with it.
    Changes are kept in the history table, so earlier wordings are never lost.
    """

    # The acting user that django-simple-history records with the next save (set by services).
    _history_user: object

    input = models.OneToOneField(
        "inputbank.Input",
        verbose_name=_("input"),
        on_delete=models.CASCADE,
        related_name="response",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # Set when the answer was given to a whole argument at once (answered once).
    argument = models.ForeignKey(
        "inputbank.Argument",
        verbose_name=_("answered as argument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    justification = models.TextField(_("justification"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.OTHER)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    decision_reference = models.CharField(
        _("decision document"),
        max_length=120,
        blank=True,
        help_text=_("Decision document, e.g. 2024/1234-12 or PS 45/24"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["outcome"], name="response_outcome")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.justification[:60]}"
