"""Read one area (a plan boundary) from an uploaded GeoJSON, GeoPackage or zipped Shapefile.

Plain Python (no Django). The result is a single valid polygonal shapely geometry with the EPSG
code of the file's CRS; the caller transforms it to the storage CRS (in the database or GEOS).

Uploads are hostile until proven otherwise (docs/threats.md), so:
* The format is decided by the content's magic bytes, not the file name, and only three are
  accepted; GDAL is only ever given a plain file we wrote ourselves (no /vsi paths, no VRT).
* GeoJSON is parsed by ``geo.validation`` rules (lon/lat, a ``crs`` member is never fetched).
* Zips: size and compression-ratio limits (zip bombs), member names that are absolute or climb
  out (``..``), symlinks and anything but the Shapefile's parts are refused; members are written
  flat into a fresh temporary folder that is always removed.
* GeoPackages with virtual tables other than the spatial index are refused.
* Files without a CRS are refused (a guessed CRS puts a plan in the wrong country).
* The vertex count is bounded.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.crs import WEB_SRID
from geo.validation import GeometryError, parse_geojson_geometry

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
MAX_ZIP_RATIO = 100
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"


class AreaFileError(ValueError):
    """The file was refused; the message names the problem in plain words."""


@dataclass(frozen=True)
class AreaFile:
    """A polygonal area read from a file: geometry in ``srid`` (axis order x=E/lon, y=N/lat)."""

    geom: BaseGeometry
    srid: int
    feature_count: int
    repaired: bool = False


def _polygonal(geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    return [g for g in geoms if g is not None and g.geom_type in ("Polygon", "MultiPolygon")]


def _merge(geoms: list[BaseGeometry], srid: int, max_vertices: int) -> AreaFile:
    polys = _polygonal(geoms)
    if not polys:
        raise AreaFileError("the file holds no polygons: an area must be a polygon")
    vertices = int(sum(shapely.get_num_coordinates(g) for g in polys))
    if vertices > max_vertices:
        raise AreaFileError(f"the area has {vertices} vertices; the limit is {max_vertices}")
    repaired = not all(g.is_valid for g in polys)
    merged = shapely.union_all([shapely.make_valid(g) for g in polys])
    if merged.geom_type == "GeometryCollection":
        merged = shapely.union_all(_polygonal(list(merged.geoms)))
    if merged.is_empty or merged.geom_type not in ("Polygon", "MultiPolygon"):
        raise AreaFileError("the polygons in the file are empty or cannot be repaired")
    return AreaFile(geom=merged, srid=srid, feature_count=len(polys), repaired=repaired)


def _read_geojson(data: bytes, max_vertices: int) -> AreaFile:
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaFileError("the file is not valid JSON") from exc
    if not isinstance(doc, dict):
        raise AreaFileError("the file is not a GeoJSON object")
    if doc.get("type") == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise AreaFileError("'features' must be a list")
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
            raise AreaFileError(str(exc)) from exc
        geoms.append(checked.geom)
    return _merge(geoms, WEB_SRID, max_vertices)


def _safe_extract_shapefile(path: Path, folder: Path, max_bytes: int) -> Path:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise AreaFileError("the zip file is damaged") from exc
    with archive:
        members = archive.infolist()
        if len(members) > 50:
            raise AreaFileError("the zip holds too many files for one Shapefile")
        total = 0
        wanted = []
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts:
                raise AreaFileError(f"the zip member {info.filename[:80]!r} points outside the zip")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise AreaFileError(f"the zip member {info.filename[:80]!r} is a link")
            total += info.file_size
            if total > max_bytes:
                raise AreaFileError("the unpacked zip is too large")
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                raise AreaFileError("the zip is compressed suspiciously well (a zip bomb?)")
            if name.suffix.lower() in SHAPEFILE_PARTS and not name.name.startswith("."):
                wanted.append((info, name))
        shps = [n for _i, n in wanted if n.suffix.lower() == ".shp"]
        if len(shps) != 1:
            raise AreaFileError("the zip must hold exactly one Shapefile (.shp with .shx and .dbf)")
        stem = shps[0].stem
        for info, name in wanted:
            if name.stem != stem:
                continue
            target = folder / f"area{name.suffix.lower()}"
            with archive.open(info) as src, open(target, "wb") as dst:
                # Read at most what the header promised (a lying header cannot fill the disk).
                dst.write(src.read(info.file_size + 1)[: info.file_size])
    shp = folder / "area.shp"
    if not (folder / "area.shx").exists() or not (folder / "area.dbf").exists():
        raise AreaFileError("the Shapefile needs its .shx and .dbf files in the zip")
    return shp


def _check_geopackage(path: Path) -> None:
    uri = f"file:{path}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as conn:
            rows = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%VIRTUAL%'"
            ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise AreaFileError("the GeoPackage is damaged") from exc
    for name, sql in rows:
        if not str(name).startswith("rtree_") or "USING rtree" not in (sql or ""):
            raise AreaFileError("the GeoPackage holds virtual tables, which are not accepted")


def _read_with_gdal(path: Path, max_vertices: int) -> AreaFile:
    try:
        info = pyogrio.read_info(path)
        if not info.get("crs"):
            raise AreaFileError("the file has no coordinate reference system (.prj); add one")
        crs = CRS.from_user_input(info["crs"])
        srid = crs.to_epsg()
        if srid is None:
            raise AreaFileError(f"the file's CRS ({crs.name}) has no EPSG code; use EPSG:25832")
        if info.get("features", 0) > 10_000:
            raise AreaFileError("the file holds more than 10 000 features; send the boundary only")
        # Geometries only, as WKB straight from GDAL (no data frame: nothing else is needed).
        _meta, _fids, wkb, _fields = pyogrio.raw.read(path, read_geometry=True, columns=[])
    except AreaFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; all mean "cannot read"
        raise AreaFileError("the file cannot be read as GeoPackage or Shapefile") from exc
    return _merge(list(shapely.from_wkb(wkb)), srid, max_vertices)


def read_area_file(data: bytes, *, max_bytes: int, max_vertices: int) -> AreaFile:
    """Return the union of the polygons in a GeoJSON, GeoPackage or zipped Shapefile upload."""
    if len(data) > max_bytes:
        raise AreaFileError(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    head = data[:16]
    if head.lstrip()[:1] in (b"{", b"["):
        return _read_geojson(data, max_vertices)
    if not (head.startswith(SQLITE_MAGIC) or head.startswith(ZIP_MAGIC)):
        raise AreaFileError(
            "upload a GeoJSON file, a GeoPackage (.gpkg) or a zipped Shapefile (.zip)"
        )
    folder = Path(tempfile.mkdtemp(prefix="area-"))
    try:
        if head.startswith(SQLITE_MAGIC):
            path = folder / "area.gpkg"
            path.write_bytes(data)
            _check_geopackage(path)
        else:
            zipped = folder / "upload.zip"
            zipped.write_bytes(data)
            unpacked = folder / "unpacked"
            unpacked.mkdir()
            path = _safe_extract_shapefile(zipped, unpacked, max_bytes * 4)
        return _read_with_gdal(path, max_vertices)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
