"""Staff import pages, mounted at /staff/import/ (inputbank/urls.py)."""

from django.urls import path

from maps.staff.views import imports

app_name = "imports"

urlpatterns = [
    path("", imports.upload, name="upload"),
    path("<str:token>/import", imports.commit, name="commit"),
    path("<str:token>/cancel", imports.cancel, name="cancel"),
]
