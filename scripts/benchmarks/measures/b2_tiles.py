"""B2: vector tiles over HTTP, cold and cached, against the same tile SQL run directly.

200 tiles at z12–z16 where inputs are (drawn deterministically), requested by 4 concurrent
clients. Cold: the tile cache emptied first, so every request renders. Cached: the same tiles
again. Baseline: the product's own tile SQL (``inputbank.publishing.tiles``: grid below the detail
zoom, features from it) on psycopg connections, 4 threads, after the same warm-up. Low zoom:
every tile touching Moss at z10–z12, cold, must stay under 300 ms at p95.
"""

from __future__ import annotations

import math

from scripts.benchmarks.measures import sql as base_sql
from scripts.benchmarks.measures.common import ThreadConnections
from scripts.benchmarks.product import missing_url
from scripts.benchmarks.results import Row, pct, summary, throughput_row, unavailable
from scripts.benchmarks.server import clear_tile_cache, drive, request

ID = "B2"
TITLE = "vector tiles /tiles/inputs/{z}/{x}/{y}.mvt, cold and cached, vs the same SQL"
CONCURRENCY = 4
ZOOMS = (12, 13, 14, 15, 16)
LOW_ZOOMS = (10, 11, 12)
PATH = "/tiles/inputs/{z}/{x}/{y}.mvt"

SAMPLE_SQL = f"""
SELECT ST_X(p), ST_Y(p) FROM (
  SELECT ST_Transform(ST_PointOnSurface(i.geom), {base_sql.WEB_SRID}) AS p
  FROM inputbank_input i WHERE {base_sql.VISIBLE} AND i.geom IS NOT NULL
  ORDER BY md5(i.id::text || %s) LIMIT %s) s
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The XYZ (Web Mercator) tile holding a lon/lat point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def sample_tiles(conn, count: int, seed: int) -> list[tuple[int, int, int]]:
    """``count`` distinct tiles at z12–z16 around inputs drawn by a seeded hash."""
    tiles: list[tuple[int, int, int]] = []
    for k, (lon, lat) in enumerate(conn.execute(SAMPLE_SQL, [str(seed), count * 3]).fetchall()):
        tile = tile_of(lon, lat, ZOOMS[k % len(ZOOMS)])
        if tile not in tiles:
            tiles.append(tile)
        if len(tiles) == count:
            break
    return tiles


def low_zoom_tiles() -> list[tuple[int, int, int]]:
    from geo.crs import MOSS_EXTENT_LONLAT

    minlon, minlat, maxlon, maxlat = MOSS_EXTENT_LONLAT
    out = []
    for z in LOW_ZOOMS:
        _, x0, y0 = tile_of(minlon, maxlat, z)
        _, x1, y1 = tile_of(maxlon, minlat, z)
        out += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return out


def _product_sql(z: int, x: int, y: int) -> tuple[str, list]:
    """The SQL the tile view runs for this tile ("" when it answers without the database)."""
    from inputbank.publishing import tiles

    return tiles.tile_query(z, x, y) or ("", [])


def run(ctx) -> list[Row]:
    probe = PATH.format(z=14, x=8673, y=4770)
    reason = missing_url(probe)
    if reason:
        return [
            unavailable("B2.cold", "tiles z12–z16, cold", "≥ 0.85× throughput", reason),
            unavailable("B2.cached", "tiles z12–z16, cached vs cold", "≥ 20× throughput", reason),
            unavailable("B2.lowzoom", "tiles z10–z12, cold", "≤ 300 ms p95", reason),
        ]
    server = ctx.server()
    conn = ctx.connect()
    tiles = sample_tiles(conn, ctx.size.tiles, ctx.seed)
    low = low_zoom_tiles()
    pool = ThreadConnections(ctx, CONCURRENCY)

    def http(tile_list):
        def call(i: int) -> None:
            z, x, y = tile_list[i]
            status, body, _t = request(server.port, "GET", PATH.format(z=z, x=x, y=y))
            if status not in (200, 204):
                raise RuntimeError(f"tile {z}/{x}/{y} answered {status}: {body[:200]!r}")

        return call

    def direct(tile_list):
        statements = [_product_sql(*t) for t in tile_list]
        pool.start_pass()

        def call(i: int) -> None:
            text, params = statements[i]
            if text:
                pool.get().execute(text, params).fetchone()

        return call

    def clear_cache() -> None:
        clear_tile_cache(ctx.work)

    def rate(call, tile_list) -> tuple[float, list[float]]:
        latencies, wall = drive(call, concurrency=CONCURRENCY, count=len(tile_list))
        return len(tile_list) / wall, latencies

    # Warm-up, discarded: the database pages and the server's code paths, then an empty cache.
    rate(direct(tiles), tiles)
    clear_cache()
    rate(http(tiles), tiles)
    # One timed pass each (200 tiles are the samples; a z12 tile costs ~1 s at M).
    clear_cache()
    cold_rps, cold_lat = rate(http(tiles), tiles)
    cached_rps, cached_lat = rate(http(tiles), tiles)
    base_rps, base_lat = rate(direct(tiles), tiles)
    clear_cache()
    _rps, low_ours = rate(http(low), low)
    _rps, low_base = rate(direct(low), low)
    low_p95 = pct(low_ours, 95) * 1000
    return [
        throughput_row(
            "B2.cold",
            f"{len(tiles)} tiles z12–z16, cold ({CONCURRENCY} clients)",
            cold_rps,
            base_rps,
            min_ratio=0.85,
            detail={"ours_latency": summary(cold_lat), "baseline_latency": summary(base_lat)},
        ),
        Row(
            "B2.cached",
            f"the same {len(tiles)} tiles cached vs cold",
            round(cached_rps, 1),
            round(cold_rps, 1),
            round(cached_rps / cold_rps, 2) if cold_rps else None,
            "≥ 20× throughput",
            bool(cold_rps) and cached_rps / cold_rps >= 20,
            unit="req/s",
            note="baseline column here = the cold rate",
            detail={"cached_latency": summary(cached_lat), "cold_latency": summary(cold_lat)},
        ),
        Row(
            "B2.lowzoom",
            f"{len(low)} tiles z10–z12 touching Moss, cold",
            round(low_p95, 1),
            round(pct(low_base, 95) * 1000, 1),
            round(low_p95 / (pct(low_base, 95) * 1000), 3),
            "≤ 300 ms p95",
            low_p95 <= 300,
            unit="ms p95",
            detail={"ours": summary(low_ours), "baseline": summary(low_base)},
        ),
    ]
