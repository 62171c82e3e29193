"""GIS publishing without HTTP: the public layers' columns, tile SQL, file exports, the OGC
provider and the Arrow source they read from.

Modules: ``layers`` (columns of the public GIS views), ``exports`` (database → Arrow → GDAL
files), ``tiles`` (vector tile SQL), ``ogc_provider`` (pygeoapi providers), ``arrow_source``.
The HTTP adapters live in ``inputbank.api`` (``api/views/gis.py``, ``api/ogc.py``): this package
never imports ``inputbank.api``. docs/gis.md.
"""
