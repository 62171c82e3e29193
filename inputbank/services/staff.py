"""Writes for a staff user's own settings."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from inputbank.models import STAFF_LANGUAGES, StaffProfile


def staff_language_set(*, user: User, language: str) -> StaffProfile:
    """Set the language the workspace speaks to ``user`` (nb, nn or en)."""
    if language not in dict(STAFF_LANGUAGES):
        raise ValueError(f"not a workspace language: {language!r}")
    with transaction.atomic():
        profile, _created = StaffProfile.objects.update_or_create(
            user=user, defaults={"language": language}
        )
    return profile
