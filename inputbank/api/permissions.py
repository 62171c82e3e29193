"""Who may call what. Role questions are answered by inputbank.roles, never by group names."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from rest_framework.permissions import BasePermission

from inputbank import roles


def _has(check, message: str) -> type[BasePermission]:
    class RolePermission(BasePermission):
        def has_permission(self, request, view):
            return check(request.user)

    RolePermission.message = message
    RolePermission.__name__ = f"Can{check.__name__.title().replace('_', '')}"
    return RolePermission


CanModerate = _has(roles.can_moderate, "only moderators and case officers may do this")
CanRespond = _has(roles.can_respond, "only case officers may record a response")
CanRegister = _has(roles.can_register, "only case officers may change input")


class SameOriginWrites(BasePermission):
    """Refuse writes from a foreign web page for callers without a session.

    DRF checks CSRF only for session-authenticated requests, so anonymous POSTs need their own
    guard: browsers send Origin (and Sec-Fetch-Site) with every POST, and a page on another site
    cannot forge them. Scripts without a browser send neither and are let through (they are
    no CSRF risk); JSON-only parsing means a plain HTML form cannot post here either.
    """

    message = "cross-site request refused: send the request from this site's own pages"
    anonymous_reads = True  # anyone may read (inputbank.api.schema documents it so)

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
            return False
        origin = request.META.get("HTTP_ORIGIN")
        if not origin:
            return True
        return origin_allowed(request, origin)


def origin_allowed(request, origin: str) -> bool:
    """True when the Origin is this host (same scheme) or listed in CSRF_TRUSTED_ORIGINS."""
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    return parts.scheme == request.scheme and parts.netloc == request.get_host()
