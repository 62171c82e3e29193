"""B1: POST /api/v1/prior-input/ against the best raw SQL for the same answer.

Over HTTP (gunicorn, anonymous caller, one request at a time so latencies are clean) for 60
drawn areas of 500 m and 12 complex plan areas (≥ 5 000 vertices, multipart). The baseline
computes and subdivides the area once, then builds summary and FeatureCollection in one
statement (measures/sql.py) on a psycopg connection with the app's session settings.

Anonymous prior-input answers are kept in the shared answer cache (inputbank/cache.py), so
a repeated area is a file read: the cache is emptied before every request of ours (as B3
does), and B1 measures the query path, not the cache.
"""

from __future__ import annotations

import json

import orjson

from scripts.benchmarks.measures import sql
from scripts.benchmarks.measures.common import interleaved
from scripts.benchmarks.product import missing_url
from scripts.benchmarks.results import Row, latency_row, unavailable
from scripts.benchmarks.server import clear_tile_cache, request

ID = "B1"
TITLE = "POST /api/v1/prior-input/ vs best raw SQL"
PATH = "/api/v1/prior-input/"
LIMIT = 10_000  # the API's default cap on features (API_MAX_PAGE_SIZE); the summary counts all

ROWS = (
    ("B1.p50", "prior-input, {n} areas of 500 m", 50, 1.3),
    ("B1.p95", "prior-input, {n} areas of 500 m", 95, 1.5),
    ("B1.complex", "prior-input, {n} complex plan areas (≥ 5 000 vertices, multipart)", 50, 1.2),
)


def answer_key(body: bytes | str) -> tuple:
    """What must agree between product and baseline: counts and the returned ids, in order."""
    doc = orjson.loads(body)
    fc = doc["features"]
    return (
        doc["summary"]["total"],
        fc["numberReturned"],
        tuple(f["id"] for f in fc["features"]),
        json.dumps(doc["summary"]["by_theme"], sort_keys=True),
    )


def _areas(ctx, id_: str) -> tuple[str, list]:
    if id_ == "B1.complex":
        return "complex", ctx.complex_areas
    return "area500", ctx.drawn_areas


def run(ctx) -> list[Row]:
    reason = missing_url(PATH)
    if reason:
        return [
            unavailable(id_, measure.format(n=len(_areas(ctx, id_)[1])), f"≤ {r:g}× p{q}", reason)
            for id_, measure, q, r in ROWS
        ]
    groups = [("area500", ctx.drawn_areas), ("complex", ctx.complex_areas)]
    server = ctx.server()
    conn = ctx.connect()
    headers = {"Content-Type": "application/json", "Origin": server.origin}
    results = {}
    for name, areas in groups:
        bodies = [json.dumps({"geometry": a.geojson}).encode() for a in areas]
        geojsons = [json.dumps(a.geojson) for a in areas]

        def ours(i: int, bodies=bodies) -> bytes:
            status, body, _t = request(server.port, "POST", PATH, bodies[i], headers)
            if status != 200:
                raise RuntimeError(f"POST {PATH} answered {status}: {body[:300]!r}")
            return body

        def baseline(i: int, geojsons=geojsons) -> str:
            pieces = conn.execute(
                sql.PRIOR_AREA, {"geojson": geojsons[i], "buffer_m": 0}
            ).fetchone()[0]
            return conn.execute(
                sql.PRIOR_INPUT, {"pieces": pieces, "limit": LIMIT}, prepare=False
            ).fetchone()[0]

        # A complex area takes seconds at M: two rounds of 12 still give 24 samples each side.
        rounds = min(ctx.size.rounds, 2) if name == "complex" else ctx.size.rounds
        results[name] = interleaved(
            len(areas),
            rounds,
            ours,
            baseline,
            answer_key,
            before_ours=lambda: clear_tile_cache(ctx.work),  # the answer computed, untimed
        )

    rows = []
    for id_, measure, q, max_ratio in ROWS:
        name, areas = _areas(ctx, id_)
        o, b, same = results[name]
        n = len(areas)
        rows.append(
            latency_row(
                id_,
                measure.format(n=n),
                o,
                b,
                q=q,
                max_ratio=max_ratio,
                detail={"same_answer": same},
                note="" if same else "product and baseline answers differ (counts or ids)",
            )
        )
    return rows
