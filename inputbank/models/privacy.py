from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRequest(models.Model):
    """One access (art. 15) or erasure (art. 17) request, and how it was handled.

    The log keeps no personal data: the contributor is named by number only (the row may outlive
    the contributor it names), and the note is redacted before it is stored.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (copy of the data)")
        ERASURE = "erasure", _("Erasure")

    class Via(models.TextChoices):
        LINK = "link", _("Signed link in an e-mail")
        STAFF = "staff", _("Staff, on request")
        COMMAND = "command", _("Command line")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    via = models.CharField(max_length=10, choices=Via.choices)
    contributor_ref = models.PositiveIntegerField(help_text=_("Contributor number, not a person"))
    inputs_affected = models.PositiveIntegerField(default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.contributor_ref} ({self.via})"
