"""GIS exchange: exports, OGC API – Features, vector tiles and the database views' columns.

Modules: ``layers`` (the public column
allow-list), ``exports`` (database → Arrow → GDAL files), ``tiles`` (cached MVT), ``ogc`` and
``ogc_provider`` (pygeoapi wiring), ``views``/``urls`` (thin HTTP adapters). Query
parameters are the list API's (``inputbank.api.filters``). docs/gis.md.
"""
