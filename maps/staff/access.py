"""Who may open which staff page. Checks call inputbank.roles, never group names."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from inputbank import roles


def staff_view(check: Callable = roles.is_staff_member):
    """Decorate a view: anonymous users go to the log-in page, users without the role get 403.

    Every staff page also sends ``Cache-Control: no-cache, no-store, ...`` (never_cache):
    pages with unpublished input or contributors must not stay in shared caches.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles.is_staff_member(request.user) or not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return never_cache(wrapped)

    return decorator


# The bulk importer belongs to the GIS exchange (issue 6); the menu only links to it.
IMPORT_PATH = "/staff/import/"


def nav_links(user) -> list[tuple[str, str]]:
    """Return (href, label) for the workspace menu: only what this user may use."""
    entries = [("staff:dashboard", _("Overview"), roles.is_staff_member)]
    entries += [
        ("staff:process_list", _("Processes"), roles.can_register),
        ("staff:input_list", _("Input"), roles.can_see_unpublished),
        ("staff:input_register", _("Register input"), roles.can_register),
        ("staff:argument_list", _("Arguments"), roles.can_see_unpublished),
        ("staff:moderation", _("Moderation"), roles.can_moderate),
        ("staff:audit", _("Change log"), roles.can_moderate),
        ("staff:prior_input", _("What have we heard here before?"), roles.is_staff_member),
        ("staff:consultation_map", _("Consultation map"), roles.is_staff_member),
        ("staff:indicators", _("Indicators"), roles.can_see_indicators),
        ("staff:feedback", _("Feedback e-mail"), roles.can_respond),
        ("staff:privacy", _("Access and erasure requests"), roles.can_see_contributors),
    ]
    links = [(reverse(name), label) for name, label, allowed in entries if allowed(user)]
    if roles.can_register(user) or roles.can_export(user):
        links.append((IMPORT_PATH, _("Bulk import")))
    return links
