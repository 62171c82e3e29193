"""Evaluation by participants (the participation plan's evaluation requirement, issue 17).

After a process closes, each contributor with an e-mail address is invited once. The answer is
stored without any link to the person: ``EvaluationInvitation`` knows who was invited (so no
one is invited twice) and holds only a hash of a one-use token; ``EvaluationAnswer`` knows
only the process and the day. Using the token clears it, so nothing ties an answer to an
invitation afterwards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EvaluationInvitation(models.Model):
    """One contributor invited to evaluate one process (at most once)."""

    process = models.ForeignKey(
        "inputbank.Process", on_delete=models.CASCADE, related_name="evaluation_invitations"
    )
    # Erasure deletes the contributor; the invitation then names nobody.
    contributor = models.ForeignKey(
        "inputbank.Contributor",
        null=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_invitations",
    )
    # sha256 of the token in the e-mail; emptied when the token is used (one use).
    token_hash = models.CharField(max_length=64, null=True, unique=True)
    language = models.CharField(max_length=35, default="nb")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "contributor"], name="evaluation_invited_once"
            ),
        ]

    def __str__(self) -> str:
        return f"evaluation invitation {self.pk}"


class Understood(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class EvaluationAnswer(models.Model):
    """One anonymous answer: the process, the day, and what the participant said."""

    process = models.ForeignKey(
        "inputbank.Process", on_delete=models.CASCADE, related_name="evaluation_answers"
    )
    # A day, not a moment: a time stamp could be matched with an e-mail log.
    answered_on = models.DateField()
    # How was it to take part? 1 (very bad) to 5 (very good).
    experience = models.PositiveSmallIntegerField()
    understood_use = models.CharField(max_length=6, choices=Understood.choices)
    accessible = models.CharField(max_length=6, choices=Understood.choices)
    comment = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(experience__gte=1, experience__lte=5),
                name="evaluation_experience_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"evaluation answer {self.pk}"
