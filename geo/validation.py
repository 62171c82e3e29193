"""Validate untrusted geometry before GEOS, GDAL or the database ever sees it.

Plain Python values and shapely geometries, lon/lat (CRS84, x=lon, y=lat) unless a function
says otherwise. Which limits apply to which purpose is ``inputbank.geometry``'s decision.

Rules, and why:
* Only Point, LineString, Polygon and their Multi* forms. GeometryCollections are refused: an
  input has one geometry, and nested collections can exhaust the stack in GEOS 3.11.
* A ``crs`` member is never fetched. CRS84/EPSG:4326 names are accepted and ignored; anything
  else is refused, because RFC 7946 GeoJSON is lon/lat by definition.
* Vertex count is bounded *before* a shapely object is built (memory and CPU stay bounded);
  NaN, Infinity, booleans and strings as coordinates, and empty geometries, are refused.
* Invalid polygons (bow-ties) are repaired with make_valid when the result is still polygonal;
  everything else invalid is refused. The caller learns that it was repaired.
* Coordinates must fall inside the Moss extent with its fjord margin; when swapping lon and lat
  would fit, the message says so (the commonest client mistake).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.crs import CRS84_URIS, MOSS_EXTENT_25832, MOSS_EXTENT_LONLAT
from geo.messages import GeoMessage, gettext_noop

ALLOWED_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")
POLYGON_TYPES = ("Polygon", "MultiPolygon")
# Nesting depth of the "coordinates" array for each type.
_COORD_DEPTH = dict(zip(ALLOWED_TYPES, (0, 1, 2, 1, 2, 3), strict=True))
DEFAULT_MAX_VERTICES = 20_000
# Below this a polygon is a line in disguise (collinear corners; floating point leaves ~1e-17).
# In degrees it is ~0.006 m² at Moss' latitude, in metres far below anything drawable.
MIN_POLYGON_AREA = 1e-12


class GeometryError(GeoMessage):
    """A geometry was refused; ``str(err)`` is a plain-language reason fit for an API error."""


@dataclass(frozen=True)
class CheckedGeometry:
    """A geometry that passed every rule. ``repaired`` is True when make_valid changed it."""

    geom: BaseGeometry
    repaired: bool = False


def _check_position(pos: Any, where: str) -> None:
    if not isinstance(pos, list | tuple) or not 2 <= len(pos) <= 3:
        raise GeometryError(gettext_noop("a position must be [longitude, latitude]"), where=where)
    for value in pos:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise GeometryError(gettext_noop("coordinates must be numbers"), where=where)
        if not math.isfinite(value):
            raise GeometryError(
                gettext_noop("coordinates must be finite numbers (no NaN or Infinity)"), where=where
            )


def _count_positions(coords: Any, depth: int, where: str, limit: int, seen: list[int]) -> None:
    """Walk the coordinate array to the expected depth, checking types and counting vertices."""
    if depth == 0:
        _check_position(coords, where)
        seen[0] += 1
        if seen[0] > limit:
            raise GeometryError(
                gettext_noop("too many vertices (the limit is %(limit)s)"), where=where, limit=limit
            )
        return
    if not isinstance(coords, list | tuple):
        raise GeometryError(
            gettext_noop("'coordinates' has the wrong nesting for this type"), where=where
        )
    if not coords:
        raise GeometryError(gettext_noop("the geometry is empty"), where=where)
    for item in coords:
        _count_positions(item, depth - 1, where, limit, seen)


_WGS84_NAMES = ("EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:6.6:4326")


def _check_crs_member(crs: Any) -> None:
    name = None
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict):
            name = props.get("name")
    if name not in CRS84_URIS and name not in _WGS84_NAMES:
        raise GeometryError(
            gettext_noop(
                "a GeoJSON 'crs' member is not supported: send longitude/latitude (WGS 84) "
                "as RFC 7946 requires, without 'crs'"
            )
        )


def parse_geojson_geometry(
    obj: Any,
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    allowed_types: tuple[str, ...] = ALLOWED_TYPES,
    check_extent: bool = True,
    where: str = "geometry",
    extent_rule: str = "inside",
) -> CheckedGeometry:
    """Check a parsed GeoJSON geometry object (lon/lat) and return it as a valid shapely geometry.

    ``extent_rule`` is "inside" (stored input must lie within the Moss extent) or "overlaps"
    (a query area need only touch it). Raises GeometryError with a message naming the problem.
    """
    if not isinstance(obj, dict):
        raise GeometryError(gettext_noop("expected a GeoJSON geometry object"), where=where)
    gtype = obj.get("type")
    if gtype == "GeometryCollection":
        raise GeometryError(
            gettext_noop("GeometryCollection is not supported; send one geometry"), where=where
        )
    if not isinstance(gtype, str) or gtype not in _COORD_DEPTH:
        kinds = ", ".join(allowed_types)
        raise GeometryError(
            gettext_noop("unknown geometry type %(type)s; use one of %(kinds)s"),
            where=where,
            type=repr(str(gtype)[:40]),
            kinds=kinds,
        )
    if gtype not in allowed_types:
        raise GeometryError(
            gettext_noop("%(type)s is not allowed here; use one of %(kinds)s"),
            where=where,
            type=gtype,
            kinds=", ".join(allowed_types),
        )
    if "crs" in obj:
        _check_crs_member(obj["crs"])
    if "coordinates" not in obj:
        raise GeometryError(gettext_noop("'coordinates' is missing"), where=where)
    coords = obj["coordinates"]
    if gtype != "Point" and not coords:
        raise GeometryError(gettext_noop("the geometry is empty"), where=where)
    _count_positions(coords, _COORD_DEPTH[gtype], where, max_vertices, [0])
    _check_parts(gtype, coords, where)
    try:
        geom = shape({"type": gtype, "coordinates": coords})
    except (ValueError, TypeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise GeometryError(_shapely_reason(gtype, exc), where=where, type=gtype) from exc
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
    if extent_rule == "overlaps":
        checked = check_geometry(geom, extent=None, where=where)
        if check_extent:
            check_overlaps_extent(checked.geom, where)
            return CheckedGeometry(clip_query_area(checked.geom), checked.repaired)
        return checked
    return check_geometry(geom, extent="lonlat" if check_extent else None, where=where)


def _check_parts(gtype: str, coords: Any, where: str) -> None:
    """Apply RFC 7946's rules on the raw arrays: shapely would silently close open rings."""
    if gtype in ("LineString", "MultiLineString"):
        lines = [coords] if gtype == "LineString" else coords
        if any(len(line) < 2 for line in lines):
            raise GeometryError(gettext_noop("a line needs at least 2 positions"), where=where)
    if gtype in ("Polygon", "MultiPolygon"):
        polygons = [coords] if gtype == "Polygon" else coords
        for ring in (ring for polygon in polygons for ring in polygon):
            if len(ring) < 4:
                raise GeometryError(
                    gettext_noop("a polygon ring needs at least 4 positions"), where=where
                )
            if list(ring[0]) != list(ring[-1]):
                raise GeometryError(
                    gettext_noop("a polygon ring must end at the position where it starts"),
                    where=where,
                )


def _shapely_reason(gtype: str, exc: Exception) -> str:
    """The template for shapely's refusal (its one value is ``type``, the geometry type)."""
    text = str(exc)
    if "LinearRing" in text or "closed" in text or "4" in text and "Polygon" in gtype:
        return gettext_noop(
            "a polygon ring needs at least 4 positions and must end where it starts"
        )
    if "LineString" in text or "at least 2" in text:
        return gettext_noop("a line needs at least 2 positions")
    return gettext_noop("not a valid %(type)s")


def check_geometry(
    geom: BaseGeometry, *, extent: str | None = "lonlat", where: str = "geometry"
) -> CheckedGeometry:
    """Apply the validity, emptiness and extent rules to a shapely geometry.

    ``extent`` is "lonlat" (CRS84 degrees), "25832" (metres, E/N) or None to skip the check.
    """
    if geom.is_empty:
        raise GeometryError(gettext_noop("the geometry is empty"), where=where)
    if geom.geom_type not in ALLOWED_TYPES:
        raise GeometryError(
            gettext_noop("%(type)s is not supported"), where=where, type=geom.geom_type
        )
    _check_rings_closed(geom, where)
    if geom.geom_type in ("LineString", "MultiLineString") and geom.length == 0:
        raise GeometryError(
            gettext_noop("a line needs at least 2 different positions"), where=where
        )
    repaired = False
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise GeometryError(
                gettext_noop("invalid geometry (%(reason)s)"), where=where, reason=reason
            )
        fixed = _repair_polygon(geom)
        if fixed is None:
            raise GeometryError(
                gettext_noop(
                    "the polygon is invalid (%(reason)s) and cannot be repaired into a polygon"
                ),
                where=where,
                reason=reason,
            )
        geom, repaired = fixed, True
    if geom.geom_type in ("Polygon", "MultiPolygon") and geom.area < MIN_POLYGON_AREA:
        raise GeometryError(
            gettext_noop("the polygon has no area (its corners lie on one line)"), where=where
        )
    if extent is not None:
        check_extent(geom, extent, where)
    return CheckedGeometry(geom=geom, repaired=repaired)


def _check_rings_closed(geom: BaseGeometry, where: str) -> None:
    polys = getattr(geom, "geoms", [geom]) if geom.geom_type.endswith("Polygon") else []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            if len(ring.coords) < 4:
                raise GeometryError(
                    gettext_noop("a polygon ring needs at least 4 positions"), where=where
                )


def _repair_polygon(geom: BaseGeometry) -> BaseGeometry | None:
    """Return make_valid's polygonal result, or None when repair would change the dimension."""
    fixed = shapely.make_valid(geom)
    if fixed.geom_type == "GeometryCollection":
        polys = [g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if not polys:
            return None
        fixed = shapely.union_all(polys)
    if fixed.geom_type not in ("Polygon", "MultiPolygon") or fixed.is_empty or fixed.area == 0:
        return None
    if geom.geom_type == "Polygon" and fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 1:
        fixed = fixed.geoms[0]
    return fixed


def _inside(bounds: tuple[float, float, float, float], box: tuple[float, ...]) -> bool:
    minx, miny, maxx, maxy = bounds
    return minx >= box[0] and miny >= box[1] and maxx <= box[2] and maxy <= box[3]


def check_extent(geom: BaseGeometry, extent: str, where: str = "geometry") -> None:
    """Refuse geometry outside the Moss extent; mention swapped axes when swapping would fit."""
    box = MOSS_EXTENT_LONLAT if extent == "lonlat" else MOSS_EXTENT_25832
    bounds = geom.bounds
    if _inside(bounds, box):
        return
    minx, miny, maxx, maxy = bounds
    if _inside((miny, minx, maxy, maxx), box):
        raise GeometryError(
            gettext_noop(
                "the coordinates are outside Moss, but would fit with longitude and "
                "latitude swapped; GeoJSON wants [longitude, latitude] (e.g. [10.66, 59.43])"
            ),
            where=where,
        )
    if extent == "lonlat" and _inside(bounds, MOSS_EXTENT_25832):
        raise GeometryError(
            gettext_noop(
                "the coordinates look like EPSG:25832 metres; send longitude/latitude "
                "(WGS 84) or say which CRS the data is in"
            ),
            where=where,
        )
    outside = (
        gettext_noop(
            "the coordinates are outside Moss kommune and its fjord "
            "(longitude/latitude box %(box)s)"
        )
        if extent == "lonlat"
        else gettext_noop(
            "the coordinates are outside Moss kommune and its fjord "
            "(EPSG:25832 easting/northing box %(box)s)"
        )
    )
    raise GeometryError(outside, where=where, box=", ".join(str(v) for v in box))


def check_overlaps_extent(geom: BaseGeometry, where: str = "geometry") -> None:
    """Refuse a lon/lat query area that does not touch the Moss extent (mention swapped axes).

    Query areas may reach beyond Moss (a whole county is fine), but one that misses Moss
    entirely is almost always a client mistake: swapped axes or metres sent as degrees.
    """
    minx, miny, maxx, maxy = geom.bounds
    if not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
        raise GeometryError(
            gettext_noop(
                "the coordinates are not longitude/latitude (longitude within ±180, "
                "latitude within ±90); send WGS 84 as RFC 7946 requires"
            ),
            where=where,
        )
    box = shapely.box(*MOSS_EXTENT_LONLAT)
    if geom.intersects(box):
        return
    if shapely.box(miny, minx, maxy, maxx).intersects(box):
        raise GeometryError(
            gettext_noop(
                "the area does not touch Moss, but would with longitude and latitude "
                "swapped; GeoJSON wants [longitude, latitude] (e.g. [10.66, 59.43])"
            ),
            where=where,
        )
    raise GeometryError(
        gettext_noop("the area does not touch Moss kommune and its fjord"), where=where
    )


# How far beyond the Moss extent a query area still matters (degrees). 0.1° is ≥ 5.6 km here,
# more than the largest buffer (QUERY_MAX_BUFFER_M, 5 km), and every stored input lies inside
# the extent: clipping a query area to this box never changes its answer, but keeps
# continent-sized areas away from the UTM projection (which fails far from its zone).
QUERY_MARGIN_DEG = 0.1


def query_clip_box() -> tuple[float, float, float, float]:
    """The lon/lat box that query areas are clipped to: the Moss extent plus QUERY_MARGIN_DEG."""
    minx, miny, maxx, maxy = MOSS_EXTENT_LONLAT
    m = QUERY_MARGIN_DEG
    return (minx - m, miny - m, maxx + m, maxy + m)


def clip_query_area(geom: BaseGeometry) -> BaseGeometry:
    """Clip a lon/lat query area to query_clip_box(); the result may be empty."""
    box = shapely.box(*query_clip_box())
    if shapely.contains(box, geom):
        return geom
    clipped = shapely.intersection(geom, box)
    if clipped.geom_type == "GeometryCollection":
        # Keep the highest-dimension parts (a polygon touching the box edge leaves a line).
        parts = [g for g in clipped.geoms if not g.is_empty]
        top = max((shapely.get_dimensions(g) for g in parts), default=0)
        clipped = shapely.union_all([g for g in parts if shapely.get_dimensions(g) == top])
    return clipped
