"""Write Arrow record batches to GIS files with GDAL (pyogrio ``write_arrow``).

Batches stream from the caller straight into GDAL: a layer is never held in memory as a
whole, and nothing is converted to Python objects on the way. Geometry arrives as WKB in a
column named ``geom`` already in the output CRS (the database transforms it); the writer only
labels the CRS.
"""

from __future__ import annotations

import os
import queue
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
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
        # VERSION=1.2: GDAL 3.6 (Debian 12, the QGIS LTR generation) warns on opening the 1.4
        # files newer GDAL writes by default; 1.2 has every feature the export uses.
        ExportFormat(
            "gpkg",
            "GPKG",
            ".gpkg",
            "application/geopackage+sqlite3",
            mixed_geometry=False,
            dataset_options={"VERSION": "1.2"},
        ),
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


@dataclass(frozen=True)
class LayerPart:
    """One layer of a partitioned write: the rows whose key column equals ``key``."""

    key: int
    path: Path
    layer: str
    geometry_type: str | None  # None: a table without geometry (the geometry column is dropped)


_END = object()
_QUEUED_BATCHES = 2  # per part: memory stays at a few batches whatever the row count


def write_partitioned(
    path_parts: Iterable[LayerPart],
    fmt: ExportFormat,
    schema: pa.Schema,
    batches: Iterable[pa.RecordBatch],
    *,
    key_column: str,
    srid: int | None,
) -> None:
    """Write each row to the layer its key names, every layer at once, in one pass.

    For formats that hold one geometry kind per file (shapefiles): one query and one pass
    over the rows instead of one query per kind. Each layer is written by a thread of its own
    from a small queue; the key column is not written.
    """
    parts = list(path_parts)
    out_schema = schema.remove(schema.get_field_index(key_column))
    queues: dict[int, queue.Queue[object]] = {
        p.key: queue.Queue(maxsize=_QUEUED_BATCHES) for p in parts
    }
    failures: list[BaseException] = []

    def layer_schema(part: LayerPart) -> pa.Schema:
        if part.geometry_type is None and GEOMETRY_COLUMN in out_schema.names:
            return out_schema.remove(out_schema.get_field_index(GEOMETRY_COLUMN))
        return out_schema

    def queued(part: LayerPart) -> Iterator[pa.RecordBatch]:
        while (item := queues[part.key].get()) is not _END:
            yield item

    def writer(part: LayerPart) -> None:
        rows = queued(part)
        try:
            write_layer(part.path, fmt, part.layer, layer_schema(part), rows, srid=srid,
                        geometry_type=part.geometry_type)  # fmt: skip
        except BaseException as exc:
            failures.append(exc)
        for _ in rows:  # after a failure: keep taking batches so the reader never blocks
            pass

    threads = [threading.Thread(target=writer, args=(p,), name=f"write-{p.layer}") for p in parts]
    for thread in threads:
        thread.start()
    try:
        for batch in batches:
            if failures:
                break
            keys = batch.column(key_column)
            rest = batch.drop_columns([key_column])
            for part in parts:
                rows = rest.filter(pc.equal(keys, part.key))
                if rows.num_rows:
                    if part.geometry_type is None and GEOMETRY_COLUMN in rows.schema.names:
                        rows = rows.drop_columns([GEOMETRY_COLUMN])
                    queues[part.key].put(rows)
    finally:
        for part in parts:
            queues[part.key].put(_END)
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]


def write_layers_in_turn(
    path: Path,
    parts: Iterable[LayerPart],
    fmt: ExportFormat,
    schema: pa.Schema,
    batches: Iterable[pa.RecordBatch],
    *,
    key_column: str,
    srid: int | None,
    spill: Path,
) -> None:
    """Write each row to its part's layer of ONE file (a GeoPackage), in one pass over rows.

    One file takes one writer at a time, so the rows are first split by key into Arrow IPC
    files in ``spill`` (streamed, no layer held in memory; the disk write is cheaper than
    reading the database once per layer), then each layer is written in turn, the first one
    creating the file. Every part gets its layer, empty or not.
    """
    parts = list(parts)
    out_schema = schema.remove(schema.get_field_index(key_column))

    def layer_schema(part: LayerPart) -> pa.Schema:
        if part.geometry_type is None and GEOMETRY_COLUMN in out_schema.names:
            return out_schema.remove(out_schema.get_field_index(GEOMETRY_COLUMN))
        return out_schema

    files = {p.key: spill / f"part-{p.key}.arrows" for p in parts}
    sinks = {p.key: pa.ipc.new_stream(str(files[p.key]), layer_schema(p)) for p in parts}
    try:
        for batch in batches:
            keys = batch.column(key_column)
            rest = batch.drop_columns([key_column])
            for part in parts:
                rows = rest.filter(pc.equal(keys, part.key))
                if rows.num_rows:
                    if part.geometry_type is None and GEOMETRY_COLUMN in rows.schema.names:
                        rows = rows.drop_columns([GEOMETRY_COLUMN])
                    sinks[part.key].write_batch(rows)
    finally:
        for sink in sinks.values():
            sink.close()
    for i, part in enumerate(parts):
        with pa.OSFile(str(files[part.key])) as source:
            reader = pa.ipc.open_stream(source)
            write_layer(path, fmt, part.layer, reader.schema, iter(reader), srid=srid,
                        geometry_type=part.geometry_type, append=i > 0)  # fmt: skip
        files[part.key].unlink()


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip every file in a folder (flat), e.g. the parts of one or more shapefiles.

    zlib level 1: shapefile DBFs are mostly padding and compress well at any level; level 1
    takes a third of the default's time for a file ~20 % larger (measured on 134 MB of DBF:
    0.6 s, 14 MB vs 1.7 s, 12 MB), and the download is made while someone waits.
    """
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name in sorted(os.listdir(folder)):
            zf.write(folder / name, arcname=name)
    return target
