"""B3: GeoJSON lists of 1 000 and 10 000 features in a box, against a raw-SQL FeatureCollection.

Boxes are grown around the places where people live until they hold the wanted number of
published inputs; product and baseline then return exactly that many (page_size / limit).
Both endpoints are read one request at a time. The API keeps anonymous answers with the tiles
(a repeated question is a file read): the cache is emptied before every request (~0.1 ms,
inside the timing), so B3 measures the query path, as a view nobody has asked for yet.
"""

from __future__ import annotations

from urllib.parse import urlencode

import orjson

from inputbank.demo.places import CLUSTERS
from scripts.benchmarks.measures import sql
from scripts.benchmarks.measures.common import interleaved
from scripts.benchmarks.product import missing_url
from scripts.benchmarks.results import Row, latency_row, unavailable
from scripts.benchmarks.server import clear_tile_cache, request

ID = "B3"
TITLE = "GeoJSON lists in a bbox (API and OGC API) vs raw-SQL FeatureCollection"
SIZES = (1_000, 10_000)
BOXES = 4  # boxes per size, around different clusters
API_PATH = "/api/v1/inputs/"
OGC_PATH = "/ogc/collections/inputs/items"

COUNT_IN_BOX = (
    f"SELECT count(*) FROM inputbank_input i WHERE ST_Intersects(i.geom, {sql.BOX}) "
    f"AND {sql.VISIBLE}"
)


def find_boxes(conn, want: int, count: int) -> list[tuple[tuple[float, ...], int]]:
    """Boxes (lon/lat) around cluster centres holding at least ``want`` visible inputs.

    Returns (bbox, n) where n = want, or everything there is when the data is smaller.
    """
    total = conn.execute(
        f"SELECT count(*) FROM inputbank_input i WHERE {sql.VISIBLE} AND i.geom IS NOT NULL"
    ).fetchone()[0]
    want = min(want, total)
    boxes = []
    for lon, lat, _spread, _w in CLUSTERS[:count]:
        # Grow from ~22 m in small steps, so the box holds want to ~1.2 × want inputs: the map
        # page (B8) must be shown about as many as the baseline draws, not three times more.
        half = 0.0002  # degrees of latitude; longitude scaled by 2 at 59.4° N
        for _ in range(120):
            bbox = (lon - 2 * half, lat - half, lon + 2 * half, lat + half)
            params = dict(zip(("minlon", "minlat", "maxlon", "maxlat"), bbox, strict=True))
            if conn.execute(COUNT_IN_BOX, params, prepare=False).fetchone()[0] >= want:
                boxes.append((tuple(round(v, 6) for v in bbox), want))
                break
            half *= 1.1
    return boxes


def _rows_for(ctx, label: str, path: str, params_for, baseline_run) -> list[Row]:
    server = ctx.server()
    conn = ctx.connect()
    rows = []
    for size in SIZES:
        boxes = find_boxes(conn, size, BOXES)
        urls = [f"{path}?{urlencode(params_for(bbox, n))}" for bbox, n in boxes]

        def ours(i: int, urls=urls) -> bytes:
            status, body, _t = request(server.port, "GET", urls[i])
            if status != 200:
                raise RuntimeError(f"GET {urls[i]} answered {status}: {body[:300]!r}")
            return body

        def baseline(i: int, boxes=boxes) -> str:
            (minlon, minlat, maxlon, maxlat), n = boxes[i]
            params = {"minlon": minlon, "minlat": minlat, "maxlon": maxlon, "maxlat": maxlat}
            params["limit"] = n
            return baseline_run(conn, params)

        o, b, same = interleaved(
            len(boxes),
            ctx.size.rounds,
            ours,
            baseline,
            _ids,
            before_ours=lambda: clear_tile_cache(ctx.work),  # the answer computed, untimed
        )
        n = boxes[0][1] if boxes else 0
        note = "" if same else _difference(conn, ours(0), baseline(0))
        rows.append(
            latency_row(
                f"B3.{label}-{size // 1000}k",
                f"{path}?bbox, {n:,} features ({len(boxes)} boxes)",
                o,
                b,
                q=50,
                max_ratio=1.5,
                detail={"same_answer": same, "features": n},
                note=note,
            )
        )
    return rows


def api_baseline(conn, params: dict) -> str:
    return conn.execute(sql.BBOX_COLLECTION, params, prepare=False).fetchone()[0]


def ogc_baseline(conn, params: dict) -> str:
    x0, y0, x1, y1 = conn.execute(sql.OGC_CORNERS, params).fetchone()
    params = {**params, "x0": x0, "y0": y0, "x1": x1, "y1": y1}
    return conn.execute(sql.ogc_collection(), params, prepare=False).fetchone()[0]


def _difference(conn, ours: bytes, baseline: str) -> str:
    """Say how the answers differ, and whether the extra features are location-restricted."""
    extra = sorted(set(_ids(ours)) - set(_ids(baseline)))
    missing = len(set(_ids(baseline)) - set(_ids(ours)))
    restricted = conn.execute(
        "SELECT count(*) FROM inputbank_input WHERE public_id::text = ANY(%s) "
        "AND location_restricted",
        [extra],
    ).fetchone()[0]
    text = f"answers differ in the first box: {len(extra)} features only in ours"
    if restricted:
        text += f" ({restricted} of them location-restricted, never to be public)"
    return text + f", {missing} only in the baseline"


def _ids(body: bytes | str) -> tuple:
    return tuple(str(f.get("id")) for f in orjson.loads(body)["features"])


ENDPOINTS = (
    # label, path, query parameters for (bbox, n), baseline (connection, parameters) -> JSON
    (
        "api",
        API_PATH,
        lambda bbox, n: {"bbox": ",".join(map(str, bbox)), "page_size": n},
        api_baseline,
    ),
    (
        "ogc",
        OGC_PATH,
        lambda bbox, n: {"bbox": ",".join(map(str, bbox)), "limit": n, "f": "json"},
        ogc_baseline,
    ),
)


def run(ctx) -> list[Row]:
    rows: list[Row] = []
    for label, path, params_for, baseline in ENDPOINTS:
        reason = missing_url(path)
        if reason:
            rows += [
                unavailable(
                    f"B3.{label}-{s // 1000}k", f"{path}?bbox, {s:,} features", "≤ 1.5× p50", reason
                )
                for s in SIZES
            ]
        else:
            rows += _rows_for(ctx, label, path, params_for, baseline)
    return rows
