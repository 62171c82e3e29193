"""Serializer fields for untrusted geometry, themes and processes."""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField as GeoJSONGeometryField

from geo.crs import MOSS_CENTRE_LONLAT
from geo.validation import GeometryError
from inputbank.geomessages import geo_message
from inputbank.geometry import INPUT, Admitted, admit_geometry
from inputbank.models import Process, ProcessStatus, Theme


def _as_value(admitted: Admitted) -> GEOSGeometry:
    """The admitted shape (storage CRS), carrying ``repaired`` for the answer's
    ``geometry_repaired``."""
    geom = admitted.geom
    geom.repaired = admitted.repaired
    return geom


@extend_schema_field(
    {
        "type": "object",
        "description": "GeoJSON geometry object (RFC 7946, [longitude, latitude]): Point, "
        "LineString, Polygon or Multi*. No GeometryCollection, no 'crs', no WKT text.",
        "example": {"type": "Point", "coordinates": list(MOSS_CENTRE_LONLAT)},
    }
)
class GeometryField(GeoJSONGeometryField):
    """A GeoJSON geometry object in lon/lat, admitted by ``inputbank.geometry`` for a purpose.

    djangorestframework-gis' field writes GeoJSON out; on the way in it would hand any text
    (WKT, EWKT, HEXEWKB, GeoJSON) straight to GEOS, so ``to_internal_value`` is ours: only a
    JSON object (RFC 7946), and the depth and vertex limits apply before GEOS sees it.
    """

    def __init__(self, *, purpose: str = INPUT, **kwargs):
        self.purpose = purpose
        super().__init__(**kwargs)

    def to_internal_value(self, value) -> GEOSGeometry:
        if not isinstance(value, dict):
            raise serializers.ValidationError(
                "expected a GeoJSON geometry object such as "
                '{"type": "Point", "coordinates": [10.658, 59.434]}'
            )
        try:
            admitted = admit_geometry(value, purpose=self.purpose)
        except GeometryError as exc:
            raise serializers.ValidationError(
                geo_message(exc, where=exc.where != "geometry")
            ) from exc
        return _as_value(admitted)


@extend_schema_field(OpenApiTypes.STR)
class ThemeSlugsField(serializers.ListField):
    """A list of theme slugs; each must name an active theme (any theme if not ``active_only``).

    New input takes active themes only; filters also accept retired ones, which old input
    keeps.
    """

    child = serializers.CharField(max_length=60)

    def __init__(self, *, active_only: bool = True, **kwargs):
        self.active_only = active_only
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[Theme]:
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            raise serializers.ValidationError(f"give at most {self.max_length} themes")
        slugs = list(dict.fromkeys(super().to_internal_value(data)))
        known = Theme.objects.active() if self.active_only else Theme.objects.all()
        themes = {t.slug: t for t in known.filter(slug__in=slugs)}
        unknown = [s for s in slugs if s not in themes]
        if unknown:
            raise serializers.ValidationError(
                f"unknown theme {unknown[0][:60]!r}; see GET /api/v1/themes/ for the slugs"
            )
        return [themes[s] for s in slugs]


@extend_schema_field(OpenApiTypes.STR)
class ProcessField(serializers.Field):
    """A process given by numeric id or slug. With ``open_only`` it must be open for input."""

    def __init__(self, *, open_only: bool = False, **kwargs):
        self.open_only = open_only
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Process:
        if isinstance(data, bool) or not isinstance(data, int | str) or str(data).strip() == "":
            raise serializers.ValidationError("give the process id or slug")
        process = Process.objects.by_key(str(data)[:80]).first()
        if process is None:
            raise serializers.ValidationError(
                "unknown process; see GET /api/v1/processes/ for ids and slugs"
            )
        if self.open_only and process.status != ProcessStatus.OPEN:
            raise serializers.ValidationError("this process is not open for input")
        return process

    def to_representation(self, value):  # pragma: no cover - write-only field
        return value.pk


class StrictSerializer(serializers.Serializer):
    """Refuse keys the serializer does not know (mass assignment of status, id, ... ).

    ``ignored`` names keys that are accepted and dropped (e.g. a GeoJSON 'bbox').
    """

    ignored: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = [k for k in data if k not in self.fields and k not in self.ignored]
            if unknown:
                raise serializers.ValidationError(
                    {str(k)[:60]: ["unknown field; it is not accepted here"] for k in unknown[:5]}
                )
        return super().to_internal_value(data)


def _check_year(value, field: serializers.Field):
    if not 1900 <= value.year <= 2999:
        raise serializers.ValidationError("the year must be between 1900 and 2999")
    return value


class BoundedDateField(serializers.DateField):
    """An ISO date in 1900–2999: the far ends of the calendar overflow time-zone arithmetic."""

    def to_internal_value(self, value):
        return _check_year(super().to_internal_value(value), self)


class BoundedDateTimeField(serializers.DateTimeField):
    """An ISO timestamp in 1900–2999."""

    def to_internal_value(self, value):
        return _check_year(super().to_internal_value(value), self)
