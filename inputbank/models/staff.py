"""A staff user's own settings: today the language the workspace speaks to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The workspace is written in bokmål and nynorsk (the two written standards a Norwegian
# municipality uses in its casework), with English for colleagues who read neither. Each
# language is named in itself, so an officer finds theirs whatever the page speaks now.
STAFF_LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
]


class StaffProfile(models.Model):
    """Per-user settings of the case officer workspace (one row per user who changed one)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    language = models.CharField(
        _("language of the workspace"), max_length=8, choices=STAFF_LANGUAGES
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"

    @staticmethod
    def language_of(user) -> str:
        """The user's chosen workspace language, else the site's (bokmål)."""
        chosen = (
            StaffProfile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
        )
        return chosen or settings.LANGUAGE_CODE
