"""Form fields the staff forms share: drawn geometry, uploaded area, case numbers, lists."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from geo.areafile import AreaFileError, read_area_file
from geo.crs import WEB_SRID
from geo.validation import GeometryError
from inputbank.casenumbers import CaseRef, parse_case
from inputbank.geomessages import geo_message
from inputbank.geometry import INPUT, CannotTransform, admit_geometry, admit_shape, policy


class GeoJSONGeometryField(forms.CharField):
    """A geometry drawn on the map, sent as GeoJSON (lon/lat); cleans to GEOS in EPSG:25832.

    Accepts a bare geometry, a Feature or a FeatureCollection of one geometry type family
    (what the drawing script writes), then admits it by ``inputbank.geometry`` for its
    ``purpose``, exactly as the API does.
    """

    widget = forms.HiddenInput

    def __init__(self, *, purpose: str = INPUT, **kwargs):
        self.purpose = purpose
        kwargs.setdefault("required", False)
        super().__init__(strip=True, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            obj = json.loads(value)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise forms.ValidationError(_("The drawn geometry could not be read.")) from exc
        if isinstance(obj, dict) and obj.get("type") == "Feature":
            obj = obj.get("geometry")
        if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
            geoms = [f.get("geometry") for f in obj.get("features") or [] if isinstance(f, dict)]
            if not geoms:
                return None
            obj = _collect(geoms)
        try:
            return admit_geometry(obj, purpose=self.purpose).geom
        except GeometryError as exc:
            raise forms.ValidationError(geo_message(exc)) from exc


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
    """An uploaded plan boundary: GeoJSON, GeoPackage or zipped Shapefile -> GEOS (25832).

    The file is read by ``geo.areafile`` (the upload guard of ``geo.io.safety``), and its shape
    admitted by ``inputbank.geometry`` for ``purpose``, like a drawn one.
    """

    def __init__(self, *, purpose: str, **kwargs):
        self.purpose = purpose
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
                upload.read(), max_bytes=limit, max_vertices=policy(self.purpose).max_vertices
            )
            return admit_shape(
                area.geom,
                srid=area.srid,
                purpose=self.purpose,
                repaired=area.repaired,
                where="area",
            ).geom
        except CannotTransform as exc:  # a CRS PROJ cannot transform from
            raise forms.ValidationError(_("The file's coordinates cannot be transformed.")) from exc
        except (AreaFileError, GeometryError) as exc:
            raise forms.ValidationError(geo_message(exc)) from exc


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
