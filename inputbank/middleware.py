"""Response headers that Django's SecurityMiddleware does not set."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _tile_origin() -> str:
    url = settings.BASEMAP_URL
    if "://" not in url:
        return ""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


class SecurityHeadersMiddleware:
    """Add a strict Content-Security-Policy: no inline scripts, no third-party scripts.

    Stored XSS in popups, names and file names is the commonest advisory in systems like ours
    (docs/threats.md); a CSP without 'unsafe-inline' for scripts is the backstop behind escaping.
    Map tiles may come from the configured basemap host only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        tiles = _tile_origin()
        self.policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                # Leaflet positions map panes with inline style attributes.
                "style-src 'self' 'unsafe-inline'",
                f"img-src 'self' data: blob: {tiles}".strip(),
                "connect-src 'self'",
                "font-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors " + getattr(settings, "CSP_FRAME_ANCESTORS", "'none'"),
            ]
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = self.policy
            if request.path.startswith("/admin/"):
                # Django's admin map widget initialises itself with an inline script; the admin
                # is staff-only, so it gets 'unsafe-inline' and nothing else does.
                policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            if getattr(response, "embeddable", False):
                policy = policy.replace("frame-ancestors 'none'", "frame-ancestors *")
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response
