"""B7: Norwegian search inside an area, top 20 by rank, against raw SQL on the stored tsvector.

Queries are inflected or compound forms of words the demo texts use. Besides speed, each
query must find its matches: where the area holds a published text with the word's stem, the
product's top 20 must contain one.
"""

from __future__ import annotations

import json
import re

from django.contrib.gis.geos import GEOSGeometry

from geo.crs import STORAGE_SRID
from scripts.benchmarks.measures.common import interleaved
from scripts.benchmarks.results import Row, latency_row

ID = "B7"
TITLE = "Norwegian search in an area, top 20 by rank, vs raw SQL on the stored tsvector"

# (query as a resident types it, the stem a matching text contains). Inflected: definite and
# plural forms; compound: a word the stemmer cannot split out of a longer word.
QUERIES = [
    ("sykkelveiene", "sykkelvei"),
    ("lekeplassene", "lekeplass"),
    ("fortauene", "fortau"),
    ("gatelyset", "gatelys"),
    ("kyststiene", "kyststi"),
    ("busstoppene", "busstopp"),
    ("turstiene", "tursti"),
    ("parkeringsplassene", "parkeringsplass"),
    ("brygger", "brygg"),
    ("leskur", "leskur"),
]
# Search areas: the 500 m drawn areas with this buffer, i.e. a neighbourhood about 1.5 km across.
BUFFER_M = 500
LIMIT = 20

BASELINE_SQL = f"""
WITH q AS MATERIALIZED (SELECT websearch_to_tsquery('norwegian', %(q)s) AS q)
SELECT i.id, i.public_text
FROM inputbank_input i, q
WHERE i.status = 'published' AND NOT i.location_restricted
  AND ST_Intersects(i.geom, ST_GeomFromEWKB(%(area)s))
  AND i.search_vector @@ q.q
ORDER BY ts_rank(i.search_vector, q.q) DESC, i.id DESC
LIMIT {LIMIT}
"""

GROUND_TRUTH_SQL = """
SELECT EXISTS (
  SELECT 1 FROM inputbank_input i
  WHERE i.status = 'published' AND NOT i.location_restricted
    AND ST_Intersects(i.geom, ST_GeomFromEWKB(%(area)s))
    AND i.public_text ILIKE %(like)s)
"""


def _ours(area: GEOSGeometry, text: str) -> list[tuple[int, str]]:
    from inputbank.models import Input

    qs = (
        Input.objects.published()
        .within(area, buffer_m=BUFFER_M)
        .search(text)
        .order_by("-rank", "-id")
        .values_list("id", "public_text")
    )
    return list(qs[:LIMIT])


def run(ctx) -> list[Row]:
    # Few areas are enough: every query runs in each, so pairs = areas × queries.
    areas = ctx.drawn_areas[: max(2, len(ctx.drawn_areas) // 6)]
    geoms = [GEOSGeometry(json.dumps(a.geojson)) for a in areas]
    buffered = [
        g.transform(STORAGE_SRID, clone=True).buffer(BUFFER_M).ewkb for g in geoms
    ]  # what within(area, buffer_m) computes, handed to the baseline ready-made
    pairs = [(a, q) for a in range(len(areas)) for q in range(len(QUERIES))]
    conn = ctx.connect()

    def ours(i: int):
        a, q = pairs[i]
        return _ours(geoms[a], QUERIES[q][0])

    def baseline(i: int):
        a, q = pairs[i]
        params = {"q": QUERIES[q][0], "area": bytes(buffered[a])}
        return conn.execute(BASELINE_SQL, params).fetchall()

    o, b, _same = interleaved(len(pairs), ctx.size.rounds, ours, baseline)

    # Does each query find its matches where there are some?
    expected = found = base_found = 0
    misses = []
    for a, q in pairs:
        text, stem = QUERIES[q]
        has = conn.execute(
            GROUND_TRUTH_SQL, {"area": bytes(buffered[a]), "like": f"%{stem}%"}
        ).fetchone()[0]
        if not has:
            continue
        expected += 1
        hits = _ours(geoms[a], text)
        if any(re.search(stem, t, re.IGNORECASE) for _id, t in hits):
            found += 1
        else:
            misses.append(text)
        if any(re.search(stem, t, re.IGNORECASE) for _id, t in baseline(pairs.index((a, q)))):
            base_found += 1
    return [
        latency_row(
            "B7",
            f"search top {LIMIT} in {len(areas)} areas × {len(QUERIES)} inflected/compound queries",
            o,
            b,
            q=50,
            max_ratio=1.5,
        ),
        Row(
            "B7.found",
            "inflected/compound queries that find their matches",
            float(found),
            float(expected),
            round(found / expected, 3) if expected else None,
            "= 1.0 (every one)",
            expected > 0 and found == expected,
            unit="queries",
            note=f"missed: {', '.join(sorted(set(misses)))}" if misses else "",
            detail={
                "area_query_pairs_with_matches": expected,
                "found": found,
                "found_by_tsvector_baseline": base_found,
            },
        ),
    ]
