"""B6: the ORM intersects query behind prior-input (ids only) against the same SQL via psycopg.

Also: the same SQL with index scans switched off (the GiST index must be ≥ 50× faster), and
the ORM query's plan (no parallel workers; the GiST index used).
"""

from __future__ import annotations

import json

from django.contrib.gis.geos import GEOSGeometry

from scripts.benchmarks.measures.common import (
    interleaved,
    orm_sql,
    plan_nodes,
    raw_geometry_dumper,
)
from scripts.benchmarks.results import Row, latency_row, timed

ID = "B6"
TITLE = "ORM intersects query (ids only) vs the same SQL via psycopg"
NO_INDEX_AREAS = 10


def _queryset(geom: GEOSGeometry):
    from inputbank.models import Input

    return Input.objects.published().within(geom).values_list("id", flat=True)


def run(ctx) -> list[Row]:
    areas = ctx.drawn_areas
    geoms = [GEOSGeometry(json.dumps(a.geojson)) for a in areas]
    conn = ctx.connect()
    raw_geometry_dumper(conn)
    statements = [orm_sql(_queryset(g)) for g in geoms]

    def ours(i: int):
        return list(_queryset(geoms[i]))

    def baseline(i: int):
        # Not prepared: Django binds on the client, so both get the very same (custom) plan and
        # the ratio is the ORM's own cost.
        sql, params = statements[i]
        return conn.execute(sql, params, prepare=False).fetchall()

    o, b, same = interleaved(len(areas), ctx.size.rounds, ours, baseline, compare=len)

    # Without the index: one timed pass (a sequential scan per area), same SQL, over the first
    # NO_INDEX_AREAS areas: at L every scan reads the whole table (3.9 s each with it in
    # memory, longer from disk), and ten samples tell a factor-of-50 target as well as sixty.
    no_index = []
    with conn.transaction():
        conn.execute("SET LOCAL enable_indexscan = off")
        conn.execute("SET LOCAL enable_bitmapscan = off")
        conn.execute("SET LOCAL enable_indexonlyscan = off")
        for i in range(min(len(areas), NO_INDEX_AREAS)):
            no_index.append(timed(lambda i=i: baseline(i))[0])

    parallel, gist = 0, 0
    for g in geoms:
        nodes = plan_nodes(json.loads(_queryset(g).explain(format="json")))
        parallel += any("Gather" in n.get("Node Type", "") for n in nodes)
        gist += any("geom" in n.get("Index Name", "") for n in nodes)

    rows = [
        latency_row(
            "B6",
            f"ORM within() ids, {len(areas)} areas of 500 m",
            o,
            b,
            q=50,
            max_ratio=1.5,
            detail={"same_answer": same, "p95_ratio": _p95_ratio(o, b)},
        ),
        latency_row(
            "B6.index",
            f"same SQL with the GiST index vs index scans off (first {NO_INDEX_AREAS} areas)",
            b,
            no_index,
            q=50,
            max_ratio=0.02,
            note="ratio = indexed / unindexed time: ≤ 0.02× means the index is ≥ 50× faster",
        ),
        Row(
            "B6.plan",
            "ORM plans with parallel workers (and GiST index used)",
            float(parallel),
            None,
            None,
            "0 parallel plans, GiST in every plan",
            parallel == 0 and gist == len(geoms),
            unit="plans",
            detail={"areas": len(geoms), "parallel_plans": parallel, "gist_plans": gist},
            note="" if gist == len(geoms) else f"GiST index used in {gist} of {len(geoms)} plans",
        ),
    ]
    return rows


def _p95_ratio(o: list[float], b: list[float]) -> float:
    from scripts.benchmarks.results import pct

    return round(pct(o, 95) / pct(b, 95), 3)
