"""Write GIS exports of inputs and processes: database → Arrow batches → GDAL file.

Rows stream as Arrow record batches (``inputbank.publishing.arrow_source``: decoded from binary COPY
in C and read ahead on a thread while GDAL writes) straight into pyogrio's ``write_arrow``,
so neither the database result nor the file is ever held in memory whole. The database
transforms geometry to the output CRS (``ST_Transform``) and hands over WKB; Python never
touches a coordinate or a row.

Every column comes from ``inputbank.publishing.layers`` (the views' public allow-list).
Text a person wrote is HTML-escaped in KML (Google Earth renders descriptions and data as
HTML) and guarded against spreadsheet formula injection in CSV (a leading ``=``, ``+``,
``-``, ``@`` gets a ``'``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry

from geo.crs import STORAGE_SRID, WEB_SRID, coordinate_precision, parse_srid
from geo.io import FORMATS, GEOMETRY_COLUMN, ExportFormat, write_layer, zip_folder
from geo.io.writer import LayerPart, write_layers_in_turn, write_partitioned
from inputbank.filters import FilterError, InputFilter, single_value
from inputbank.geomessages import geo_message
from inputbank.geometry import SHAPE_TYPES
from inputbank.models import Input, ModerationStatus
from inputbank.publishing import arrow_source, export_safety, kml, layers, styles
from inputbank.publishing.layers import Column

_KIND = "_kind"  # which shapefile a row goes to (not written)


class ExportError(ValueError):
    """The export cannot be made as asked (e.g. a CRS the format does not allow)."""


@dataclass(frozen=True)
class ExportFile:
    """A finished export: where it is, what to call it, its media type and row count."""

    path: Path
    filename: str
    media_type: str
    rows: int


@dataclass(frozen=True)
class InputSelection:
    """Which inputs an export holds: the list's filter and the CRS asked for."""

    filters: InputFilter
    srid: int | None = None  # None: the format's default (output_srid)
    # Only input intersecting these storage-CRS pieces (inputbank.geometry.query_area): the
    # selection of a prior-input report.
    area_pieces: tuple[GEOSGeometry, ...] = ()

    @property
    def published_only(self) -> bool:
        return not self.filters.statuses

    @property
    def drawn(self) -> str:
        """The geometry written: homes generalised for the public (inputbank.location_privacy,
        migration 0011), the exact place in staff exports that include unpublished input."""
        return "v.offentlig_geom" if self.published_only else "v.geom"

    def queryset(self):
        """The selected inputs: published ones, or every status asked for (staff only)."""
        base = Input.objects.published() if self.published_only else Input.objects.all()
        if self.area_pieces:
            base = base.within_pieces(list(self.area_pieces))
        return self.filters.narrow(base)


def input_selection(query, *, may_see_unpublished: bool) -> InputSelection:
    """Parse export parameters (the list's filters, status=all, crs); raise FilterError.

    Exports hold published input unless ``status`` asks for more: ``all`` or a status list,
    for callers who ``may_see_unpublished`` (the GIS team, case officers). Without ``crs``
    each format writes its default (EPSG:25832; GeoJSON and KML CRS84).
    """
    errors = []
    filters = InputFilter()
    try:
        filters = InputFilter.from_query(query, extra=("crs",), any_status=True)
    except FilterError as exc:
        errors += exc.errors
    if filters.statuses == (ModerationStatus.PUBLISHED,):
        filters = replace(filters, statuses=())
    if filters.statuses and not may_see_unpublished:
        message = "only the GIS team and case officers may export unpublished input"
        errors.append({"field": "status", "message": message})
    srid = None
    try:
        crs = single_value(query, "crs")
        if crs is not None:
            if len(crs) > 80:
                raise ValueError("longer than 80 characters")
            srid = parse_srid(crs)  # UnknownCRS is a ValueError
    except FilterError as exc:
        errors += exc.errors
    except ValueError as exc:
        errors.append({"field": "crs", "message": geo_message(exc)})
    if errors:
        raise FilterError(errors)
    return InputSelection(filters, srid=srid)


def output_srid(fmt: ExportFormat, requested: int | None) -> int:
    """Return the CRS to write: the request, the format's fixed CRS, or the storage CRS."""
    if fmt.fixed_srid is not None:
        if requested not in (None, fmt.fixed_srid):
            raise ExportError(
                f"{fmt.name} is always longitude/latitude (CRS84); leave out crs or use "
                f"EPSG:{fmt.fixed_srid}"
            )
        return fmt.fixed_srid
    return requested or STORAGE_SRID


def select_sql(column: Column, *, grouped_themes: bool = False) -> str:
    """The column's SELECT expression; timestamps travel as epoch milliseconds.

    Parsing a timestamp into a Python datetime costs more than everything else in an export
    (measured: 5.6 s of 14 s for 300 000 rows); an integer goes straight into Arrow.
    With ``grouped_themes`` the theme columns come from ``layers.THEMES_GROUPED_JOIN``.
    """
    expr = column.sql
    if grouped_themes:
        for old, new in layers.THEMES_GROUPED_COLUMNS.items():
            expr = re.sub(rf"\b{re.escape(old)}\b", new, expr)
    if pa.types.is_timestamp(column.type):
        return f'(extract(epoch FROM {expr}) * 1000)::bigint AS "{column.name}"'
    return f'{expr} AS "{column.name}"'


def _schema(columns: Sequence[Column], geometry: bool) -> pa.Schema:
    fields = [pa.field(c.name, c.type) for c in columns]
    if geometry:
        fields.append(pa.field(GEOMETRY_COLUMN, pa.binary()))
    return pa.schema(fields)


def _write(
    path: Path,
    fmt: ExportFormat,
    layer: str,
    query: tuple[str, Sequence[object]],
    columns: Sequence[Column],
    *,
    counter: _Counter,
    srid: int | None,
    geometry: bool = True,
    geometry_type: str | None = "Unknown",
    adapt: bool = True,
) -> None:
    """Run one query and write its rows as one layer (adapted to the format unless told not)."""
    schema = _schema(columns, geometry)
    with arrow_source.record_batches(*query, schema) as batches:
        if adapt:
            batches, schema = (
                export_safety.for_format(batches, columns, fmt),
                export_safety.adapt_schema(schema, fmt),
            )
        write_layer(
            path, fmt, layer, schema, counter.wrap(batches), srid=srid,
            geometry_type=geometry_type if geometry else None,
        )  # fmt: skip


def _input_sql(
    selection: InputSelection,
    columns: Sequence[Column],
    *,
    geom_sql: str | None,
    where: str = "",
    extra_sql: str = "",
) -> tuple[str, list[object]]:
    """SELECT over the export view, limited to the ids the shared filters select."""
    selected = selection.queryset().values("id")
    subquery, sub_params = selected.query.sql_with_params()
    select = ", ".join(select_sql(c, grouped_themes=True) for c in columns)
    geometry = f", {geom_sql} AS {GEOMETRY_COLUMN}" if geom_sql else ""
    sql = (
        f"SELECT {select}{extra_sql}{geometry} FROM {layers.INPUT_SOURCE} v "
        f"{layers.THEMES_GROUPED_JOIN} WHERE v.fid IN ({subquery}) {where} ORDER BY v.fid"
    )
    params: list[object] = [settings.INPUTBANK["NAMESPACE"]]
    return sql, params + list(sub_params)


def _csv_extras(columns: list[Column], drawn: str) -> tuple[str, list[Column]]:
    """E/N in the storage CRS and lon/lat, of a point on the geometry (CSV only)."""
    e, w = coordinate_precision(STORAGE_SRID), coordinate_precision(WEB_SRID)
    pos = f"ST_PointOnSurface({drawn})"
    web = f"ST_Transform({pos}, {WEB_SRID})"
    extra = [
        Column("ost", pa.float64(), f"round(ST_X({pos})::numeric, {e})::float8"),
        Column("nord", pa.float64(), f"round(ST_Y({pos})::numeric, {e})::float8"),
        Column("lon", pa.float64(), f"round(ST_X({web})::numeric, {w})::float8"),
        Column("lat", pa.float64(), f"round(ST_Y({web})::numeric, {w})::float8"),
    ]
    return "".join(f", {select_sql(c)}" for c in extra), columns + extra


def export_inputs(
    *, fmt: ExportFormat, selection: InputSelection, folder: Path, stem: str = layers.INPUT_LAYER
) -> ExportFile:
    """Write the selected inputs into ``folder`` in one format; return the file."""
    srid = output_srid(fmt, selection.srid)
    columns = list(layers.INPUT_COLUMNS)
    if not selection.published_only:
        columns += list(layers.STAFF_INPUT_COLUMNS)
    if fmt.name == "kml":
        columns = layers.kml_columns(columns)
    if not fmt.mixed_geometry:
        return _export_inputs_by_kind(fmt, selection, folder, stem, columns, srid)
    extra_sql, all_columns = ("", columns)
    if fmt.name == "csv":
        extra_sql, all_columns = _csv_extras(columns, selection.drawn)
    where = "" if fmt.null_geometry else "AND v.geom IS NOT NULL"
    # Asked for one kind of place (shape=point): the layer is declared as that kind, so a
    # client that takes one geometry type per layer reads a single-layer format too.
    kind = _one_kind(selection.filters.shapes)
    drawn = f"ST_Transform({selection.drawn}, {int(srid)})"
    geom_sql = f"ST_AsBinary(ST_Multi({drawn}))" if kind else f"ST_AsBinary({drawn})"
    sql, params = _input_sql(
        selection, columns, geom_sql=geom_sql, where=where, extra_sql=extra_sql
    )
    path = folder / f"{stem}{fmt.extension}"
    counter = _Counter()
    _write(path, fmt, layers.INPUT_LAYER, (sql, params), all_columns, counter=counter,
           srid=srid, geometry_type=kind or "Unknown")  # fmt: skip
    if fmt.name == "kml":
        kml.style_by_theme(path)
    return ExportFile(path, path.name, fmt.media_type, counter.rows)


def _one_kind(shapes: Sequence[str]) -> str | None:
    """The GDAL type of the one kind of place the filter asks for, else None."""
    wanted = SHAPE_TYPES.get(shapes[0]) if len(shapes) == 1 else None
    return next((gdal for _suffix, gdal, pg in layers.SHAPE_KINDS if pg == wanted), None)


def _export_inputs_by_kind(
    fmt: ExportFormat,
    selection: InputSelection,
    folder: Path,
    stem: str,
    columns: list[Column],
    srid: int,
) -> ExportFile:
    """One layer per geometry kind (points, lines, areas) and a table for "no location".

    ArcGIS Pro takes one geometry type per layer, and a shapefile holds only one. One query
    and one pass over the rows: each row goes to its kind's layer (a kind column, computed in
    SQL, picks it), so the view and its themes are read once, not four times. Shapefiles are
    written side by side and zipped; a GeoPackage gets its layers in turn, the theme table
    and the layer styles (QML + SLD by theme, ``layer_styles``).
    """
    parts = folder / "parts"
    parts.mkdir()
    counter = _Counter()
    when = " ".join(
        f"WHEN GeometryType(v.geom) IN ({_sql_list(pg_types)}) THEN {key}"
        for key, (_suffix, _gdal, pg_types) in enumerate(layers.SHAPE_KINDS)
    )
    no_location = len(layers.SHAPE_KINDS)
    geom_sql = f"ST_AsBinary(ST_Multi(ST_Transform({selection.drawn}, {int(srid)})))"
    kind = Column(_KIND, pa.int32(), f"(CASE {when} ELSE {no_location} END)::int")
    query = _input_sql(selection, [*columns, kind], geom_sql=geom_sql)
    targets = [
        LayerPart(key, parts / f"{layers.INPUT_LAYER}_{suffix}.shp",
                  f"{layers.INPUT_LAYER}_{suffix}", gdal_type)
        for key, (suffix, gdal_type, _pg) in enumerate(layers.SHAPE_KINDS)
    ]  # fmt: skip
    name = layers.NO_PLACE_LAYER
    targets.append(LayerPart(no_location, parts / f"{name}.dbf", name, None))
    schema = _schema([*columns, kind], True)
    if not fmt.zipped:
        path = folder / f"{stem}{fmt.extension}"
        with arrow_source.record_batches(*query, schema) as batches:
            write_layers_in_turn(path, targets, fmt, schema, counter.wrap(batches),
                                 key_column=_KIND, srid=srid, spill=parts)  # fmt: skip
        _write_themes(path, fmt)
        _write_styles(path, fmt)
        shutil.rmtree(parts)
        return ExportFile(path, path.name, fmt.media_type, counter.rows)
    with arrow_source.record_batches(*query, schema) as batches:
        write_partitioned(targets, fmt, schema, counter.wrap(batches), key_column=_KIND, srid=srid)
    _write_themes(parts / f"{layers.THEME_LAYER}.dbf", fmt)
    path = zip_folder(parts, folder / f"{stem}-shp.zip")
    return ExportFile(path, path.name, fmt.media_type, counter.rows)


def _write_styles(path: Path, fmt: ExportFormat) -> None:
    """QGIS' ``layer_styles`` table: a default style (QML and SLD, by theme) per layer."""
    table = styles.layer_styles_table(
        [f"{layers.INPUT_LAYER}_{k}" for k, _g, _p in layers.SHAPE_KINDS]
    )
    write_layer(path, fmt, "layer_styles", table.schema, table.to_batches(), srid=None,
                geometry_type=None, append=True)  # fmt: skip


def _sql_list(constants: Sequence[str]) -> str:
    """Our own constant names (PostGIS type names) as an SQL list of literals."""
    return ", ".join(f"'{c}'" for c in constants)


def _write_themes(path: Path, fmt: ExportFormat) -> None:
    """The theme lookup table (slug → name, colour, parent) beside the layer, no geometry."""
    columns = layers.THEME_COLUMNS
    select = ", ".join(select_sql(c) for c in columns)
    sql = f"SELECT {select} FROM {layers.THEME_SOURCE} v ORDER BY v.sortering, v.slug"
    _write(path, fmt, layers.THEME_LAYER, (sql, []), columns, counter=_Counter(), srid=None,
           geometry=False, adapt=False)  # fmt: skip


def export_processes(*, fmt: ExportFormat, srid: int | None, folder: Path) -> ExportFile:
    """Write every process with its area (processes are public information)."""
    srid = output_srid(fmt, srid)
    columns = list(layers.PROCESS_COLUMNS)
    if fmt.name == "kml":
        columns = [Column("Name", pa.string(), "v.tittel", text=True)] + columns
    select = ", ".join(select_sql(c) for c in columns)
    where = "" if fmt.null_geometry else "WHERE v.geom IS NOT NULL"
    geom = f"ST_AsBinary(ST_Multi(ST_Transform(v.geom, {int(srid)})))"
    sql = (
        f"SELECT {select}, {geom} AS {GEOMETRY_COLUMN} FROM {layers.PROCESS_SOURCE} v "
        f"{where} ORDER BY v.fid"
    )
    query = (sql, [settings.INPUTBANK["NAMESPACE"]])
    counter = _Counter()
    if fmt.zipped:
        parts = folder / "parts"
        parts.mkdir()
        _write(parts / f"{layers.PROCESS_LAYER}.shp", fmt, layers.PROCESS_LAYER, query, columns,
               counter=counter, srid=srid, geometry_type="MultiPolygon", adapt=False)  # fmt: skip
        path = zip_folder(parts, folder / f"{layers.PROCESS_LAYER}-shp.zip")
        return ExportFile(path, path.name, fmt.media_type, counter.rows)
    path = folder / f"{layers.PROCESS_LAYER}{fmt.extension}"
    _write(path, fmt, layers.PROCESS_LAYER, query, columns, counter=counter, srid=srid,
           geometry_type="MultiPolygon")  # fmt: skip
    return ExportFile(path, path.name, fmt.media_type, counter.rows)


class _Counter:
    """Count rows as batches pass through (the count is known only after writing)."""

    def __init__(self) -> None:
        self.rows = 0

    def wrap(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            self.rows += batch.num_rows
            yield batch


def download_name(layer: str, fmt: ExportFormat) -> str:
    """File name offered to the browser: layer, date and extension (zip for shapefiles)."""
    today = dt.date.today().isoformat()
    ext = "-shp.zip" if fmt.zipped else fmt.extension
    return f"{layer}-{today}{ext}"


def get_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError as exc:
        raise ExportError(f"unknown format {name[:20]!r}; use one of {', '.join(FORMATS)}") from exc


def replace_atomically(src: Path, target: Path) -> None:
    """Move a finished export into place so a scheduled reader never sees half a file."""
    partial = target.with_name(f".{target.name}.partial")
    shutil.move(src, partial)
    os.replace(partial, target)
