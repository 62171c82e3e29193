"""The one import pipeline: file → rows → checks → report → (optionally) one transaction.

Used by ``manage.py import_inputs``, the staff upload page and the staff bulk registration
of workshop notes. Steps:

1. Refuse hostile files (``geo.io.safety``); copy or extract the upload into a fresh temporary
   folder under a neutral name, so GDAL and openpyxl only see plain local files.
2. Read in batches (GIS files through pyogrio, CSV/XLSX with the standard library/openpyxl).
3. Geometry: WKB/WKT structure checks, then ``inputbank.geometry``'s admission for input
   (the API's rules, in bulk), reprojected to the storage CRS.
4. Row checks and mapping (``rows.RowBuilder``); every problem is reported by row and field.
   GIS batches are checked column-wise (``columns``), only doubtful rows one by one.
5. Dry run (the default) stops here. Otherwise valid rows stream into
   ``services.inputs_bulk_register`` (COPY, one transaction). With ``all_or_nothing``
   nothing is stored unless every row is valid.

The temporary folder is removed whatever happens.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from geo.crs import WEB_SRID
from geo.io import (
    GIS_FORMATS,
    SHAPEFILE_ZIP,
    XLSX,
    HostileFile,
    UnknownSourceCRS,
    UnsupportedFile,
    UploadLimits,
    copy_into,
    extract_dataset_zip,
    from_wkb_column,
    open_gis,
    open_table,
    sniff_format,
)
from geo.messages import GeoMessage
from inputbank import cache
from inputbank.geomessages import geo_message
from inputbank.geometry import admit_geometries, input_max_vertices
from inputbank.imports.coordinates import table_geometries
from inputbank.imports.mapping import Mapping, MappingError
from inputbank.imports.report import ImportReport
from inputbank.imports.rows import RowBuilder
from inputbank.services import NewInput, inputs_bulk_register

ROW_LABELS = {"csv": "line", XLSX: "row"}


class ImportRefused(GeoMessage):
    """The file as a whole cannot be imported (no CRS, too many rows, ...).

    Like every reason a file is refused for (HostileFile, UnsupportedFile, MappingError), a
    GeoMessage: the report words it in the reader's language, ``str()`` stays English.
    """


@dataclass
class ImportOptions:
    """How to read and store a file. ``srid`` is the CRS to assume where the file has none."""

    mapping: Mapping = field(default_factory=Mapping)
    srid: int | None = None
    layer: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    publish: bool = False
    all_or_nothing: bool = False
    limits: UploadLimits | None = None


def limits_from_settings() -> UploadLimits:
    cfg = settings.IMPORTS
    return UploadLimits(
        max_bytes=cfg["MAX_UPLOAD_BYTES"],
        max_unzipped_bytes=cfg["MAX_UNZIPPED_BYTES"],
        max_zip_ratio=cfg["MAX_ZIP_RATIO"],
        max_zip_entries=cfg["MAX_ZIP_ENTRIES"],
    )


def run_import(
    path: Path, *, options: ImportOptions, user=None, commit: bool = False, name_hint: str = ""
) -> ImportReport:
    """Check (and with ``commit``, store) every row of a file; return the row-level report."""
    report = ImportReport(dry_run=not commit)
    limits = options.limits or limits_from_settings()
    workdir = Path(tempfile.mkdtemp(prefix="innspill-import-", dir=settings.GIS_TMP_DIR))
    try:
        fmt, main = _prepare(Path(path), workdir, limits, name_hint)
        report.file_format = fmt
        report.row_label = ROW_LABELS.get(fmt, "feature")
        if commit and options.all_or_nothing:
            _consume(_valid_batches(fmt, main, options, report))
            if not report.ok:
                return report
            report = ImportReport(dry_run=False, file_format=fmt, row_label=report.row_label)
        batches = _valid_batches(fmt, main, options, report)
        if not commit:
            _consume(batches)
            return report
        with transaction.atomic():
            report.rows_imported = inputs_bulk_register(
                batches=batches, registered_by=user, publish=options.publish
            )
            cache.invalidate_after_commit()
    except (HostileFile, UnsupportedFile, UnknownSourceCRS, MappingError, ImportRefused) as exc:
        report.refused = geo_message(exc)
        report.rows_imported = 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _consume(batches: Iterator[list[NewInput]]) -> None:
    for _batch in batches:
        pass


def _prepare(path: Path, workdir: Path, limits: UploadLimits, name_hint: str) -> tuple[str, Path]:
    """Sniff the format and place a plain copy (or the zip's one dataset) in ``workdir``."""
    if path.stat().st_size > limits.max_bytes:
        raise HostileFile(
            gettext_noop("the file is larger than the limit of %(mb)s MB"),
            mb=limits.max_bytes // 1_048_576,
        )
    fmt = sniff_format(path, name_hint=name_hint or path.name)
    if fmt == SHAPEFILE_ZIP:
        return extract_dataset_zip(path, workdir, limits)
    return fmt, copy_into(path, workdir, fmt, limits)


def _source_srid(file_srid: int | None, options: ImportOptions, mapping: Mapping) -> int:
    given = options.srid or mapping.srid
    if file_srid is None:
        if given is None:
            raise ImportRefused(
                gettext_noop(
                    "the file has no coordinate reference system: give its EPSG code "
                    "(for example 25832 for UTM 32, 4326 for longitude/latitude)"
                )
            )
        return given
    if given is not None and given != file_srid:
        raise ImportRefused(
            gettext_noop("the file says EPSG:%(file)s, but EPSG:%(given)s was given"),
            file=file_srid,
            given=given,
        )
    return file_srid


def _valid_batches(
    fmt: str, main: Path, options: ImportOptions, report: ImportReport
) -> Iterator[list[NewInput]]:
    """Yield the valid rows batch by batch, recording problems in the report as it goes."""
    max_vertices = input_max_vertices()
    max_rows = settings.IMPORTS["MAX_ROWS"]
    limits = options.limits or limits_from_settings()
    if fmt in GIS_FORMATS:
        source, raw_batches = open_gis(main, fmt, layer=options.layer, encoding=options.encoding)
    else:
        source, raw_batches = open_table(main, fmt, limits=limits, sheet=options.sheet)
    report.layer = source.layer
    mapping = options.mapping.resolved(source.columns)
    builder = RowBuilder(mapping, report)
    srid = None
    if fmt in GIS_FORMATS:
        srid = _source_srid(source.srid, options, mapping)
    elif "wkt" in mapping.columns or "x" in mapping.columns:
        srid = (
            WEB_SRID
            if mapping.coordinates_are_lonlat and not (options.srid or mapping.srid)
            else _source_srid(None, options, mapping)
        )
    report.source_srid = srid
    for raw in raw_batches:
        report.rows_read += len(raw)
        if report.rows_read > max_rows:
            too_many = gettext_noop("the file has more than %(n)s rows; split it")
            raise ImportRefused(too_many, n=max_rows)
        if fmt in GIS_FORMATS:
            geoms, geom_errors = from_wkb_column(raw.wkbs, max_vertices=max_vertices)
        else:
            geoms, geom_errors = table_geometries(raw, mapping, max_vertices=max_vertices)
        repaired: set[int] = set()
        if srid is not None:
            geoms, check_errors, repaired = admit_geometries(geoms, srid=srid)
            geom_errors.update(check_errors)
        rows = builder.build(raw, geoms, geom_errors, repaired)
        report.rows_valid += len(rows)
        if rows:
            yield rows
