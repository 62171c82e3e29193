"""Write Arrow record batches to GIS files with GDAL (pyogrio ``write_arrow``).

Batches stream from the caller straight into GDAL: a layer is never held in memory as a
whole, and nothing is converted to Python objects on the way. Geometry arrives as WKB in a
column named ``geom`` already in the output CRS (the database transforms it); the writer only
labels the CRS.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyogrio
from pyproj import CRS

from geo.crs import WEB_SRID

GEOMETRY_COLUMN = "geom"


@dataclass(frozen=True)
class ExportFormat:
    """One output format: GDAL driver, file extension, media type and what the format allows."""

    name: str
    driver: str
    extension: str
    media_type: str
    null_geometry: bool = True  # rows without a location can be written
    mixed_geometry: bool = True  # points, lines and polygons in one layer
    fixed_srid: int | None = None  # the format defines its CRS (GeoJSON, KML)
    layer_options: dict[str, str] = field(default_factory=dict)
    dataset_options: dict[str, str] = field(default_factory=dict)
    zipped: bool = False


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("gpkg", "GPKG", ".gpkg", "application/geopackage+sqlite3"),
        ExportFormat(
            "shp",
            "ESRI Shapefile",
            ".shp",
            "application/zip",
            mixed_geometry=False,
            layer_options={"ENCODING": "UTF-8"},
            zipped=True,
        ),
        ExportFormat(
            "geojson",
            "GeoJSON",
            ".geojson",
            "application/geo+json",
            fixed_srid=WEB_SRID,
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "7", "WRITE_NAME": "NO"},
        ),
        # FlatGeobuf's packed R-tree cannot hold rows without geometry.
        ExportFormat(
            "fgb",
            "FlatGeobuf",
            ".fgb",
            "application/vnd.flatgeobuf",
            null_geometry=False,
            layer_options={"SPATIAL_INDEX": "YES"},
        ),
        ExportFormat(
            "csv",
            "CSV",
            ".csv",
            "text/csv; charset=utf-8",
            layer_options={"GEOMETRY": "AS_WKT", "CREATE_CSVT": "NO"},
        ),
        ExportFormat(
            "kml",
            "KML",
            ".kml",
            "application/vnd.google-earth.kml+xml",
            fixed_srid=WEB_SRID,
            dataset_options={"NameField": "Name", "DescriptionField": "Description"},
        ),
    )
}


def write_layer(
    path: Path,
    fmt: ExportFormat,
    layer: str,
    schema: pa.Schema,
    batches: Iterable[pa.RecordBatch],
    *,
    srid: int | None,
    geometry_type: str | None = "Unknown",
    append: bool = False,
) -> None:
    """Write one layer; ``geometry_type`` None writes a table without geometry (a lookup)."""
    failure: list[BaseException] = []

    def guarded():
        # GDAL reports an exception raised while producing a batch only as "Error while
        # accessing batch from stream"; keep the real one to raise it instead.
        try:
            yield from batches
        except BaseException as exc:
            failure.append(exc)
            raise

    reader = pa.RecordBatchReader.from_batches(schema, guarded())
    spatial = geometry_type is not None and GEOMETRY_COLUMN in schema.names
    kwargs = {}
    if spatial:
        kwargs = {
            "geometry_name": GEOMETRY_COLUMN,
            "geometry_type": geometry_type,
            "crs": CRS.from_epsg(srid).to_wkt() if srid else None,
        }
    try:
        pyogrio.write_arrow(
            reader,
            str(path),
            layer=layer,
            driver=fmt.driver,
            append=append,
            layer_options=dict(fmt.layer_options) or None,
            dataset_options=(dict(fmt.dataset_options) or None) if not append else None,
            **kwargs,
        )
    except RuntimeError:
        if failure:
            raise failure[0] from None
        raise


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip every file in a folder (flat), e.g. the parts of one or more shapefiles."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(os.listdir(folder)):
            zf.write(folder / name, arcname=name)
    return target
