"""manage.py createcachetable, then the database cache tables made UNLOGGED.

Why: every throttle count, lock-out count and used form token is one cache write (an anonymous
submission makes three), and a write to a logged table waits for its WAL flush. Measured on a
busy two-core machine, 200 ``cache.set``: p50 12.5 ms logged, 1–3 ms unlogged
(docs/measurements.md). What is given up: after a *crash* of
PostgreSQL the table comes back empty (a clean restart keeps it), so at worst throttles and
lock-outs start counting again — never a lost input. Running it again is safe.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache, DatabaseCache
from django.core.management.commands import createcachetable
from django.db import connections, router


class Command(createcachetable.Command):
    def handle(self, *tablenames, **options):
        super().handle(*tablenames, **options)
        database = options["database"]
        connection = connections[database]
        names = tablenames or [
            cache._table
            for cache in (caches[alias] for alias in settings.CACHES)
            if isinstance(cache, BaseDatabaseCache)  # ours too (inputbank/cache_backend.py)
        ]
        for name in names:
            cache = DatabaseCache(name, {})
            if not router.allow_migrate_model(database, cache.cache_model_class):
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [name]
                )
                row = cursor.fetchone()
                if row and row[0] == "p":
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(name)} SET UNLOGGED")
