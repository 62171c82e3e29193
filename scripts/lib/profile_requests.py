"""Where one request's time goes, in process (no network, no other clients): the view through
Django's test client, timed over 20 calls (PROFILE_CALLS), this process's CPU and that of the
PostgreSQL backend serving it (read from /proc when the cluster is local), its queries, then
cProfile's top functions (PROFILE_TOP; PROFILE_CUMULATIVE=N adds the top N by cumulative time;
PROFILE_CPU=1 profiles CPU time instead of wall time).

    ./scripts/loadtest --profile [home|prior|list|submit ...]  (the demo data, loadtest settings)

"home" is the map page as an anonymous resident sees it (served from the answer cache after
the first call), "prior" the loadtest's prior-input question (100 m around a block of Moss),
"list" a bbox list, "submit" X2's anonymous submission (POST /api/v1/inputs/ with a form token,
in Moss sentrum; the inputs it stores are deleted afterwards, as the bench does). Set
PROFILE_UNCACHED=1 to start a new cache generation before every call, so each one renders
afresh. docs/reliability.md ("Where the time goes") has the findings; the submission's are in
docs/benchmarks.md (X2). On the bench data (the cluster's socket is var/pg/run):
``DATABASE_URL=postgres://postgres@/innspillsbank_bench_m?host=$PWD/var/pg/run
SECRET_KEY=profile-only HTTPS=false DJANGO_DEBUG=false PYTHONPATH=.
THROTTLE_SUBMIT=1000000/s THROTTLE_ANON=1000000/s INPUT_MIN_FILL_SECONDS=0
.venv/bin/python scripts/lib/profile_requests.py submit``.
"""

from __future__ import annotations

import cProfile
import io
import itertools
import json
import os
import pstats
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inputbank.settings")
django.setup()
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # scripts.benchmarks (submit)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from inputbank import cache  # noqa: E402

CALLS = int(os.environ.get("PROFILE_CALLS", "20"))
RING = [[10.65, 59.43], [10.67, 59.43], [10.67, 59.44], [10.65, 59.44], [10.65, 59.43]]
client = Client(HTTP_ACCEPT_LANGUAGE="nb", HTTP_HOST="127.0.0.1")
UNCACHED = os.environ.get("PROFILE_UNCACHED") == "1"


def _home():
    return client.get("/", HTTP_ACCEPT="text/html")


def _prior():
    area = {"geometry": {"type": "Polygon", "coordinates": [RING]}, "buffer_m": 100}
    return client.post("/api/v1/prior-input/", json.dumps(area), content_type="application/json")


def _list():
    return client.get("/api/v1/inputs/?bbox=10.60,59.40,10.72,59.46&page_size=100")


_SUBMISSIONS = itertools.count()


def _submit():
    from inputbank import antibot
    from scripts.benchmarks.measures.x_requests import _submissions, _submit_body

    item = _submissions(1, next(_SUBMISSIONS))[0]
    body = _submit_body(item, antibot.issue_form_token())
    return client.post("/api/v1/inputs/", body, content_type="application/json")


KINDS = {"home": _home, "prior": _prior, "list": _list, "submit": _submit}
STATUS = {"submit": 201}


def _call(kind: str):
    if UNCACHED:
        cache.invalidate()
    response = KINDS[kind]()
    assert response.status_code == STATUS.get(kind, 200), (kind, response.status_code)
    return response


def main(kinds: list[str]) -> None:
    cleanup = None
    if "submit" in kinds:
        from scripts.benchmarks.database import connect
        from scripts.benchmarks.measures.x_requests import _Cleanup

        cleanup = _Cleanup(connect(os.environ["DATABASE_URL"]))
    try:
        _profile(kinds)
    finally:
        if cleanup is not None:
            cleanup.run()


def _server_cpu() -> float | None:
    """Seconds of CPU the PostgreSQL backend serving this process has used, when the server
    runs on this machine and its /proc entry is readable (the local cluster); else None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _profile(kinds: list[str]) -> None:
    for kind in kinds:
        for _ in range(3):  # warm: imports, templates, the cache
            response = _call(kind)
        server = _server_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(CALLS):
            _call(kind)
        wall = (time.perf_counter() - started) / CALLS * 1000
        own = (time.process_time() - cpu) / CALLS * 1000
        server_after = _server_cpu()
        if server is not None and server_after is not None:
            print(f"== {kind}: {(server_after - server) / CALLS * 1000:.1f} ms CPU in PostgreSQL")
        with CaptureQueriesContext(connection) as queries:
            _call(kind)
        print(
            f"== {kind}{' (uncached)' if UNCACHED else ''}: {wall:.1f} ms wall, {own:.1f} ms CPU"
            f" in this process per request, {len(queries.captured_queries)} queries"
            f" ({sum(float(q['time']) for q in queries.captured_queries) * 1000:.1f} ms),"
            f" {len(response.content)} bytes; load average {os.getloadavg()[0]:.1f}"
        )
        for query in queries.captured_queries:
            print(f"   {query['time']} s  {query['sql'][:110]}")
        # PROFILE_CPU=1: this process's CPU time instead of wall time (waits on the database
        # and on a busy machine's other processes left out).
        timer = time.process_time if os.environ.get("PROFILE_CPU") else time.perf_counter
        profile = cProfile.Profile(timer)
        profile.enable()
        for _ in range(CALLS):
            _call(kind)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(int(os.environ.get("PROFILE_TOP", "15")))
        if os.environ.get("PROFILE_CUMULATIVE"):
            stats.sort_stats("cumulative").print_stats(int(os.environ["PROFILE_CUMULATIVE"]))
        print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:] or list(KINDS))
