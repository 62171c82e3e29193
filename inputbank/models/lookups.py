"""A database lookup the constraints need: ``geom__geomtype__in=[...]``."""

from django.contrib.gis.db.models import GeometryField
from django.db.models import CharField, Transform


@GeometryField.register_lookup
class GeometryTypeTransform(Transform):
    """PostGIS GeometryType(geom): 'POINT', 'MULTIPOLYGON', ... for type constraints."""

    lookup_name = "geomtype"
    function = "GeometryType"
    output_field = CharField()
