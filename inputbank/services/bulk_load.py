"""Large loads into a table: its secondary indexes set aside and rebuilt, in the same transaction.

Inserting N rows into a table with GIN, GiST and b-tree indexes updates every index N times;
building an index once over the finished table is several times cheaper per row. For a load
that at least doubles the table this wins; for a few rows into a large table it loses (the
rebuild reads every row), so the caller decides (``services.imports``).

What is set aside: indexes that enforce nothing (not primary, not unique, backing no
constraint). Unique indexes and the primary key stay, so every duplicate is still refused by
the statement that makes it. Definitions are read from ``pg_get_indexdef`` and replayed as
they were (names, opclasses, partial conditions): the table ends as it began.

**The lock.** ``DROP INDEX`` takes an ACCESS EXCLUSIVE lock on the table until the
transaction ends: from then until the import commits nobody reads or writes the table (public
map, API, staff pages wait; docs/gis.md says so to the officer). Taking the lock waits at most
``LOCK_TIMEOUT``; when the table is busy longer, or the database user may not drop the indexes
(not the table's owner), nothing is set aside and the caller loads the ordinary way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, transaction

# How long a large load waits for readers and writers to finish before it loads row by row
# into the live indexes instead (a long report query must not stall the import, nor the import
# queue every request behind it for minutes).
LOCK_TIMEOUT = "5s"

_SECONDARY_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY c.relname
"""


@dataclass
class SetAside:
    """The tables locked and their indexes dropped, as (name, definition), to rebuild."""

    tables: list[str]
    indexes: list[tuple[str, str]]


def set_aside(cursor, *, tables: list[str]) -> SetAside | None:
    """Lock ``tables`` and drop their secondary indexes; return what to rebuild.

    None (nothing changed) when the lock or the rights are missing.
    """
    quoted = ", ".join(f'"{t}"' for t in tables)
    cursor.execute("SELECT current_setting('lock_timeout')")
    before = cursor.fetchone()[0]
    try:
        with transaction.atomic():
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            cursor.execute(f"LOCK TABLE {quoted} IN ACCESS EXCLUSIVE MODE")
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
            done = SetAside(tables=tables, indexes=[])
            for table in tables:
                cursor.execute(_SECONDARY_INDEXES, [f'"{table}"'])
                for name, definition in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{name}"')
                    done.indexes.append((name, definition))
            return done
    except DatabaseError:
        # Rolled back to the savepoint: the indexes and lock_timeout are as they were.
        return None


def restore(cursor, done: SetAside) -> None:
    """Rebuild the dropped indexes as they were defined.

    PostgreSQL builds no index on a table with checks still queued (Django's foreign keys are
    checked at commit): the tables' deferred checks run first, then are deferred again.
    """
    cursor.execute(
        "SELECT quote_ident(conname) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND condeferrable AND condeferred",
        [[f'"{t}"' for t in done.tables]],
    )
    deferred = ", ".join(row[0] for row in cursor.fetchall())
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
    for _name, definition in done.indexes:
        cursor.execute(definition)
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")
