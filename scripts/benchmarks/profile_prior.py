"""Where a prior-input answer's time goes, per area, in process:
``python -m scripts.benchmarks.profile_prior [--size M] [--areas 8] [--complex 0] [--repeat 3]``.

Calls ``prior_input`` as B1's anonymous caller does (the API view's arguments, no answer
cache, no HTTP) on the size's bench database (``innspillsbank_bench_<size>`` next to
``DATABASE_URL``; generate it with ``./scripts/bench --size M --data-only``) for the first
B1 areas, and prints per area: the hits, the wall time (best of ``--repeat``), this
process's CPU time, and each SQL statement's wall time (first 60 characters). The B1
baseline's statement is timed on the same area for comparison. Run it through the bench's
set-up, e.g. ``bash -c 'source scripts/lib/common.sh; setup_all >&2;
"$PY" -m scripts.benchmarks.profile_prior --size M'``.

Another checkout's bench database (e.g. the lead's M, never to be written): set
``DATABASE_URL`` to that cluster (``postgres://postgres@/innspillsbank?host=<its var/pg/run>``)
and pass ``--read-only``: every session is then read-only (a write fails instead of happening)
and the throttle counts in this process's memory instead of the shared database cache (so
``--view`` there lacks the throttle's two cache round trips).

Used to write B1's profile in docs/benchmarks.md. Not part of a benchmark run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="M")
    parser.add_argument("--areas", type=int, default=8)
    parser.add_argument("--complex", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--view", action="store_true", help="also time the API view (test client, cache emptied)"
    )
    parser.add_argument("--cprofile", type=int, default=0, help="cProfile's top N for the view")
    parser.add_argument("--only", default="", help="only these areas (names, comma-separated)")
    parser.add_argument(
        "--read-only", action="store_true", help="read-only sessions, throttle cache in memory"
    )
    args = parser.parse_args()

    from scripts.benchmarks import areas, database
    from scripts.benchmarks.sizes import DEFAULT_SEED, SIZES

    size = SIZES[args.size]
    # As ./scripts/bench runs the app: production settings, a key that only signs this run.
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("HTTPS", "false")
    if args.read_only:
        os.environ["CACHE_URL"] = "locmem://"
    base_url = os.environ["DATABASE_URL"]
    url = database.url_with_database(base_url, database.bench_database_name(base_url, size.name))
    database.setup_django(url)

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.gis.geos import GEOSGeometry
    from django.db import connections

    from inputbank.reads.prior_input import prior_input
    from scripts.benchmarks.measures import sql

    statements: list[tuple[str, float]] = []

    def timed(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            key = re.sub(r"\s+", " ", sql_text).strip()[:60]
            statements.append((key, time.perf_counter() - started))

    if args.read_only:
        from django.db.backends.signals import connection_created

        def read_only(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")

        connection_created.connect(read_only)

    chosen = areas.drawn_areas(size.areas, DEFAULT_SEED)[: args.areas]
    chosen += areas.complex_areas(size.complex_areas, DEFAULT_SEED)[: args.complex]
    if args.only:
        chosen = [a for a in chosen if a.name in args.only.split(",")]
    baseline = database.connect(url)
    if args.read_only:
        baseline.execute("SET default_transaction_read_only = on")
    for conns in connections.all():
        conns.execute_wrappers.append(timed)
    for area in chosen:
        geometry = GEOSGeometry(json.dumps(area.geojson))
        best = None
        for _ in range(args.repeat):
            statements.clear()
            started, cpu = time.perf_counter(), time.process_time()
            result = prior_input(user=AnonymousUser(), geometry=geometry, limit=10_000)
            wall, own = time.perf_counter() - started, time.process_time() - cpu
            if best is None or wall < best[0]:
                best = (wall, own, list(statements), result.summary["total"])
        base = None
        for _ in range(args.repeat):
            started = time.perf_counter()
            pieces = baseline.execute(
                sql.PRIOR_AREA, {"geojson": json.dumps(area.geojson), "buffer_m": 0}
            ).fetchone()[0]
            baseline.execute(
                sql.PRIOR_INPUT, {"pieces": pieces, "limit": 10_000}, prepare=False
            ).fetchone()
            took = time.perf_counter() - started
            base = took if base is None else min(base, took)
        assert best is not None and base is not None
        wall, own, timings, total = best
        view = _view(area, args.repeat, args.cprofile) if args.view else ""
        print(
            f"== {area.name}: {total} hits, {wall * 1000:.0f} ms wall ({own * 1000:.0f} ms CPU"
            f" here), baseline {base * 1000:.0f} ms, ratio {wall / base:.2f};{view} load"
            f" average {os.getloadavg()[0]:.1f}"
        )
        for key, took in timings:
            print(f"   {took * 1000:8.1f} ms  {key}")


def _view(area, repeat: int, top: int) -> str:
    """The API view as B1 asks it (anonymous, the answer cache emptied first): best wall time."""
    import cProfile
    import io
    import pstats

    from django.test import Client

    from inputbank import cache

    client = Client(HTTP_HOST="127.0.0.1")
    body = json.dumps({"geometry": area.geojson})
    best = None
    for _ in range(repeat):
        cache.invalidate()
        started = time.perf_counter()
        response = client.post("/api/v1/prior-input/", body, content_type="application/json")
        took = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        best = took if best is None else min(best, took)
    if top:
        cache.invalidate()
        profile = cProfile.Profile()
        profile.enable()
        client.post("/api/v1/prior-input/", body, content_type="application/json")
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
        print(out.getvalue())
    return f" view {best * 1000:.0f} ms ({len(response.content) // 1024} KiB);"


if __name__ == "__main__":
    main()
