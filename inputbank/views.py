"""Endpoints that belong to no page: liveness, readiness, the API's last resort, and the
re-authentication asked for before sensitive staff actions."""

from __future__ import annotations

import sys

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from inputbank.middleware import DatabaseUnavailableMiddleware, database_unavailable
from inputbank.models import AuditEvent
from inputbank.reauth import is_recent, mark_authenticated
from inputbank.services.audit import audit_record


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 while the process answers, also when the database is away (a supervisor
    must not restart healthy workers during a database restart; /readyz is the check for
    taking traffic). It still asks PostGIS once, to report it and to keep the persistent
    connection warm (benchmark X1)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT PostGIS_Lib_Version()")
            return JsonResponse({"status": "ok", "postgis": cursor.fetchone()[0]})
    except DatabaseError:
        return JsonResponse({"status": "ok", "database": "unavailable"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer: 200 only when the database with PostGIS answers, the
    shared cache answers and every migration is applied; 503 naming what is not ready."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT PostGIS_Lib_Version()")
            checks["postgis"] = cursor.fetchone()[0]
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not plan else f"{len(plan)} not applied"
    except DatabaseError:
        checks["database"] = "unavailable"
    try:
        cache.set("readyz", "1", 10)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "not answering"
    except Exception:  # noqa: BLE001 - any backend's failure means "not ready"
        checks["cache"] = "unavailable"
    ready = all(checks.get(name) == "ok" for name in ("database", "migrations", "cache"))
    return JsonResponse(
        {"status": "ok" if ready else "not ready", **checks}, status=200 if ready else 503
    )


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """handler404: under /api/ a JSON error like every other API answer, else the page."""
    if not request.path.startswith(DatabaseUnavailableMiddleware.PREFIXES):
        return defaults.page_not_found(request, exception)
    body = {"errors": [{"field": "", "message": "no such resource"}]}
    return JsonResponse(body, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the API answers JSON even for faults no view caught (docs/api.md)."""
    if not request.path.startswith(DatabaseUnavailableMiddleware.PREFIXES):
        return defaults.server_error(request)
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    body = {"errors": [{"field": "", "message": "internal error; it has been logged"}]}
    return JsonResponse(body, status=500)


class ReauthenticateForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


@never_cache
@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm who is at the keyboard before a sensitive action (inputbank/reauth.py).

    The password goes through every authentication backend, the log-in lock-out included, so
    guessing here is counted like guessing on the log-in page. Accounts without a local
    password (single sign-on) are sent to the identity provider with ``prompt=login``.
    """
    target = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/staff/"
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if user is not None and user.pk == request.user.pk:
            mark_authenticated(request)
            audit_record(actor=request.user, action=AuditEvent.Action.REAUTH, target=target)
            return HttpResponseRedirect(target)
        audit_record(actor=request.user, action=AuditEvent.Action.REAUTH_FAILED, target=target)
        form.add_error("password", _("That is not your password. Try again."))
    context = {
        "form": form,
        "next": target,
        "recent": is_recent(request),
        "has_password": request.user.has_usable_password(),
        "minutes": settings.STAFF_REAUTH_MINUTES,
    }
    return render(request, "registration/reauthenticate.html", context)
