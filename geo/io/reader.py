"""Read GIS files (through pyogrio/GDAL) and tables (CSV, XLSX) in batches of raw rows.

A reader only reads: it yields row numbers, attribute values and raw geometry (WKB) in
batches, so a million-row file never sits in memory as Python objects at once. Rules about
what a row means live in the importer; rules about geometry live in ``geo.io.geometry``.

Row numbers are what a person can find in the file: the feature number (1-based, file order)
for GIS files, the line number (header = line 1) for CSV, the sheet row number for XLSX.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.io.geometry import srid_of
from geo.io.safety import (
    CSV,
    DRIVERS,
    GEOJSON,
    GPKG,
    HostileFile,
    UnsupportedFile,
    UploadLimits,
    check_geojson,
    check_geopackage,
    inspect_zip,
)
from geo.messages import GeoMessage, gettext_noop

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


# --- tables -----------------------------------------------------------------------------------


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252.

    Norwegian spreadsheets saved as CSV from Excel are often Windows-1252.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _header(raw: list[Any]) -> list[str]:
    names = [str(v).strip().lstrip("\ufeff") if v is not None else "" for v in raw]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise UnsupportedFile(gettext_noop("the first row must name the columns"))
    if len(names) > MAX_COLUMNS:
        raise UnsupportedFile(TOO_MANY_COLUMNS, limit=MAX_COLUMNS)
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not name:
            names[i] = f"column_{i + 1}"
        if names[i].lower() in seen:
            raise UnsupportedFile(
                gettext_noop("the column %(column)s appears twice in the header"),
                column=repr(names[i][:60]),
            )
        seen.add(names[i].lower())
    return names


def open_table(
    path: Path, fmt: str, *, limits: UploadLimits, sheet: str | None = None
) -> tuple[SourceInfo, Iterator[RawBatch]]:
    """Open a CSV (comma, semicolon or tab separated) or an XLSX sheet; first row = header."""
    if fmt == CSV:
        return _open_csv(path)
    return _open_xlsx(path, limits, sheet)


def _open_csv(path: Path) -> tuple[SourceInfo, Iterator[RawBatch]]:
    encoding = _detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        first = fh.readline()
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    fh = path.open(encoding=encoding, newline="")
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        header = _header(next(reader))
    except StopIteration as exc:
        fh.close()
        raise UnsupportedFile(gettext_noop("the file is empty")) from exc
    except csv.Error as exc:
        fh.close()
        raise UnsupportedFile(
            gettext_noop("the CSV header cannot be read: %(reason)s"), reason=str(exc)
        ) from exc
    info = SourceInfo(fmt=CSV, columns=header, encoding=encoding)
    return info, _csv_batches(fh, reader, header)


def _csv_batches(fh: io.TextIOBase, reader, header: list[str]) -> Iterator[RawBatch]:
    with fh:
        batch = _new_batch(header)
        previous_line = reader.line_num
        while True:
            start_line = previous_line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                _append(batch, header, start_line, [])
                batch.errors[len(batch.numbers) - 1] = RowError(
                    gettext_noop("the line cannot be read as CSV (%(reason)s)"), reason=str(exc)
                )
                previous_line = reader.line_num
                continue
            previous_line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            _append(batch, header, start_line, row)
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = _new_batch(header)
        if len(batch):
            yield batch


def _new_batch(header: list[str]) -> RawBatch:
    return RawBatch(numbers=[], columns={name: [] for name in header})


def _append(batch: RawBatch, header: list[str], number: int, row: list[Any]) -> None:
    cast(list, batch.numbers).append(number)
    if len(row) > len(header) and any(str(v).strip() for v in row[len(header) :] if v is not None):
        batch.errors[len(batch.numbers) - 1] = RowError(
            gettext_noop("the row has %(values)s values but the header names %(columns)s columns"),
            values=len(row),
            columns=len(header),
        )
    for i, name in enumerate(header):
        value = row[i] if i < len(row) else None
        if isinstance(value, str):
            value = value.strip() or None
        cast(list, batch.columns[name]).append(value)


def _open_xlsx(
    path: Path, limits: UploadLimits, sheet: str | None
) -> tuple[SourceInfo, Iterator[RawBatch]]:
    # An XLSX is a zip of XML: the zip-bomb limits apply, and defusedxml (installed) makes
    # openpyxl refuse XML entity expansion attacks.
    inspect_zip(path, limits)
    import openpyxl  # imported here: only XLSX uploads need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnsupportedFile(gettext_noop("the XLSX file cannot be read")) from exc
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise UnsupportedFile(
            gettext_noop("the workbook has no sheet %(sheet)s"), sheet=repr(sheet[:60])
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 0
    try:
        for row_number, row in enumerate(rows, start=1):
            if any(v is not None and str(v).strip() for v in row):
                header, header_row = _header(list(row)), row_number
                break
    except UnsupportedFile:
        book.close()
        raise
    except Exception as exc:  # openpyxl parses sheets lazily; defusedxml refuses entity tricks
        book.close()
        raise UnsupportedFile(gettext_noop("the XLSX sheet cannot be read safely")) from exc
    if header is None:
        book.close()
        raise UnsupportedFile(gettext_noop("the sheet is empty"))
    info = SourceInfo(fmt="xlsx", columns=header, layer=ws.title)
    return info, _xlsx_batches(book, rows, header, header_row)


def _xlsx_batches(book, rows, header: list[str], header_row: int) -> Iterator[RawBatch]:
    try:
        batch = _new_batch(header)
        numbered = enumerate(rows, start=header_row + 1)
        while True:
            try:
                number, row = next(numbered)
            except StopIteration:
                break
            except Exception as exc:  # see _open_xlsx
                raise UnsupportedFile(gettext_noop("the XLSX sheet cannot be read safely")) from exc
            if not any(v is not None and str(v).strip() for v in row):
                continue
            _append(batch, header, number, [_xlsx_value(v) for v in row])
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = _new_batch(header)
        if len(batch):
            yield batch
    finally:
        book.close()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | int | float) or value is None:
        return value
    return str(value)
