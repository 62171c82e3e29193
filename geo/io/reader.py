"""Read GIS files (through pyogrio/GDAL) in batches of raw rows; the batch every reader yields.

A reader only reads: it yields row numbers, attribute values and raw geometry (WKB) in
batches, so a million-row file never sits in memory as Python objects at once. Rules about
what a row means live in the importer; rules about geometry live in ``geo.io.geometry``.
Tables (CSV, XLSX) are read by ``geo.io.tables`` into the same ``RawBatch``.

Row numbers are what a person can find in the file: the feature number (1-based, file order)
for GIS files, the line number (header = line 1) for CSV, the sheet row number for XLSX.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.io.geometry import srid_of
from geo.io.safety import (
    DRIVERS,
    GEOJSON,
    GPKG,
    HostileFile,
    UnsupportedFile,
    check_geojson,
    check_geopackage,
)
from geo.messages import GeoMessage, gettext_noop

# The batch size and the column limit hold for the table readers too (``geo.io.tables``, which
# imports them once: a test that shrinks the batches of a CSV patches ``geo.io.tables``).
BATCH_SIZE = 20_000
MAX_COLUMNS = 300
TOO_MANY_COLUMNS = gettext_noop("the file has more than %(limit)s columns")


class RowError(GeoMessage):
    """What is wrong with one row, kept with the row (``RawBatch.errors``), not raised."""


@dataclass
class SourceInfo:
    """What the importer learns about a file before reading its rows."""

    fmt: str
    columns: list[str]
    driver: str | None = None
    layer: str | None = None
    srid: int | None = None
    feature_count: int | None = None
    geometry_type: str | None = None
    encoding: str | None = None


class ArrowColumn(Sequence[Any]):
    """One column of a GIS batch as Arrow reads it, indexable like a list of Python values.

    The importer checks whole columns on the Arrow array (``array``); only the rows that need
    a closer look are read as Python values, one by one. Whoever reads most of a column
    (the place-name reader) gets it converted once.
    """

    def __init__(self, array: pa.Array):
        self.array = array
        self._values: list[Any] | None = None
        self._reads = 0

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i):
        if self._values is None:
            self._reads += 1
            if self._reads <= len(self.array) // 8 + 16 and isinstance(i, int):
                return self.array[i].as_py()
            self._values = self.array.to_pylist()
        return self._values[i]

    def __iter__(self):
        return iter(self._values if self._values is not None else self.array.to_pylist())

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.array.to_numpy(zero_copy_only=False), dtype=dtype)


@dataclass
class RawBatch:
    """Rows as read: numbers, attribute columns (name -> values) and WKB (GIS files only).

    GIS batches hold their columns as ``ArrowColumn``s (and ``arrow`` is True): the importer
    checks them column-wise and reads single values only for the rows it must word an error
    for. CSV and XLSX batches hold plain lists.
    """

    numbers: Sequence[int]
    columns: dict[str, Sequence[Any]]
    wkbs: Sequence[bytes | None] | None = None
    errors: dict[int, GeoMessage | str] = field(default_factory=dict)
    arrow: bool = False

    def __len__(self) -> int:
        return len(self.numbers)


def open_gis(
    path: Path, fmt: str, *, layer: str | None = None, encoding: str | None = None
) -> tuple[SourceInfo, Iterator[RawBatch]]:
    """Open a GeoPackage, shapefile, GeoJSON or FlatGeobuf after its format's safety checks.

    Refuses a file GDAL would read with another driver than its format's (the sniffed format
    decides, never GDAL's guess).
    """
    if fmt == GPKG:
        check_geopackage(path)
    elif fmt == GEOJSON:
        check_geojson(path)
    try:
        layers = pyogrio.list_layers(path)
    except (DataSourceError, DataLayerError) as exc:
        raise UnsupportedFile(
            gettext_noop("GDAL cannot read the file as %(driver)s"), driver=DRIVERS[fmt]
        ) from exc
    spatial = [str(name) for name, gtype in layers if gtype is not None] or [
        str(name) for name, _g in layers
    ]
    if layer is None:
        if len(spatial) != 1:
            raise UnsupportedFile(
                gettext_noop("the file holds several layers; choose one of: %(layers)s"),
                layers=", ".join(spatial)[:300],
            )
        layer = spatial[0]
    elif layer not in {str(name) for name, _g in layers}:
        raise UnsupportedFile(
            gettext_noop("the file has no layer %(layer)s"), layer=repr(layer[:60])
        )
    kwargs = {"encoding": encoding} if encoding else {}
    try:
        info = pyogrio.read_info(path, layer=layer, **kwargs)
    except (DataSourceError, DataLayerError) as exc:
        raise UnsupportedFile(
            gettext_noop("GDAL cannot read the layer %(layer)s"), layer=repr(layer[:60])
        ) from exc
    if info["driver"] != DRIVERS[fmt]:
        raise HostileFile(
            gettext_noop("the file claims to be %(driver)s but GDAL reads it as %(read_as)s"),
            driver=DRIVERS[fmt],
            read_as=info["driver"],
        )
    columns = [str(c) for c in info["fields"]]
    if len(columns) > MAX_COLUMNS:
        raise UnsupportedFile(TOO_MANY_COLUMNS, limit=MAX_COLUMNS)
    source = SourceInfo(
        fmt=fmt,
        columns=columns,
        driver=info["driver"],
        layer=layer,
        srid=srid_of(info["crs"]),
        feature_count=info["features"] if info["features"] >= 0 else None,
        geometry_type=info["geometry_type"],
        encoding=info.get("encoding"),
    )
    return source, _gis_batches(path, layer, kwargs)


def _gis_batches(path: Path, layer: str, kwargs: dict) -> Iterator[RawBatch]:
    number = 0
    with pyogrio.open_arrow(
        path, layer=layer, batch_size=BATCH_SIZE, use_pyarrow=True, **kwargs
    ) as (meta, reader):
        geom_name = meta.get("geometry_name") or "wkb_geometry"
        for batch in reader:
            n = batch.num_rows
            numbers = range(number + 1, number + n + 1)
            number += n
            columns: dict[str, Sequence[Any]] = {}
            wkbs: Sequence[bytes | None] = [None] * n
            errors: dict[int, GeoMessage | str] = {}
            for name, column in zip(batch.schema.names, batch.columns, strict=True):
                if name == geom_name:
                    if isinstance(column.type, pa.ExtensionType):
                        column = column.storage  # geoarrow.wkb: plain WKB underneath
                    wkbs = ArrowColumn(column)
                else:
                    columns[name] = ArrowColumn(_utf8(name, column, errors))
            yield RawBatch(numbers=numbers, columns=columns, wkbs=wkbs, errors=errors, arrow=True)


def _utf8(name: str, column: pa.Array, errors: dict[int, GeoMessage | str]) -> pa.Array:
    """The column with text that is not UTF-8 (a damaged or hand-made file) made readable,
    and those rows marked as errors: GDAL passes such bytes on as they are."""
    if not pa.types.is_string(column.type):
        return column
    try:
        column.validate(full=True)
        return column
    except pa.ArrowInvalid:
        pass
    values = []
    for i, raw in enumerate(column.cast(pa.binary()).to_pylist()):
        try:
            values.append(raw.decode("utf-8") if raw is not None else None)
        except UnicodeDecodeError:
            values.append(raw.decode("utf-8", errors="replace"))
            errors.setdefault(
                i,
                RowError(
                    gettext_noop(
                        "the value of %(column)s is not UTF-8 text (give the file's encoding)"
                    ),
                    column=repr(name[:60]),
                ),
            )
    return pa.array(values, pa.string())
