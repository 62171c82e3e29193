"""P: cached vector tiles through nginx (deploy/nginx/innspillsbank.conf, TLS) vs from gunicorn.

The tiles of B2 (z12–z16 where inputs are), each asked once through the proxy to fill its
cache (and the app's own tile cache behind it). Then, for the same seconds at the same
concurrency: ours = through nginx over TLS with keep-alive connections, as a browser keeps
them; every answer must say ``X-Cache-Status: HIT`` (served without reaching the app).
Baseline = the same tiles straight from gunicorn, out of the app's own tile cache on disk
(sync workers: a connection per request). The proxy is there to take tile traffic off the
workers; the target is twice their rate (docs/reliability.md measured ~3× by hand with ab).
"""

from __future__ import annotations

import http.client
import threading

from scripts.benchmarks.measures.b2_tiles import PATH, sample_tiles
from scripts.benchmarks.product import missing_url
from scripts.benchmarks.proxy import Nginx, nginx_missing
from scripts.benchmarks.results import Row, summary, throughput_row, unavailable
from scripts.benchmarks.server import drive, free_port, request

ID = "P"
TITLE = "cached tiles through nginx (TLS, proxy cache) vs from gunicorn's own tile cache"
CONCURRENCY = 8
MIN_RATIO = 2.0
MEASURE = f"cached tiles z12–z16 through nginx over TLS (req/s, {CONCURRENCY} clients)"
TARGET = f"≥ {MIN_RATIO:g}× throughput"


class ProxyClient:
    """One keep-alive TLS connection per client thread; counts how each answer was served."""

    def __init__(self, proxy: Nginx):
        self.port = proxy.https_port
        self.context = proxy.ssl_context()
        self.local = threading.local()
        self.lock = threading.Lock()
        self.cache_status: dict[str, int] = {}

    def _connection(self) -> http.client.HTTPSConnection:
        if not hasattr(self.local, "conn"):
            self.local.conn = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=60, context=self.context
            )
        return self.local.conn

    def get(self, path: str) -> int:
        conn = self._connection()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
        except (http.client.HTTPException, OSError):
            conn.close()  # the server closed an idle connection: open a new one once
            conn.request("GET", path)
            response = conn.getresponse()
        response.read()
        status = response.getheader("X-Cache-Status") or "none"
        with self.lock:
            self.cache_status[status] = self.cache_status.get(status, 0) + 1
        return response.status

    def reset_counts(self) -> None:
        with self.lock:
            self.cache_status = {}


def hit_share(counts: dict[str, int]) -> float:
    total = sum(counts.values())
    return counts.get("HIT", 0) / total if total else 0.0


def run(ctx) -> list[Row]:
    probe = PATH.format(z=14, x=8673, y=4770)
    reason = nginx_missing() or missing_url(probe)
    if reason:
        return [unavailable("P1", MEASURE, TARGET, reason)]
    server = ctx.server()
    tiles = sample_tiles(ctx.connect(), ctx.size.tiles, ctx.seed)
    paths = [PATH.format(z=z, x=x, y=y) for z, x, y in tiles]
    static = ctx.work / "static"
    proxy = Nginx(
        ctx.work / "nginx",
        app_port=server.port,
        http=free_port(),
        https=free_port(),
        static=static,
    ).wait()
    try:
        client = ProxyClient(proxy)

        def through_proxy(i: int) -> None:
            path = paths[i % len(paths)]
            if client.get(path) not in (200, 204):
                raise RuntimeError(f"{path} through nginx did not answer 200/204")

        def from_app(i: int) -> None:
            path = paths[i % len(paths)]
            status, body, _t = request(server.port, "GET", path)
            if status not in (200, 204):
                raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")

        # Fill both caches (nginx's and the app's), then one discarded warm pass each.
        drive(through_proxy, concurrency=CONCURRENCY, count=len(paths))
        seconds = ctx.size.seconds
        drive(through_proxy, concurrency=CONCURRENCY, seconds=min(1.0, seconds / 4))
        drive(from_app, concurrency=CONCURRENCY, seconds=min(1.0, seconds / 4))
        client.reset_counts()
        ours_lat, ours_wall = drive(through_proxy, concurrency=CONCURRENCY, seconds=seconds)
        counts = dict(client.cache_status)
        base_lat, base_wall = drive(from_app, concurrency=CONCURRENCY, seconds=seconds)
    finally:
        proxy.stop()
    share = hit_share(counts)
    return [
        throughput_row(
            "P1",
            MEASURE,
            len(ours_lat) / ours_wall,
            len(base_lat) / base_wall,
            min_ratio=MIN_RATIO,
            note="" if share == 1.0 else f"only {share:.1%} proxy cache hits: {counts}",
            detail={
                "ours_latency": summary(ours_lat),
                "baseline_latency": summary(base_lat),
                "tiles": len(paths),
                "proxy_cache_status": counts,
            },
        )
    ]
