"""Make hostile upload files on the fly (those not committed under fixtures/hostile/).

Zip bombs, lying archives and GeoPackages with triggers are generated here rather than
committed: they should not sit in a repository where other tools might open them.
Run this module to re-create the small, harmless samples in fixtures/hostile/.
"""

from __future__ import annotations

import sqlite3
import struct
import zipfile
from pathlib import Path

import pyarrow as pa
import pyogrio
import shapely
from pyproj import CRS

from geo.crs import STORAGE_SRID

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "hostile"


def zip_with(path: Path, entries: dict[str, bytes], *, symlinks: dict[str, str] | None = None):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16) | 0x20
            info.create_system = 3  # Unix, so the mode bits mean what they say
            zf.writestr(info, target)
    return path


def zip_bomb(path: Path, megabytes: int = 20) -> Path:
    """One entry of zeros: compresses about 1000:1."""
    return zip_with(path, {"bomb.shp": b"\0" * (megabytes * 1024 * 1024)})


def lying_zip(path: Path) -> Path:
    """An entry that says it holds 1 000 bytes but inflates to 3 MB."""
    zip_with(path, {"a.shp": b"\0" * (3 * 1024 * 1024), "a.shx": b"x", "a.dbf": b"x"})
    data = bytearray(path.read_bytes())
    real = struct.pack("<I", 3 * 1024 * 1024)
    fake = struct.pack("<I", 1000)
    data = data.replace(real, fake)  # local header and central directory
    path.write_bytes(bytes(data))
    return path


def many_entries(path: Path, n: int) -> Path:
    return zip_with(path, {f"f{i}.txt": b"x" for i in range(n)})


def vrt_text() -> bytes:
    return (
        b'<OGRVRTDataSource><OGRVRTLayer name="x">'
        b"<SrcDataSource>/vsicurl/http://evil.example/x.shp</SrcDataSource>"
        b"</OGRVRTLayer></OGRVRTDataSource>"
    )


def crs_link_geojson() -> bytes:
    return (
        b'{"type":"FeatureCollection","crs":{"type":"link","properties":'
        b'{"href":"http://evil.example/crs.prj","type":"proj4"}},"features":[]}'
    )


def gpkg(path: Path, extra_sql: str = "", wkb: bytes | None = None) -> Path:
    """A valid GeoPackage made by GDAL, optionally with extra SQL run on it afterwards."""
    geom = wkb if wkb is not None else shapely.to_wkb(shapely.Point(595000, 6590000))
    table = pa.table({"tekst": ["Hei"], "kanal": ["letter"], "geom": pa.array([geom], pa.binary())})
    pyogrio.write_arrow(
        table, path, layer="innspill", driver="GPKG", geometry_name="geom",
        geometry_type="Unknown", crs=CRS.from_epsg(STORAGE_SRID).to_wkt(),
    )  # fmt: skip
    if extra_sql:
        con = sqlite3.connect(path)
        con.executescript(extra_sql)
        con.commit()
        con.close()
    return path


def nested_collection_wkb(depth: int) -> bytes:
    """GeometryCollection inside GeometryCollection ... around one point."""
    inner = struct.pack("<BIdd", 1, 1, 595000.0, 6590000.0)
    for _ in range(depth):
        inner = struct.pack("<BII", 1, 7, 1) + inner
    return inner


def billion_laughs_xlsx(path: Path) -> Path:
    """An XLSX whose sheet XML declares recursive entities (XML entity expansion)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["tekst"])
    book.active.append(["hei"])
    book.save(path)
    evil = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = evil + sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else evil + sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("hei", "&lol3;").encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def write_committed_samples() -> None:
    """The small, harmless samples kept in fixtures/hostile/."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / "remote.vrt").write_bytes(vrt_text())
    (FIXTURES / "crs-link.geojson").write_bytes(crs_link_geojson())
    zip_with(FIXTURES / "traversal.zip", {"../../evil.shp": b"x", "evil.shx": b"x",
                                           "evil.dbf": b"x"})  # fmt: skip
    zip_with(FIXTURES / "symlink.zip", {"a.shx": b"x", "a.dbf": b"x"},
             symlinks={"a.shp": "/etc/passwd"})  # fmt: skip


if __name__ == "__main__":
    write_committed_samples()
