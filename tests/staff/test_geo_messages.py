"""Refusals from ``geo`` reach staff in bokmål and nynorsk; ``str()`` stays English."""

from __future__ import annotations

import json

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.utils import translation

from geo.crs import WEB_SRID
from geo.validation import GeometryError, parse_geojson_geometry
from inputbank.geomessages import geo_message
from inputbank.geometry import AREA, admit_shape
from maps.staff.forms.fields import AreaFileField, GeoJSONGeometryField

SWAPPED = json.dumps({"type": "Point", "coordinates": [59.43, 10.66]})
OPEN_RING = {"type": "Polygon", "coordinates": [[[10.6, 59.4], [10.7, 59.4], [10.7, 59.5]]]}


def _drawn_error(language: str) -> str:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        GeoJSONGeometryField().clean(SWAPPED)
    return caught.value.messages[0]


def _upload_error(language: str) -> str:
    upload = SimpleUploadedFile("area.geojson", json.dumps(OPEN_RING).encode())
    with translation.override(language), pytest.raises(ValidationError) as caught:
        AreaFileField(purpose=AREA).clean(upload)
    return caught.value.messages[0]


def test_drawn_geometry_refused_in_bokmal_and_nynorsk():
    assert _drawn_error("nb").startswith("geometri: koordinatene ligger utenfor Moss, men ville")
    assert _drawn_error("nn").startswith("geometri: koordinatane ligg utanfor Moss, men ville")
    assert _drawn_error("en").startswith("geometry: the coordinates are outside Moss, but would")


def test_uploaded_area_refused_in_bokmal_and_nynorsk():
    assert _upload_error("nb") == "objekt 1: en flate må ha minst 4 punkter i hver ring"
    assert _upload_error("nn") == "objekt 1: ei flate må ha minst 4 punkt i kvar ring"
    assert _upload_error("en") == "feature 1: a polygon ring needs at least 4 positions"


def test_the_english_sentence_stays_in_str():
    with translation.override("nb"), pytest.raises(GeometryError) as caught:
        parse_geojson_geometry({"type": "Point", "coordinates": [10.66, 99]})
    assert str(caught.value).startswith("geometry: the coordinates are")
    assert caught.value.values["box"]  # the values are kept apart for the translation


def test_the_admissions_own_refusals_are_worded_too(settings):
    # inputbank.geometry's last line of defence (geo's readers usually refuse first).
    settings.INPUTBANK = {**settings.INPUTBANK, "QUERY_MAX_VERTICES": 4}
    square = shapely.box(10.65, 59.43, 10.67, 59.44)
    with pytest.raises(GeometryError) as caught:
        admit_shape(square, srid=WEB_SRID, purpose=AREA, where="area")
    assert str(caught.value) == "area: too many vertices (5; the limit is 4)"
    with translation.override("nb"):
        assert geo_message(caught.value) == "område: for mange punkter (5; grensen er 4)"
    with translation.override("nn"):
        assert geo_message(caught.value) == "område: for mange punkt (5; grensa er 4)"
