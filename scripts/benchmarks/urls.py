"""The product's URLs plus a view that does not touch the database.

It is the baseline for /healthz: the same middleware stack and worker, no query. If /healthz
is close to it, database connections are persistent (a new connection costs ~8 ms).
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from inputbank.urls import urlpatterns as product_urlpatterns


@never_cache
@require_GET
def no_database(request: HttpRequest) -> JsonResponse:
    """Answer like /healthz does, without a query."""
    return JsonResponse({"status": "ok", "postgis": "not asked"})


urlpatterns = [path("bench/no-database", no_database), *product_urlpatterns]
