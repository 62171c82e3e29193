"""The shared database cache (CACHE_URL=db://, the default) in one statement per write.

Django's DatabaseCache counts the whole table before every write, then writes in a
transaction of its own (BEGIN, SELECT the key, INSERT or UPDATE, COMMIT): five round trips
for each throttle window and each used form token, fifteen of an anonymous submission's ~30
queries (docs/benchmarks.md, X2). On PostgreSQL ``set`` and ``add`` are one
``INSERT ... ON CONFLICT`` each here, atomic as before (two workers adding one form token:
exactly one wins), and the table is counted (and culled past MAX_ENTRIES, as Django does) on
every CULL_CHECK_EVERY-th write of a process instead of every write, so it may hold a few
hundred rows over MAX_ENTRIES for a moment. Reads, deletes and ``touch`` are Django's.
Django's write swallows a database error, meant for two workers inserting one key at once;
``ON CONFLICT`` cannot fail that way, and no savepoint is needed inside a transaction.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime
from itertools import count

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_CHECK_EVERY = 50


class PostgresCache(DatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = count()

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if mode == "touch" or connection.vendor != "postgresql":
            return super()._base_set(mode, key, value, timeout)
        timeout = self.get_backend_timeout(timeout)
        now = tz_now().replace(microsecond=0)
        zone = UTC if settings.USE_TZ else None
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=zone)
        expires = expires.replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        table = connection.ops.quote_name(self._table)
        # "add" replaces only an expired entry; RETURNING says whether a row was written.
        keep_live = f"WHERE {table}.expires < %s" if mode == "add" else ""
        adapt = connection.ops.adapt_datetimefield_value
        params = [key, encoded, adapt(expires)] + ([adapt(now)] if keep_live else [])
        with connection.cursor() as cursor:
            if next(self._writes) % CULL_CHECK_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                entries = cursor.fetchone()[0]
                if entries > self._max_entries:
                    self._cull(db, cursor, now, entries)
            cursor.execute(
                f"""INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)
                    ON CONFLICT (cache_key) DO UPDATE
                    SET value = EXCLUDED.value, expires = EXCLUDED.expires {keep_live}
                    RETURNING 1""",
                params,
            )
            return cursor.fetchone() is not None
