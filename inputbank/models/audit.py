from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One sensitive staff action: who, when, what, on what (docs/deploy.md, "Staff accounts").

    Written by inputbank.services.audit for exports of personal data, access and erasure
    requests, changes to user accounts and roles (admin and single sign-on) and every
    re-authentication. Append-only: the admin shows it and nothing edits it. No resident's
    personal data: a contributor is named by number, as in PrivacyRequest.
    """

    class Action(models.TextChoices):
        REAUTH = "reauth", _("Confirmed the password again")
        REAUTH_FAILED = "reauth_failed", _("Wrong password when confirming")
        PRIVACY_ACCESS = "privacy_access", _("Exported a contributor's data")
        PRIVACY_ERASURE = "privacy_erasure", _("Erased a contributor")
        USER_ADD = "user_add", _("Added a user")
        USER_CHANGE = "user_change", _("Changed a user")
        USER_DELETE = "user_delete", _("Deleted a user")
        GROUP_ADD = "group_add", _("Added a role group")
        GROUP_CHANGE = "group_change", _("Changed a role group")
        GROUP_DELETE = "group_delete", _("Deleted a role group")
        SSO_ROLES = "sso_roles", _("Roles changed by single sign-on")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text: the log must still say who when the account is deleted.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"
