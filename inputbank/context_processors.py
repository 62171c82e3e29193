"""Template context every page may need."""

from django.conf import settings


def sso(request):
    """Whether staff single sign-on is configured (the login page offers it then)."""
    return {"sso_enabled": settings.SSO_ENABLED}
