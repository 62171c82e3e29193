"""Public pages rendered once and served from the shared answer cache (inputbank.cache).

The map at / is the same for every anonymous resident in one language on one day: rendering it
(the themes, the open processes and their areas as GeoJSON, ~25 KB of template) cost most of
its time under load (docs/reliability.md, "Where the time goes"). It is now rendered once per
cache generation and language and kept with the lists and tiles, so a moderator's decision, a
new or edited process or theme (inputbank.apps) refreshes it at once.

Only one thing on it belongs to the visitor: the CSRF token of the language form. The page is
stored with a placeholder in its place and each answer gets the visitor's own token, so the
CSRF cookie and check work as on any rendered page. A page may have more such holes (``fill``):
the map opened on a box (``/?bbox=``, the list's "this part of the map" and every shared link)
is one stored page with the box's placeholders, filled in per request. The ETag is over the
stored page, what was filled in and the visitor's CSRF cookie: a browser that still holds the
same page gets a 304 with no body.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from inputbank.cache import cached, public_answer_key

# Not a valid token (they are letters and digits, 64 long), so it can never occur by chance.
CSRF_PLACEHOLDER = "csrf-placeholder-9d1c7e"


def _etag(page: bytes, request, fill: dict[str, str]) -> str:
    digest = hashlib.blake2b(page, digest_size=12)
    for placeholder, value in sorted(fill.items()):
        digest.update(f"\0{placeholder}={value}".encode())
    # The page the browser holds carries a token bound to its CSRF cookie: a new cookie (after
    # a log-out, or cleared cookies) must get a new page, not a 304.
    digest.update(request.COOKIES.get(settings.CSRF_COOKIE_NAME, "").encode())
    return f'W/"{digest.hexdigest()}"'


def cached_public_page(
    request, name: str, render: Callable[[dict], str], fill: dict[str, str] | None = None
) -> HttpResponse:
    """Answer an anonymous GET of the page ``name`` from the shared cache.

    ``render(extra_context)`` renders the page as text; ``extra_context`` must be added to the
    template's context (it puts the placeholder where the CSRF token goes). ``fill`` maps
    other placeholders the page was rendered with to this request's text (already escaped
    for where they stand; a placeholder must be letters, digits and hyphens, so that neither
    HTML nor URL escaping changes it).
    """
    fill = fill or {}
    # The static files' manifest: after an upgrade with new scripts or styles the page names
    # their new hashed files at once, not after TILE_CACHE_SECONDS.
    release = getattr(staticfiles_storage, "manifest_hash", "")
    key = public_answer_key("page", name, get_language(), timezone.localdate(), release)
    page = cached(key, lambda: render({"csrf_token": CSRF_PLACEHOLDER}).encode())
    etag = _etag(page, request, fill)
    # Also for a 304: the CSRF middleware then sets or renews the cookie as for any page.
    token = get_token(request)
    if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        for placeholder, value in fill.items():
            page = page.replace(placeholder.encode(), value.encode())
        response = HttpResponse(page.replace(CSRF_PLACEHOLDER.encode(), token.encode()))
    response["ETag"] = etag
    # The page holds the visitor's CSRF token: no shared cache may keep it, and the browser
    # asks again each time (the 304 is cheap).
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response
