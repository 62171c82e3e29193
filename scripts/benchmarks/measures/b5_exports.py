"""B5: export every published input to GeoPackage, Shapefile, FlatGeobuf and GeoJSON.

Ours: ``manage.py export_layers --layers inputs`` (what a scheduled job runs), as its own
process, timed to the end with its peak memory. Baseline: Debian's ``ogr2ogr`` reading the
same rows and columns from PostGIS (the product's export view and column list) into the same
format, with the same CRS work done in SQL. Both GDAL versions are in the run's machine info.
"""

from __future__ import annotations

import shutil
import zipfile

from scripts.benchmarks.measures.common import (
    MANAGE,
    manage_env,
    pg_datasource,
    run_measured,
)
from scripts.benchmarks.product import first_missing, missing_command
from scripts.benchmarks.results import Row, ratio, unavailable

ID = "B5"
TITLE = "export of all published inputs: export_layers vs ogr2ogr from PostGIS"
# format, target ratio (ours / ogr2ogr time)
FORMATS = (("gpkg", 0.5), ("shp", 1.0), ("fgb", 1.0), ("geojson", 1.0))
MEMORY_LIMIT = 1.5 * 1024**3
SHAPE_KINDS = (
    ("punkt", "MULTIPOINT", "'POINT', 'MULTIPOINT'"),
    ("linje", "MULTILINESTRING", "'LINESTRING', 'MULTILINESTRING'"),
    ("flate", "MULTIPOLYGON", "'POLYGON', 'MULTIPOLYGON'"),
)


def export_select(geom_sql: str, where: str = "") -> str:
    """The product's export rows and columns, as one SQL text ogr2ogr can run."""
    from django.conf import settings

    from inputbank.publishing import layers

    namespace = settings.INPUTBANK["NAMESPACE"].replace("'", "''")
    columns = ", ".join(
        f'{c.sql.replace("%s", f"{chr(39)}{namespace}{chr(39)}")} AS "{c.name}"'
        for c in layers.INPUT_COLUMNS
    )
    return (
        f"SELECT {columns}, {geom_sql} AS geom FROM {layers.INPUT_SOURCE} v "
        "WHERE v.status = 'published' AND NOT v.begrenset "
        f"{where} ORDER BY v.fid"
    )


def ogr2ogr(ctx, fmt: str, out) -> list[list[str]]:
    """The ogr2ogr command(s) for one format, writing under ``out``."""
    from geo.crs import STORAGE_SRID, WEB_SRID

    src = pg_datasource(ctx.url)
    base = ["ogr2ogr", "-q", "-overwrite"]
    if fmt == "gpkg":
        # The product's layout: one layer per geometry kind and a table for no place, GPKG 1.2.
        target = str(out / "innspill.gpkg")
        commands = []
        for suffix, kind, types in SHAPE_KINDS:
            sql = export_select("ST_Multi(v.geom)", f"AND GeometryType(v.geom) IN ({types})")
            first = not commands
            commands.append([*base, *([] if first else ["-update"]), "-f", "GPKG", target, src,
                             "-sql", sql, "-nln", f"innspill_{suffix}", "-nlt", kind,
                             "-a_srs", f"EPSG:{STORAGE_SRID}", "-dsco", "VERSION=1.2"])  # fmt: skip
        sql = export_select("NULL::geometry", "AND v.geom IS NULL")
        commands.append([*base, "-update", "-f", "GPKG", target, src, "-sql", sql,
                         "-nln", "innspill_uten_sted", "-nlt", "NONE"])  # fmt: skip
        return commands
    if fmt == "fgb":
        sql = export_select("v.geom", "AND v.geom IS NOT NULL")
        return [[*base, "-f", "FlatGeobuf", str(out / "innspill.fgb"), src, "-sql", sql,
                 "-nln", "innspill", "-nlt", "GEOMETRY", "-a_srs", f"EPSG:{STORAGE_SRID}",
                 "-lco", "SPATIAL_INDEX=YES"]]  # fmt: skip
    if fmt == "geojson":
        sql = export_select(f"ST_Transform(v.geom, {WEB_SRID})")
        return [[*base, "-f", "GeoJSON", str(out / "innspill.geojson"), src, "-sql", sql,
                 "-nln", "innspill", "-a_srs", f"EPSG:{WEB_SRID}", "-lco", "RFC7946=YES",
                 "-lco", "COORDINATE_PRECISION=7", "-lco", "WRITE_NAME=NO"]]  # fmt: skip
    commands = []
    for suffix, kind, types in SHAPE_KINDS:
        sql = export_select("ST_Multi(v.geom)", f"AND GeometryType(v.geom) IN ({types})")
        name = f"innspill_{suffix}"
        commands.append([*base, "-f", "ESRI Shapefile", str(out / "parts" / f"{name}.shp"),
                         src, "-sql", sql, "-nln", name, "-nlt", kind,
                         "-a_srs", f"EPSG:{STORAGE_SRID}", "-lco", "ENCODING=UTF-8"])  # fmt: skip
    return commands


def baseline(ctx, fmt: str) -> tuple[float, int]:
    out = ctx.work / "b5" / "ogr2ogr"
    shutil.rmtree(out, ignore_errors=True)
    (out / "parts").mkdir(parents=True)
    seconds, peak = 0.0, 0
    for cmd in ogr2ogr(ctx, fmt, out):
        s, p = run_measured(cmd, log=ctx.work / "b5" / "ogr2ogr.log")
        seconds, peak = seconds + s, max(peak, p)
    if fmt == "shp":  # the product hands out one zip; so does the baseline
        import time

        started = time.perf_counter()
        with zipfile.ZipFile(out / "innspill-shp.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for part in sorted((out / "parts").iterdir()):
                zf.write(part, arcname=part.name)
        seconds += time.perf_counter() - started
    return seconds, peak


def ours(ctx, fmt: str) -> tuple[float, int]:
    out = ctx.work / "b5" / "ours"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cmd = [*MANAGE, "export_layers", "--format", fmt, "--output-dir", str(out),
           "--layers", "inputs"]  # fmt: skip
    return run_measured(cmd, log=ctx.work / "b5" / "ours.log", env=manage_env(ctx.url))


def run(ctx) -> list[Row]:
    reason = first_missing(missing_command("export_layers"))
    if reason:
        rows = [
            unavailable(f"B5.{f}", f"export to {f}", f"≤ {r:g}× time", reason) for f, r in FORMATS
        ]
        return rows + [unavailable("B5.memory", "peak memory of the export", "≤ 1.5 GB", reason)]
    with ctx.connect() as conn:  # read the table once so neither side starts on a cold cache
        conn.execute("SELECT count(*), sum(length(public_text)) FROM inputbank_input").fetchone()
    rows, peaks = [], {}
    for fmt, max_ratio in FORMATS:
        o_times, b_times, o_peak, b_peak = [], [], 0, 0
        for _ in range(ctx.size.batch_runs):
            s, p = baseline(ctx, fmt)
            b_times.append(s)
            b_peak = max(b_peak, p)
            s, p = ours(ctx, fmt)
            o_times.append(s)
            o_peak = max(o_peak, p)
        o, b = min(o_times), min(b_times)
        peaks[fmt] = o_peak
        r = ratio(o, b)
        rows.append(
            Row(
                f"B5.{fmt}",
                f"export of all published inputs to {fmt}",
                round(o, 2),
                round(b, 2),
                r,
                f"≤ {max_ratio:g}× time",
                r is not None and r <= max_ratio,
                unit="s",
                detail={
                    "runs": len(o_times),
                    "ours_peak_mb": round(o_peak / 1024**2),
                    "ogr2ogr_peak_mb": round(b_peak / 1024**2),
                },
            )
        )
    worst = max(peaks, key=peaks.get)
    rows.append(
        Row(
            "B5.memory",
            f"peak memory of export_layers (largest: {worst})",
            round(peaks[worst] / 1024**2),
            None,
            None,
            "≤ 1.5 GB",
            peaks[worst] <= MEMORY_LIMIT,
            unit="MB",
            detail={fmt: round(p / 1024**2) for fmt, p in peaks.items()},
        )
    )
    return rows
