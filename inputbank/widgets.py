"""The admin map widget, with OpenLayers served from our own static files (no CDN)."""

from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    """Django's OSMWidget, but its JavaScript and CSS come from maps/static/vendor/ol."""

    class Media:
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")
