"""B4: import the size's GeoPackage (every published input) into an empty input bank.

The GeoPackage is made once per data set with ogr2ogr from the export view (the columns the
GIS team's files have: lokalId, tekst, tema, kanal, spraak, mottatt, prosess, ...).

Ours: ``manage.py import_inputs FILE --commit`` as its own process: reading, every row's
geometry and field checks, COPY, constraints and indexes. Baseline: ``ogr2ogr -f PostgreSQL``
with PG_USE_COPY into a new table, then ``CREATE INDEX ... USING gist``. Both write into a
fresh database cloned from an empty, migrated one with the demo's themes and processes.
"""

from __future__ import annotations

import json

import psycopg

from scripts.benchmarks import database
from scripts.benchmarks.measures.b5_exports import export_select
from scripts.benchmarks.measures.common import (
    MANAGE,
    manage_env,
    pg_datasource,
    run_measured,
)
from scripts.benchmarks.product import missing_command
from scripts.benchmarks.results import Row, ratio, unavailable
from scripts.benchmarks.sizes import BENCH_TODAY

ID = "B4"
TITLE = "import of the GeoPackage: import_inputs vs ogr2ogr with COPY + CREATE INDEX"
TARGET = 1.3


def geopackage(ctx):
    """The data set's published inputs as a GeoPackage, made once per data marker."""
    from geo.crs import STORAGE_SRID

    folder = ctx.work / "b4"
    path, stamp = folder / "inputs.gpkg", folder / "inputs.gpkg.marker"
    marker = json.dumps(database.read_marker(ctx.url), sort_keys=True)
    if path.exists() and stamp.exists() and stamp.read_text() == marker:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    cmd = ["ogr2ogr", "-q", "-f", "GPKG", str(path), pg_datasource(ctx.url),
           "-sql", export_select("v.geom", "AND v.geom IS NOT NULL"), "-nln", "innspill",
           "-nlt", "GEOMETRY", "-a_srs", f"EPSG:{STORAGE_SRID}"]  # fmt: skip
    run_measured(cmd, log=folder / "make-gpkg.log")
    stamp.write_text(marker)
    return path


def empty_template(ctx) -> str:
    """An empty, migrated bank with the demo's themes and processes (the import's lookups)."""
    name = database.bench_database_name(ctx.base_url, "empty")
    url = database.create_database(ctx.base_url, name)
    want = {"migrations": migration_names(), "generator": database.generator_hash()}
    with database.connect(url) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker (key text PRIMARY KEY, value jsonb NOT NULL)"
        )
        row = conn.execute("SELECT value FROM bench_marker WHERE key = 'empty'").fetchone()
    if row and row[0] == want:
        return name
    env = manage_env(url)
    run_measured(
        [*MANAGE, "migrate", "--no-input", "-v", "0"], log=ctx.work / "b4" / "m.log", env=env
    )
    lookups = (
        "import datetime as dt; from inputbank.demo import loader, places; "
        "loader.load_themes(); loader.load_users(); "
        f"loader.load_processes(dt.date.fromisoformat('{BENCH_TODAY}'), places.moss_boundary())"
    )
    run_measured([*MANAGE, "shell", "-c", lookups], log=ctx.work / "b4" / "load.log", env=env)
    with database.connect(url) as conn:
        conn.execute(
            "INSERT INTO bench_marker (key, value) VALUES ('empty', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(want)],
        )
    return name


def migration_names() -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    return sorted(f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations)


def fresh_copy(ctx, template: str) -> str:
    """A new database cloned from the empty template (CREATE DATABASE ... TEMPLATE)."""
    name = database.bench_database_name(ctx.base_url, f"{ctx.size.name}_import")
    database.drop_database(ctx.base_url, name)
    admin = database.url_with_database(ctx.base_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            psycopg.sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                psycopg.sql.Identifier(name), psycopg.sql.Identifier(template)
            )
        )
    return name


def ours(ctx, gpkg, template: str) -> tuple[float, int, int]:
    name = fresh_copy(ctx, template)
    url = database.url_with_database(ctx.base_url, name)
    env = manage_env(url)
    # An archive is larger than a web upload: allow this file (the limit guards the upload page).
    env["IMPORT_MAX_UPLOAD_BYTES"] = str(gpkg.stat().st_size + 1024**2)
    env["IMPORT_MAX_UNZIPPED_BYTES"] = str(gpkg.stat().st_size + 1024**2)
    # And its rows: the product asks for files over IMPORT_MAX_ROWS (2 M) to be split, which
    # also bounds the importer's memory (the lokalIds seen, to refuse a repeat); L's archive
    # has 9 M rows and is measured whole, as one file.
    env["IMPORT_MAX_ROWS"] = str(10**9)
    cmd = [*MANAGE, "import_inputs", str(gpkg), "--commit"]
    seconds, peak = run_measured(cmd, log=ctx.work / "b4" / "import.log", env=env)
    with database.connect(url) as conn:
        rows = conn.execute("SELECT count(*) FROM inputbank_input").fetchone()[0]
    database.drop_database(ctx.base_url, name)
    return seconds, peak, rows


def baseline(ctx, gpkg, template: str) -> tuple[float, int]:
    name = fresh_copy(ctx, template)
    url = database.url_with_database(ctx.base_url, name)
    cmd = ["ogr2ogr", "-q", "-f", "PostgreSQL", pg_datasource(url), str(gpkg),
           "--config", "PG_USE_COPY", "YES", "-nln", "bench_ogr_import", "-nlt", "GEOMETRY",
           "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=NONE"]  # fmt: skip
    seconds, _peak = run_measured(cmd, log=ctx.work / "b4" / "ogr2ogr.log")
    with database.connect(url) as conn:
        import time

        started = time.perf_counter()
        conn.execute("CREATE INDEX ON bench_ogr_import USING gist (geom)")
        seconds += time.perf_counter() - started
        rows = conn.execute("SELECT count(*) FROM bench_ogr_import").fetchone()[0]
    database.drop_database(ctx.base_url, name)
    return seconds, rows


def run(ctx) -> list[Row]:
    measure = "import of every published input from a GeoPackage"
    reason = missing_command("import_inputs")
    if reason:
        return [unavailable("B4", measure, f"≤ {TARGET:g}× time", reason)]
    gpkg = geopackage(ctx)
    template = empty_template(ctx)
    o_times, b_times = [], []
    o_rows = b_rows = 0
    peak = 0
    for _ in range(ctx.size.batch_runs):
        s, b_rows = baseline(ctx, gpkg, template)
        b_times.append(s)
        s, p, o_rows = ours(ctx, gpkg, template)
        o_times.append(s)
        peak = max(peak, p)
    o, b = min(o_times), min(b_times)
    r = ratio(o, b)
    note = "" if o_rows == b_rows else f"imported {o_rows} rows, ogr2ogr {b_rows}"
    return [
        Row(
            "B4",
            f"{measure} ({b_rows:,} rows, {gpkg.stat().st_size / 1024**2:,.0f} MB)",
            round(o, 2),
            round(b, 2),
            r,
            f"≤ {TARGET:g}× time",
            r is not None and r <= TARGET,
            unit="s",
            note=note,
            detail={"runs": len(o_times), "rows": o_rows, "ours_peak_mb": round(peak / 1024**2)},
        )
    ]
