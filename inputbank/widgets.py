"""The admin map widget: OpenLayers from our own static files, the configured basemap."""

import json

from django.conf import settings
from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    """Django's OSMWidget with local OpenLayers (no CDN) and the municipality's basemap."""

    template_name = "gis/openlayers-basemap.html"

    class Media:
        # extend=False: otherwise Django merges in the parent's jsdelivr URLs as well.
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = settings.BASEMAP_URL.replace("{layer}", settings.BASEMAP_LAYER)
        # json.dumps, then escape '<' so the value cannot close the inline script.
        context["basemap_url_json"] = json.dumps(url).replace("<", "\\u003c")
        context["basemap_attribution_json"] = json.dumps(settings.BASEMAP_ATTRIBUTION).replace(
            "<", "\\u003c"
        )
        return context
