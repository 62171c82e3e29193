"""Recent log-in for sensitive staff actions: re-authentication within STAFF_REAUTH_MINUTES.

A session that is hours old (staff sessions last a working day) may belong to an unlocked PC
left at a desk. Exports of personal data, access and erasure requests and changes to user
accounts and roles therefore ask for the password again (or a fresh single sign-on) when the
last log-in is older than ``settings.STAFF_REAUTH_MINUTES``. Every log-in, by password or
single sign-on, stamps the session (Django's ``user_logged_in`` signal); the re-authentication
page (inputbank.views.reauthenticate) stamps it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse

SESSION_KEY = "inputbank_authenticated_at"


def mark_authenticated(request: HttpRequest) -> None:
    """Note in the session that the user proved who they are just now."""
    request.session[SESSION_KEY] = int(time.time())


@receiver(user_logged_in, dispatch_uid="inputbank.reauth.stamp")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def seconds_since_login(request: HttpRequest) -> float | None:
    stamp = request.session.get(SESSION_KEY)
    return time.time() - stamp if isinstance(stamp, int | float) else None


def is_recent(request: HttpRequest) -> bool:
    """True when the user logged in or re-authenticated within STAFF_REAUTH_MINUTES."""
    age = seconds_since_login(request)
    return age is not None and 0 <= age <= settings.STAFF_REAUTH_MINUTES * 60


def reauth_redirect(request: HttpRequest, back_to: str | None = None) -> HttpResponseRedirect:
    """Send the user to confirm who they are, then back to ``back_to`` (default: this page).

    A POST cannot be replayed after the detour, so forms pass the page they came from.
    """
    target = back_to or request.get_full_path()
    return HttpResponseRedirect(f"{reverse('reauthenticate')}?{urlencode({'next': target})}")


def recent_login_required(back_to: str | None = None) -> Callable:
    """Decorate a view that needs a recent log-in. ``back_to`` (a URL name or path) is where
    a refused POST returns after re-authentication; a GET returns to itself."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated and not is_recent(request):
                back = None
                if request.method != "GET" and back_to:
                    back = resolve_url(back_to)
                return reauth_redirect(request, back)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
