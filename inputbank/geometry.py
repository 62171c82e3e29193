"""The storage CRS, query areas, and the one admission policy for geometry from outside.

Every door that takes a shape from a person or a file (the API, the staff forms, the importer,
plan-boundary uploads) asks ``admit_geometry`` (or its file and bulk forms) and gets the same
verdict for the same shape. The plain rules live in ``geo.validation`` (no Django); this module
chooses them per *purpose* and reads the limits from settings.

Purposes:
* ``INPUT`` — a resident's or case officer's input, stored in ``Input.geom``.
* ``AREA`` — a process's plan area, stored in ``Process.area``.
* ``QUERY_AREA`` — the area of a question ("what have we heard here before?", ``intersects=``);
  it is never stored, so it may reach beyond Moss.

One rule per limit (docs/api.md has the same table for API clients):

=============  ===============================  ============================================
limit          input / area                     query area
=============  ===============================  ============================================
types          input: the six simple types;     the six simple types
               area: Polygon, MultiPolygon
               GeometryCollection: never (nested collections exhaust the stack in GEOS)
vertices       input: INPUT_MAX_VERTICES;       QUERY_MAX_VERTICES
               area: QUERY_MAX_VERTICES         (counted before any geometry object exists)
nesting        the depth each GeoJSON type has, checked before shapely/GEOS parse it
extent         inside the Moss extent, in       must touch the Moss extent; clipped to it
               lon/lat and in EPSG:25832        plus a margin (geo.validation.query_clip_box)
validity       repair or refuse, the same rule twice: in the source CRS and again in the
               storage CRS after projection
=============  ===============================  ============================================

Validity, decided once: an invalid polygon (a bow-tie, a self-touching ring) is *repaired* with
make_valid when the result is still polygonal, and the caller is told (``repaired``; the API
answers ``geometry_repaired``, the importer warns). Everything else invalid is refused. Why
repair: what a person drew is what they meant, and a bow-tie has one obvious reading; refusing
it made residents redraw shapes they cannot see are wrong. Why refuse the rest: a line that
folds onto itself or a polygon that collapses to a line has no reading we could store safely.
The same rule runs after projection to EPSG:25832 because a sliver that is valid in degrees can
self-intersect in metres, and the database only stores valid shapes (a check constraint).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from pyproj.exceptions import ProjError
from shapely.geometry.base import BaseGeometry

from geo.crs import GEOGRAPHIC_SRIDS, STORAGE_SRID, WEB_SRID
from geo.geometry_text import parse_geometry_text
from geo.io.geometry import check_geometries, reproject
from geo.messages import GeoMessage, gettext_noop
from geo.validation import (
    ALLOWED_TYPES,
    POLYGON_TYPES,
    GeometryError,
    check_geometry,
    check_overlaps_extent,
    clip_query_area,
    parse_geojson_geometry,
)

INPUT, AREA, QUERY_AREA = "input", "area", "query area"
PURPOSES = (INPUT, AREA, QUERY_AREA)

# Query areas with more vertices than this are cut into pieces of at most SUBDIVIDE_VERTICES
# vertices: a 10 900-vertex multipolygon took 6.7 s as one geometry, 0.24 s subdivided
# (docs/benchmarks.md). Small areas (a buffered point: 33 vertices) stay one piece. Pieces of
# 256 rather than 64 vertices: fewer index probes and fewer rows found twice, the spatial scan
# of B1's complex areas 15-30 % faster (docs/benchmarks.md, B1 session 8).
# The kinds of place an input has, with the PostGIS types of each: the input filter's
# ``shape`` and the GIS exports' layer per kind (publishing/layers.SHAPE_KINDS) share them.
SHAPE_TYPES: dict[str, tuple[str, ...]] = {
    "point": ("POINT", "MULTIPOINT"),
    "line": ("LINESTRING", "MULTILINESTRING"),
    "area": ("POLYGON", "MULTIPOLYGON"),
}
NO_SHAPE = "none"  # input without a place

SUBDIVIDE_ABOVE = 256
SUBDIVIDE_VERTICES = 256


# --- The storage CRS ---------------------------------------------------------------------------

# One GDAL coordinate transformation per source SRID and thread. Building one reads the PROJ
# database (~2 ms, more than a 500 m intersects query takes); GDAL transformations must not be
# shared between threads, so each thread keeps its own.
_transforms = threading.local()


def _to_storage_transform(srid: int) -> CoordTransform:
    """Return this thread's cached transformation from ``srid`` to the storage CRS."""
    cache = getattr(_transforms, "by_srid", None)
    if cache is None:
        cache = _transforms.by_srid = {}
    transform = cache.get(srid)
    if transform is None:
        # SpatialReference uses the traditional GIS axis order (x=lon, y=lat), as GEOS does.
        transform = CoordTransform(SpatialReference(srid), SpatialReference(STORAGE_SRID))
        cache[srid] = transform
    return transform


def to_storage(geom: GEOSGeometry) -> GEOSGeometry:
    """Return the geometry in the storage CRS (a single small geometry; large sets use SQL)."""
    if geom.srid is None:
        raise ValueError("geometry has no SRID")
    if geom.srid == STORAGE_SRID:
        return geom
    stored = geom.transform(_to_storage_transform(geom.srid), clone=True)
    stored.srid = STORAGE_SRID
    return stored


def query_area(area: GEOSGeometry, buffer_m: float = 0) -> list[GEOSGeometry]:
    """Return the query area in the storage CRS, buffered by metres, as one or more pieces.

    Computed once per query, before the query that uses it, so PostgreSQL sees plain
    parameters and never recomputes the area per row. Large areas are subdivided in PostGIS.
    """
    area = to_storage(area)
    if buffer_m:
        area = area.buffer(buffer_m)
    if area.num_coords <= SUBDIVIDE_ABOVE:
        return [area]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Subdivide(%s::geometry, %s))",
            (area.hexewkb.decode(), SUBDIVIDE_VERTICES),
        )
        return [GEOSGeometry(memoryview(row[0])) for row in cursor.fetchall()]


# --- Admission ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The limits for one purpose (see the module docstring for why each is what it is)."""

    purpose: str
    allowed_types: tuple[str, ...]
    max_vertices: int
    # "inside": the shape must lie within the Moss extent; "overlaps": it need only touch it.
    extent_rule: str


def policy(purpose: str) -> Policy:
    """Return the admission limits for a purpose, read from settings on every call (tests
    override them)."""
    limits = settings.INPUTBANK
    if purpose == INPUT:
        return Policy(INPUT, ALLOWED_TYPES, limits["MAX_VERTICES"], "inside")
    if purpose == AREA:
        return Policy(AREA, POLYGON_TYPES, limits["QUERY_MAX_VERTICES"], "inside")
    if purpose == QUERY_AREA:
        return Policy(QUERY_AREA, ALLOWED_TYPES, limits["QUERY_MAX_VERTICES"], "overlaps")
    raise ValueError(f"unknown geometry purpose {purpose!r}; use one of {PURPOSES}")


class CannotTransform(GeometryError):
    """The shape's CRS cannot be transformed to the storage CRS (PROJ refused it)."""


def _reproject_one(geom: BaseGeometry, srid: int, target: int, where: str) -> BaseGeometry:
    try:
        return reproject(np.array([geom], dtype=object), srid, target)[0]
    except ProjError as exc:
        raise CannotTransform(
            gettext_noop("the coordinates cannot be transformed"), where=where
        ) from exc


@dataclass(frozen=True)
class Admitted:
    """A shape that passed every rule: GEOS in the storage CRS; ``repaired`` if make_valid
    changed it."""

    geom: GEOSGeometry
    repaired: bool = False


def admit_geometry(value: Any, *, purpose: str, where: str = "geometry") -> Admitted:
    """Admit a parsed GeoJSON geometry object (RFC 7946: lon/lat, no GeometryCollection).

    Structure, nesting and the vertex count are checked on the plain JSON values, before
    shapely or GEOS build anything. Raises GeometryError with a plain-language reason.
    """
    rules = policy(purpose)
    checked = parse_geojson_geometry(
        value,
        max_vertices=rules.max_vertices,
        allowed_types=rules.allowed_types,
        extent_rule=rules.extent_rule,
        where=where,
    )
    return _to_storage_checked(checked.geom, WEB_SRID, rules, where, checked.repaired)


def admit_geometry_text(text: str, *, purpose: str, where: str = "geometry") -> Admitted:
    """Admit a geometry written as text, GeoJSON or WKT in lon/lat (a query-string parameter).

    Request bodies send GeoJSON objects (``admit_geometry``); text is for URLs, where a JSON
    object cannot be sent. The same rules apply, checked before GEOS parses the text.
    """
    rules = policy(purpose)
    checked = parse_geometry_text(
        text,
        max_vertices=rules.max_vertices,
        allowed_types=rules.allowed_types,
        extent_rule=rules.extent_rule,
        where=where,
    )
    return _to_storage_checked(checked.geom, WEB_SRID, rules, where, checked.repaired)


def admit_shape(
    geom: BaseGeometry,
    *,
    srid: int,
    purpose: str,
    repaired: bool = False,
    where: str = "geometry",
) -> Admitted:
    """Admit a shapely geometry read from a file, in the file's CRS (EPSG code ``srid``).

    The file reader has already bounded what it read (``geo.areafile``, ``geo.io``); here the
    purpose's type, vertex, validity and extent rules apply as for GeoJSON.
    """
    rules = policy(purpose)
    _check_type(geom, rules, where)
    vertices = int(shapely.get_num_coordinates(geom))
    if vertices > rules.max_vertices:
        raise GeometryError(
            gettext_noop("too many vertices (%(vertices)s; the limit is %(max_vertices)s)"),
            where=where,
            vertices=vertices,
            max_vertices=rules.max_vertices,
        )
    if rules.extent_rule == "overlaps" and srid != WEB_SRID:
        # Query rules speak lon/lat (the margin is in degrees): look at the shape there.
        geom, srid = _reproject_one(geom, srid, WEB_SRID, where), WEB_SRID
    if srid in GEOGRAPHIC_SRIDS:
        # Checked in lon/lat first: only there can "longitude and latitude swapped" be seen.
        checked = check_geometry(
            geom, extent="lonlat" if rules.extent_rule == "inside" else None, where=where
        )
        geom, repaired = checked.geom, repaired or checked.repaired
        if rules.extent_rule == "overlaps":
            check_overlaps_extent(geom, where)
            geom = clip_query_area(geom)
    return _to_storage_checked(geom, srid, rules, where, repaired)


def _check_type(geom: BaseGeometry, rules: Policy, where: str) -> None:
    if geom.geom_type not in rules.allowed_types:
        raise GeometryError(
            gettext_noop("%(type)s is not allowed here; use one of %(kinds)s"),
            where=where,
            type=geom.geom_type,
            kinds=", ".join(rules.allowed_types),
        )


def _to_storage_checked(
    geom: BaseGeometry, srid: int, rules: Policy, where: str, repaired: bool
) -> Admitted:
    """Project to the storage CRS and apply the validity (and extent) rules there again."""
    stored = _reproject_one(geom, srid, STORAGE_SRID, where)
    checked = check_geometry(
        stored, extent="25832" if rules.extent_rule == "inside" else None, where=where
    )
    geos = GEOSGeometry(memoryview(shapely.to_wkb(checked.geom)), srid=STORAGE_SRID)
    return Admitted(geos, repaired or checked.repaired)


def input_max_vertices() -> int:
    """The vertex limit for stored input (the importer bounds WKB/WKT with it before parsing)."""
    return policy(INPUT).max_vertices


def admit_geometries(
    geoms: np.ndarray, *, srid: int
) -> tuple[np.ndarray, dict[int, GeoMessage | str], set[int]]:
    """Admit an array of input geometries read from a file, in bulk: the importer's form.

    Returns (geometries in the storage CRS, errors by index, indexes repaired). The rules are
    ``admit_shape``'s for INPUT, vectorised: only geometries that fail a fast test are looked
    at one by one (``geo.io.check_geometries``). Structure and vertex count were bounded when
    the WKB/WKT was read (``geo.io.from_wkb_column``/``from_wkt`` with ``input_max_vertices``).
    """
    errors: dict[int, GeoMessage | str] = {}
    repaired: set[int] = set()
    if srid in GEOGRAPHIC_SRIDS:
        # Check in lon/lat first: only there can "lon and lat swapped" be recognised.
        geoms, errors, repaired = check_geometries(geoms, extent="lonlat")
    geoms = reproject(geoms, srid, STORAGE_SRID)
    geoms, stored_errors, fixed = check_geometries(geoms, extent="25832")
    errors.update(stored_errors)
    return geoms, errors, repaired | fixed
