"""Refuse hostile upload files before GDAL, openpyxl or GEOS ever open them.

Threats (docs/threats.md) and the rule for each:
* GDAL virtual files: a path starting with ``/vsi`` or naming a driver or URL, and XML content
  (VRT can point GDAL at any local or network file) are refused; uploads are always copied to
  a fresh temporary folder under a neutral name, so GDAL only ever sees a plain local file.
* Zip archives: paths that escape the folder (``..``, absolute paths, drive letters), symlinks,
  encrypted entries, too many entries, and zip bombs (declared size, declared ratio and the
  bytes actually inflated are all bounded) are refused. Entries are extracted flat under their
  base name only. These rules are ``geo.io.zips`` (``inspect_zip``, ``extract_dataset_zip``).
* GeoPackages are SQLite databases: any trigger, view or virtual table beyond the ones the
  GeoPackage standard and GDAL create (the R-tree index and feature counters) is refused, read
  from ``sqlite_master`` through a read-only, immutable connection that never runs them.
* GeoJSON: a ``crs`` member of type ``link`` (a URL) is refused; nothing is ever fetched.

Everything here is plain Python; limits come from the caller (``UploadLimits``).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from geo.messages import GeoMessage, gettext_noop

# Formats the importer accepts, by their canonical short name.
GPKG, SHAPEFILE_ZIP, GEOJSON, FLATGEOBUF, CSV, XLSX = "gpkg", "shp", "geojson", "fgb", "csv", "xlsx"
GIS_FORMATS = (GPKG, SHAPEFILE_ZIP, GEOJSON, FLATGEOBUF)
TABLE_FORMATS = (CSV, XLSX)
# The GDAL driver that must end up reading each GIS format (checked after opening).
DRIVERS = {
    GPKG: "GPKG",
    SHAPEFILE_ZIP: "ESRI Shapefile",
    GEOJSON: "GeoJSON",
    FLATGEOBUF: "FlatGeobuf",
}
EXTENSIONS = {GPKG: ".gpkg", GEOJSON: ".geojson", FLATGEOBUF: ".fgb", CSV: ".csv", XLSX: ".xlsx"}

_SQLITE_MAGIC = b"SQLite format 3\x00"
_FGB_MAGIC = b"fgb\x03"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_GPKG_APPLICATION_IDS = {0x47504B47, 0x47503130, 0x47503131}  # 'GPKG', 'GP10', 'GP11'


class HostileFile(GeoMessage):
    """The file was refused because it could do harm; ``str(err)`` says why in plain words."""


class UnsupportedFile(GeoMessage):
    """The file is not one of the accepted formats (or is damaged)."""


@dataclass(frozen=True)
class UploadLimits:
    """Bounds for one upload. Sizes in bytes; ratio is uncompressed / compressed per zip entry."""

    max_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    max_zip_ratio: int = 100
    max_zip_entries: int = 100


def check_plain_path(path: str | os.PathLike[str]) -> Path:
    """Return the path if it names a plain local regular file; refuse virtual paths and links.

    GDAL treats ``/vsicurl/...``, ``/vsizip/...``, ``DRIVER:...`` prefixes and URLs as
    instructions; a management command argument must never be one.
    """
    text = os.fspath(path)
    lowered = text.lower()
    if lowered.startswith("/vsi") or "/vsi" in lowered or "://" in text:
        raise HostileFile(
            gettext_noop("GDAL virtual paths and URLs are not accepted; give a local file")
        )
    if re.match(r"^[A-Za-z][A-Za-z0-9_ ]+:", text):
        raise HostileFile(
            gettext_noop("driver-prefixed paths (such as 'GPKG:...') are not accepted")
        )
    p = Path(text)
    try:
        info = p.lstat()
    except OSError as exc:
        raise UnsupportedFile(
            gettext_noop("cannot read the file: %(reason)s"), reason=exc.strerror or "not found"
        ) from exc
    if stat.S_ISLNK(info.st_mode):
        raise HostileFile(gettext_noop("symbolic links are not accepted; give the file itself"))
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedFile(gettext_noop("not a regular file"))
    return p


def sniff_format(path: Path, *, name_hint: str = "") -> str:
    """Return the format of a file from its first bytes (the file name is only a hint).

    Raises HostileFile for XML (VRT and friends) and UnsupportedFile for anything unknown.
    """
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(_SQLITE_MAGIC):
        return GPKG
    if head.startswith(_FGB_MAGIC):
        return FLATGEOBUF
    if head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC):
        return _sniff_zip(path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        if b"VRT" in text[:400]:
            raise HostileFile(gettext_noop("GDAL virtual files (VRT) are not accepted"))
        raise UnsupportedFile(gettext_noop("XML files (GML, KML, VRT) are not accepted for import"))
    if text.startswith(b"{"):
        return GEOJSON
    if b"\x00" in head:
        raise UnsupportedFile(
            gettext_noop(
                "unrecognised binary file; use GeoPackage, Shapefile (zip), "
                "GeoJSON, FlatGeobuf, CSV or XLSX"
            )
        )
    if name_hint.lower().endswith((".json", ".geojson")):
        raise UnsupportedFile(gettext_noop("the file is named as JSON but does not start with '{'"))
    return CSV


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = {info.filename for info in zf.infolist()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsupportedFile(gettext_noop("the zip file is damaged")) from exc
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return XLSX
    return SHAPEFILE_ZIP


# --- GeoPackage -------------------------------------------------------------------------------

_FN_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_WRITE_TARGET = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"'`\[]?([\w]+)", re.IGNORECASE
)
_ALLOWED_CALLS = {
    "st_isempty", "st_minx", "st_maxx", "st_miny", "st_maxy", "raise", "lower",
    "values", "in", "not", "and", "or", "where", "exists", "when",
}  # fmt: skip
_STRING_LITERAL = re.compile(r"'(?:[^']|'')*'")
_RTREE_TRIGGER = re.compile(r"^rtree_(.+)_(insert|update\d|delete)$")


def check_geopackage(path: Path) -> None:
    """Refuse a GeoPackage with triggers, views or virtual tables other than the standard ones.

    Reads only ``sqlite_master`` through a read-only, immutable connection: nothing in the file
    runs, and the file is not changed.
    """
    uri = f"file:{path.resolve()}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise UnsupportedFile(gettext_noop("the GeoPackage cannot be opened")) from exc
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        rows = con.execute(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise UnsupportedFile(
            gettext_noop("the file is not a readable GeoPackage (damaged SQLite file)")
        ) from exc
    finally:
        con.close()
    if app_id not in _GPKG_APPLICATION_IDS:
        raise UnsupportedFile(gettext_noop("the SQLite file is not a GeoPackage"))
    names = {name for _t, name, _tbl, _sql in rows}
    if "gpkg_contents" not in names:
        raise UnsupportedFile(gettext_noop("the GeoPackage has no gpkg_contents table"))
    for kind, name, table, sql in rows:
        if kind == "view":
            raise HostileFile(
                gettext_noop("GeoPackages with views are not accepted (view %(name)s)"),
                name=repr(name[:60]),
            )
        virtual = kind == "table" and re.match(r"\s*CREATE\s+VIRTUAL\s+TABLE", sql, re.I)
        if virtual and not (
            name.startswith("rtree_") and re.search(r"USING\s+rtree\s*\(", sql, re.I)
        ):
            raise HostileFile(
                gettext_noop("GeoPackages with virtual tables are not accepted (table %(name)s)"),
                name=repr(name[:60]),
            )
        if kind == "trigger" and not _standard_trigger(name, table, sql):
            raise HostileFile(
                gettext_noop("GeoPackages with triggers are not accepted (trigger %(name)s)"),
                name=repr(name[:60]),
            )


def _standard_trigger(name: str, table: str, sql: str) -> bool:
    """True for the spec's constraint triggers, GDAL's R-tree and feature-count triggers only."""
    sql = _STRING_LITERAL.sub("''", sql)  # messages in RAISE(...) are not statements
    body = sql.split("BEGIN", 1)[-1] if "BEGIN" in sql.upper() else sql
    calls = {c.lower() for c in _FN_CALL.findall(sql.split(" ON ", 1)[-1])}
    if not calls <= _ALLOWED_CALLS:
        return False
    targets = {t.lower() for t in _WRITE_TARGET.findall(body)}
    if name.startswith(("gpkg_tile_matrix_", "gpkg_metadata_")):
        return not targets
    match = _RTREE_TRIGGER.match(name)
    if match:
        return targets <= {f"rtree_{match.group(1)}".lower()} and name.startswith(f"rtree_{table}_")
    if re.match(r"^trigger_(insert|delete)_feature_count_", name):
        return targets <= {"gpkg_ogr_contents"}
    return False


# --- GeoJSON ----------------------------------------------------------------------------------

_CRS_LINK = re.compile(rb'"crs"\s*:\s*\{[^{}]*"type"\s*:\s*"link"', re.IGNORECASE)


def check_geojson(path: Path) -> None:
    """Refuse a GeoJSON with a ``crs`` member of type ``link``; GDAL must never fetch a CRS.

    The whole file is scanned in overlapping chunks: the member may come after the features.
    """
    overlap = b""
    with path.open("rb") as fh:
        while chunk := fh.read(4 * 1024 * 1024):
            if _CRS_LINK.search(overlap + chunk):
                raise HostileFile(
                    gettext_noop("a GeoJSON 'crs' link is not accepted; nothing is fetched")
                )
            overlap = chunk[-4096:]


def copy_into(src: Path, dest_dir: Path, fmt: str, limits: UploadLimits) -> Path:
    """Copy an upload to ``dest_dir`` under a neutral name; refuse files over the size limit."""
    size = src.stat().st_size
    if size > limits.max_bytes:
        raise HostileFile(
            gettext_noop("the file is larger than the limit of %(mb)s MB"),
            mb=limits.max_bytes // 1_048_576,
        )
    target = dest_dir / f"upload{EXTENSIONS.get(fmt, '.zip')}"
    shutil.copyfile(src, target, follow_symlinks=False)
    return target
