"""Database views for QGIS/ArcGIS and the read-only role script (scripts/sql/readonly_role.sql)."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.gis.conftest import PUBLISHED

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "sql" / "readonly_role.sql"
PERSONAL = {"name", "email", "phone", "postal_address", "text", "contributor_id",
            "registered_by_id", "moderated_by_id", "rejection_reason"}  # fmt: skip
VIEWS = ("innspill", "innspill_punkt", "innspill_linje", "innspill_flate", "prosesser", "tema")


def view_columns(view: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'gis' AND table_name = %s",
            [view],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("view", VIEWS)
def test_public_views_have_no_personal_or_internal_columns(db, view):
    columns = view_columns(view)
    assert columns, f"gis.{view} is missing"
    assert not columns & PERSONAL


def test_published_view_shows_published_inputs_only(sample):
    with connection.cursor() as cursor:
        cursor.execute('SELECT "lokalId"::text FROM gis.innspill')
        seen = {row[0] for row in cursor.fetchall()}
    assert seen == {str(sample[k].public_id) for k in PUBLISHED}


def test_typed_views_split_geometry_kinds(sample):
    counts = {}
    with connection.cursor() as cursor:
        for kind in ("punkt", "linje", "flate"):
            cursor.execute(f"SELECT count(*) FROM gis.innspill_{kind}")
            counts[kind] = cursor.fetchone()[0]
    assert counts == {"punkt": 1, "linje": 1, "flate": 1}


@pytest.fixture
def reader_role(transactional_db):
    """Run the documented script with psql for a fresh role; drop the role afterwards."""
    role = f"gis_reader_{uuid.uuid4().hex[:8]}"
    db = db_params()
    args = ["psql", "-X", "-q", "-h", db["host"], "-U", db["user"], "-d", db["dbname"]]
    args += ["-v", f"role={role}", "-v", "password=unused-with-trust", "-f", str(SCRIPT)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def db_params() -> dict[str, str]:
    params = connection.get_connection_params()
    return {"host": params.get("host") or "", "user": params["user"], "dbname": params["dbname"]}


def connect_as(role: str) -> psycopg.Connection:
    db = db_params()
    return psycopg.connect(host=db["host"], dbname=db["dbname"], user=role, autocommit=True)


@pytest.mark.django_db(transaction=True)
def test_readonly_role_reads_the_public_views(sample, reader_role):
    with connect_as(reader_role) as conn:
        count = conn.execute("SELECT count(*) FROM gis.innspill").fetchone()[0]
        themes = conn.execute("SELECT count(*) FROM gis.tema").fetchone()[0]
    assert count == len(PUBLISHED)
    assert themes == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM inputbank_input",
        "SELECT * FROM inputbank_contributor",
        "SELECT * FROM inputbank_gis_inputs",
        "SELECT * FROM auth_user",
    ],
)
def test_readonly_role_cannot_read_tables(sample, reader_role, sql):
    with connect_as(reader_role) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql)


@pytest.mark.django_db(transaction=True)
def test_readonly_role_cannot_write(sample, reader_role):
    with connect_as(reader_role) as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("CREATE TABLE gis.x (a int)")


@pytest.mark.django_db(transaction=True)
def test_bbox_filter_on_the_barrier_view_uses_the_spatial_index(sample, reader_role):
    with connect_as(reader_role) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN SELECT * FROM gis.innspill WHERE geom && "
                "ST_MakeEnvelope(590000, 6580000, 591000, 6581000, 25832)"
            )
        )
    assert "Index" in plan and "geom" in plan


TYPED = {"innspill_punkt": "MULTIPOINT", "innspill_linje": "MULTILINESTRING",
         "innspill_flate": "MULTIPOLYGON"}  # fmt: skip


def test_typed_views_declare_their_geometry_type(sample):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns WHERE f_table_schema = 'gis'"
        )
        declared = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    for view, kind in TYPED.items():
        assert declared[view] == (kind, 25832)


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL tools missing")
@pytest.mark.parametrize("view", sorted(TYPED))
def test_gdal_reads_each_typed_view_as_one_geometry_type(db, view):
    db_ = db_params()
    dsn = f"PG:host={db_['host']} user={db_['user']} dbname={db_['dbname']}"
    done = subprocess.run(
        ["ogrinfo", "-ro", "-so", dsn, f"gis.{view}"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert done.stderr == ""
    geometry = next(line for line in done.stdout.splitlines() if line.startswith("Geometry:"))
    expected = {"MULTIPOINT": "Multi Point", "MULTILINESTRING": "Multi Line String",
                "MULTIPOLYGON": "Multi Polygon"}[TYPED[view]]  # fmt: skip
    assert geometry == f"Geometry: {expected}"


def test_retyping_the_views_keeps_their_grants(db):
    """Migration 0018 drops and re-creates the views: a GIS role's SELECT must survive."""
    migration = importlib.import_module("inputbank.migrations.0018_typed_views")
    role = f"gis_grant_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'GRANT SELECT ON gis.innspill_linje TO "{role}"')
        cursor.execute(migration.BACKWARD)
        cursor.execute(migration.FORWARD)
        cursor.execute(
            "SELECT has_table_privilege(%s, 'gis.innspill_linje', 'SELECT'),"
            " has_table_privilege(%s, 'gis.innspill_punkt', 'SELECT')",
            [role, role],
        )
        assert cursor.fetchone() == (True, False)
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')
