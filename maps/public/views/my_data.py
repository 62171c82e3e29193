"""A contributor's own data, reached from the signed link in their e-mail (no account).

They can download everything the bank holds about them as JSON (GDPR art. 15) and ask for
erasure (art. 17) after a confirmation page. The link is signed (django.core.signing), so it
cannot be guessed; once the data is erased or pseudonymised the link finds nothing. Both
requests go through the privacy service, which also logs them (without personal data).
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from inputbank.models import PrivacyRequest
from inputbank.services.privacy import contributor_from_token, privacy_request_handle


def _gone(request):
    return render(request, "maps/privacy_mine.html", {"state": "gone"}, status=404)


@never_cache
@require_safe
def privacy_mine(request, token: str):
    contributor = contributor_from_token(token)
    if contributor is None:
        return _gone(request)
    context = {"state": "start", "token": token, "count": contributor.inputs.count()}
    return render(request, "maps/privacy_mine.html", context)


@never_cache
@require_safe
def privacy_mine_data(request, token: str):
    contributor = contributor_from_token(token)
    if contributor is None:
        return _gone(request)
    _logged, export = privacy_request_handle(
        contributor=contributor, kind=PrivacyRequest.Kind.ACCESS, via=PrivacyRequest.Via.LINK
    )
    body = json.dumps(export, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def privacy_mine_erase(request, token: str):
    """GET: what erasure means and a button; POST: erase (the input stays, anonymous)."""
    contributor = contributor_from_token(token)
    if contributor is None:
        return _gone(request)
    if request.method != "POST":
        context = {"state": "confirm", "token": token, "count": contributor.inputs.count()}
        return render(request, "maps/privacy_mine.html", context)
    privacy_request_handle(
        contributor=contributor, kind=PrivacyRequest.Kind.ERASURE, via=PrivacyRequest.Via.LINK
    )
    return render(request, "maps/privacy_mine.html", {"state": "erased"})
