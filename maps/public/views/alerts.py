"""Area alerts for residents: follow an area by e-mail, confirm, stop (no account).

The subscription page posts to itself (a plain form: the page works without the API, and
without scripts when an address is typed); every write goes through the alert services. The
links in the e-mails open a page with one button, so a mail scanner that opens links neither
confirms nor stops anything; the stop link also takes the mail client's one-click POST
(RFC 8058), which carries no CSRF token: the signed link is the authority.
"""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from inputbank import antibot
from inputbank.api.throttling import AlertThrottle
from inputbank.models import AlertFrequency
from inputbank.reads.places import find_places
from inputbank.services.alerts import (
    AlertRefused,
    alert_confirm,
    alert_for_confirmation,
    alert_for_stopping,
    alert_subscribe,
    alert_unsubscribe,
)
from maps.public.views.common import common_context

# The distances offered around an address (metres); the service accepts 50 m to MAX_BUFFER_M.
RADII = (250, 500, 1000, 2000)
DEFAULT_RADIUS = 500


def _number(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _subscription(post) -> dict:
    """The service's arguments from the form; an address typed without scripts is looked up."""
    mode = post.get("area_mode", "address")
    args = {
        "email": post.get("email", "")[:254],
        "language": post.get("language", "") or get_language(),
        "frequency": post.get("frequency", ""),
    }
    if mode == "area":
        try:
            area = json.loads(post.get("area", "") or "null")
        except ValueError:
            area = None
        if area is None:
            raise AlertRefused("area", _("Draw an area on the map, or choose an address."))
        return args | {"area": area}
    lon, lat = _number(post.get("lon")), _number(post.get("lat"))
    label = post.get("address_label", "") or post.get("address", "")
    if lon is None or lat is None:
        found = find_places(post.get("address", ""), limit=1)
        if not found:
            raise AlertRefused("area", _("Draw an area on the map, or choose an address."))
        lon, lat, label = found[0].lon, found[0].lat, found[0].label
    radius = _number(post.get("radius"))
    return args | {
        "point": (lon, lat),
        "radius_m": int(radius) if radius is not None else None,
        "address_label": label[:200],
    }


def _form_context(request, errors: dict | None = None) -> dict:
    post = request.POST if request.method == "POST" else {}
    return common_context() | {
        "state": "form",
        "errors": errors or {},
        "values": post,
        "radii": RADII,
        "chosen_radius": str(post.get("radius", DEFAULT_RADIUS)),
        "frequencies": AlertFrequency.choices,
        "chosen_frequency": post.get("frequency", AlertFrequency.WEEK),
        "area_mode": post.get("area_mode", "address"),
        "languages": settings.LANGUAGES,
        "chosen_language": post.get("language") or get_language(),
        "form_token": antibot.issue_form_token(),
    }


@never_cache
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
def alerts(request):
    """GET: the form (or, after sending, "check your e-mail"); POST: subscribe."""
    if request.method != "POST":
        if request.GET.get("sent"):
            return render(request, "maps/alerts.html", {"state": "sent"})
        return render(request, "maps/alerts.html", _form_context(request))
    if not AlertThrottle().allow_request(request, None):
        errors = {"form": _("You have sent this form many times. Wait a while and try again.")}
        return render(request, "maps/alerts.html", _form_context(request, errors), status=429)
    try:
        antibot.check_form(
            token=request.POST.get(antibot.TOKEN_FIELD),
            honeypot=request.POST.get(antibot.HONEYPOT_FIELD),
        )
        alert_subscribe(**_subscription(request.POST))
    except antibot.BotCheckFailed:
        errors = {"form": _("The form could not be sent. Wait a moment and send it again.")}
        return render(request, "maps/alerts.html", _form_context(request, errors), status=400)
    except AlertRefused as refused:
        errors = {refused.field: str(refused.message)}
        return render(request, "maps/alerts.html", _form_context(request, errors), status=400)
    return redirect(reverse("maps:alerts") + "?sent=1")


def _gone(request):
    return render(request, "maps/alerts.html", {"state": "gone"}, status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm_page(request, token: str):
    """GET: one button; POST: confirm the subscription."""
    alert = alert_for_confirmation(token)
    if alert is None:
        return _gone(request)
    if request.method != "POST":
        return render(request, "maps/alerts.html", {"state": "confirm", "alert": alert})
    alert_confirm(signed=token)
    return render(request, "maps/alerts.html", {"state": "confirmed", "alert": alert})


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def alert_stop_page(request, token: str):
    """GET: one button; POST (the button, or the mail client's one-click): stop and delete."""
    alert = alert_for_stopping(token)
    if alert is None:
        return _gone(request)
    if request.method != "POST":
        return render(request, "maps/alerts.html", {"state": "stop", "alert": alert})
    alert_unsubscribe(signed=token)
    return render(request, "maps/alerts.html", {"state": "stopped"})
