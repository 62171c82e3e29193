"""Mixed load against a running server: what residents and the map do at once.

    python scripts/lib/loadtest.py <base url> <clients> <seconds>

Each client repeats a weighted mix of the map page, bbox lists, grid counts, vector tiles,
prior input for an area and submissions (each with its own form token and Idempotency-Key),
after one warm-up round. Prints requests/s and the p50/p95/p99 per kind and the errors; exits
1 when any request failed, answered 4xx/5xx, or an API answer was not JSON.

The client is kept lean, because on a small machine it shares the cores with the server it
measures (docs/reliability.md, "Mixed load"): one keep-alive connection per client thread
(http.client; it reconnects by itself when the server closes, as gunicorn's sync workers do
after each answer), no URL opener machinery, and each JSON answer only checked to be JSON
(orjson). Each client is its own resident: it sends its own address in X-Forwarded-For, which
the app reads when API_NUM_PROXIES=1 (as behind nginx), so throttles count per resident, not
one shared counter for the whole load. It reports the CPU it used itself and the CPU the
whole machine was busy meanwhile, so its share of the load is on record.
"""

from __future__ import annotations

import http.client
import os
import random
import statistics
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

import orjson

# Moss: views a resident pans over, a polygon a case officer draws.
BBOXES = ["10.60,59.40,10.72,59.46", "10.64,59.42,10.68,59.45", "10.55,59.38,10.80,59.50"]
TILES = [(14, 8677, 4808), (14, 8676, 4808), (13, 4338, 2404), (15, 17355, 9617)]
_RING = [[10.65, 59.43], [10.67, 59.43], [10.67, 59.44], [10.65, 59.44], [10.65, 59.43]]


def panned(bbox: str) -> str:
    """A view panned by up to ~2 km: residents' boxes rarely repeat, so most list and grid
    answers are computed, not served from the answer cache (fixed boxes would measure the cache)."""
    dx, dy = random.uniform(-0.03, 0.03), random.uniform(-0.015, 0.015)
    w, s, e, n = (float(v) for v in bbox.split(","))
    return f"{w + dx:.5f},{s + dy:.5f},{e + dx:.5f},{n + dy:.5f}"


def drawn_area() -> dict:
    """The case officer's polygon moved by up to ~2 km: each question is new to the cache."""
    dx, dy = random.uniform(-0.03, 0.03), random.uniform(-0.015, 0.015)
    ring = [[round(x + dx, 5), round(y + dy, 5)] for x, y in _RING]
    return {"type": "Polygon", "coordinates": [ring]}


MIX = [
    ("map page", 2),
    ("bbox list", 4),
    ("grid", 3),
    ("tile", 6),
    ("prior input", 1),
    ("submit", 1),
]


class Client:
    """One resident: one connection (kept alive where the server allows), one address."""

    def __init__(self, base: str, number: int):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = f"10.{number // 250}.{number % 250}.{1 + random.randrange(250)}"
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple:
        headers = {**headers, "X-Forwarded-For": self.address}
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.will_close:
                    self.connection.close()
                return response.status, response.getheader("Content-Type", ""), data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed meanwhile: retry once on a new one.
                self.connection.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def run(self, kind: str) -> tuple[int, str]:
        """Make one request of this kind; return (status, content type or error)."""
        body, headers, method = None, {"Accept": "application/json"}, "GET"
        if kind == "map page":
            path, headers = "/", {"Accept": "text/html"}
        elif kind == "bbox list":
            path = f"/api/v1/inputs/?bbox={panned(random.choice(BBOXES))}&page_size=100"
        elif kind == "grid":
            path = f"/api/v1/inputs/grid/?bbox={panned(random.choice(BBOXES))}&zoom=12"
        elif kind == "tile":
            z, x, y = random.choice(TILES)
            path, headers = f"/tiles/inputs/{z}/{x}/{y}.mvt", {}
        elif kind == "prior input":
            path, method = "/api/v1/prior-input/", "POST"
            question = {"geometry": drawn_area(), "buffer_m": random.choice([0, 100, 500])}
            body = orjson.dumps(question)
        else:
            status, _, data = self.send("GET", "/api/v1/form-token/", None, headers)
            if status != 200:
                return status, "form token"
            token = orjson.loads(data)["form_token"]
            path, method = "/api/v1/inputs/", "POST"
            headers["Idempotency-Key"] = uuid.uuid4().hex
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [10.66, 59.435]},
                "properties": {"text": "Lasttest: fartsdumper, takk.", "form_token": token},
            }
            body = orjson.dumps(feature)
        if body is not None:
            headers["Content-Type"] = "application/json"
        status, content_type, data = self.send(method, path, body, headers)
        if kind not in ("map page", "tile") and status < 400:
            try:
                orjson.loads(data)
            except orjson.JSONDecodeError:
                return status, f"not JSON: {content_type}"
        return status, content_type


def _busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has been busy (all cores, every process), from /proc."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main(base: str, clients: int, seconds: float) -> int:
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    times: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        resident = Client(base, number)
        while time.monotonic() < stop:
            kind = random.choice(kinds)
            started = time.perf_counter()
            try:
                status, content_type = resident.run(kind)
            except OSError as exc:
                status, content_type = 0, str(exc)
            elapsed = time.perf_counter() - started
            with lock:
                times[kind].append(elapsed)
                if status == 0 or status >= 400 or content_type.startswith("not JSON"):
                    errors.append(f"{kind}: {status} {content_type}")

    # Warm up: every kind once, so first-request costs (imports, cold caches) are not timed.
    warm = Client(base, 0)
    for kind, _ in MIX:
        warm.run(kind)
    warm.connection.close()
    busy_before, own_before, wall_before = _busy_cpu_seconds(), time.process_time(), time.time()
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(n + 1,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - wall_before
    own = time.process_time() - own_before
    busy_after = _busy_cpu_seconds()
    total = sum(len(values) for values in times.values())
    rate = total / seconds
    print(f"{clients} clients, {seconds:.0f} s: {rate:.1f} requests/s, {len(errors)} errors")
    cores = os.cpu_count() or 1
    line = f"load generator: {own:.1f} CPU s = {100 * own / (wall * cores):.0f}% of {cores} cores"
    if busy_before is not None and busy_after is not None and busy_after > busy_before:
        busy = busy_after - busy_before
        line += (
            f"; the machine was busy {busy:.1f} CPU s ({100 * busy / (wall * cores):.0f}%),"
            f" {100 * own / busy:.0f}% of it this client"
        )
    print(line)
    print(f"{'kind':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in times.items():
        if not values:
            continue
        # quantiles() needs two values; doubling the list leaves every quantile as it is.
        q = [v * 1000 for v in statistics.quantiles(values * 2, n=100, method="inclusive")]
        print(f"{kind:<12} {len(values):>6} {q[49]:>8.0f} {q[94]:>8.0f} {q[98]:>8.0f}")
    for line in sorted(set(errors))[:10]:
        print("  error:", line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
