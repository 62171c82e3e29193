"""Per-client rate limits for anonymous and resident traffic; staff are never throttled.

Rates come from settings at request time (THROTTLE_* in .env.example). The client is the
remote address; behind a proxy set API_NUM_PROXIES so X-Forwarded-For is trusted exactly that
far, never further (otherwise a client picks a fresh bucket per request). Counts live in the
Django cache: use a shared cache (e.g. Redis or the database cache) with several workers.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from inputbank import roles


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For read API_NUM_PROXIES far.

    The one rule for "who is this client" — throttles, login lock-outs (AXES_CLIENT_IP_CALLABLE)
    and the idempotency scope all use it.
    """
    return BaseThrottle().get_ident(request)


class _ClientThrottle(SimpleRateThrottle):
    scope = ""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        if roles.is_staff_member(request.user):
            return None
        if request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReadThrottle(_ClientThrottle):
    """Generous limit on every API request by the public. A write the view's tight write
    limit (SubmitThrottle and its kinds) counts is not counted here too: that limit is met
    long before this one, and counting twice cost a submission two more cache round trips
    (docs/benchmarks.md, X2)."""

    scope = "anon"

    def allow_request(self, request, view):
        if request.method not in SAFE_METHODS and any(
            issubclass(t, SubmitThrottle) for t in getattr(view, "throttle_classes", ())
        ):
            return True
        return super().allow_request(request, view)


class SubmitThrottle(_ClientThrottle):
    """Tight limit on writes by the public: inputs, comments."""

    scope = "submit"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


class SupportThrottle(SubmitThrottle):
    """Limit on supports ("I agree"), looser than text submissions."""

    scope = "support"


class SupportAddressThrottle(SimpleRateThrottle):
    """At most THROTTLE_SUPPORT_PER_ADDRESS supports of one input from one address.

    Supports are counted once per browser (its session) or user, but a script that drops its
    cookies is a new browser every time. This bounds it per address and input, high enough
    that everyone at a town-hall meeting on one Wi-Fi can still agree with the same input.
    """

    scope = "support_address"

    def get_rate(self):
        return settings.INPUTBANK["THROTTLE_SUPPORT_PER_ADDRESS"]

    def get_cache_key(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS") or roles.is_staff_member(request.user):
            return None
        input_id = view.kwargs.get("public_id", "")
        ident = f"{self.get_ident(request)}:{input_id}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AlertThrottle(SubmitThrottle):
    """Area alert subscriptions (the /alerts/ page) from one client address (THROTTLE_ALERTS).

    The e-mail address has its own limit (antibot.allow_mail_to in the alert service): this one
    stops one client from trying many addresses.
    """

    scope = "alerts"
