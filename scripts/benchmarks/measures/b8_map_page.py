"""B8: the public map page until 10 000 inputs in view are drawn, in headless Chromium.

Baseline: a minimal static Leaflet page (scripts/benchmarks/b8_page/) drawing the same points
on a canvas, served by a plain static file server. Both are timed from navigation start to
the performance mark "inputs-drawn"; long tasks (> 50 ms) are collected with a
PerformanceObserver from before the page's first script. Requests to other hosts (basemap
tiles) fail for both at once, in the browser's own resolver, so the network is the same:
none. (Not with Playwright's request interception: that sends every request of the page
through this Python process and back, tens of milliseconds each under load, which timed the
harness more than the page, the more so the more requests a page makes.)
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scripts.benchmarks.measures import sql
from scripts.benchmarks.measures.b3_lists import find_boxes
from scripts.benchmarks.proxy import Nginx, nginx_missing
from scripts.benchmarks.results import Row, latency_row, pct, unavailable
from scripts.benchmarks.server import clear_tile_cache, free_port, request

ID = "B8"
TITLE = "public map page until 10 000 inputs in view are drawn (headless Chromium)"
HERE = Path(__file__).resolve().parents[1]
PAGE = HERE / "b8_page"
LEAFLET = HERE.parents[1] / "maps" / "static" / "vendor" / "leaflet"
WANT = 10_000
TIMEOUT_MS = 120_000
SLOW_MS = 20_000
MARK = "inputs-drawn"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Every host but the two local servers fails to resolve: no tiles, no outside network.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    # The product is served as deployed: nginx over TLS with a certificate made for the run.
    "--ignore-certificate-errors",
]
OBSERVE_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__longTasks.push(e.duration); });
}).observe({ type: "longtask", buffered: true });
"""
PRODUCT_PATH = "/"

POINTS_SQL = f"""
SELECT json_build_object('type', 'FeatureCollection',
  'bbox', json_build_array(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s),
  'features', COALESCE(json_agg(json_build_object('type', 'Feature',
     'geometry', ST_AsGeoJSON(ST_Transform(ST_PointOnSurface(h.geom), {sql.WEB_SRID}), 7)::json)
     ORDER BY h.received_at DESC, h.id DESC), '[]'))::text
FROM (SELECT i.id, i.geom, i.received_at FROM inputbank_input i
      WHERE ST_Intersects(i.geom, {sql.BOX}) AND {sql.VISIBLE}
      ORDER BY i.received_at DESC, i.id DESC LIMIT %(limit)s) h
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on stderr
        pass


def _static_server(folder: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _prepare_baseline(ctx, folder: Path) -> tuple[tuple[float, ...], int]:
    """Write the baseline page, Leaflet and the points of a box holding WANT inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "baseline.js"):
        shutil.copy(PAGE / name, folder / name)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(LEAFLET / name, folder / name)
    conn = ctx.connect()
    (bbox, n), *_ = find_boxes(conn, WANT, 1)
    params = dict(zip(("minlon", "minlat", "maxlon", "maxlat"), bbox, strict=True), limit=n)
    text = conn.execute(POINTS_SQL, params, prepare=False).fetchone()[0]
    (folder / "points.json").write_text(text, encoding="utf-8")
    return bbox, len(json.loads(text)["features"])


# Until the map page sets the mark, "drawn" is read from its status line: it announces the
# number of inputs shown once they are on the map (maps/static/maps/js/home.js).
DRAWN = f"""() => {{
  if (performance.getEntriesByName('{MARK}').length) return 'mark';
  const status = document.getElementById('map-status');
  return status && /\\d/.test(status.textContent) ? 'status' : false;
}}"""
AFTER_PAINT = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))))"""


def _load(browser, url: str, timeout_ms: int = TIMEOUT_MS) -> tuple[float, float, str, dict]:
    """Open url in a fresh page; return (ms until drawn, longest main-thread task, how seen,
    the mark's detail: what the page says it drew, e.g. {mode: "points", drawn: 10000})."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.add_init_script(OBSERVE_LONG_TASKS)
        page.goto(url, wait_until="commit")
        try:
            how = page.wait_for_function(DRAWN, timeout=timeout_ms, polling=50).json_value()
        except PlaywrightTimeout:
            # Too slow to wait for: the timeout is reported as a lower bound.
            longest = page.evaluate("Math.max(0, ...window.__longTasks)")
            return float(timeout_ms), float(longest), "timeout", {}
        detail = {}
        if how == "mark":
            drawn = page.evaluate(f"performance.getEntriesByName('{MARK}')[0].startTime")
            detail = page.evaluate(f"performance.getEntriesByName('{MARK}')[0].detail") or {}
        else:
            drawn = page.evaluate(AFTER_PAINT)
        longest = page.evaluate("Math.max(0, ...window.__longTasks)")
        if how != "mark":
            status = page.evaluate("document.getElementById('map-status').textContent")
            how = f"status line: {status.strip()[:80]}"
        return float(drawn), float(longest), how, detail
    finally:
        page.close()


def _product_reason(ctx) -> str | None:
    status, body, _t = request(ctx.server().port, "GET", PRODUCT_PATH)
    if status != 200:
        return f"not available yet: {PRODUCT_PATH} answered {status}"
    if b'id="map-status"' not in body and MARK.encode() not in body:
        return "not available yet: the map page shows no inputs on this branch"
    return None


# The baseline page from the same nginx as ours, with the same TLS, HTTP/2 and compression
# (the site file's gzip types), so the two sides differ by their pages, not their servers.
BASELINE_SERVER = """
server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {{cert}};
    ssl_certificate_key {{key}};
    gzip on;
    gzip_types application/json application/javascript text/css;
    gzip_min_length 1024;
    root {folder};
}}
"""


def _proxy(ctx, folder: Path) -> tuple[Nginx, str] | None:
    """nginx in front of the bench's gunicorn with the shipped site file, as production runs
    (docs/deploy.md: static files from disk, the rest proxied), and the baseline's folder on
    a second port of the same nginx. BENCH_B8_DIRECT=1 (or no nginx): gunicorn alone and the
    baseline from Python's file server, as before session 8."""
    if os.environ.get("BENCH_B8_DIRECT") or nginx_missing():
        return None
    server, port = ctx.server(), free_port()
    proxy = Nginx(
        ctx.work / "nginx-b8",
        app_port=server.port,
        http=free_port(),
        https=free_port(),
        static=ctx.work / "static",
        extra=BASELINE_SERVER.format(port=port, folder=folder),
    ).wait()
    return proxy, f"https://127.0.0.1:{port}/index.html"


def _rounds(ctx) -> int:
    """A page load is one sample (the other measures take one per area or tile each round),
    and three loads' median swung by 0.3× between runs minutes apart: at least ten loads a
    side above XS (~20 s more)."""
    return ctx.size.rounds if ctx.size.name == "XS" else max(ctx.size.rounds, 10)


def run(ctx) -> list[Row]:
    from playwright.sync_api import sync_playwright

    target_time, target_task = "≤ 1.3× p50", "no task > 200 ms"
    reason = _product_reason(ctx)
    folder = ctx.work / "b8"
    bbox, n = _prepare_baseline(ctx, folder)
    query = f"{PRODUCT_PATH}?bbox={','.join(map(str, bbox))}"
    static, proxied = None, _proxy(ctx, folder)
    if proxied:
        proxy, base_url = proxied
        product_url, served_by = f"{proxy.base}{query}", "one nginx, TLS and HTTP/2"
    else:
        static = _static_server(folder)
        base_url = f"http://127.0.0.1:{static.server_address[1]}/index.html"
        product_url, served_by = (
            f"{ctx.server().origin}{query}",
            "gunicorn and Python's file server",
        )
    ours, base, ours_tasks, base_tasks, seen, details = [], [], [], [], set(), []
    first_load_ms = None
    rounds = _rounds(ctx)
    product_rounds = rounds if reason is None else -1
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                for r in range(rounds + 1):  # round 0 warms caches: discarded
                    t, task, _how, _detail = _load(browser, base_url)
                    if r:
                        base.append(t / 1000)
                        base_tasks.append(task)
                    if r > product_rounds:
                        continue
                    if r == 0:
                        # The first visit to this view: no answer kept yet (the API keeps
                        # anonymous answers with the tiles). Reported beside the warm rounds.
                        clear_tile_cache(ctx.work)
                    t, task, how, detail = _load(browser, product_url)
                    if r == 0:
                        first_load_ms = round(t, 1)
                    seen.add(how)
                    details.append(detail)
                    if r or how == "timeout":
                        ours.append(t / 1000)
                        ours_tasks.append(task)
                    if how == "timeout":
                        product_rounds = -1  # waited long enough: the timeout is the answer
                    elif r == 0 and t > SLOW_MS:
                        product_rounds = 1  # a page this slow is measured once after warm-up
            finally:
                browser.close()
    finally:
        if static:
            static.shutdown()
        if proxied:
            proxied[0].stop()
    measure = f"map page until {n:,} inputs in view are drawn"
    if reason:
        row = unavailable("B8", measure, target_time, reason)
        row.baseline = round(pct(base, 50) * 1000, 1)
        row.unit = "ms p50"
        row.detail = {"baseline_longest_task_ms": max(base_tasks)}
        return [row, unavailable("B8.tasks", "longest main-thread task", target_task, reason)]
    longest = max(ours_tasks)
    # The page's own word on what it drew (its mark's detail): the same n points as the
    # baseline, or something else (counts per place, fewer points), which the note then says.
    drew = sorted({(d.get("mode"), d.get("drawn")) for d in details if d})
    drew_note = (
        ""
        if not drew or drew == [("points", n)]
        else f"the page drew {', '.join(f'{c} {m}' for m, c in drew)}, not {n:,} points"
    )
    return [
        latency_row(
            "B8",
            measure,
            ours,
            base,
            q=50,
            max_ratio=1.3,
            detail={
                "bbox": bbox,
                "served_by": served_by,
                "drawn_seen_by": sorted(seen),
                "page_drew": details[-1:],
                # Browser and server both cold: the view's answer computed, not read back.
                "first_load_ms": first_load_ms,
            },
            note=drew_note
            if seen == {"mark"}
            else "no 'inputs-drawn' mark: drawn = the status line announcing the count "
            f"({'; '.join(sorted(seen))[:160]})"
            + (
                f"; did not draw within {TIMEOUT_MS // 1000} s (a lower bound)"
                if "timeout" in seen
                else ""
            ),
        ),
        Row(
            "B8.tasks",
            "longest main-thread task while loading",
            round(longest, 1),
            round(max(base_tasks), 1),
            round(longest / max(base_tasks), 3) if max(base_tasks) else None,
            target_task,
            # A page that never finished drawing cannot pass: its worst may be still to come.
            longest <= 200 and "timeout" not in seen,
            unit="ms",
            note="the page did not finish drawing: the longest task until the timeout"
            if "timeout" in seen
            else "",
        ),
    ]
