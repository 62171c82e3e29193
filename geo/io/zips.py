"""Zip uploads: every entry checked before anything is extracted, then one dataset extracted.

A part of the upload guard: ``geo.io.safety`` lists the threats and the rule for each (the
zip rules are these), and sniffs the format before a zip gets here. An XLSX is a zip too: its
reader (``geo.io.tables``) runs ``inspect_zip`` before openpyxl opens it.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from geo.io.safety import (
    FLATGEOBUF,
    GEOJSON,
    GPKG,
    SHAPEFILE_ZIP,
    HostileFile,
    UnsupportedFile,
    UploadLimits,
    sniff_format,
)
from geo.messages import gettext_noop

_SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
_IGNORED_IN_ZIP = {".sbn", ".sbx", ".qix", ".xml", ".qmd", ".qpj", ".txt", ".pdf", ".md"}
_DATASETS_IN_ZIP = {".gpkg": GPKG, ".geojson": GEOJSON, ".json": GEOJSON, ".fgb": FLATGEOBUF}


def _safe_member_name(raw: str) -> str:
    """Return the base name of a zip entry, refusing names that try to leave the folder."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        raise HostileFile(
            gettext_noop("the zip entry %(name)s has an absolute path"), name=repr(raw[:80])
        )
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise HostileFile(
            gettext_noop("the zip entry %(name)s tries to leave the extraction folder"),
            name=repr(raw[:80]),
        )
    return parts[-1] if parts else ""


def inspect_zip(path: Path, limits: UploadLimits) -> list[zipfile.ZipInfo]:
    """Check every entry of a zip against the limits without extracting; return the entries."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsupportedFile(gettext_noop("the zip file is damaged")) from exc
    with zf:
        infos = zf.infolist()
    if len(infos) > limits.max_zip_entries:
        raise HostileFile(
            gettext_noop("the zip holds %(entries)s entries (the limit is %(limit)s)"),
            entries=len(infos),
            limit=limits.max_zip_entries,
        )
    total = 0
    for info in infos:
        _safe_member_name(info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise HostileFile(
                gettext_noop("the zip entry %(name)s is a symbolic link"),
                name=repr(info.filename[:80]),
            )
        if info.flag_bits & 0x1:
            raise HostileFile(gettext_noop("encrypted zip entries are not accepted"))
        total += info.file_size
        if total > limits.max_unzipped_bytes:
            raise HostileFile(
                gettext_noop("the zip unpacks to more than the allowed size (a zip bomb?)")
            )
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_zip_ratio * max(
            info.compress_size, 1
        ):
            raise HostileFile(
                gettext_noop(
                    "the zip entry %(name)s is compressed more than %(ratio)s:1 (a zip bomb?)"
                ),
                name=repr(info.filename[:80]),
                ratio=limits.max_zip_ratio,
            )
    return infos


def extract_dataset_zip(path: Path, dest: Path, limits: UploadLimits) -> tuple[str, Path]:
    """Extract the one dataset in a zip (a shapefile or a single GIS file) into ``dest``.

    Returns (format, path of the main file). Entries are written flat under their base names;
    inflated bytes are counted while writing, so a zip that lies about its sizes is stopped too.
    """
    infos = inspect_zip(path, limits)
    wanted: list[tuple[zipfile.ZipInfo, str]] = []
    seen: set[str] = set()
    for info in infos:
        if info.is_dir():
            continue
        base = _safe_member_name(info.filename)
        if info.filename.replace("\\", "/").startswith("__MACOSX/") or base.startswith("."):
            continue
        ext = os.path.splitext(base)[1].lower()
        if ext == ".vrt":
            raise HostileFile(gettext_noop("GDAL virtual files (VRT) are not accepted"))
        if ext == ".zip":
            raise HostileFile(gettext_noop("zip files inside zip files are not accepted"))
        if ext in _IGNORED_IN_ZIP or (ext not in _SHAPEFILE_PARTS and ext not in _DATASETS_IN_ZIP):
            continue
        if base.lower() in seen:
            raise HostileFile(
                gettext_noop("the zip holds two entries named %(name)s"), name=repr(base[:80])
            )
        seen.add(base.lower())
        wanted.append((info, base))
    shps = [b for _i, b in wanted if b.lower().endswith(".shp")]
    others = [b for _i, b in wanted if os.path.splitext(b)[1].lower() in _DATASETS_IN_ZIP]
    if len(shps) + len(others) == 0:
        raise UnsupportedFile(gettext_noop("the zip holds no shapefile (.shp) or other GIS file"))
    if len(shps) + len(others) > 1:
        names = ", ".join(sorted(shps + others))[:200]
        raise UnsupportedFile(
            gettext_noop("the zip holds several datasets (%(names)s); upload one at a time"),
            names=names,
        )
    budget = [limits.max_unzipped_bytes]
    try:
        with zipfile.ZipFile(path) as zf:
            for info, base in wanted:
                _extract_bounded(zf, info, dest / base, budget, limits)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        # zipfile stops at the declared size and then finds a wrong checksum: an archive
        # that lies about its sizes ends up here too.
        raise HostileFile(gettext_noop("the zip is damaged or lies about its contents")) from exc
    if shps:
        stem = os.path.splitext(shps[0])[0].lower()
        present = {b.lower() for b in seen}
        missing = [e for e in (".shx", ".dbf") if stem + e not in present]
        if missing:
            raise UnsupportedFile(
                gettext_noop("the shapefile is incomplete: %(parts)s missing"),
                parts=", ".join(missing),
            )
        return SHAPEFILE_ZIP, dest / shps[0]
    main = dest / others[0]
    return sniff_format(main, name_hint=main.name), main


def _extract_bounded(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    budget: list[int],
    limits: UploadLimits,
) -> None:
    written = 0
    with zf.open(info) as src, target.open("xb") as out:
        while chunk := src.read(1024 * 1024):
            written += len(chunk)
            budget[0] -= len(chunk)
            if budget[0] < 0 or written > info.file_size:
                raise HostileFile(
                    gettext_noop("the zip unpacks to more than it declares (a zip bomb?)")
                )
            if written > 1024 * 1024 and written > limits.max_zip_ratio * max(
                info.compress_size, 1
            ):
                raise HostileFile(
                    gettext_noop("the zip entry is compressed more than allowed (a zip bomb?)")
                )
            out.write(chunk)
