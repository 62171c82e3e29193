"""Check the structure of WKB geometry before GEOS parses it.

GEOS' WKB reader recurses into collections before it checks their member types, so a deeply
nested GeometryCollection could exhaust the stack, and a huge polygon costs memory long before
a vertex limit could be applied to a shapely object. This walker reads only the headers and
counts (no coordinates), refuses every type an input cannot have, allows exactly one level of
nesting (Multi* holding their simple parts) and counts vertices, so GEOS only ever sees
geometries that already fit the rules of ``geo.validation``.
"""

from __future__ import annotations

import struct

from geo.messages import gettext_noop
from geo.validation import GeometryError

_NAMES = {
    1: "Point",
    2: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
_MEMBER = {4: 1, 5: 2, 6: 3}
_EWKB_Z, _EWKB_M, _EWKB_SRID = 0x80000000, 0x40000000, 0x20000000


def _header(buf: bytes, pos: int) -> tuple[str, int, int, int]:
    """Return (endian prefix, base type, coordinate dimension, new position)."""
    if pos + 5 > len(buf):
        raise GeometryError(gettext_noop("the WKB is truncated"), where="geometry")
    order = buf[pos]
    if order not in (0, 1):
        raise GeometryError(
            gettext_noop("the WKB has an invalid byte order mark"), where="geometry"
        )
    endian = "<" if order == 1 else ">"
    (code,) = struct.unpack_from(endian + "I", buf, pos + 1)
    pos += 5
    dims = 2
    if code & (_EWKB_Z | _EWKB_M | _EWKB_SRID):
        dims += bool(code & _EWKB_Z) + bool(code & _EWKB_M)
        if code & _EWKB_SRID:
            pos += 4
        code &= 0x0FFFFFFF
    else:
        flavour, code = divmod(code, 1000)
        if flavour > 3:
            raise GeometryError(gettext_noop("unknown WKB geometry type"), where="geometry")
        dims += {0: 0, 1: 1, 2: 1, 3: 2}[flavour]
    if code not in _NAMES:
        raise GeometryError(
            gettext_noop(
                "curved and other special geometry types are not supported; "
                "use Point, LineString, Polygon or their Multi* forms"
            ),
            where="geometry",
        )
    return endian, code, dims, pos


def _count(buf: bytes, pos: int, endian: str) -> tuple[int, int]:
    if pos + 4 > len(buf):
        raise GeometryError(gettext_noop("the WKB is truncated"), where="geometry")
    return struct.unpack_from(endian + "I", buf, pos)[0], pos + 4


def _simple(buf: bytes, pos: int, endian: str, code: int, dims: int, budget: list[int]) -> int:
    """Skip a Point/LineString/Polygon body, charging its vertices to the budget."""
    if code == 1:
        n_points = 1
        pos += 8 * dims
    elif code == 2:
        n_points, pos = _count(buf, pos, endian)
        pos += 8 * dims * n_points
    else:
        n_rings, pos = _count(buf, pos, endian)
        n_points = 0
        for _ in range(n_rings):
            n, pos = _count(buf, pos, endian)
            n_points += n
            pos += 8 * dims * n
            if pos > len(buf):
                break
    budget[0] -= n_points
    if budget[0] < 0:
        raise GeometryError(
            gettext_noop("too many vertices (the limit is %(max_vertices)s)"),
            where="geometry",
            max_vertices=budget[1],
        )
    if pos > len(buf):
        raise GeometryError(gettext_noop("the WKB is truncated"), where="geometry")
    return pos


def check_wkb(buf: bytes, max_vertices: int) -> str:
    """Return the geometry type name of a WKB blob after checking its structure and size.

    Raises GeometryError (plain-language message) for collections, curves, nesting, truncated
    data and more than ``max_vertices`` vertices.
    """
    budget = [max_vertices, max_vertices]
    if len(buf) > 64 + 8 * 4 * max_vertices + 8 * max_vertices:
        raise GeometryError(
            gettext_noop("too many vertices (the limit is %(max_vertices)s)"),
            where="geometry",
            max_vertices=max_vertices,
        )
    endian, code, dims, pos = _header(buf, 0)
    if code == 7:
        raise GeometryError(
            gettext_noop("GeometryCollection is not supported; send one geometry"), where="geometry"
        )
    if code in _MEMBER:
        n_parts, pos = _count(buf, pos, endian)
        if n_parts > max_vertices:
            raise GeometryError(
                gettext_noop("too many vertices (the limit is %(max_vertices)s)"),
                where="geometry",
                max_vertices=max_vertices,
            )
        for _ in range(n_parts):
            p_endian, p_code, p_dims, pos = _header(buf, pos)
            if p_code != _MEMBER[code]:
                raise GeometryError(
                    gettext_noop("a %(type)s may only hold %(part)s parts"),
                    where="geometry",
                    type=_NAMES[code],
                    part=_NAMES[_MEMBER[code]],
                )
            pos = _simple(buf, pos, p_endian, p_code, p_dims, budget)
    else:
        pos = _simple(buf, pos, endian, code, dims, budget)
    if pos != len(buf):
        raise GeometryError(gettext_noop("the WKB has trailing or missing bytes"), where="geometry")
    return _NAMES[code]
