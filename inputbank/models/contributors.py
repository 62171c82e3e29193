from django.db import models
from django.utils.translation import gettext_lazy as _


class Contributor(models.Model):
    """Personal data of whoever gave input, kept apart from the input itself.

    Never joined into public querysets or serializers; only roles that need it see it. No
    history is kept of this table, so erasure leaves no copies behind (GDPR art. 17).
    """

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    wants_feedback = models.BooleanField(_("wants feedback"), default=False)
    preferred_language = models.CharField(max_length=35, default="nb")
    consent_publish_name = models.BooleanField(_("consents to publishing the name"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    pseudonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name or self.organisation or f"Contributor {self.pk}"
