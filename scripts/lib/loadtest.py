"""Mixed load against a running server: what residents and the map do at once.

    python scripts/lib/loadtest.py <base url> <clients> <seconds>

Each client repeats a weighted mix of the map page, bbox lists, grid counts, vector tiles,
prior input for an area and submissions (each with its own form token and Idempotency-Key),
over new connections like browsers behind different NATs would, after one warm-up round.
Prints requests/s and the p50/p95/p99 per kind and the errors; exits 1 when any request
failed, answered 4xx/5xx, or an API answer was not JSON.
The client is Python threads: at 32 clients on 2 cores it is part of the load it measures.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

# Moss: views a resident pans over, a polygon a case officer draws.
BBOXES = ["10.60,59.40,10.72,59.46", "10.64,59.42,10.68,59.45", "10.55,59.38,10.80,59.50"]
TILES = [(14, 8677, 4808), (14, 8676, 4808), (13, 4338, 2404), (15, 17355, 9617)]
_RING = [[10.65, 59.43], [10.67, 59.43], [10.67, 59.44], [10.65, 59.44], [10.65, 59.43]]
AREA = {"type": "Polygon", "coordinates": [_RING]}
MIX = [
    ("map page", 2),
    ("bbox list", 4),
    ("grid", 3),
    ("tile", 6),
    ("prior input", 1),
    ("submit", 1),
]


def _request(base: str, kind: str) -> tuple[int, str]:
    data, headers, method = None, {"Accept": "application/json"}, "GET"
    if kind == "map page":
        url, headers = base + "/", {"Accept": "text/html"}
    elif kind == "bbox list":
        url = f"{base}/api/v1/inputs/?bbox={random.choice(BBOXES)}&page_size=100"
    elif kind == "grid":
        url = f"{base}/api/v1/inputs/grid/?bbox={random.choice(BBOXES)}&zoom=12"
    elif kind == "tile":
        z, x, y = random.choice(TILES)
        url, headers = f"{base}/tiles/inputs/{z}/{x}/{y}.mvt", {}
    elif kind == "prior input":
        url, method = base + "/api/v1/prior-input/", "POST"
        data = json.dumps({"geometry": AREA, "buffer_m": random.choice([0, 100, 500])}).encode()
    else:
        with urllib.request.urlopen(base + "/api/v1/form-token/", timeout=30) as response:  # noqa: S310
            token = json.loads(response.read())["form_token"]
        url, method = base + "/api/v1/inputs/", "POST"
        headers["Idempotency-Key"] = uuid.uuid4().hex
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [10.66, 59.435]},
            "properties": {"text": "Lasttest: fartsdumper, takk.", "form_token": token},
        }
        data = json.dumps(feature).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            return response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", "")


def main(base: str, clients: int, seconds: float) -> int:
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    times: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            kind = random.choice(kinds)
            started = time.perf_counter()
            try:
                status, content_type = _request(base, kind)
            except OSError as exc:
                status, content_type = 0, str(exc)
            elapsed = time.perf_counter() - started
            with lock:
                times[kind].append(elapsed)
                api = kind not in ("map page", "tile")
                if status == 0 or status >= 400 or (api and "json" not in content_type):
                    errors.append(f"{kind}: {status} {content_type}")

    # Warm up: every kind once, so first-request costs (imports, cold caches) are not timed.
    for kind, _ in MIX:
        _request(base, kind)
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(len(values) for values in times.values())
    rate = total / seconds
    print(f"{clients} clients, {seconds:.0f} s: {rate:.1f} requests/s, {len(errors)} errors")
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
