"""Form fields the staff forms share: drawn geometry, uploaded area, case numbers, lists."""

from __future__ import annotations

import json

import shapely
from django import forms
from django.conf import settings
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext_lazy as _

from geo.areafile import AreaFileError, read_area_file
from geo.crs import WEB_SRID
from geo.validation import (
    ALLOWED_TYPES,
    GeometryError,
    check_extent,
    parse_geojson_geometry,
)
from inputbank.casenumbers import CaseRef, parse_case
from inputbank.models.querysets import to_storage

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _to_storage(geom: shapely.Geometry, srid: int) -> GEOSGeometry:
    """Return a shapely geometry (in ``srid``) as GEOS in the storage CRS, inside Moss."""
    geos = to_storage(GEOSGeometry(shapely.to_wkb(geom, hex=True), srid=srid))
    if not geos.valid:
        # Reprojection can fold a ring that was valid in degrees; repair once more.
        geos = geos.make_valid()
    try:
        check_extent(shapely.from_wkb(bytes(geos.wkb)), "25832", where="area")
    except GeometryError as exc:
        raise forms.ValidationError(str(exc)) from exc
    return geos


class GeoJSONGeometryField(forms.CharField):
    """A geometry drawn on the map, sent as GeoJSON (lon/lat); cleans to GEOS in EPSG:25832.

    Accepts a bare geometry, a Feature or a FeatureCollection of one geometry type family
    (what the drawing script writes). Checked by ``geo.validation`` like the API's input.
    """

    widget = forms.HiddenInput

    def __init__(self, *, allowed_types: tuple[str, ...] = ALLOWED_TYPES, **kwargs):
        self.allowed_types = allowed_types
        kwargs.setdefault("required", False)
        super().__init__(strip=True, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            obj = json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("The drawn geometry could not be read.")) from exc
        if isinstance(obj, dict) and obj.get("type") == "Feature":
            obj = obj.get("geometry")
        if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
            geoms = [f.get("geometry") for f in obj.get("features") or [] if isinstance(f, dict)]
            if not geoms:
                return None
            obj = _collect(geoms)
        try:
            checked = parse_geojson_geometry(
                obj,
                max_vertices=settings.INPUTBANK["QUERY_MAX_VERTICES"],
                allowed_types=self.allowed_types,
            )
        except GeometryError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return _to_storage(checked.geom, WEB_SRID)


def _collect(geoms: list) -> dict:
    """Merge several drawn polygons (or points, or lines) into one Multi* GeoJSON geometry."""
    kinds = {g.get("type") for g in geoms if isinstance(g, dict)}
    if len(geoms) == 1:
        return geoms[0]
    if kinds <= {"Polygon", "MultiPolygon"}:
        parts = []
        for g in geoms:
            coords = g.get("coordinates") or []
            parts += coords if g["type"] == "MultiPolygon" else [coords]
        return {"type": "MultiPolygon", "coordinates": parts}
    raise forms.ValidationError(_("Draw one shape only (a point, a line or an area)."))


class AreaFileField(forms.FileField):
    """An uploaded plan boundary: GeoJSON, GeoPackage or zipped Shapefile -> GEOS (25832)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("GeoJSON, GeoPackage (.gpkg) or Shapefile in a .zip; polygons only.")
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        limit = settings.INPUTBANK["AREA_UPLOAD_MAX_BYTES"]
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        try:
            area = read_area_file(
                upload.read(),
                max_bytes=limit,
                max_vertices=settings.INPUTBANK["QUERY_MAX_VERTICES"],
            )
        except AreaFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        try:
            return _to_storage(area.geom, area.srid)
        except GEOSException as exc:  # a CRS GDAL cannot transform from
            raise forms.ValidationError(_("The file's coordinates cannot be transformed.")) from exc


class CaseNumberField(forms.CharField):
    """A Noark 5 case number "2024/1234" (or document "2024/1234-5" with ``document=True``)."""

    def __init__(self, *, document: bool = False, **kwargs):
        self.document = document
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_python(self, value) -> CaseRef | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            ref = parse_case(value)
        except ValueError as exc:
            example = "2024/1234-5" if self.document else "2024/1234"
            raise forms.ValidationError(
                _("%(value)s is not a case number like %(example)s.")
                % {"value": value[:30], "example": example}
            ) from exc
        if ref.document is not None and not self.document:
            raise forms.ValidationError(_("Give the case number without a document number."))
        return ref


class CommaListField(forms.CharField):
    """Free words separated by commas ("barn og unge, eldre") -> a list of trimmed strings."""

    def to_python(self, value) -> list[str]:
        value = super().to_python(value)
        return [part.strip()[:80] for part in (value or "").split(",") if part.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input element (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def area_as_geojson(geom: GEOSGeometry | None) -> str:
    """Return a stored geometry as GeoJSON lon/lat text (to pre-fill the drawing map)."""
    if geom is None:
        return ""
    return geom.transform(WEB_SRID, clone=True).json
