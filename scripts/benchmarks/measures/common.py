"""Helpers the measures share: interleaved timing, the ORM's SQL on a raw connection, plans."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format


def interleaved(
    n: int,
    rounds: int,
    ours: Callable[[int], object],
    baseline: Callable[[int], object],
    compare: Callable[[object], object] | None = None,
) -> tuple[list[float], list[float], bool | None]:
    """Time ours(i) and baseline(i) for every i, ``rounds`` times, after one warm-up round.

    The two alternate which goes first, so neither always meets a cache the other warmed.
    The warm-up round is discarded; it also checks both give the same answer (by ``compare``).
    """
    same = None if compare is None else True
    for i in range(n):
        a, b = ours(i), baseline(i)
        if compare is not None and compare(a) != compare(b):
            same = False
    o: list[float] = []
    base: list[float] = []
    for r in range(rounds):
        for i in range(n):
            pair = [(o, ours), (base, baseline)]
            if (r + i) % 2:
                pair.reverse()
            for into, fn in pair:
                started = time.perf_counter()
                fn(i)
                into.append(time.perf_counter() - started)
    return o, base, same


def orm_sql(queryset) -> tuple[str, tuple]:
    """The SQL and parameters Django would send for a queryset."""
    return queryset.query.sql_with_params()


def raw_geometry_dumper(conn: psycopg.Connection) -> None:
    """Let a raw psycopg connection send Django's geometry parameters as Django does (EWKB)."""
    from django.contrib.gis.db.backends.postgis.adapter import PostGISAdapter

    oid = conn.execute("SELECT 'geometry'::regtype::oid").fetchone()[0]

    class GeometryDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj):
            return obj.ewkb

    GeometryDumper.oid = oid
    conn.adapters.register_dumper(PostGISAdapter, GeometryDumper)


def plan_nodes(plan_json) -> list[dict]:
    """Every node of an EXPLAIN (FORMAT JSON) plan, flattened."""
    out: list[dict] = []

    def walk(node: dict) -> None:
        out.append(node)
        for child in node.get("Plans", []):
            walk(child)

    for entry in plan_json:
        walk(entry["Plan"])
    return out
