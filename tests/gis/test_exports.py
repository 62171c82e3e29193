"""Exports round-trip through GDAL with the same rows, CRS and attributes, and never leak."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from xml.etree import ElementTree

import pyogrio
import pytest
from pyproj import Transformer

from geo.crs import ETRS89_GEOGRAPHIC_SRID, STORAGE_SRID, UTM33_SRID, WEB_SRID
from inputbank import services
from inputbank.models import Outcome, Theme
from tests.factories import make_input, point
from tests.gis.conftest import PUBLISHED, SECRET_EMAIL, SECRET_NAME
from tests.gis.helpers import all_bytes, read, save, to_storage, unzip

URL = "/api/v1/exports/inputs.{}"


def export(client, tmp_path, fmt: str, query: str = ""):
    response = client.get(URL.format(fmt) + (f"?{query}" if query else ""))
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return save(response, tmp_path, f"export.{fmt}")


def ids_of(sample, keys) -> set[str]:
    return {str(sample[k].public_id) for k in keys}


@pytest.mark.parametrize(
    ("fmt", "srid", "keys"),
    [
        ("gpkg", STORAGE_SRID, PUBLISHED),
        ("geojson", WEB_SRID, PUBLISHED),
        ("fgb", STORAGE_SRID, ("point", "line", "area")),  # FlatGeobuf holds no null geometry
        ("kml", WEB_SRID, PUBLISHED),
    ],
)
def test_export_round_trips_with_same_rows_crs_and_identity(
    client, sample, tmp_path, fmt, srid, keys
):
    path = export(client, tmp_path, fmt)
    frame = read(path)
    assert len(frame) == len(keys)
    assert frame.crs.to_epsg() == srid
    assert set(frame["lokalId"]) == ids_of(sample, keys)
    assert set(frame["navnerom"]) == {"https://data.moss.kommune.no/innspillsbank"}


def test_gpkg_attributes_carry_themes_response_and_process(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "gpkg")).set_index("lokalId")
    row = frame.loc[str(sample["point"].public_id)]
    assert row["tekst"] == "Trygg skolevei"
    assert row["tema"] == "transport"
    assert row["utfall"] == Outcome.ADOPTED
    assert row["svar"] == "Vi bygger fortau."
    assert row["prosess"] == "sentrum-2024"
    x, y = to_storage(10.658, 59.434)
    assert (row.geometry.centroid.x, row.geometry.centroid.y) == (
        pytest.approx(x, abs=0.01),
        pytest.approx(y, abs=0.01),
    )


needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL tools missing")


def test_gpkg_has_one_layer_per_geometry_type_and_a_table_for_no_place(client, sample, tmp_path):
    path = export(client, tmp_path, "gpkg")
    kinds = dict(pyogrio.list_layers(path))
    assert kinds == {
        "innspill_punkt": "MultiPoint", "innspill_linje": "MultiLineString",
        "innspill_flate": "MultiPolygon", "innspill_uten_sted": None, "tema": None,
        "layer_styles": None,
    }  # fmt: skip
    for layer, key in (("innspill_punkt", "point"), ("innspill_linje", "line"),
                       ("innspill_flate", "area"), ("innspill_uten_sted", "nowhere")):  # fmt: skip
        assert set(read(path, layer=layer)["lokalId"]) == {str(sample[key].public_id)}


def test_gpkg_carries_a_default_style_by_theme_per_layer(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "gpkg"), layer="layer_styles")
    assert set(frame["f_table_name"]) == {"innspill_punkt", "innspill_linje", "innspill_flate"}
    assert frame["useAsDefault"].all()
    for qml, sld in zip(frame["styleQML"], frame["styleSLD"], strict=True):
        assert "RuleRenderer" in qml and "&quot;tema&quot; = 'transport'" in qml
        ElementTree.fromstring(qml.split(">", 1)[1])  # noqa: S314 (our own XML; after DOCTYPE)
        assert "<ogc:Literal>green-areas</ogc:Literal>" in sld
        ElementTree.fromstring(sld.encode())  # noqa: S314


@needs_gdal
def test_debian_gdal_opens_the_gpkg_without_warnings(client, sample, tmp_path):
    path = export(client, tmp_path, "gpkg")
    done = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    assert done.stderr == "", done.stderr
    assert "Geometry: Multi Point" in done.stdout
    assert "Unknown (any)" not in done.stdout
    with sqlite3.connect(path) as db:  # GPKG 1.2: application_id 'GPKG', user_version 10200
        version = [
            db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version")
        ]
    assert version == [0x47504B47, 10200]


def test_csv_carries_wkt_geometry(client, sample, tmp_path):
    text = export(client, tmp_path, "csv").read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert header.startswith("WKT,")
    assert "POINT (" in text and "LINESTRING (" in text and "POLYGON ((" in text


def test_gpkg_holds_the_theme_lookup_table(client, sample, tmp_path):
    themes = read(export(client, tmp_path, "gpkg"), layer="tema")
    assert set(themes["slug"]) == {"transport", "green-areas"}
    assert "navn" in themes.columns and "farge" in themes.columns


def test_geojson_is_rfc7946_lon_lat(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "geojson")).set_index("lokalId")
    geom = frame.loc[str(sample["point"].public_id)].geometry
    assert (geom.x, geom.y) == (pytest.approx(10.658, abs=1e-6), pytest.approx(59.434, abs=1e-6))
    assert b'"crs"' not in (tmp_path / "export.geojson").read_bytes()


def test_shapefile_zip_has_one_layer_per_geometry_kind_with_prj_and_utf8(client, sample, tmp_path):
    path = export(client, tmp_path, "shp")
    names = unzip(path, tmp_path / "shp")
    assert {"innspill_punkt.shp", "innspill_linje.shp", "innspill_flate.shp"} <= set(names)
    assert {"innspill_punkt.prj", "innspill_punkt.cpg", "innspill_uten_sted.dbf"} <= set(names)
    folder = tmp_path / "shp"
    counts = {
        kind: len(read(folder / f"innspill_{kind}.shp")) for kind in ("punkt", "linje", "flate")
    }
    assert counts == {"punkt": 1, "linje": 1, "flate": 1}
    assert len(read(folder / "innspill_uten_sted.dbf")) == 1
    assert read(folder / "innspill_linje.shp").crs.to_epsg() == STORAGE_SRID
    assert (folder / "innspill_punkt.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    flate = read(folder / "innspill_flate.shp")
    assert list(flate["tekst"]) == ["Bevar parken"]


def test_csv_has_wkt_east_north_and_lon_lat(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "csv")).set_index("lokalId")
    assert len(frame) == len(PUBLISHED)
    row = frame.loc[str(sample["point"].public_id)]
    x, y = to_storage(10.658, 59.434)
    assert float(row["ost"]) == pytest.approx(x, abs=0.01)
    assert float(row["nord"]) == pytest.approx(y, abs=0.01)
    assert float(row["lon"]) == pytest.approx(10.658, abs=1e-6)
    assert float(row["lat"]) == pytest.approx(59.434, abs=1e-6)
    assert row.geometry.x == pytest.approx(x, abs=0.01)


@pytest.mark.parametrize("srid", [UTM33_SRID, ETRS89_GEOGRAPHIC_SRID])
def test_output_crs_can_be_chosen(client, sample, tmp_path, srid):
    frame = read(export(client, tmp_path, "gpkg", f"crs=EPSG:{srid}")).set_index("lokalId")
    assert frame.crs.to_epsg() == srid
    geom = frame.loc[str(sample["point"].public_id)].geometry.centroid
    x, y = Transformer.from_crs(WEB_SRID, srid, always_xy=True).transform(10.658, 59.434)
    assert (geom.x, geom.y) == (pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01))


def test_geojson_refuses_another_crs(client, sample):
    response = client.get(URL.format("geojson") + "?crs=EPSG:25832")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "crs"


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson", "fgb", "csv", "kml"])
def test_no_export_holds_contributor_data_or_unpublished_text(client, sample, tmp_path, fmt):
    data = all_bytes(export(client, tmp_path, fmt))
    for secret in (SECRET_NAME, SECRET_EMAIL, "912 34 567", "Ikke moderert", "Avvist innspill"):
        assert secret.encode() not in data


def test_anonymous_cannot_export_unpublished(client, sample):
    response = client.get(URL.format("gpkg") + "?status=all")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_gis_role_exports_unpublished_with_status_but_no_contributor(
    client, sample, gis_user, tmp_path
):
    client.force_login(gis_user)
    path = export(client, tmp_path, "gpkg", "status=all")
    frame = read(path).set_index("lokalId")
    assert set(frame.index) == ids_of(sample, (*PUBLISHED, "pending", "rejected"))
    assert frame.loc[str(sample["pending"].public_id), "status"] == "pending"
    assert SECRET_NAME.encode() not in all_bytes(path)


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("theme=green-areas", ("line", "area")),
        ("bbox=10.657,59.433,10.659,59.435", ("point",)),
        ("outcome=adopted", ("point",)),
        ("outcome=none", ("line", "area", "nowhere")),
        ("intersects=POINT(10.6525 59.4315)", ("area",)),
        ("process=sentrum-2024&channel=web_map", PUBLISHED),
    ],
)
def test_export_filters_are_the_list_filters(client, sample, tmp_path, query, keys):
    frame = read(export(client, tmp_path, "gpkg", query))
    assert set(frame["lokalId"]) == ids_of(sample, keys)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("themes=transport", "themes"),
        ("theme=romfart", "theme"),
        ("since=yesterday", "since"),
        ("bbox=1,2,3", "bbox"),
        ("crs=EPSG:9999", "crs"),
        ("outcome=maybe", "outcome"),
        ("intersects=POLYGON((0 0,1 1))", "intersects"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client, sample, query, field):
    response = client.get(URL.format("gpkg") + "?" + query)
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("query", ["theme=romfart", "since=2024-13-01", "colour=red"])
def test_export_and_list_parameters_fail_alike(client, sample, query):
    # One parser: the same bad parameter gets the same error from both endpoints.
    export = client.get(URL.format("gpkg") + "?" + query).json()["errors"]
    listed = client.get("/api/v1/inputs/?" + query).json()["errors"]
    assert export == listed


def test_export_filters_by_a_retired_theme(client, sample, tmp_path):
    Theme.objects.filter(slug="green-areas").update(active=False)
    frame = read(export(client, tmp_path, "gpkg", "theme=green-areas"))
    assert set(frame["lokalId"]) == ids_of(sample, ("line", "area"))


def test_export_since_takes_a_date_time(client, sample, tmp_path):
    frame = read(export(client, tmp_path, "gpkg", "since=2999-01-01T00:00:00Z"))
    assert len(frame) == 0


def test_unknown_format_is_a_404_that_lists_the_formats(client, db):
    response = client.get("/api/v1/exports/inputs.xls")
    assert response.status_code == 404
    assert "gpkg" in response.json()["errors"][0]["message"]


def test_csv_cells_cannot_start_a_spreadsheet_formula(client, themes, tmp_path):
    make_input('=HYPERLINK("http://evil.example","klikk")', geom=point())
    frame = read(export(client, tmp_path, "csv"))
    assert frame["tekst"][0].startswith("'=")


def test_kml_escapes_text_that_earth_viewers_render_as_html(client, themes, tmp_path):
    make_input("<script>alert(1)</script> & mer", geom=point())
    raw = export(client, tmp_path, "kml").read_bytes()
    assert b"<script" not in raw
    assert b"&amp;lt;script&amp;gt;" in raw


def test_versjon_id_changes_when_the_response_changes_and_lokal_id_stays(
    client, sample, case_officer, tmp_path
):
    key = str(sample["line"].public_id)
    before = read(export(client, tmp_path, "gpkg")).set_index("lokalId").loc[key, "versjonId"]
    services.response_record(
        input=sample["line"], outcome=Outcome.NOTED, justification="Tatt til orientering.",
        decided_by=case_officer,
    )  # fmt: skip
    (tmp_path / "export.gpkg").unlink()
    after = read(export(client, tmp_path, "gpkg")).set_index("lokalId").loc[key, "versjonId"]
    assert after > before


def test_processes_export_with_stable_identity(client, sample, tmp_path):
    response = client.get("/api/v1/exports/processes.gpkg")
    frame = read(save(response, tmp_path, "p.gpkg"))
    assert list(frame["kortnavn"]) == ["sentrum-2024"]
    assert frame.crs.to_epsg() == STORAGE_SRID
    uuid.UUID(frame["lokalId"][0])
    again = read(save(client.get("/api/v1/exports/processes.gpkg"), tmp_path, "q.gpkg"))
    assert list(again["lokalId"]) == list(frame["lokalId"])


def test_processes_export_refuses_input_filters(client, sample):
    response = client.get("/api/v1/exports/processes.gpkg?theme=transport")
    assert response.status_code == 400


def test_export_leaves_no_temporary_files(client, sample, tmp_path, settings):
    export(client, tmp_path, "shp")
    export(client, tmp_path, "gpkg")
    assert list((tmp_path / "gis-tmp").iterdir()) == []


def test_export_themes_match_the_public_view(client, sample, tmp_path):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute('SELECT "lokalId"::text, tema, temanavn FROM gis.innspill')
        expected = {key: (slugs, names) for key, slugs, names in cursor.fetchall()}
    frame = read(export(client, tmp_path, "gpkg"))
    got = {row.lokalId: (row.tema, row.temanavn) for row in frame.itertuples()}
    got = {k: tuple(None if v != v else v for v in pair) for k, pair in got.items()}  # NaN->None
    assert got == expected
    # Both themes have the same sort order, so they come by slug.
    assert expected[str(sample["line"].public_id)] == (
        "green-areas,transport",
        "Grøntområder, Transport og veier",
    )


@pytest.mark.parametrize("query", ["q=%00", "theme=%00", "crs=EPSG%00"])
def test_nul_characters_are_a_400_not_a_crash(client, sample, query):
    assert client.get(URL.format("gpkg") + "?" + query).status_code == 400


@pytest.mark.parametrize("fmt", ["gpkg", "csv"])
def test_public_exports_show_a_home_generalised_and_staff_exports_exact(
    client, sample, gis_user, tmp_path, fmt
):
    home = services.input_submit(
        text="Det kjører for fort forbi huset mitt.",
        geom=point(10.66123, 59.43217),
        themes=[],
        location_is_home=True,
    )
    services.input_publish(input=home, moderator=None)
    key = str(home.public_id)
    home.refresh_from_db()
    exact = home.geom  # stored in EPSG:25832; the public sees the centre of its 50 m cell
    cell = (exact.x // 50 * 50 + 25, exact.y // 50 * 50 + 25)

    def xy(path):
        frame = read(path).set_index("lokalId")
        if fmt == "csv":
            return float(frame.loc[key, "ost"]), float(frame.loc[key, "nord"])
        geom = frame.to_crs(STORAGE_SRID).loc[key].geometry
        point = geom.geoms[0] if hasattr(geom, "geoms") else geom  # the points layer is multi
        return point.x, point.y

    public = xy(export(client, tmp_path, fmt))
    assert public == pytest.approx(cell, abs=0.01)
    client.force_login(gis_user)
    (tmp_path / "staff").mkdir()
    staff = xy(export(client, tmp_path / "staff", fmt, "status=all"))
    assert staff == pytest.approx((exact.x, exact.y), abs=0.01)
