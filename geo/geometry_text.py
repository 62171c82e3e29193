"""Geometries and boxes given as text (query parameters, WKT, GeoJSON text), checked with the
same rules as GeoJSON input (``geo.validation``): a box is four finite lon/lat numbers in
order; WKT is bounded in length and parts before GEOS parses it; JSON's NaN and Infinity are
refused.
"""

from __future__ import annotations

import json
import math
from typing import Any

import shapely

from geo.messages import gettext_noop
from geo.validation import (
    ALLOWED_TYPES,
    DEFAULT_MAX_VERTICES,
    CheckedGeometry,
    GeometryError,
    parse_geojson_geometry,
)


def parse_bbox(text: str, *, where: str = "bbox") -> tuple[float, float, float, float]:
    """Parse 'minlon,minlat,maxlon,maxlat' (CRS84) into floats; raise GeometryError if malformed."""
    parts = text.split(",") if isinstance(text, str) else []
    if len(parts) != 4:
        raise GeometryError(
            gettext_noop("expected four numbers: minlon,minlat,maxlon,maxlat"), where=where
        )
    try:
        values = tuple(float(p) for p in parts)
    except ValueError as exc:
        raise GeometryError(
            gettext_noop("expected four numbers: minlon,minlat,maxlon,maxlat"), where=where
        ) from exc
    if not all(math.isfinite(v) for v in values):
        raise GeometryError(gettext_noop("coordinates must be finite numbers"), where=where)
    minx, miny, maxx, maxy = values
    if minx >= maxx or miny >= maxy:
        raise GeometryError(
            gettext_noop("the minimum must be smaller than the maximum on both axes"), where=where
        )
    if not (
        -180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90
    ):
        raise GeometryError(
            gettext_noop("longitude must be within ±180 and latitude within ±90"), where=where
        )
    return minx, miny, maxx, maxy


def parse_wkt_geometry(
    text: str,
    *,
    max_length: int = 200_000,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    allowed_types: tuple[str, ...] = ALLOWED_TYPES,
    where: str = "geometry",
    extent_rule: str = "inside",
) -> CheckedGeometry:
    """Parse WKT (lon/lat) with the same rules as GeoJSON input."""
    if len(text) > max_length:
        raise GeometryError(
            gettext_noop("WKT is longer than %(max_length)s characters"),
            where=where,
            max_length=max_length,
        )
    # Refused before GEOS parses it: nested collections can exhaust GEOS' stack.
    if "GEOMETRYCOLLECTION" in text.upper():
        raise GeometryError(
            gettext_noop("GeometryCollection is not supported; send one geometry"), where=where
        )
    if text.count("(") > max_vertices + 10:
        raise GeometryError(
            gettext_noop("too many parts (the vertex limit is %(max_vertices)s)"),
            where=where,
            max_vertices=max_vertices,
        )
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.ShapelyError as exc:
        raise GeometryError(gettext_noop("not valid GeoJSON or WKT"), where=where) from exc
    if geom is None:
        raise GeometryError(gettext_noop("not valid GeoJSON or WKT"), where=where)
    if geom.is_empty:
        raise GeometryError(gettext_noop("the geometry is empty"), where=where)
    return parse_geojson_geometry(
        shapely.geometry.mapping(geom),
        max_vertices=max_vertices,
        allowed_types=allowed_types,
        where=where,
        extent_rule=extent_rule,
    )


def parse_geometry_text(
    text: str,
    *,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    allowed_types: tuple[str, ...] = ALLOWED_TYPES,
    where: str = "geometry",
    extent_rule: str = "inside",
) -> CheckedGeometry:
    """Parse a geometry given as GeoJSON text or WKT (lon/lat), e.g. a query parameter."""
    rules: dict[str, Any] = {"max_vertices": max_vertices, "allowed_types": allowed_types}
    rules.update(where=where, extent_rule=extent_rule)
    text = text.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise GeometryError(
                gettext_noop("not valid GeoJSON (%(reason)s)"),
                where=where,
                reason=_json_reason(exc),
            ) from exc
        return parse_geojson_geometry(obj, **rules)
    return parse_wkt_geometry(text, **rules)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at character {exc.pos}"
    return str(exc)
