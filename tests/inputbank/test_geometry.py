"""One admission policy: the same shape gets the same verdict at every door.

The doors are the API's serializer fields, the staff forms (drawn shapes and uploaded plan
boundaries) and the importer. Each door admits for a purpose (input, plan area, query area);
within a purpose every door must admit, repair or refuse the same shapes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError as FormError
from rest_framework.exceptions import ValidationError as ApiError

from geo.crs import STORAGE_SRID, WEB_SRID
from geo.validation import GeometryError
from inputbank.api.serializers import InputSubmitSerializer, PriorInputSerializer
from inputbank.filters import FilterError, InputFilter
from inputbank.geometry import (
    AREA,
    INPUT,
    QUERY_AREA,
    admit_geometry,
    admit_geometry_text,
    admit_shape,
    policy,
    query_area,
    to_storage,
)
from inputbank.imports import ImportOptions, run_import
from maps.staff.forms.inputs import InputRegisterForm
from maps.staff.forms.processes import ProcessForm
from maps.staff.forms.reports import PriorInputForm

pytestmark = pytest.mark.django_db

# Small limits keep the "too many vertices" shapes small; every door must read the same ones.
LIMITS = {"MAX_VERTICES": 200, "QUERY_MAX_VERTICES": 400}
ADMITTED, REPAIRED, REFUSED = "admitted", "repaired", "refused"
# What a door that does not report repairs (a form) says: admitted, perhaps repaired.
ACCEPTED = "accepted"


def ring(lon: float, lat: float, vertices: int, radius: float = 0.002) -> list[list[float]]:
    """A closed lon/lat ring of ``vertices`` positions (the last repeats the first)."""
    n = vertices - 1
    points = [
        [lon + radius * math.cos(2 * math.pi * i / n), lat + radius * math.sin(2 * math.pi * i / n)]
        for i in range(n)
    ]
    return [*points, points[0]]


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def nested_collection(depth: int) -> dict:
    geom: dict = {"type": "Point", "coordinates": [10.658, 59.434]}
    for _ in range(depth):
        geom = {"type": "GeometryCollection", "geometries": [geom]}
    return geom


def shapes(purpose: str) -> dict[str, tuple[dict, str]]:
    """The corpus: name -> (GeoJSON geometry, the verdict every door must give)."""
    limit = LIMITS["MAX_VERTICES" if purpose == INPUT else "QUERY_MAX_VERTICES"]
    bowtie = [[10.65, 59.43], [10.66, 59.44], [10.66, 59.43], [10.65, 59.44], [10.65, 59.43]]
    line = {"type": "LineString", "coordinates": [[10.65, 59.43], [10.66, 59.435]]}
    return {
        "valid": (polygon(ring(10.658, 59.434, 40)), ADMITTED),
        "at the vertex limit": (polygon(ring(10.658, 59.434, limit)), ADMITTED),
        "too many vertices": (polygon(ring(10.658, 59.434, limit + 1)), REFUSED),
        "bow-tie": (polygon(bowtie), REPAIRED),
        "out of extent (Oslo)": (polygon(ring(10.75, 59.91, 20)), REFUSED),
        "lon and lat swapped": (polygon([[p[1], p[0]] for p in ring(10.658, 59.434, 20)]), REFUSED),
        "nested collection": (nested_collection(30), REFUSED),
        "a line": (line, REFUSED if purpose == AREA else ADMITTED),
    }


# --- The doors, each returning (verdict, the admitted GEOS geometry or None) --------------------


def _api(serializer, field: str):
    def door(geometry: dict):
        try:
            geom = serializer().fields[field].run_validation(geometry)
        except ApiError:
            return REFUSED, None
        return (REPAIRED if getattr(geom, "repaired", False) else ADMITTED), geom

    return door


def _api_param(geometry: dict):
    try:
        parsed = InputFilter.from_query({"intersects": json.dumps(geometry)})
    except FilterError:
        return REFUSED, None
    return ACCEPTED, parsed.intersects


def _form(form_class, field: str):
    def door(geometry: dict):
        try:
            geom = form_class().fields[field].clean(json.dumps(geometry))
        except FormError:
            return REFUSED, None
        return ACCEPTED, geom

    return door


def _upload(form_class):
    def door(geometry: dict):
        data = json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry}]}
        ).encode()
        upload = SimpleUploadedFile("plan.geojson", data, content_type="application/geo+json")
        try:
            geom = form_class().fields["area_file"].clean(upload)
        except FormError:
            return REFUSED, None
        return ACCEPTED, geom

    return door


def _importer(tmp_path: Path):
    def door(geometry: dict):
        path = tmp_path / "innspill.geojson"
        feature = {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"tekst": "Trygg skolevei her", "kanal": "letter", "dato": "2024-05-02"},
        }
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
        report = run_import(path, options=ImportOptions())
        if report.refused or report.rows_valid == 0:
            return REFUSED, None
        repaired = any(w.field == "geometry" for w in report.warnings)
        return (REPAIRED if repaired else ADMITTED), None

    return door


def doors(purpose: str, tmp_path: Path) -> dict:
    """Every door that admits shapes for this purpose."""
    if purpose == INPUT:
        return {
            "API POST /inputs/": _api(InputSubmitSerializer, "geometry"),
            "staff registration form": _form(InputRegisterForm, "geometry"),
            "importer": _importer(tmp_path),
        }
    if purpose == AREA:
        return {
            "staff process form, drawn": _form(ProcessForm, "area"),
            "staff process form, uploaded": _upload(ProcessForm),
        }
    return {
        "API POST /prior-input/": _api(PriorInputSerializer, "geometry"),
        "API ?intersects=": _api_param,
        "staff report, drawn": _form(PriorInputForm, "geometry"),
        "staff report, uploaded": _upload(PriorInputForm),
    }


CASES = [(purpose, name) for purpose in (INPUT, AREA, QUERY_AREA) for name in shapes(purpose)]


@pytest.mark.parametrize(("purpose", "name"), CASES)
def test_every_door_gives_the_same_verdict(purpose, name, settings, tmp_path):
    settings.INPUTBANK = {**settings.INPUTBANK, **LIMITS}
    geometry, expected = shapes(purpose)[name]
    verdicts, stored = {}, []
    for door_name, door in doors(purpose, tmp_path).items():
        if name == "a line" and "uploaded" in door_name:
            continue  # a plan-boundary file holds polygons by definition (its help text says so)
        verdict, geom = door(geometry)
        if geom is not None:
            stored.append(geom)
        if verdict == ACCEPTED:  # the door does not say whether it repaired
            verdict = expected if expected in (ADMITTED, REPAIRED) else ACCEPTED
        verdicts[door_name] = verdict
    assert set(verdicts.values()) == {expected}, verdicts
    if expected != REFUSED:
        assert admit_geometry(geometry, purpose=purpose).repaired == (expected == REPAIRED)
        # The same shape is stored alike whatever the door.
        for geom in stored:
            assert geom.srid == STORAGE_SRID
            assert geom.normalize(clone=True).equals_exact(
                stored[0].normalize(clone=True), tolerance=1e-6
            )


# --- The rules themselves -----------------------------------------------------------------------


def test_admitted_shapes_are_in_the_storage_crs():
    admitted = admit_geometry({"type": "Point", "coordinates": [10.658, 59.434]}, purpose=INPUT)
    assert admitted.geom.srid == STORAGE_SRID
    assert 580_000 < admitted.geom.x < 610_000
    assert 6_570_000 < admitted.geom.y < 6_600_000


def test_input_must_lie_inside_moss_but_a_query_area_need_only_touch_it():
    county = polygon([[10.0, 59.0], [11.5, 59.0], [11.5, 60.0], [10.0, 60.0], [10.0, 59.0]])
    with pytest.raises(GeometryError, match="outside Moss"):
        admit_geometry(county, purpose=INPUT)
    admitted = admit_geometry(county, purpose=QUERY_AREA)
    # Clipped to the Moss extent plus its margin, so the UTM projection stays sane.
    assert admitted.geom.extent[0] > 500_000


def test_swapped_axes_are_named_in_the_message():
    swapped = {"type": "Point", "coordinates": [59.434, 10.658]}
    with pytest.raises(GeometryError, match="swapped"):
        admit_geometry(swapped, purpose=INPUT)


def test_the_limits_come_from_settings(settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAX_VERTICES": 7, "QUERY_MAX_VERTICES": 9}
    assert policy(INPUT).max_vertices == 7
    assert policy(AREA).max_vertices == policy(QUERY_AREA).max_vertices == 9
    with pytest.raises(ValueError, match="unknown geometry purpose"):
        policy("anything")


def test_a_plan_area_is_a_polygon():
    with pytest.raises(GeometryError, match="not allowed here"):
        admit_geometry({"type": "Point", "coordinates": [10.658, 59.434]}, purpose=AREA)


def test_text_is_for_urls_and_follows_the_same_rules():
    wkt = "POLYGON((10.65 59.43, 10.66 59.43, 10.66 59.44, 10.65 59.44, 10.65 59.43))"
    assert admit_geometry_text(wkt, purpose=QUERY_AREA).geom.srid == STORAGE_SRID
    with pytest.raises(GeometryError, match="GeometryCollection"):
        admit_geometry_text("GEOMETRYCOLLECTION(POINT(10.6 59.4))", purpose=QUERY_AREA)


def test_a_file_shape_in_metres_is_checked_in_metres():
    block = shapely.box(596_000, 6_588_000, 596_500, 6_588_400)
    admitted = admit_shape(block, srid=STORAGE_SRID, purpose=AREA)
    assert admitted.geom.area == pytest.approx(500 * 400)
    far = shapely.box(260_000, 6_640_000, 260_500, 6_640_400)  # far west of Moss, in UTM 32
    with pytest.raises(GeometryError, match="outside Moss"):
        admit_shape(far, srid=STORAGE_SRID, purpose=AREA)


def test_to_storage_and_query_area():
    point = Point(10.658, 59.434, srid=WEB_SRID)
    stored = to_storage(point)
    assert stored.srid == STORAGE_SRID
    assert to_storage(stored) is stored
    with pytest.raises(ValueError, match="no SRID"):
        to_storage(GEOSGeometry("POINT(1 2)"))
    (piece,) = query_area(point, buffer_m=100)
    assert piece.area == pytest.approx(math.pi * 100**2, rel=0.02)
    star = GEOSGeometry(json.dumps(polygon(ring(10.658, 59.434, 1000))), srid=WEB_SRID)
    assert len(query_area(star)) > 1
