"""GIS file reading and writing with GDAL (pyogrio), and the checks that keep it safe.

Import from here: ``from geo.io import open_gis, write_layer, HostileFile``.
"""

from geo.io.geometry import (
    UnknownSourceCRS,
    check_geometries,
    from_wkb_column,
    from_wkt,
    reproject,
    srid_of,
)
from geo.io.reader import RawBatch, SourceInfo, open_gis
from geo.io.safety import (
    CSV,
    FLATGEOBUF,
    GEOJSON,
    GIS_FORMATS,
    GPKG,
    SHAPEFILE_ZIP,
    TABLE_FORMATS,
    XLSX,
    HostileFile,
    UnsupportedFile,
    UploadLimits,
    check_geojson,
    check_geopackage,
    check_plain_path,
    copy_into,
    sniff_format,
)
from geo.io.tables import open_table
from geo.io.wkb import check_wkb
from geo.io.writer import FORMATS, GEOMETRY_COLUMN, ExportFormat, write_layer, zip_folder
from geo.io.zips import extract_dataset_zip, inspect_zip

__all__ = [
    "CSV",
    "FLATGEOBUF",
    "FORMATS",
    "GEOJSON",
    "GEOMETRY_COLUMN",
    "GIS_FORMATS",
    "GPKG",
    "SHAPEFILE_ZIP",
    "TABLE_FORMATS",
    "XLSX",
    "ExportFormat",
    "HostileFile",
    "RawBatch",
    "SourceInfo",
    "UnknownSourceCRS",
    "UnsupportedFile",
    "UploadLimits",
    "check_geojson",
    "check_geometries",
    "check_geopackage",
    "check_plain_path",
    "check_wkb",
    "copy_into",
    "extract_dataset_zip",
    "from_wkb_column",
    "from_wkt",
    "inspect_zip",
    "open_gis",
    "open_table",
    "reproject",
    "sniff_format",
    "srid_of",
    "write_layer",
    "zip_folder",
]
