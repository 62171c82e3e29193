"""Turn geometry read from files into valid shapely geometries in the storage CRS, in bulk.

Per-geometry Python work is kept to what the rules need: structure checks happen on the raw
WKB/WKT (``geo.io.wkb``), parsing and validity tests are vectorised shapely calls, and only the
geometries that fail a fast test go through ``geo.validation.check_geometry`` one by one, so
the importer applies exactly the API's rules (and messages) at bulk speed.

Reprojection uses PROJ through pyproj on whole coordinate arrays (never a Python loop): the
rules (extent, validity) must be checked in the storage CRS before anything reaches PostGIS.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.crs import MOSS_EXTENT_25832, MOSS_EXTENT_LONLAT, STORAGE_SRID, WEB_SRID
from geo.io.wkb import check_wkb
from geo.messages import GeoMessage, gettext_noop
from geo.validation import ALLOWED_TYPES, GeometryError, check_geometry

_WKT_FORBIDDEN = re.compile(
    r"GEOMETRYCOLLECTION|CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE|"
    r"POLYHEDRALSURFACE|TIN|TRIANGLE",
    re.IGNORECASE,
)


_CRS84 = CRS.from_user_input("OGC:CRS84")


class UnknownSourceCRS(GeoMessage):
    """The file's CRS cannot be identified as an EPSG code."""


def srid_of(crs_text: str | None) -> int | None:
    """Return the EPSG code of a CRS given as 'EPSG:n', WKT or PROJJSON; None when absent.

    Raises UnknownSourceCRS when a CRS is present but matches no EPSG code.
    """
    if not crs_text:
        return None
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError as exc:
        raise UnknownSourceCRS(
            gettext_noop("the file's coordinate reference system cannot be read")
        ) from exc
    if crs.equals(_CRS84, ignore_axis_order=True):
        return WEB_SRID
    code = crs.to_epsg(min_confidence=70)
    if code is None:
        raise UnknownSourceCRS(
            gettext_noop(
                "the file's coordinate reference system (%(crs)s) has no EPSG code; "
                "reproject it to EPSG:25832 or give the EPSG code"
            ),
            crs=crs.name[:60],
        )
    return code


@lru_cache(maxsize=16)
def _transformer(source_srid: int, target_srid: int) -> Transformer:
    return Transformer.from_crs(source_srid, target_srid, always_xy=True)


def reproject(geoms: np.ndarray, source_srid: int, target_srid: int = STORAGE_SRID) -> np.ndarray:
    """Return the geometries transformed between two EPSG codes (x/y = lon/lat or E/N)."""
    if source_srid == target_srid or len(geoms) == 0:
        return geoms
    transformer = _transformer(source_srid, target_srid)

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _apply)


def from_wkb_column(wkbs, *, max_vertices: int) -> tuple[np.ndarray, dict[int, GeoMessage | str]]:
    """Parse WKB blobs after checking their structure; return (geometries, errors by index).

    ``wkbs`` is a list of bytes/None or a reader's column (``geo.io.reader.ArrowColumn``).
    A missing geometry stays None (the caller decides whether "no location" is allowed).
    2D and Z points (21, 29 or 37 bytes, ISO or EWKB point type) need no structure check;
    every other blob is walked by ``check_wkb`` first, one by one.
    """
    blobs, lengths, kinds = _wkb_blobs(wkbs)
    out = np.empty(len(blobs), dtype=object)
    errors: dict[int, GeoMessage | str] = {}
    present = lengths >= 0
    point = present & np.isin(lengths, (21, 29, 37)) & np.isin(kinds, (1, 0xE9))
    good = point.copy()
    for i in np.flatnonzero(present & ~point):
        try:
            check_wkb(blobs[i], max_vertices)
        except GeometryError as exc:
            errors[int(i)] = exc
            continue
        good[i] = True
    idx = np.flatnonzero(good)
    if len(idx):
        parsed = shapely.force_2d(shapely.from_wkb(blobs[idx], on_invalid="ignore"))
        unread = shapely.is_missing(parsed)
        for i in idx[unread]:
            errors[int(i)] = GeometryError(gettext_noop("the WKB cannot be read"), where="geometry")
        out[idx[~unread]] = parsed[~unread]
    return out, errors


def _wkb_blobs(wkbs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(blobs as an object array, byte length or -1 for none, the second byte or -1)."""
    array = getattr(wkbs, "array", None)
    if isinstance(array, pa.Array) and pa.types.is_binary(array.type):
        blobs = array.to_numpy(zero_copy_only=False)
        lengths = pc.fill_null(pc.binary_length(array), -1).to_numpy()
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset :][: len(array)]
        data = array.buffers()[2]
        data_bytes = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0)
        kinds = np.full(len(array), -1, dtype=np.int64)
        long_enough = lengths >= 2
        kinds[long_enough] = data_bytes[offsets[long_enough] + 1]
        return blobs, lengths, kinds
    blobs = np.empty(len(wkbs), dtype=object)
    blobs[:] = list(wkbs)
    lengths = np.array([-1 if b is None else len(b) for b in blobs], dtype=np.int64)
    kinds = np.array([b[1] if b is not None and len(b) >= 2 else -1 for b in blobs])
    return blobs, lengths, kinds


def from_wkt(text: str, *, max_vertices: int, max_length: int = 2_000_000):
    """Parse one WKT geometry after checking its size, types and nesting depth."""
    if len(text) > max_length:
        raise GeometryError(
            gettext_noop("WKT is longer than %(max_length)s characters"),
            where="geometry",
            max_length=max_length,
        )
    if _WKT_FORBIDDEN.search(text):
        raise GeometryError(
            gettext_noop("only Point, LineString, Polygon and their Multi* forms are supported"),
            where="geometry",
        )
    depth = deepest = 0
    for ch in re.sub(r"[^()]", "", text):
        depth += 1 if ch == "(" else -1
        deepest = max(deepest, depth)
    if deepest > 3 or depth != 0:
        raise GeometryError(
            gettext_noop("the WKT is malformed (unbalanced or too deep brackets)"), where="geometry"
        )
    if text.count(",") + 1 > max_vertices:
        raise GeometryError(
            gettext_noop("too many vertices (the limit is %(max_vertices)s)"),
            where="geometry",
            max_vertices=max_vertices,
        )
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.ShapelyError as exc:
        raise GeometryError(gettext_noop("not valid WKT"), where="geometry") from exc
    if geom is None:
        raise GeometryError(gettext_noop("not valid WKT"), where="geometry")
    return shapely.force_2d(geom)


def check_geometries(
    geoms: np.ndarray, *, extent: str | None = "25832"
) -> tuple[np.ndarray, dict[int, GeoMessage | str], set[int]]:
    """Apply ``geo.validation.check_geometry`` to an array; return (geoms, errors, repaired).

    Geometries that pass every fast vectorised test (allowed type, not empty, valid, lines
    with length, inside the extent) are exactly those check_geometry returns unchanged, so
    only the rest are checked one by one. None entries are left alone.
    """
    out = geoms.copy()
    errors: dict[int, GeoMessage | str] = {}
    repaired: set[int] = set()
    present = np.array([g is not None for g in geoms], dtype=bool)
    if not present.any():
        return out, errors, repaired
    idx = np.flatnonzero(present)
    arr = geoms[idx]
    type_names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                           "MultiLineString", "MultiPolygon", "GeometryCollection"])  # fmt: skip
    kinds = type_names[shapely.get_type_id(arr)]
    fast = np.isin(kinds, ALLOWED_TYPES) & ~shapely.is_empty(arr) & shapely.is_valid(arr)
    lines = np.isin(kinds, ("LineString", "MultiLineString"))
    fast &= ~lines | (shapely.length(arr) > 0)
    if extent is not None:
        box = MOSS_EXTENT_LONLAT if extent == "lonlat" else MOSS_EXTENT_25832
        b = shapely.bounds(arr)
        fast &= (
            (b[:, 0] >= box[0]) & (b[:, 1] >= box[1]) & (b[:, 2] <= box[2]) & (b[:, 3] <= box[3])
        )
    for pos in np.flatnonzero(~fast):
        i = int(idx[pos])
        try:
            checked = check_geometry(geoms[i], extent=extent)
        except GeometryError as exc:
            errors[i] = exc
            out[i] = None
            continue
        out[i] = checked.geom
        if checked.repaired:
            repaired.add(i)
    return out, errors, repaired
