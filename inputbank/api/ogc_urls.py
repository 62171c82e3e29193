"""OGC API – Features routes (read-only subset of pygeoapi's), mounted at /ogc/."""

from django.urls import path

from inputbank.api import ogc

urlpatterns = [
    path("", ogc.landing_page, name="ogc-landing"),
    path("openapi", ogc.openapi, name="ogc-openapi"),
    path("api", ogc.openapi),
    path("conformance", ogc.conformance, name="ogc-conformance"),
    path("collections", ogc.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", ogc.collections, name="ogc-collection"),
    path("collections/<str:collection_id>/queryables", ogc.queryables, name="ogc-queryables"),
    path("collections/<str:collection_id>/items", ogc.items, name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:item_id>", ogc.item, name="ogc-item"),
]
