"""Helpers the measures share: interleaved timing, the ORM's SQL on a raw connection, plans."""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format

ROOT = Path(__file__).resolve().parents[3]


def interleaved(
    n: int,
    rounds: int,
    ours: Callable[[int], object],
    baseline: Callable[[int], object],
    compare: Callable[[object], object] | None = None,
    before_ours: Callable[[], object] | None = None,
) -> tuple[list[float], list[float], bool | None]:
    """Time ours(i) and baseline(i) for every i, ``rounds`` times, after one warm-up round.

    The two alternate which goes first, so neither always meets a cache the other warmed.
    The warm-up round is discarded; it also checks both give the same answer (by ``compare``).
    ``before_ours`` runs before each of our calls, untimed (emptying the answer cache, so a
    request computes its answer: the baseline has no such step to be timed against).
    """
    same = None if compare is None else True
    prepare = before_ours or (lambda: None)
    for i in range(n):
        prepare()
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
                if fn is ours:
                    prepare()
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


# Runs a command as its child and reports the child's own peak memory. Linux counts the
# memory a process had before exec into its high-water mark, and a child forked from the
# benchmark (which holds the generated data after a fresh load, ~1.5 GB at M) starts with the
# parent's pages: measured directly, every command then "peaked" at the benchmark's size.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_pid, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
with open(sys.argv[1][: -len(".maxrss")] + ".cpu", "w") as out:
    out.write(str(usage.ru_utime + usage.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(cmd: list[str], *, log: Path, env: dict | None = None) -> tuple[float, int]:
    """Run a command to the end; return (seconds, peak resident memory of it in bytes).

    Output goes to ``log`` (a pipe could fill and stall a chatty command). The peak memory is
    the command's own high-water mark (getrusage via wait4 in a small launcher process, see
    ``_LAUNCHER``), what "peak memory" means for a job.
    """
    import sys

    log.parent.mkdir(parents=True, exist_ok=True)
    peak_file = log.with_suffix(".maxrss")
    launch = [sys.executable, "-c", _LAUNCHER, str(peak_file), *cmd]
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.run(launch, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        seconds = time.perf_counter() - started
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-800:]
        raise RuntimeError(f"{Path(cmd[0]).name} {cmd[1] if len(cmd) > 1 else ''} failed: {tail}")
    return seconds, int(peak_file.read_text()) * 1024


def cpu_seconds(log: Path) -> float:
    """The CPU time (user + system) of the last command ``run_measured`` ran with ``log``: on
    a busy machine a steadier figure than its wall time (the database server's is not in it)."""
    return float(log.with_suffix(".cpu").read_text())


def pg_datasource(url: str) -> str:
    """GDAL's PostgreSQL connection string ("PG:dbname=... host=...") for a libpq URL."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(url)
    return "PG:" + " ".join(f"{k}='{v}'" for k, v in parts.items() if v is not None)


def manage_env(database_url: str) -> dict[str, str]:
    """Environment for a manage.py subprocess on another database (same settings otherwise)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = "scripts.benchmarks.django_settings"
    env["PYTHONPATH"] = str(ROOT)
    return env


MANAGE = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py")]


class ThreadConnections:
    """Pre-opened baseline connections, one per client thread of a timed pass.

    Opening a connection costs milliseconds; it must not land inside a baseline's timing when
    the product's server keeps its connections open. Call ``start_pass()`` before each drive().
    """

    def __init__(self, ctx, count: int):
        self._all = [ctx.connect() for _ in range(count)]
        self.start_pass()

    def start_pass(self) -> None:
        self._free = queue.SimpleQueue()
        for conn in self._all:
            self._free.put(conn)
        self._local = threading.local()

    def get(self) -> psycopg.Connection:
        if not hasattr(self._local, "conn"):
            self._local.conn = self._free.get_nowait()
        return self._local.conn
