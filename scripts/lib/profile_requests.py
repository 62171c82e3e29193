"""Where one request's time goes, in process (no network, no other clients): the view through
Django's test client, timed over 20 calls, its queries, then cProfile's top functions.

    ./scripts/loadtest --profile [home|prior|list ...]   (the demo data, the loadtest's settings)

"home" is the map page as an anonymous resident sees it (served from the answer cache after
the first call), "prior" the loadtest's prior-input question (100 m around a block of Moss),
"list" a bbox list. Set PROFILE_UNCACHED=1 to start a new cache generation before every call,
so each one renders afresh. docs/reliability.md ("Where the time goes") has the findings.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inputbank.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from inputbank import cache  # noqa: E402

CALLS = 20
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


KINDS = {"home": _home, "prior": _prior, "list": _list}


def _call(kind: str):
    if UNCACHED:
        cache.invalidate()
    response = KINDS[kind]()
    assert response.status_code == 200, (kind, response.status_code)
    return response


def main(kinds: list[str]) -> None:
    for kind in kinds:
        for _ in range(3):  # warm: imports, templates, the cache
            response = _call(kind)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(CALLS):
            _call(kind)
        wall = (time.perf_counter() - started) / CALLS * 1000
        own = (time.process_time() - cpu) / CALLS * 1000
        with CaptureQueriesContext(connection) as queries:
            _call(kind)
        print(
            f"== {kind}{' (uncached)' if UNCACHED else ''}: {wall:.1f} ms wall, {own:.1f} ms CPU"
            f" in this process per request, {len(queries.captured_queries)} queries,"
            f" {len(response.content)} bytes; load average {os.getloadavg()[0]:.1f}"
        )
        for query in queries.captured_queries:
            print(f"   {query['time']} s  {query['sql'][:110]}")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(CALLS):
            _call(kind)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:] or list(KINDS))
