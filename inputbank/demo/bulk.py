"""Bulk-writing helpers of the demo generator: COPY, id reservation, index drop and order.

Why by hand and not the ORM: ``bulk_create`` writes ~7 800 rows/s, binary COPY ~350 000 rows/s
(docs/measurements.md); a million demo inputs must load in minutes.
"""

from __future__ import annotations

import os
import time

import numpy as np

from inputbank.models.tables import quoted_table


def zorder(x: np.ndarray, y: np.ndarray, cell: float = 100.0) -> np.ndarray:
    """Morton code of 100 m cells: sorting by it keeps nearby rows in nearby pages."""
    ix = ((x - x.min()) // cell).astype(np.uint64)
    iy = ((y - y.min()) // cell).astype(np.uint64)
    code = np.zeros_like(ix)
    for bit in range(16):
        code |= ((ix >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit)
        code |= ((iy >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit + 1)
    return code


def reserve_ids(cursor, model, count: int) -> int:
    """Return the first of ``count`` consecutive ids and move the table's sequence past them."""
    table = quoted_table(model)
    cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    start = cursor.fetchone()[0]
    if count:
        move_sequence(cursor, model, start + count - 1)
    return start


def move_sequence(cursor, model, last_id: int) -> None:
    """Move the table's id sequence to ``last_id`` (rows were written with their own ids)."""
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [quoted_table(model), last_id]
    )


def drop_secondary_indexes(cursor, model, *, unique: bool = False) -> list[str]:
    """Drop indexes that back no constraint and return their definitions for re-creation;
    with ``unique`` also the UNIQUE constraints (their indexes are rebuilt, then attached).

    Building an index once after a bulk load is several times faster than maintaining it row by
    row (docs/measurements.md: COPY, then index); a random key such as a UUID costs most.
    """
    table = model._meta.db_table
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [table],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    out = [definition for _name, definition in rows]
    if unique:
        cursor.execute(
            "SELECT c.conname, pg_get_indexdef(c.conindid) FROM pg_constraint c "
            "WHERE c.conrelid = %s::regclass AND c.contype = 'u'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            out.append(definition)
            ATTACH.append(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"'
            )
    return out


# Statements that turn rebuilt unique indexes back into constraints (after the indexes).
ATTACH: list[str] = []


def copy_rows(cursor, model, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {quoted_table(model)} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


# ---- bulk load by worker processes --------------------------------------------------------
_JOB: dict = {}


def _connection_params() -> dict:
    from django.db import connection

    params = connection.get_connection_params()
    keep = ("dbname", "user", "password", "host", "port", "options", "sslmode")
    return {k: v for k, v in params.items() if k in keep and v not in (None, "")}


def _is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def _write_one(k: int):
    """In a worker: write chunk k in a transaction of its own, on the worker's connection."""
    import psycopg

    conn = _JOB.get("conn")
    if conn is None:
        conn = _JOB["conn"] = psycopg.connect(**_JOB["params"], autocommit=True)
        if _JOB["replica"]:
            # No per-row foreign-key checks nor row triggers (the generator writes valid ids,
            # reference numbers and, after the load, the tile grid); superuser only.
            conn.execute("SET session_replication_role = replica")
        _JOB["backend"] = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with conn.transaction(), conn.cursor() as cursor:
        result = _JOB["write"](_JOB["plan"], k, cursor)
    result.cpu = (os.getpid(), time.process_time(), _process_cpu(_JOB["backend"]))
    return result


def _process_cpu(pid: int) -> float:
    """CPU seconds of a process on this machine (the database backend: same host)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_sql_parallel(params: dict, statements: list[str], setup: list[str], ways: int) -> None:
    """Run statements on ``ways`` connections at once (e.g. CREATE INDEX: one core each)."""
    from concurrent.futures import ThreadPoolExecutor

    import psycopg

    def run(share: list[str]) -> None:
        with psycopg.connect(**params, autocommit=True) as conn:
            for statement in setup:
                conn.execute(statement)
            for statement in share:
                conn.execute(statement)

    shares = [statements[i::ways] for i in range(ways)]
    with ThreadPoolExecutor(ways) as pool:
        list(pool.map(run, [s for s in shares if s]))


def load_in_parallel(plan, write, ways: int, log) -> list:
    """Write every chunk of ``plan`` with ``write`` in ``ways`` forked processes, around a
    drop and rebuild of the input table's secondary indexes. Commits as it goes."""
    import multiprocessing

    from django.core.management import call_command
    from django.db import connection

    from inputbank.models import Input

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        ATTACH.clear()
        dropped = drop_secondary_indexes(cursor, Input, unique=True)
        replica = _is_superuser(cursor)
    params = _connection_params()
    connection.close()  # forked children must not share the parent's socket
    _JOB.update(plan=plan, write=write, params=params, replica=replica)
    started = time.perf_counter()
    log(f"  writing {plan.n} inputs in {plan.chunks} chunks, {ways} processes (COPY)")
    results = []
    try:
        with multiprocessing.get_context("fork").Pool(ways) as pool:
            for done, result in enumerate(pool.imap_unordered(_write_one, range(plan.chunks)), 1):
                results.append(result)
                if done % 20 == 0 or done == plan.chunks:
                    spent = time.perf_counter() - started
                    log(f"  {done}/{plan.chunks} chunks written ({spent:.0f} s)")
    finally:
        _JOB.clear()
    started = time.perf_counter()
    # Largest first, so the two connections finish at about the same time.
    dropped.sort(key=lambda d: (" USING gist" not in d and " USING gin" not in d, d))
    _run_sql_parallel(params, dropped, ["SET maintenance_work_mem = '1GB'"], ways)
    _run_sql_parallel(params, ATTACH, [], 1)
    log(f"  {len(dropped)} indexes built in {time.perf_counter() - started:.0f} s")
    last: dict[int, tuple] = {}
    for r in results:
        if r.cpu and (r.cpu[0] not in last or r.cpu[1] > last[r.cpu[0]][1]):
            last[r.cpu[0]] = r.cpu
    mine = sum(c[1] for c in last.values())
    server = sum(c[2] for c in last.values())
    log(f"  COPY CPU: writers {mine:.0f} s, their database backends {server:.0f} s")
    if replica:
        call_command("rebuild_tile_grid", verbosity=0)
    return results


def update_reference_counters(cursor, year, number) -> None:
    """Move each year's reference counter past the numbers the generator wrote itself."""
    import numpy as np

    last = {}
    for y in np.unique(year):
        last[int(y)] = int(number[year == y].max())
    cursor.executemany(
        "INSERT INTO inputbank_inputreferencecounter AS c (year, last) VALUES (%s, %s) "
        "ON CONFLICT (year) DO UPDATE SET last = GREATEST(c.last, EXCLUDED.last)",
        list(last.items()),
    )
