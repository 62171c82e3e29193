"""Read one area (a plan boundary) from an uploaded GeoJSON, GeoPackage or zipped Shapefile.

Plain Python (no Django). The result is a single valid polygonal shapely geometry with the EPSG
code of the file's CRS; the caller admits it (``inputbank.geometry.admit_shape``: extent,
validity again after projection) and stores or queries it in the storage CRS.

Uploads are hostile until proven otherwise, so they pass the importer's one
upload guard, ``geo.io.safety``: the format is decided by the content's magic bytes (XML and
VRT refused), zips are checked for escaping paths, links, encryption and bombs and unpacked
flat into a fresh temporary folder that is always removed, GeoPackages with views, triggers,
virtual tables or a foreign application id are refused before GDAL opens them. GDAL only ever
sees a plain file we wrote ourselves. On top of that, for an area:
* GeoJSON is parsed by ``geo.validation`` rules (lon/lat, a ``crs`` member is never fetched).
* Files without a CRS are refused (a guessed CRS puts a plan in the wrong country).
* The vertex count is bounded; invalid polygons follow ``geo.validation``'s one repair rule.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.crs import WEB_SRID
from geo.io.safety import (
    GEOJSON,
    GPKG,
    SHAPEFILE_ZIP,
    HostileFile,
    UnsupportedFile,
    UploadLimits,
    check_geopackage,
    sniff_format,
)
from geo.io.zips import extract_dataset_zip
from geo.messages import GeoMessage, gettext_noop
from geo.validation import POLYGON_TYPES, GeometryError, check_geometry, parse_geojson_geometry

MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 50
FORMATS_HINT = gettext_noop(
    "upload a GeoJSON file, a GeoPackage (.gpkg) or a zipped Shapefile (.zip)"
)


class AreaFileError(GeoMessage):
    """The file was refused; the message names the problem in plain words."""


@dataclass(frozen=True)
class AreaFile:
    """A polygonal area read from a file: geometry in ``srid`` (axis order x=E/lon, y=N/lat)."""

    geom: BaseGeometry
    srid: int
    feature_count: int
    repaired: bool = False


def _polygonal(geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    return [g for g in geoms if g is not None and g.geom_type in POLYGON_TYPES]


def _merge(geoms: list[BaseGeometry], srid: int, max_vertices: int) -> AreaFile:
    polys = _polygonal(geoms)
    if not polys:
        raise AreaFileError(gettext_noop("the file holds no polygons: an area must be a polygon"))
    vertices = int(sum(shapely.get_num_coordinates(g) for g in polys))
    if vertices > max_vertices:
        raise AreaFileError(
            gettext_noop("the area has %(vertices)s vertices; the limit is %(max_vertices)s"),
            vertices=vertices,
            max_vertices=max_vertices,
        )
    repaired = False
    checked = []
    for n, poly in enumerate(polys, start=1):
        try:
            result = check_geometry(shapely.force_2d(poly), extent=None, where=f"feature {n}")
        except GeometryError as exc:
            raise AreaFileError.wrap(exc) from exc
        checked.append(result.geom)
        repaired = repaired or result.repaired
    merged = shapely.union_all(checked)
    if merged.geom_type == "GeometryCollection":
        merged = shapely.union_all(_polygonal(list(merged.geoms)))
    if merged.is_empty or merged.geom_type not in POLYGON_TYPES:
        raise AreaFileError(
            gettext_noop("the polygons in the file are empty or cannot be repaired")
        )
    return AreaFile(geom=merged, srid=srid, feature_count=len(polys), repaired=repaired)


def _read_geojson(data: bytes, max_vertices: int) -> AreaFile:
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise AreaFileError(gettext_noop("the file is not valid JSON")) from exc
    if not isinstance(doc, dict):
        raise AreaFileError(gettext_noop("the file is not a GeoJSON object"))
    if doc.get("type") == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise AreaFileError(gettext_noop("'features' must be a list"))
        raw = [f.get("geometry") if isinstance(f, dict) else None for f in features]
    elif doc.get("type") == "Feature":
        raw = [doc.get("geometry")]
    else:
        raw = [doc]
    geoms = []
    for n, obj in enumerate(raw, start=1):
        if obj is None:
            continue
        try:
            checked = parse_geojson_geometry(
                obj, max_vertices=max_vertices, check_extent=False, where=f"feature {n}"
            )
        except GeometryError as exc:
            raise AreaFileError.wrap(exc) from exc
        geoms.append(checked.geom)
    return _merge(geoms, WEB_SRID, max_vertices)


def _read_with_gdal(path: Path, max_vertices: int) -> AreaFile:
    try:
        info = pyogrio.read_info(path)
        if not info.get("crs"):
            raise AreaFileError(
                gettext_noop("the file has no coordinate reference system (.prj); add one")
            )
        crs = CRS.from_user_input(info["crs"])
        srid = crs.to_epsg()
        if srid is None:
            raise AreaFileError(
                gettext_noop("the file's CRS (%(crs)s) has no EPSG code; use EPSG:25832"),
                crs=crs.name,
            )
        if info.get("features", 0) > 10_000:
            raise AreaFileError(
                gettext_noop("the file holds more than 10 000 features; send the boundary only")
            )
        # Geometries only, as WKB straight from GDAL (no data frame: nothing else is needed).
        _meta, _fids, wkb, _fields = pyogrio.raw.read(path, read_geometry=True, columns=[])
    except AreaFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; all mean "cannot read"
        raise AreaFileError(
            gettext_noop("the file cannot be read as GeoPackage or Shapefile")
        ) from exc
    return _merge(list(shapely.from_wkb(wkb)), srid, max_vertices)


def read_area_file(data: bytes, *, max_bytes: int, max_vertices: int) -> AreaFile:
    """Return the union of the polygons in a GeoJSON, GeoPackage or zipped Shapefile upload."""
    if len(data) > max_bytes:
        raise AreaFileError(
            gettext_noop("the file is larger than %(mb)s MB"), mb=max_bytes // (1024 * 1024)
        )
    limits = UploadLimits(
        max_bytes=max_bytes,
        max_unzipped_bytes=max_bytes * 4,
        max_zip_ratio=MAX_ZIP_RATIO,
        max_zip_entries=MAX_ZIP_ENTRIES,
    )
    folder = Path(tempfile.mkdtemp(prefix="area-"))
    try:
        upload = folder / "upload"
        upload.write_bytes(data)
        try:
            fmt = sniff_format(upload)
            if fmt == GEOJSON:
                return _read_geojson(data, max_vertices)
            if fmt == SHAPEFILE_ZIP:
                unpacked = folder / "unpacked"
                unpacked.mkdir()
                fmt, path = extract_dataset_zip(upload, unpacked, limits)
                if fmt != SHAPEFILE_ZIP:
                    raise AreaFileError(
                        gettext_noop("the zip must hold a Shapefile (.shp with .shx and .dbf)")
                    )
            elif fmt == GPKG:
                path = upload.rename(folder / "area.gpkg")
                check_geopackage(path)
            else:
                raise AreaFileError(FORMATS_HINT)
        except HostileFile as exc:
            raise AreaFileError.wrap(exc) from exc
        except UnsupportedFile as exc:
            if "unrecognised" in exc.template:
                raise AreaFileError(FORMATS_HINT) from exc
            raise AreaFileError.wrap(exc) from exc
        return _read_with_gdal(path, max_vertices)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
