"""The frame every import of a national register shares (addresses, place names).

A register file is the truth for its municipality: rows are COPied into a temporary stage
table, given a point in the storage CRS, upserted by the register's own key and, on request,
the municipality's rows the file no longer has are pruned. All of it is one transaction; a
dry run rolls it back, so its counts say exactly what a real run would do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from geo.crs import STORAGE_SRID


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def run_in_one_transaction(stage: str, steps: Callable[[], None], *, dry_run: bool) -> None:
    """Run ``steps`` (load, check, upsert, prune) atomically, then drop the stage table.

    The table is dropped explicitly: ON COMMIT DROP is not enough inside an outer transaction
    (a caller's atomic block, the tests), where it would outlive this import.
    """
    try:
        with transaction.atomic():
            steps()
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {stage}")
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass


def stage_points(stage: str) -> None:
    """Give every staged row its point in the storage CRS, from x, y and the CRS it names."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {stage} ADD COLUMN geom geometry(Point, {STORAGE_SRID}); "
            f"UPDATE {stage} SET geom = "
            f"ST_Transform(ST_SetSRID(ST_MakePoint(x, y), srid), {STORAGE_SRID})"
        )


def prune_missing(table: str, stage: str, key: str, kommunenummer: str) -> int:
    """Delete the municipality's rows whose ``key`` the file no longer has; return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} r WHERE r.kommunenummer = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {stage} s WHERE s.{key} = r.{key})",
            [kommunenummer],
        )
        return cursor.rowcount
