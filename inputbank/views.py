"""Operational endpoints that belong to no page: liveness, readiness, the API's last resort."""

from __future__ import annotations

import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inputbank.middleware import DatabaseUnavailableMiddleware, database_unavailable


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
