"""Is the product side of a measure there yet? (Several are built in parallel branches.)

A measure whose endpoint or command is missing reports "not available yet" with the reason,
instead of failing the whole run.
"""

from __future__ import annotations

from django.core.management import get_commands
from django.urls import Resolver404, resolve


def missing_url(path: str) -> str | None:
    """Return a reason when no view answers ``path``, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return f"not available yet: no view for {path} on this branch"
    # The site's catch-all page routes must not count as the endpoint.
    if match.url_name in {"home"} and path != "/":
        return f"not available yet: {path} is not routed on this branch"
    return None


def missing_command(name: str) -> str | None:
    if name not in get_commands():
        return f"not available yet: no manage.py {name} on this branch"
    return None


def first_missing(*reasons: str | None) -> str | None:
    return next((r for r in reasons if r), None)
