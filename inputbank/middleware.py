"""Response headers that Django's SecurityMiddleware does not set; JSON answers when the
database is away; the staff workspace in each officer's own language; read-your-writes when reads
go to replicas."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from inputbank import dbrouter
from inputbank.models import StaffProfile

logger = logging.getLogger(__name__)


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


class DatabaseUnavailableMiddleware:
    """The API answers JSON even when PostgreSQL is down: 503 + Retry-After, never an HTML 500.

    During a database restart (or failover) every query raises OperationalError/InterfaceError.
    For /api/, /ogc/ and /tiles/ that becomes the API's documented error body with 503, so
    clients (the resident map, scripts) know to retry; Django reconnects on the next request
    (CONN_HEALTH_CHECKS), so the app serves again as soon as the database does, without a
    restart of its own. Pages keep Django's own error handling.
    """

    PREFIXES = ("/api/", "/ogc/", "/tiles/")
    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(self.PREFIXES):
            return None
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # Django closes a broken connection when the request finishes (close_old_connections
        # checks it after an error), so the next request connects afresh.
        logger.warning("database unavailable for %s: %s", request.path, exception)
        return database_unavailable()


def database_unavailable() -> JsonResponse:
    body = {"errors": [{"field": "", "message": "the service is briefly unavailable; try again"}]}
    response = JsonResponse(body, status=503)
    response["Retry-After"] = str(DatabaseUnavailableMiddleware.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class StaffLanguageMiddleware:
    """Staff pages speak the language the officer chose (/staff/language/), not the browser's.

    A municipal PC's browser is often set to English while the casework is written in bokmål or
    nynorsk; the choice is the officer's, kept in their StaffProfile (bokmål until they choose).
    Runs after AuthenticationMiddleware and overrides what LocaleMiddleware picked from the
    cookie or Accept-Language; resident pages keep LocaleMiddleware's choice.
    """

    PREFIX = "/staff/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.PREFIX) and request.user.is_authenticated:
            language = StaffProfile.language_of(request.user)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ReadYourWritesMiddleware:
    """After a browser writes, its reads go to the primary for REPLICAS["STICKY_SECONDS"].

    A replica is a moment behind: without this a resident who submits and then opens "my
    input", or a moderator who publishes and reloads the list, could see the page from before.
    The mark is a cookie holding the time until which this browser reads the primary (not the
    session: an anonymous resident has none, and a session row written on every submission
    would cost the primary a write). Forging it only sends one's own reads to the primary.
    A POST to a read-only view (prior input) sets nothing. Without replicas this does nothing.
    """

    COOKIE = "ib_primary_until"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not dbrouter.replica_aliases():
            return self.get_response(request)
        now = time.time()
        try:
            until = float(request.COOKIES.get(self.COOKIE, "0"))
        except ValueError:
            until = 0.0
        with dbrouter.request_routing(pinned=until > now) as routing:
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and not routing.read_only:
            sticky = settings.REPLICAS["STICKY_SECONDS"]
            response.set_cookie(
                self.COOKIE,
                f"{now + sticky:.0f}",
                max_age=sticky,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
