"""Bulk-writing helpers of the demo generator: COPY, id reservation, index drop and order.

Why by hand and not the ORM: ``bulk_create`` writes ~7 800 rows/s, binary COPY ~350 000 rows/s
(docs/measurements.md); a million demo inputs must load in minutes.
"""

from __future__ import annotations

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


def drop_secondary_indexes(cursor, model) -> list[str]:
    """Drop indexes that back no constraint and return their definitions for re-creation.

    Building an index once after a bulk load is several times faster than maintaining it row by
    row (docs/measurements.md: COPY, then index).
    """
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [model._meta.db_table],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def copy_rows(cursor, model, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {quoted_table(model)} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n
