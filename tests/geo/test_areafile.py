"""Reading an uploaded plan boundary: the three formats, and the files that must be refused."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pyarrow as pa
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box

from geo.areafile import AreaFileError, read_area_file
from geo.crs import STORAGE_SRID, WEB_SRID

LIMITS = {"max_bytes": 5_000_000, "max_vertices": 10_000}
# A block in central Moss, EPSG:STORAGE_SRID metres and the same block in lon/lat.
BLOCK_25832 = box(596_000, 6_588_000, 596_500, 6_588_400)
BLOCK_LONLAT = box(10.65, 59.43, 10.66, 59.435)


def write_layer(path: Path, geoms, crs: str | None) -> None:
    """Write geometries (one kind per layer, as GIS tools do) with a name column through GDAL."""
    kinds = {geom.geom_type for geom in geoms}
    table = pa.table(
        {"name": ["a"] * len(geoms), "geometry": pa.array([shapely.to_wkb(g) for g in geoms])}
    )
    pyogrio.write_arrow(
        table,
        path,
        geometry_name="geometry",
        geometry_type=kinds.pop() if len(kinds) == 1 else "Unknown",
        crs=crs,
    )


def gpkg_bytes(tmp_path: Path, geoms, crs=f"EPSG:{STORAGE_SRID}") -> bytes:
    path = tmp_path / "plan.gpkg"
    write_layer(path, geoms, crs)
    return path.read_bytes()


def shapefile_zip(tmp_path: Path, geoms, crs=f"EPSG:{STORAGE_SRID}", drop=()) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "plan.shp", geoms, crs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix not in drop:
                archive.write(part, f"plan/{part.name}")
    return out.getvalue()


def test_geojson_feature_collection_is_read_as_lonlat():
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": shapely.geometry.mapping(BLOCK_LONLAT)}],
        }
    ).encode()
    area = read_area_file(data, **LIMITS)
    assert area.srid == WEB_SRID
    assert area.geom.bounds == pytest.approx(BLOCK_LONLAT.bounds)


def test_geopackage_keeps_its_crs(tmp_path):
    area = read_area_file(gpkg_bytes(tmp_path, [BLOCK_25832]), **LIMITS)
    assert area.srid == STORAGE_SRID
    assert area.geom.area == pytest.approx(500 * 400)


def test_zipped_shapefile_is_read(tmp_path):
    area = read_area_file(shapefile_zip(tmp_path, [BLOCK_25832]), **LIMITS)
    assert area.srid == STORAGE_SRID
    assert area.geom.bounds == pytest.approx(BLOCK_25832.bounds)


def test_several_polygons_are_merged_into_one_area(tmp_path):
    other = box(597_000, 6_588_000, 597_100, 6_588_100)
    area = read_area_file(gpkg_bytes(tmp_path, [BLOCK_25832, other]), **LIMITS)
    assert area.geom.geom_type == "MultiPolygon"
    assert area.feature_count == 2


def test_shapefile_without_prj_is_refused(tmp_path):
    with pytest.raises(AreaFileError, match="coordinate reference system"):
        read_area_file(shapefile_zip(tmp_path, [BLOCK_25832], drop={".prj"}), **LIMITS)


def test_shapefile_without_dbf_is_refused(tmp_path):
    with pytest.raises(AreaFileError, match="incomplete: .dbf missing"):
        read_area_file(shapefile_zip(tmp_path, [BLOCK_25832], drop={".dbf"}), **LIMITS)


def test_points_are_not_an_area(tmp_path):
    with pytest.raises(AreaFileError, match="no polygons"):
        read_area_file(gpkg_bytes(tmp_path, [Point(596_000, 6_588_000)]), **LIMITS)


def test_geojson_crs_member_is_refused_not_fetched():
    data = json.dumps(
        {
            "type": "Polygon",
            "crs": {"type": "name", "properties": {"name": "http://evil.example/crs"}},
            "coordinates": [[[10.65, 59.43], [10.66, 59.43], [10.66, 59.44], [10.65, 59.43]]],
        }
    ).encode()
    with pytest.raises(AreaFileError, match="crs"):
        read_area_file(data, **LIMITS)


def test_too_many_vertices_are_refused(tmp_path):
    ring = Point(596_000, 6_588_000).buffer(100, quad_segs=4000)
    with pytest.raises(AreaFileError, match="vertices"):
        read_area_file(gpkg_bytes(tmp_path, [ring]), **LIMITS)


def test_unknown_format_is_refused():
    with pytest.raises(AreaFileError, match="GeoJSON file, a GeoPackage"):
        read_area_file(b"MZ\x90\x00 not a map", **LIMITS)


def test_vrt_disguised_as_upload_is_refused():
    vrt = b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
    with pytest.raises(AreaFileError):
        read_area_file(vrt, **LIMITS)


def test_oversized_file_is_refused():
    with pytest.raises(AreaFileError, match="larger than"):
        read_area_file(b"{" + b" " * 2000, max_bytes=1000, max_vertices=10)


def _zip(members: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return out.getvalue()


def test_zip_member_climbing_out_is_refused():
    with pytest.raises(AreaFileError, match="leave the extraction folder"):
        read_area_file(_zip({"../../evil.shp": b"x"}), **LIMITS)


def test_zip_symlink_is_refused():
    with pytest.raises(AreaFileError, match="symbolic link"):
        read_area_file(_zip({"a.txt": b"x"}, symlink="plan.shp"), **LIMITS)


def test_zip_bomb_is_refused():
    with pytest.raises(AreaFileError, match="zip bomb|too large"):
        read_area_file(_zip({"plan.shp": b"\0" * 3_000_000}), **LIMITS)


def test_damaged_geopackage_is_refused():
    with pytest.raises(AreaFileError, match="damaged|cannot be read"):
        read_area_file(b"SQLite format 3\x00" + b"\x01" * 500, **LIMITS)


def _with_sql(tmp_path: Path, statement: str) -> bytes:
    """A real GeoPackage of the block, with one extra SQL statement applied to it."""
    gpkg_bytes(tmp_path, [BLOCK_25832])
    path = tmp_path / "plan.gpkg"
    with sqlite3.connect(path) as con:
        con.execute(statement)
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("statement", "needle"),
    [
        ("CREATE VIEW sneaky AS SELECT * FROM gpkg_contents", "views"),
        (
            "CREATE TRIGGER sneaky AFTER INSERT ON gpkg_contents BEGIN "
            "DELETE FROM gpkg_contents; END",
            "triggers",
        ),
        ("PRAGMA application_id = 0", "not a GeoPackage"),
    ],
)
def test_geopackage_passes_the_importers_upload_guard(tmp_path, statement, needle):
    # The same guard as the importer (geo.io.safety): views, triggers and foreign SQLite files
    # are refused before GDAL opens the file.
    with pytest.raises(AreaFileError, match=needle):
        read_area_file(_with_sql(tmp_path, statement), **LIMITS)
