"""URL layout (docs/urls.md explains it):

/                 resident pages (maps.public.urls)
/staff/           case officer workspace (maps.staff.urls); /staff/import/ bulk import
/tiles/, /ogc/    vector tiles and OGC API - Features (inputbank.api.gis_urls)
/api/v1/exports/  GIS file exports (inputbank.api.gis_urls)
/api/v1/          REST API (inputbank.api.urls), OpenAPI schema and docs
/admin/           Django admin
/healthz          liveness: 200 while the process answers
/readyz           readiness: 200 only when PostgreSQL + PostGIS, the cache and migrations are ready
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from inputbank import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/reauthenticate/", views.reauthenticate, name="reauthenticate"),
    path("accounts/", include("django.contrib.auth.urls")),
    # GIS exchange (exports under /api/v1/exports/, /tiles/, /ogc/): before the API include.
    path("", include("inputbank.api.gis_urls")),
    path("api/v1/", include("inputbank.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/import/", include("maps.staff.import_urls")),
    path("staff/", include("maps.staff.urls")),
    path("", include("maps.public.urls")),
]
if settings.SSO_ENABLED:
    # Staff single sign-on (inputbank/sso.py): /oidc/authenticate/ and /oidc/callback/.
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler404 = "inputbank.views.not_found"
handler500 = "inputbank.views.server_error"
